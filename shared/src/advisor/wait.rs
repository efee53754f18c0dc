//! Queue-wait prediction: the EASY backfill scheduler
//! ([`crate::sim::scheduler::PoolScheduler`]) run forward from a queue
//! snapshot with the new job inserted at the tail, once per seed. Actual run
//! times are sampled as fractions of the requested walltime (users
//! over-request): from the run-time ratios of the pool's recently finished
//! jobs when the snapshot carries them, else uniformly over the catalogue's
//! range. The p10/p50/p90 of the job's start time over the runs are then
//! corrected by the catalogue's calibration, fitted on backtested
//! submissions ([`crate::advisor::backtest`]), because later arrivals that
//! backfill ahead and run-time noise widen real waits beyond the runs' spread.
//!
//! Monotonic by construction: every run samples the other jobs' run times in
//! the same order from the same seed, whatever the new job's width, and until
//! the new job starts nothing depends on it (it is last in the queue and no
//! job arrives later). A wider job can start only at an instant where a
//! narrower one could, so more GPUs never lower the predicted wait; the
//! calibration is increasing, so it keeps that order.
//!
//! [`easy_estimate`] is the baseline Slurm itself gives (`squeue --start`):
//! one run in which every job uses its whole requested walltime.

mod synthetic;
mod workload;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::api::QueueSnapshot;
use crate::catalogue::WaitModel;
use crate::sim::scheduler::{Job, PoolScheduler, RestoredJob};

pub use synthetic::synthetic_snapshot;
pub use workload::job_for;

/// A predicted queue wait with its 80 % band, seconds: calibrated so that,
/// in the backtest, the real wait falls inside the band for about 80 % of
/// submissions (uncalibrated pools: the seeded runs' own spread).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitBand {
    /// Lower bound: the 10th percentile (0 where over a tenth of such jobs start at once), seconds.
    pub p10_seconds: u64,
    /// Median, seconds.
    pub p50_seconds: u64,
    /// Upper bound: the 90th percentile (the 80th where the lower bound is 0), seconds.
    pub p90_seconds: u64,
    /// Seeded runs behind the band.
    pub runs: u32,
    /// Runs in which the job had not started by the horizon (counted at the horizon).
    pub censored_runs: u32,
}

/// The job whose wait is predicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitJob {
    /// Whole nodes.
    pub nodes: u32,
    /// Requested walltime (one segment of a checkpointed chain), seconds.
    pub walltime_seconds: u64,
}

/// Predicts when `job` would start if submitted now to the pool of
/// `snapshot`: `model.runs` seeded forward simulations, calibrated. `None`
/// when the job can never start (wider than the nodes up, or zero nodes).
pub fn predict_wait(snapshot: &QueueSnapshot, job: WaitJob, model: &WaitModel, seed: u64) -> Option<WaitBand> {
    let raw = simulate_wait(snapshot, job, model, seed)?;
    let horizon = (model.horizon_days * 86_400.0) as u64;
    let cal = model.calibration.get(&snapshot.pool_id).filter(|c| c.fitted_on == snapshot.source);
    let Some(cal) = cal else { return Some(raw) };
    let [p10, p50, p90] = cal.apply([raw.p10_seconds, raw.p50_seconds, raw.p90_seconds], horizon);
    Some(WaitBand { p10_seconds: p10, p50_seconds: p50, p90_seconds: p90, ..raw })
}

