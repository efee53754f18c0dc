//! The wait backtest: replays simulated days of the demo fleet, asks the
//! predictor at sampled submissions what the submitting user would have been
//! told, and compares with the wait the job really had, beside Slurm's own
//! estimate (EASY backfill from requested walltimes, `squeue --start`).
//! Pure and deterministic: the same seeds give the same figures.

use std::collections::BTreeMap;
use std::fmt::Write as _;

mod sacct;
mod swf;

use crate::api::QueueSnapshot;
use crate::catalogue::{Catalogue, WaitCalibration, WaitModel};
use crate::sim::{Probe, SimConfig, Simulator};

use super::wait::{easy_estimate, simulate_wait, WaitBand, WaitJob};

pub use sacct::parse_sacct;
pub use swf::{parse_swf, replay, to_swf, LoggedJob, Replay, SwfError, SwfLog};

/// How much to replay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BacktestConfig {
    /// Seed of the simulated history.
    pub seed: u64,
    /// Simulated days probed (after a week's warm-up).
    pub days: u32,
    /// Probes per pool and day.
    pub probes_per_day: f64,
    /// Start of the probed days, Unix seconds.
    pub start: i64,
}

impl Default for BacktestConfig {
    fn default() -> Self {
        BacktestConfig { seed: 20_261_204, days: 21, probes_per_day: 24.0, start: 1_790_000_000 }
    }
}

/// One probed submission, predicted and observed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Index of the pool (catalogue order).
    pub pool: usize,
    /// GPUs asked for.
    pub gpus: u32,
    /// The simulated band before calibration.
    pub raw: WaitBand,
    /// Slurm's estimate, seconds.
    pub baseline: u64,
    /// The wait the job really had, seconds.
    pub actual: u64,
}

/// Job-size classes the figures are broken down by, in GPUs (upper bounds).
pub const SIZE_CLASSES: [(u32, &str); 4] = [(8, "1-8"), (64, "9-64"), (512, "65-512"), (u32::MAX, ">512")];

/// Replays `cfg.days` of the demo fleet of `cat` and returns every probed
/// submission that started (those still queued at the end are left out).
pub fn observe(cat: &Catalogue, cfg: &BacktestConfig) -> Vec<Observation> {
    let config = SimConfig { seed: cfg.seed, faults: true, warm_up_seconds: 7 * 86_400 };
    let mut sim = Simulator::new(cat.clone(), config, cfg.start);
    sim.probe(cfg.probes_per_day);
    let end = cfg.start + i64::from(cfg.days) * 86_400;
    sim.advance_to(end);
    // Let probed jobs that are still queued start (no more probes are taken).
    sim.probe(0.0);
    sim.advance_to(end + 7 * 86_400);
    let model = &cat.advisor.wait;
    sim.probes().iter().filter_map(|p| observation(p, model)).collect()
}

fn observation(p: &Probe, model: &WaitModel) -> Option<Observation> {
    let asked = (p.nodes, p.walltime_seconds);
    observation_of(p.pool, &p.snapshot, asked, p.waited_seconds?, p.at as u64, model)
}

/// The observation of a job of `asked` (nodes, walltime seconds) submitted
/// onto `snapshot` that waited `actual` seconds.
fn observation_of(
    pool: usize,
    snapshot: &QueueSnapshot,
    asked: (u32, u64),
    actual: u64,
    seed: u64,
    model: &WaitModel,
) -> Option<Observation> {
    let job = WaitJob { nodes: asked.0, walltime_seconds: asked.1 };
    Some(Observation {
        pool,
        gpus: asked.0 * snapshot.gpus_per_node,
        raw: simulate_wait(snapshot, job, model, seed)?,
        baseline: easy_estimate(snapshot, job, model.horizon_days)?,
        actual,
    })
}

