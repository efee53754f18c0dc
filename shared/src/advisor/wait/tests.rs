//! Queue-wait prediction: empty and saturated queues, and monotonicity.

use proptest::prelude::*;

use super::*;
use crate::api::{DataSource, PendingJob, RunningJob};
use std::collections::BTreeMap;

const MODEL: WaitModel = WaitModel {
    runs: 9,
    runtime_fraction_min: 0.3,
    runtime_fraction_max: 1.0,
    horizon_days: 30.0,
    calibration: BTreeMap::new(),
};

fn snapshot(nodes_up: u32, running: Vec<RunningJob>, pending: Vec<PendingJob>) -> QueueSnapshot {
    QueueSnapshot {
        pool_id: "p".into(),
        at: crate::time::utc(0),
        nodes_up,
        gpus_per_node: 4,
        running,
        pending,
        pending_reasons: Vec::new(),
        runtime_ratio_permille: Vec::new(),
        source: DataSource::Demo,
    }
}

#[test]
fn an_empty_queue_predicts_no_wait() {
    let band = predict_wait(&snapshot(100, vec![], vec![]), WaitJob { nodes: 64, walltime_seconds: 86_400 }, &MODEL, 1);
    assert_eq!(band, Some(WaitBand { p10_seconds: 0, p50_seconds: 0, p90_seconds: 0, runs: 9, censored_runs: 0 }));
}

#[test]
fn a_saturated_queue_waits_at_least_until_the_earliest_job_can_end() {
    let running =
        vec![RunningJob { nodes: 60, remaining_seconds: 10_000 }, RunningJob { nodes: 40, remaining_seconds: 20_000 }];
    let snap = snapshot(100, running, vec![PendingJob { nodes: 50, walltime_seconds: 3_600 }]);
    let band = predict_wait(&snap, WaitJob { nodes: 10, walltime_seconds: 3_600 }, &MODEL, 7).unwrap();
    let earliest = (MODEL.runtime_fraction_min * 10_000.0) as u64;
    assert!(band.p10_seconds >= earliest, "{band:?}");
    assert!(band.p10_seconds <= band.p50_seconds && band.p50_seconds <= band.p90_seconds);
    assert!(band.p90_seconds <= 20_000);
}

#[test]
fn a_job_wider_than_the_nodes_up_never_starts() {
    assert_eq!(
        predict_wait(&snapshot(10, vec![], vec![]), WaitJob { nodes: 11, walltime_seconds: 60 }, &MODEL, 1),
        None
    );
}

#[test]
fn the_prediction_is_deterministic_for_a_seed() {
    let snap = synthetic_snapshot("p", 200, 4, 500, 0, 3);
    let job = WaitJob { nodes: 16, walltime_seconds: 12 * 3_600 };
    assert_eq!(predict_wait(&snap, job, &MODEL, 5), predict_wait(&snap, job, &MODEL, 5));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn more_gpus_never_lower_the_predicted_wait(seed in 0u64..1_000, nodes in 1u32..60, more in 1u32..40, hours in 1u64..48) {
        let snap = synthetic_snapshot("p", 128, 4, 300, 0, seed);
        let job = |n| WaitJob { nodes: n, walltime_seconds: hours * 3_600 };
        let model = WaitModel { runs: 5, ..MODEL };
        let narrow = predict_wait(&snap, job(nodes), &model, seed).unwrap();
        let wide = predict_wait(&snap, job(nodes + more), &model, seed).unwrap();
        prop_assert!(wide.p10_seconds >= narrow.p10_seconds);
        prop_assert!(wide.p50_seconds >= narrow.p50_seconds);
        prop_assert!(wide.p90_seconds >= narrow.p90_seconds);
    }
}

#[test]
fn the_demo_fleet_feeds_the_prediction_and_the_ranking() {
    use crate::advisor::{recommend, Conditions, WorkloadInput};
    use crate::catalogue::Catalogue;
    use crate::sim::{SimConfig, Simulator};
    let cat = Catalogue::embedded().unwrap();
    let config = SimConfig { warm_up_seconds: 86_400, ..SimConfig::default() };
    let sim = Simulator::new(cat.clone(), config, 1_790_000_000);
    let snapshots = sim.queue_snapshots();
    assert_eq!(snapshots.len(), 4);
    assert!(snapshots.iter().all(|s| s.busy_nodes() <= s.nodes_up && !s.running.is_empty()));
    let form: WorkloadInput = serde_json::from_value(
        serde_json::json!({"purpose": "fine_tuning", "sector": "university", "gpus": 16, "run_hours": 12}),
    )
    .unwrap();
    let w = form.parse(&cat).unwrap();
    let cond = Conditions::from_summary(&sim.summary(120)).with_predicted_waits(&cat, &w, &snapshots, 1);
    assert!(cond.pools.iter().all(|p| p.wait.is_some()), "{cond:?}");
    let rec = recommend(&cat, &w, &cond);
    assert!(rec.pools.iter().all(|p| p.estimates.wait.is_some() && p.estimates.time_to_result_hours.is_some()));
}

#[test]
fn a_pools_curve_calibrates_its_own_sources_queues_only() {
    use crate::catalogue::WaitCalibration;
    let mut snap = snapshot(10, vec![RunningJob { nodes: 10, remaining_seconds: 10_000 }], vec![]);
    snap.pool_id = "p".into();
    let job = WaitJob { nodes: 2, walltime_seconds: 3_600 };
    let raw = predict_wait(&snap, job, &MODEL, 3).unwrap();
    let curve = WaitCalibration { points: vec![[100_000, 50_000, 60_000, 70_000]], ..WaitCalibration::default() };
    let model = WaitModel { calibration: BTreeMap::from([("p".to_string(), curve)]), ..MODEL };
    let demo = predict_wait(&snap, job, &model, 3).unwrap();
    assert_eq!((demo.p10_seconds, demo.p50_seconds), (50_000, 60_000), "demo queue, demo curve");
    snap.source = DataSource::Slurm;
    assert_eq!(predict_wait(&snap, job, &model, 3).unwrap(), raw, "a demo curve says nothing of a Slurm queue");
}