/// The uncalibrated band: the quantiles of the seeded runs themselves.
pub fn simulate_wait(snapshot: &QueueSnapshot, job: WaitJob, model: &WaitModel, seed: u64) -> Option<WaitBand> {
    if job.nodes == 0 || job.nodes > snapshot.nodes_up {
        return None;
    }
    let horizon = (model.horizon_days * 86_400.0) as i64;
    let runs = model.runs.max(1);
    let mut waits: Vec<i64> = Vec::with_capacity(runs as usize);
    let mut censored_runs = 0;
    let ratios = Ratios::of(snapshot, model);
    for k in 0..runs {
        let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(u64::from(k).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        let wait = run_once(snapshot, job, &mut |rng: &mut ChaCha8Rng| ratios.sample(rng), &mut rng, horizon);
        censored_runs += u32::from(wait >= horizon);
        waits.push(wait.min(horizon));
    }
    waits.sort_unstable();
    let pct = |p: f64| {
        let i = ((p * waits.len() as f64).ceil() as usize).clamp(1, waits.len()) - 1;
        waits[i].max(0) as u64
    };
    Some(WaitBand { p10_seconds: pct(0.1), p50_seconds: pct(0.5), p90_seconds: pct(0.9), runs, censored_runs })
}

/// Slurm's own estimate (`squeue --start`): EASY backfill in which every job
/// runs for its whole requested walltime, seconds (`None` as for [`predict_wait`]).
pub fn easy_estimate(snapshot: &QueueSnapshot, job: WaitJob, horizon_days: f64) -> Option<u64> {
    if job.nodes == 0 || job.nodes > snapshot.nodes_up {
        return None;
    }
    let horizon = (horizon_days * 86_400.0) as i64;
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    Some(run_once(snapshot, job, &mut |_: &mut ChaCha8Rng| 1.0, &mut rng, horizon).clamp(0, horizon) as u64)
}

/// Where sampled run-time ratios come from.
enum Ratios<'a> {
    /// The pool's recently finished jobs, per mille (bootstrap).
    Observed(&'a [u16]),
    /// The catalogue's uniform range.
    Uniform(f64, f64),
}

impl<'a> Ratios<'a> {
    fn of(snapshot: &'a QueueSnapshot, model: &WaitModel) -> Ratios<'a> {
        if snapshot.runtime_ratio_permille.is_empty() {
            Ratios::Uniform(model.runtime_fraction_min, model.runtime_fraction_max.max(model.runtime_fraction_min))
        } else {
            Ratios::Observed(&snapshot.runtime_ratio_permille)
        }
    }

    fn sample<R: Rng>(&self, rng: &mut R) -> f64 {
        match self {
            Ratios::Observed(r) => (f64::from(r[rng.gen_range(0..r.len())]) / 1_000.0).clamp(0.001, 1.0),
            Ratios::Uniform(lo, hi) if hi > lo => rng.gen_range(*lo..=*hi),
            Ratios::Uniform(lo, _) => *lo,
        }
    }
}

/// Seconds until `job` starts in one sampled future (`horizon` if it does
/// not by then); `frac` draws each other job's run time over its walltime.
fn run_once<R: Rng>(
    snap: &QueueSnapshot,
    job: WaitJob,
    frac: &mut impl FnMut(&mut R) -> f64,
    rng: &mut R,
    horizon: i64,
) -> i64 {
    let mut running = Vec::with_capacity(snap.running.len());
    for (i, r) in snap.running.iter().enumerate() {
        let planned = r.remaining_seconds.min(i64::MAX as u64 / 4) as i64;
        let remaining = (planned as f64 * frac(rng)).ceil() as i64;
        running.push(RestoredJob { id: i as u64 + 1, nodes: r.nodes, remaining, planned_remaining: planned });
    }
    let first_pending = snap.running.len() as u64 + 1;
    let mut queue = Vec::with_capacity(snap.pending.len() + 1);
    for (i, p) in snap.pending.iter().enumerate() {
        let walltime = p.walltime_seconds.clamp(1, i64::MAX as u64 / 4) as i64;
        let runtime = ((walltime as f64 * frac(rng)).ceil() as i64).max(1);
        queue.push(Job { id: first_pending + i as u64, nodes: p.nodes.max(1), submit: 0, runtime, walltime });
    }
    let ours = first_pending + snap.pending.len() as u64;
    let walltime = job.walltime_seconds.clamp(1, i64::MAX as u64 / 4) as i64;
    queue.push(Job { id: ours, nodes: job.nodes, submit: 0, runtime: walltime, walltime });
    let mut s = PoolScheduler::restore(snap.nodes_up, 0, running, queue);
    let mut ends: BinaryHeap<Reverse<(i64, u64)>> = s.running().values().map(|r| Reverse((r.end, r.job.id))).collect();
    let mut now = 0;
    loop {
        for st in s.schedule(now) {
            if st.id == ours {
                return now;
            }
            ends.push(Reverse((st.end, st.id)));
        }
        let Some(Reverse((t, _))) = ends.peek().copied() else { return horizon };
        if t >= horizon {
            return horizon;
        }
        while let Some(Reverse((end, id))) = ends.peek().copied() {
            if end > t {
                break;
            }
            ends.pop();
            s.finish(id);
        }
        now = t;
    }
}

#[cfg(test)]
#[path = "wait/tests.rs"]
mod tests;