/// Bounds of the simulated-median bins the calibration is fitted over,
/// seconds: exactly 0, then up to 5 min, 30 min, 1 h, 2 h, … , 64 h, above.
const BIN_EDGES: [u64; 10] = [0, 300, 1_800, 3_600, 7_200, 14_400, 28_800, 57_600, 115_200, 230_400];
/// Fewest observations a bin needs to become a point of the curve.
const MIN_BIN: usize = 40;

/// The calibration curve of `obs`: per bin of simulated medians, the
/// median simulated wait and the p10/p50/p90 of the real waits (an 80 %
/// band: 0 to the 80th percentile where many jobs start at once), made
/// non-decreasing column by column.
pub fn fit(obs: &[Observation]) -> WaitCalibration {
    let mut bins: Vec<Vec<&Observation>> = vec![Vec::new(); BIN_EDGES.len() + 1];
    for o in obs {
        let x = o.raw.p50_seconds;
        let k = BIN_EDGES.iter().position(|e| x <= *e).unwrap_or(BIN_EDGES.len());
        bins[k].push(o);
    }
    let mut points: Vec<[u64; 4]> = Vec::new();
    for bin in bins.iter().filter(|b| b.len() >= MIN_BIN) {
        let mut xs: Vec<u64> = bin.iter().map(|o| o.raw.p50_seconds).collect();
        let mut ys: Vec<u64> = bin.iter().map(|o| o.actual).collect();
        // Where over a tenth of the jobs start at once the 10th percentile
        // is 0, and a band from 0 to the 90th would hold up to 90 %: the
        // band is then 0 to the 80th percentile, an 80 % band all the same.
        let at_once = ys.iter().filter(|y| **y == 0).count() as f64 / ys.len() as f64;
        let (lo, hi) = if at_once >= 0.1 { (0.0, at_once.max(0.8)) } else { (0.1, 0.9) };
        let mut p = [quantile(&mut xs, 0.5), quantile(&mut ys, lo), quantile(&mut ys, 0.5), quantile(&mut ys, hi)];
        if let Some(prev) = points.last() {
            if p[0] <= prev[0] {
                continue;
            }
            for k in 1..4 {
                p[k] = p[k].max(prev[k]);
            }
        }
        points.push(p);
    }
    WaitCalibration { points, ..WaitCalibration::default() }
}

/// Online calibration, as QBETS runs [S15]: each observation is calibrated
/// by a curve fitted on the `window` observations before it (refitted every
/// `refit` observations), so the band follows a log whose load changes.
/// Returns the observations from the first fit on, their band replaced by
/// the calibrated one (report them without a further calibration).
pub fn calibrated_online(obs: &[Observation], window: usize, refit: usize, horizon: u64) -> Vec<Observation> {
    let mut out = Vec::new();
    let mut cal = WaitCalibration::default();
    for (k, o) in obs.iter().enumerate().skip(window.min(obs.len())) {
        if (k - window).is_multiple_of(refit.max(1)) {
            cal = fit(&obs[k - window..k]);
        }
        let [p10, p50, p90] = cal.apply([o.raw.p10_seconds, o.raw.p50_seconds, o.raw.p90_seconds], horizon);
        out.push(Observation { raw: WaitBand { p10_seconds: p10, p50_seconds: p50, p90_seconds: p90, ..o.raw }, ..*o });
    }
    out
}

/// The `q` quantile of `v` (the smallest value with at least `q` of `v` at or below it).
fn quantile(v: &mut [u64], q: f64) -> u64 {
    if v.is_empty() {
        return 0;
    }
    v.sort_unstable();
    let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    v[i]
}

/// One calibration curve per pool of `cat`, fitted on that pool's observations.
pub fn fit_pools(cat: &Catalogue, obs: &[Observation]) -> BTreeMap<String, WaitCalibration> {
    cat.pools()
        .enumerate()
        .map(|(i, (_, p))| {
            let mine: Vec<Observation> = obs.iter().filter(|o| o.pool == i).copied().collect();
            (p.id.clone(), fit(&mine))
        })
        .collect()
}

