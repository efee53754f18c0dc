//! Demo workload: job shapes and arrival rates that load a pool to its target.
//!
//! HPC batch jobs range from one node to hundreds, from ten minutes up to the
//! walltime limit; cloud jobs are narrower and longer (training runs, services).
//! Run times are log-uniform; users over-request walltime by 1.2-3×.

use rand::Rng;

use crate::catalogue::{Pool, SchedulerKind};

use super::scheduler::Job;

/// Relative frequency of job widths in nodes, HPC batch.
const BATCH_WIDTHS: [(u32, f64); 10] = [
    (1, 0.28),
    (2, 0.14),
    (4, 0.16),
    (8, 0.14),
    (16, 0.12),
    (32, 0.08),
    (64, 0.05),
    (128, 0.02),
    (256, 0.007),
    (512, 0.003),
];

/// Relative frequency of job widths in 8-GPU servers, GPU cloud.
const CLOUD_WIDTHS: [(u32, f64); 6] = [(1, 0.45), (2, 0.2), (4, 0.17), (8, 0.1), (16, 0.06), (32, 0.02)];

/// Shortest demo job, seconds.
const MIN_RUNTIME_S: f64 = 600.0;
/// Longest cloud job (a week-long training run or service), seconds.
const CLOUD_MAX_RUNTIME_S: f64 = 7.0 * 86_400.0;

/// Generates jobs for one pool.
#[derive(Debug, Clone)]
pub struct Workload {
    widths: Vec<(u32, f64)>,
    min_runtime: f64,
    max_runtime: f64,
    walltime_limit: Option<i64>,
    /// Mean arrivals per second at the pool's target utilisation.
    pub arrival_rate: f64,
}

impl Workload {
    /// The workload of `pool`, sized so that offered load ≈ `target_utilisation`.
    pub fn for_pool(pool: &Pool) -> Workload {
        let table: &[(u32, f64)] = match pool.scheduler {
            SchedulerKind::Batch => &BATCH_WIDTHS,
            SchedulerKind::Kubernetes => &CLOUD_WIDTHS,
        };
        let cap = pool.max_job_nodes.min(pool.nodes_in_service);
        let widths: Vec<(u32, f64)> = table.iter().copied().filter(|(w, _)| *w <= cap).collect();
        let walltime_limit = pool.walltime_limit_hours.map(|h| i64::from(h) * 3600);
        let max_runtime = walltime_limit.map_or(CLOUD_MAX_RUNTIME_S, |w| w as f64);
        let total_weight: f64 = widths.iter().map(|(_, p)| p).sum();
        let mean_width = widths.iter().map(|(w, p)| f64::from(*w) * p).sum::<f64>() / total_weight.max(f64::EPSILON);
        let mean_runtime = (max_runtime - MIN_RUNTIME_S) / (max_runtime / MIN_RUNTIME_S).ln();
        let busy_nodes = pool.target_utilisation * f64::from(pool.nodes_in_service);
        Workload {
            widths,
            min_runtime: MIN_RUNTIME_S,
            max_runtime,
            walltime_limit,
            arrival_rate: busy_nodes / (mean_width * mean_runtime),
        }
    }

    /// Σ over job widths `w ≤ nodes` of (share of the workload's busy
    /// node-seconds in jobs `w` wide) × `w`, in nodes: what an account that
    /// takes width-`w` jobs with a chance proportional to `w` draws from
    /// (run times do not depend on width).
    pub fn width_weighted_share_up_to(&self, nodes: u32) -> f64 {
        let total: f64 = self.widths.iter().map(|(w, p)| f64::from(*w) * p).sum();
        let narrow: f64 =
            self.widths.iter().filter(|(w, _)| *w <= nodes).map(|(w, p)| f64::from(*w) * f64::from(*w) * p).sum();
        if total > 0.0 {
            narrow / total
        } else {
            0.0
        }
    }

    /// Seconds until the next arrival (exponential inter-arrival times).
    pub fn next_gap(&self, rng: &mut impl Rng) -> i64 {
        let u: f64 = rng.gen_range(f64::EPSILON..1.0);
        ((-u.ln() / self.arrival_rate).ceil() as i64).max(1)
    }

    /// A new job submitted at `now`.
    pub fn job(&self, id: u64, now: i64, rng: &mut impl Rng) -> Job {
        let total: f64 = self.widths.iter().map(|(_, p)| p).sum();
        let mut pick = rng.gen_range(0.0..total.max(f64::EPSILON));
        let mut nodes = self.widths.first().map_or(1, |(w, _)| *w);
        for (w, p) in &self.widths {
            if pick < *p {
                nodes = *w;
                break;
            }
            pick -= p;
        }
        let runtime = (self.min_runtime * (self.max_runtime / self.min_runtime).powf(rng.gen_range(0.0..1.0))) as i64;
        let walltime = match self.walltime_limit {
            // Batch users round their requests up to the hour and over-ask 1.2-3×.
            Some(limit) => {
                let asked = (runtime as f64 * rng.gen_range(1.2..3.0)) as i64;
                (((asked + 3599) / 3600) * 3600).min(limit).max(runtime.min(limit))
            }
            // Cloud jobs declare an expected duration for the gang scheduler.
            None => (runtime as f64 * rng.gen_range(1.0..1.5)) as i64,
        };
        Job { id, nodes, submit: now, runtime: runtime.max(60), walltime: walltime.max(60) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use rand::SeedableRng;

    #[test]
    fn jobs_respect_the_pool_limits() {
        let cat = Catalogue::embedded().unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for (_, pool) in cat.pools() {
            let w = Workload::for_pool(pool);
            assert!(w.arrival_rate > 0.0);
            for i in 0..2_000 {
                let j = w.job(i, 0, &mut rng);
                assert!(j.nodes >= 1 && j.nodes <= pool.max_job_nodes, "{}: {} nodes", pool.id, j.nodes);
                assert!(j.runtime >= 60 && j.walltime >= 60);
                if let Some(h) = pool.walltime_limit_hours {
                    assert!(j.walltime <= i64::from(h) * 3600, "walltime over the limit");
                    assert!(j.runtime <= j.walltime, "batch runtimes fit their walltime");
                }
            }
        }
    }
}
