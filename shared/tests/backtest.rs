//! The wait backtest over simulated days of the demo fleet (see
//! `kairr_shared::advisor::backtest`). It prints its figures; it fails only
//! if the calibrated band misses its 80 % coverage goal by a wide margin or
//! the predictor stops beating Slurm's own estimate.
//!
//! `cargo test -p kairr-shared --test backtest -- --nocapture` prints the
//! held-out figures; add `--ignored refit` to refit the calibration on the
//! training seeds and print the catalogue lines.

use kairr_shared::advisor::backtest::{
    calibrated_online, calibrations, figures, fit_pools, observe, parse_sacct, parse_swf, replay, report, report_for,
    to_swf, BacktestConfig, Observation, Replay,
};
use kairr_shared::catalogue::Catalogue;

/// Seeds the calibration in the catalogue was fitted on.
const TRAINING_SEEDS: [u64; 3] = [11, 12, 13];

fn held_out() -> BacktestConfig {
    BacktestConfig::default()
}

#[test]
fn calibrated_bands_cover_about_80_percent_and_beat_slurms_estimate() {
    let cat = Catalogue::embedded().unwrap();
    let cfg = held_out();
    assert!(!TRAINING_SEEDS.contains(&cfg.seed), "the held-out seed must not be a training seed");
    let obs = observe(&cat, &cfg);
    let cal = calibrations(&cat, &cat.advisor.wait.calibration);
    let horizon = (cat.advisor.wait.horizon_days * 86_400.0) as u64;
    println!(
        "wait backtest: seed {} (held out), {} days, {} probed submissions; per-pool calibration from the catalogue\n{}",
        cfg.seed,
        cfg.days,
        obs.len(),
        report(&cat, &obs, &cal)
    );
    let all = figures(&obs, &cal, horizon);
    assert!(obs.len() > 500, "too few probes: {}", obs.len());
    assert!(
        (0.7..=0.9).contains(&all.coverage_waited),
        "p10-p90 coverage of jobs that waited {:.3}",
        all.coverage_waited
    );
    assert!(all.coverage >= 0.7, "p10-p90 coverage {:.3}", all.coverage);
    assert!(
        all.median_abs_error < all.baseline_median_abs_error,
        "predictor MAE {:.0} s is not below Slurm's {:.0} s",
        all.median_abs_error,
        all.baseline_median_abs_error
    );
}

#[test]
#[ignore = "refits the calibration: run by hand, paste the printed lines into the catalogue"]
fn refit_calibration() {
    let cat = Catalogue::embedded().unwrap();
    let obs: Vec<Observation> =
        TRAINING_SEEDS.iter().flat_map(|seed| observe(&cat, &BacktestConfig { seed: *seed, ..held_out() })).collect();
    let fitted = fit_pools(&cat, &obs);
    println!("{} training probes; uncalibrated:", obs.len());
    println!("{}", report(&cat, &obs, &[]));
    println!("fitted:\n{}", report(&cat, &obs, &calibrations(&cat, &fitted)));
    for (pool, cal) in &fitted {
        let points: Vec<String> = cal.points.iter().map(|p| format!("    {p:?},")).collect();
        println!("  [advisor.wait.calibration.{pool}]\n  points = [\n{}\n  ]", points.join("\n"));
    }
}