/// Figures over a set of observations.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub count: usize,
    /// Share of real waits inside the predictor's p10–p90 band.
    pub coverage: f64,
    /// The same over submissions with something to predict: the job
    /// really waited over a minute, or the band or Slurm said it might.
    pub coverage_waited: f64,
    /// Submissions counted in `coverage_waited`.
    pub count_waited: usize,
    /// Median |p50 − real wait| over the submissions with something to
    /// predict (most jobs start at once and every estimate gets them right), seconds.
    pub median_abs_error: f64,
    /// Median |Slurm's estimate − real wait| over the same, seconds.
    pub baseline_median_abs_error: f64,
    /// Share of real waits at or below Slurm's estimate (it is a point,
    /// so it has no band; as an upper bound it holds this often).
    pub baseline_upper_bound: f64,
    /// Median real wait, seconds.
    pub median_wait: f64,
}

/// The calibrations of `cat` in pool order (none: the simulated band).
pub fn calibrations(cat: &Catalogue, by_pool: &BTreeMap<String, WaitCalibration>) -> Vec<WaitCalibration> {
    cat.pools().map(|(_, p)| by_pool.get(&p.id).cloned().unwrap_or_default()).collect()
}

/// The figures of `obs`, each calibrated by `cals[pool]` (`horizon`: the model's, seconds).
pub fn figures(obs: &[Observation], cals: &[WaitCalibration], horizon: u64) -> Figures {
    let none = WaitCalibration::default();
    let n = obs.len().max(1) as f64;
    let bands: Vec<[u64; 3]> = obs
        .iter()
        .map(|o| {
            let cal = cals.get(o.pool).unwrap_or(&none);
            cal.apply([o.raw.p10_seconds, o.raw.p50_seconds, o.raw.p90_seconds], horizon)
        })
        .collect();
    let inside = |o: &Observation, b: &[u64; 3]| b[0] <= o.actual && o.actual <= b[2];
    let covered = obs.iter().zip(&bands).filter(|(o, b)| inside(o, b)).count();
    let waited: Vec<bool> =
        obs.iter().zip(&bands).map(|(o, b)| o.actual > 60 || b[2] > 60 || o.baseline > 60).collect();
    let count_waited = waited.iter().filter(|w| **w).count();
    let covered_waited = obs.iter().zip(&bands).zip(&waited).filter(|((o, b), w)| **w && inside(o, b)).count();
    let errors = |f: &dyn Fn(usize) -> u64| {
        let mut e: Vec<f64> =
            (0..obs.len()).filter(|i| waited[*i]).map(|i| f(i).abs_diff(obs[i].actual) as f64).collect();
        median(&mut e)
    };
    Figures {
        count: obs.len(),
        coverage: covered as f64 / n,
        coverage_waited: covered_waited as f64 / count_waited.max(1) as f64,
        count_waited,
        median_abs_error: errors(&|i| bands[i][1]),
        baseline_median_abs_error: errors(&|i| obs[i].baseline),
        baseline_upper_bound: obs.iter().filter(|o| o.actual <= o.baseline).count() as f64 / n,
        median_wait: median(&mut obs.iter().map(|o| o.actual as f64).collect::<Vec<_>>()),
    }
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    }
}

/// A table of the figures per pool and size class, then per pool and
/// overall, each observation calibrated by `cals[pool]`.
pub fn report(cat: &Catalogue, obs: &[Observation], cals: &[WaitCalibration]) -> String {
    let horizon = (cat.advisor.wait.horizon_days * 86_400.0) as u64;
    let pools: Vec<&str> = cat.pools().map(|(_, p)| p.id.as_str()).collect();
    report_for(&pools, horizon, obs, cals)
}

