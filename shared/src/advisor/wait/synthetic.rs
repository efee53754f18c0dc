//! A synthetic queue snapshot of any size (a busy HPC partition), for the
//! wait-prediction benchmark and tests.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::api::{DataSource, PendingJob, QueueSnapshot, RunningJob};

/// Job widths in nodes and their relative frequency (a batch partition's mix).
const WIDTHS: [(u32, f64); 8] =
    [(1, 0.3), (2, 0.15), (4, 0.18), (8, 0.15), (16, 0.12), (32, 0.06), (64, 0.03), (128, 0.01)];

fn width(rng: &mut impl Rng) -> u32 {
    let mut pick: f64 = rng.gen_range(0.0..1.0);
    for (w, p) in WIDTHS {
        if pick < p {
            return w;
        }
        pick -= p;
    }
    1
}

/// A pool of `nodes` nodes at `at` (Unix seconds) filled with running jobs
/// up to its capacity, then `jobs` minus the running ones pending; walltimes
/// of 1-48 h. Deterministic for a `seed`.
pub fn synthetic_snapshot(
    pool_id: &str,
    nodes: u32,
    gpus_per_node: u32,
    jobs: u32,
    at: i64,
    seed: u64,
) -> QueueSnapshot {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut running = Vec::new();
    let mut busy = 0;
    while running.len() < jobs as usize {
        let w = width(&mut rng).min(nodes.max(1));
        if busy + w > nodes {
            break;
        }
        busy += w;
        running.push(RunningJob { nodes: w, remaining_seconds: rng.gen_range(60..48 * 3_600) });
    }
    let pending_count = (jobs as usize).saturating_sub(running.len());
    let pending = (0..pending_count)
        .map(|_| PendingJob {
            nodes: width(&mut rng).min(nodes.max(1)),
            walltime_seconds: rng.gen_range(1..=48) * 3_600,
        })
        .collect();
    QueueSnapshot {
        pool_id: pool_id.to_string(),
        at: crate::time::utc(at),
        nodes_up: nodes,
        gpus_per_node,
        running,
        pending,
        pending_reasons: Vec::new(),
        runtime_ratio_permille: Vec::new(),
        source: DataSource::Demo,
    }
}