#[test]
fn the_demo_fleet_is_loaded_like_a_busy_national_system() {
    use kairr_shared::sim::{SimConfig, Simulator};
    let cat = Catalogue::embedded().unwrap();
    let start = 1_790_000_000;
    let mut sim = Simulator::new(cat, SimConfig { warm_up_seconds: 7 * 86_400, ..SimConfig::default() }, start);
    let mut samples: Vec<Vec<(f64, u32, u64)>> = Vec::new();
    for h in 1..=(28 * 24) {
        sim.advance_to(start + h * 3_600);
        let pools: Vec<_> = sim.systems().into_iter().flat_map(|s| s.pools).collect();
        samples.resize(pools.len(), Vec::new());
        for (k, p) in pools.iter().enumerate() {
            samples[k].push((p.utilisation, p.pending_jobs, p.median_wait_seconds.unwrap_or(0)));
        }
    }
    let ids: Vec<String> = sim.catalogue().pools().map(|(_, p)| p.id.clone()).collect();
    println!("demo load over 28 days, hourly samples (median / p90):");
    println!("{:<14} {:>13} {:>15} {:>17}", "pool", "utilisation", "pending jobs", "median wait (h)");
    let mut medians = Vec::new();
    for (id, s) in ids.iter().zip(&samples) {
        let q = |mut v: Vec<f64>, p: f64| {
            v.sort_by(f64::total_cmp);
            v[((p * v.len() as f64) as usize).min(v.len() - 1)]
        };
        let u: Vec<f64> = s.iter().map(|x| x.0).collect();
        let n: Vec<f64> = s.iter().map(|x| f64::from(x.1)).collect();
        let w: Vec<f64> = s.iter().map(|x| x.2 as f64 / 3_600.0).collect();
        println!(
            "{:<14} {:>6.0}% {:>4.0}% {:>7.0} {:>6.0} {:>8.1} {:>7.1}",
            id,
            q(u.clone(), 0.5) * 100.0,
            q(u.clone(), 0.9) * 100.0,
            q(n.clone(), 0.5),
            q(n, 0.9),
            q(w.clone(), 0.5),
            q(w, 0.9)
        );
        medians.push((id.clone(), q(u, 0.5)));
    }
    let (_, kisti) = &medians[0];
    assert!((0.75..=0.97).contains(kisti), "KISTI-6 median utilisation {kisti}");
}

/// Replays a job log with the calibration fitted online, as it would run
/// against a live queue. The log is the demo KISTI-6 partition's history written as
/// SWF, or the file `KAIRR_SWF` names (`KAIRR_SWF_PPN`: processors per node,
/// default 1; `KAIRR_SWF_NODES`: nodes, default the header's), e.g. a
/// Parallel Workloads Archive log, or `KAIRR_SACCT` the output of
/// `sacct --parsable2` (columns in `backtest/sacct.rs`; sizes in GPUs).
#[test]
fn a_job_log_replays_through_swf() {
    use kairr_shared::sim::{SimConfig, Simulator};
    let cat = Catalogue::embedded().unwrap();
    let env_u32 = |key: &str| std::env::var(key).ok().and_then(|v| v.parse::<u32>().ok());
    let ppn = env_u32("KAIRR_SWF_PPN").unwrap_or(1);
    let read = |path: &str| std::fs::read_to_string(path).unwrap();
    let (log, ppn, nodes, name) = match (std::env::var("KAIRR_SWF"), std::env::var("KAIRR_SACCT")) {
        (Ok(path), _) => (parse_swf(&read(&path)).unwrap(), ppn, env_u32("KAIRR_SWF_NODES"), path),
        (_, Ok(path)) => (parse_sacct(&read(&path), ppn).unwrap(), ppn, env_u32("KAIRR_SWF_NODES"), path),
        _ => {
            let start = 1_790_000_000;
            let mut sim = Simulator::new(cat.clone(), SimConfig { seed: 99, ..SimConfig::default() }, start);
            sim.probe(0.0);
            sim.advance_to(start + 28 * 86_400);
            let pool = &cat.systems[0].pools[0];
            let history = sim.history(0);
            let parsed = parse_swf(&to_swf(history, pool.nodes_in_service, pool.gpus_per_node)).unwrap();
            assert_eq!(parsed.jobs.len(), history.len(), "every logged job reads back");
            assert_eq!(parsed.max_nodes, Some(pool.nodes_in_service));
            (parsed, pool.gpus_per_node, None, format!("demo {} (seed 99, 28 days)", pool.id))
        }
    };
    let every = (log.jobs.len() / 2_000).max(1);
    let obs = replay(&log, &Replay { procs_per_node: ppn, nodes, probe_every: every }, &cat.advisor.wait);
    let horizon = (cat.advisor.wait.horizon_days * 86_400.0) as u64;
    let window = obs.len() / 4;
    let online = calibrated_online(&obs, window, 50, horizon);
    println!(
        "SWF replay of {name}: {} jobs, {} probed; curve refitted every 50 probes on the {window} before:\n{}",
        log.jobs.len(),
        obs.len(),
        report_for(&["swf"], horizon, &online, &[])
    );
    let f = figures(&online, &[], horizon);
    assert!(f.count_waited > 50, "too few jobs waited: {}", f.count_waited);
    assert!((0.65..=0.95).contains(&f.coverage_waited), "coverage {:.3}", f.coverage_waited);
    assert!(f.median_abs_error < f.baseline_median_abs_error, "{f:?}");
}