/// [`report`] for pools named `pools` (observation `pool` indexes it).
pub fn report_for(pools: &[&str], horizon: u64, obs: &[Observation], cals: &[WaitCalibration]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<13} {:>6} {:>5} {:>8} {:>8} {:>14} {:>9} {:>9} {:>8}",
        "pool", "GPUs", "jobs", "med wait", "p10-p90", "(jobs waited)", "MAE p50*", "Slurm MAE*", "Slurm>="
    );
    let mut row = |pool: &str, class: &str, sel: Vec<Observation>| {
        if sel.is_empty() {
            return;
        }
        let f = figures(&sel, cals, horizon);
        let _ = writeln!(
            out,
            "{:<13} {:>6} {:>5} {:>7.2}h {:>7.0}% {:>7.0}% of {:>4} {:>8.2}h {:>8.2}h {:>7.0}%",
            pool,
            class,
            f.count,
            f.median_wait / 3_600.0,
            f.coverage * 100.0,
            f.coverage_waited * 100.0,
            f.count_waited,
            f.median_abs_error / 3_600.0,
            f.baseline_median_abs_error / 3_600.0,
            f.baseline_upper_bound * 100.0
        );
    };
    for (i, pool) in pools.iter().enumerate() {
        let mut lower = 0;
        for (upper, label) in SIZE_CLASSES {
            row(
                pool,
                label,
                obs.iter().filter(|o| o.pool == i && o.gpus > lower && o.gpus <= upper).copied().collect(),
            );
            lower = upper;
        }
        row(pool, "all", obs.iter().filter(|o| o.pool == i).copied().collect());
    }
    row("all pools", "all", obs.to_vec());
    out.push_str("* over the jobs that waited; Slurm>=: share of real waits at or below Slurm's estimate\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(raw: u64, actual: u64) -> Observation {
        let raw = WaitBand { p10_seconds: raw, p50_seconds: raw, p90_seconds: raw, runs: 5, censored_runs: 0 };
        Observation { pool: 0, gpus: 4, raw, baseline: raw.p50_seconds * 2, actual }
    }

    #[test]
    fn a_fitted_curve_covers_80_percent_of_what_it_was_fitted_on() {
        // Real waits spread 0.25-4x around two simulated medians.
        let o: Vec<Observation> =
            (0..1_000u64).flat_map(|k| [obs(1_000, 250 + k * 3_750 / 1_000), obs(20_000, 5_000 + k * 75)]).collect();
        let cal = fit(&o);
        assert_eq!(cal.points.len(), 2, "{cal:?}");
        assert!(cal.problem().is_none());
        let f = figures(&o, std::slice::from_ref(&cal), 30 * 86_400);
        assert!((f.coverage - 0.8).abs() < 0.02, "coverage {}", f.coverage);
        let none = figures(&o, &[], 30 * 86_400);
        assert!(none.coverage < 0.05, "the raw band is a point here: {}", none.coverage);
    }

    #[test]
    fn the_curve_interpolates_rises_and_respects_the_horizon() {
        let cal = WaitCalibration { points: vec![[0, 0, 0, 600], [3_600, 600, 3_000, 9_000]], ..Default::default() };
        assert_eq!(cal.apply([0, 0, 0], 86_400), [0, 0, 600]);
        assert_eq!(cal.apply([0, 1_800, 0], 86_400), [300, 1_500, 4_800]);
        let far = cal.apply([0, 7_201, 0], 86_400);
        assert!(far[1] > 3_000 && far[2] > 9_000, "{far:?}");
        assert_eq!(cal.apply([0, 86_400, 0], 86_400), [86_400; 3]);
        let mut last = [0; 3];
        for x in (0..200_000).step_by(997) {
            let b = cal.apply([x, x, x], 86_400);
            assert!(b[0] <= b[1] && b[1] <= b[2] && (0..3).all(|k| b[k] >= last[k]), "{x}: {b:?}");
            last = b;
        }
        let bad = WaitCalibration { points: vec![[0, 0, 0, 600], [3_600, 0, 0, 300]], ..Default::default() };
        assert!(bad.problem().is_some());
    }
}
