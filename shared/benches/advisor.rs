//! Benchmarks of the placement advisor (divan): `recommend` throughput
//! without the wait simulation (target ≥ 1,000,000 per second on one core)
//! and the queue-wait prediction on a 2,000-node / 5,000-job snapshot
//! (target ≤ 20 ms). Run with `cargo bench -p kairr-shared --bench advisor`.

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use kairr_shared::advisor::wait::synthetic_snapshot;
use kairr_shared::advisor::{predict_wait, recommend, Conditions, PoolConditions, WaitJob, WorkloadInput};
use kairr_shared::catalogue::Catalogue;

fn main() {
    divan::main();
}

fn catalogue() -> Catalogue {
    Catalogue::embedded().unwrap_or_else(|e| panic!("embedded catalogue: {e}"))
}

/// Live conditions for every pool: half free, a queue of a pool's worth.
fn conditions(cat: &Catalogue) -> Conditions {
    let pools = cat
        .pools()
        .map(|(_, p)| {
            let total = p.nodes_in_service * p.gpus_per_node;
            PoolConditions {
                pool_id: p.id.clone(),
                total_gpus: total,
                free_gpus: total / 2,
                pending_jobs: 100,
                pending_gpus: total,
                wait: None,
                never_starts: false,
            }
        })
        .collect();
    Conditions { pools }
}

fn input(json: &str) -> WorkloadInput {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bench input: {e}"))
}

#[divan::bench(args = ["fine_tuning", "hpc_simulation", "inference_service"])]
fn recommend_one_workload(bencher: Bencher, purpose: &str) {
    let cat = catalogue();
    let form = input(&format!(
        r#"{{"purpose": "{purpose}", "sector": "university", "gpus": 64, "run_hours": 48,
            "model_params_b": 13, "dataset_tb": 40, "data_location": "kisti", "container": "oci"}}"#
    ));
    let w = form.parse(&cat).unwrap_or_else(|e| panic!("{e}"));
    let cond = conditions(&cat);
    bencher.counter(ItemsCount::new(1usize)).bench(|| recommend(black_box(&cat), black_box(&w), black_box(&cond)));
}

#[divan::bench(sample_count = 30, sample_size = 1)]
fn predict_wait_2000_nodes_5000_jobs(bencher: Bencher) {
    let cat = catalogue();
    let snapshot = synthetic_snapshot("kisti6-gh200", 2_000, 4, 5_000, 0, 42);
    let job = WaitJob { nodes: 64, walltime_seconds: 24 * 3_600 };
    let model = cat.advisor.wait;
    bencher.bench(|| predict_wait(black_box(&snapshot), black_box(job), &model, 7));
}
