//! Invariants of the ranking over generated workloads.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::advisor::estimate::throughput;
use crate::advisor::kinds::{Compute, Method};
use crate::advisor::memory;

fn any_workload() -> impl Strategy<Value = Workload> {
    let purpose = prop::sample::select(Purpose::ALL.to_vec());
    let sector = prop::sample::select(Sector::ALL.to_vec());
    let site = prop::sample::select(vec!["kisti", "kakao", "nhn", "naver", "elsewhere"]);
    let gpus = prop_oneof![1u32..16, 16u32..600, 600u32..4_000];
    let compute = prop::sample::select(Compute::ALL.to_vec());
    let shape = (purpose, sector, site, gpus, compute);
    (shape, 0.1f64..2_000.0, 0.0f64..500.0, prop::option::of(1f64..500.0), any::<[bool; 2]>()).prop_map(
        |((purpose, sector, site, gpus, compute), hours, tb, params, [spill, ckpt])| {
            let service = purpose == Purpose::InferenceService;
            let coupling = if service { "independent" } else { "tightly_coupled" };
            let mut v = json!({
                "purpose": purpose.as_str(), "sector": sector.as_str(), "gpus": gpus, "run_hours": hours,
                "dataset_tb": tb, "data_location": site, "allow_cpu_spill": spill, "checkpointing": ckpt,
                "coupling": coupling, "compute": compute.as_str(),
            });
            if let (Some(p), Some(o)) = (params, v.as_object_mut()) {
                o.insert("model_params_b".into(), json!(p));
            }
            workload(v)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_top_pool_never_fails_a_hard_constraint(w in any_workload()) {
        let rec = recommend(&cat(), &w, &Conditions::unknown());
        if let Some(top) = &rec.top {
            let a = rec.pool(top).unwrap();
            prop_assert!(a.feasible && a.failures.is_empty());
        }
        prop_assert_eq!(rec.top.is_some(), rec.pools.iter().any(|p| p.feasible));
        let first_infeasible = rec.pools.iter().position(|p| !p.feasible).unwrap_or(rec.pools.len());
        prop_assert!(rec.pools[first_infeasible..].iter().all(|p| !p.feasible), "feasible pools come first");
    }

    #[test]
    fn raising_the_fp64_share_never_lowers_kisti6_precision_score(mut w in any_workload(), a in 0.0f64..=1.0, b in 0.0f64..=1.0) {
        let (lo, hi) = (a.min(b), a.max(b));
        let kisti_precision = |w: &Workload| recommend(&cat(), w, &Conditions::unknown()).pool("kisti6-gh200").unwrap().criteria[0].score;
        w.fp64_share = lo;
        let low = kisti_precision(&w);
        w.fp64_share = hi;
        prop_assert!(kisti_precision(&w) >= low - 1e-12);
    }

    #[test]
    fn a_larger_dataset_at_a_site_never_lowers_that_sites_data_score(mut w in any_workload(), site in prop::sample::select(vec!["kisti", "kakao", "nhn", "naver"]), a in 0.0f64..1_000.0, more in 0.0f64..1_000.0) {
        w.data_site = Some(site.to_string());
        let data_scores = |w: &Workload| {
            let rec = recommend(&cat(), w, &Conditions::unknown());
            cat().pools().filter(|(_, p)| p.placement.site == site).map(|(_, p)| rec.pool(&p.id).unwrap().criteria[3].score).collect::<Vec<_>>()
        };
        w.dataset_tb = a;
        let before = data_scores(&w);
        w.dataset_tb = a + more;
        for (x, y) in before.iter().zip(data_scores(&w)) {
            prop_assert!(y >= *x);
        }
    }
}

#[test]
fn scores_and_contributions_are_in_range_and_add_up() {
    let w = workload(json!({"purpose": "llm_pretraining", "gpus": 64, "run_hours": 100, "dataset_tb": 30}));
    let rec = recommend(&cat(), &w, &Conditions::unknown());
    for p in &rec.pools {
        let total: f64 = p.criteria.iter().map(|c| c.contribution).sum();
        assert!((total - p.score).abs() < 1e-9);
        let weights: f64 = p.criteria.iter().map(|c| c.weight).sum();
        assert!((weights - 1.0).abs() < 1e-9);
        assert!(p.criteria.iter().all(|c| (0.0..=1.0).contains(&c.score)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Roofline: a bandwidth-bound code never runs slower on a GPU with more
    /// bandwidth and the same compute.
    #[test]
    fn a_bandwidth_bound_code_never_runs_slower_with_more_bandwidth(
        precision in prop::sample::select(Precision::ALL.to_vec()),
        model in prop::sample::select(vec!["GH200", "B200", "H200", "A100", "L40S", "V100"]),
        more in 0.0f64..10.0,
        share in 0.0f64..0.5,
    ) {
        let c = cat();
        let gpu = c.gpu_models[model].clone();
        let mut faster = gpu.clone();
        faster.memory_tb_per_s += more;
        let w = workload(json!({"purpose": "hpc_simulation", "compute": "memory_bound", "precision": precision.as_str(),
            "fp64_share": if precision == Precision::Fp64 { 1.0 } else { share }, "gpus": 8, "run_hours": 10}));
        prop_assert!(throughput(&faster, &w).rate >= throughput(&gpu, &w).rate);
    }

    /// PEFT never needs more GPU memory than full fine-tuning of the same model.
    #[test]
    fn peft_never_needs_more_memory_than_full_fine_tuning(
        precision in prop::sample::select(Precision::ALL.to_vec()),
        params in 0.1f64..2_000.0,
        gpus in 1u32..1_024,
        sharded: bool,
    ) {
        let m = cat().advisor.memory;
        let peft = memory::estimate(&m, Method::Peft, precision, params, gpus, sharded);
        let full = memory::estimate(&m, Method::Full, precision, params, gpus, sharded);
        prop_assert!(peft.per_gpu_gb <= full.per_gpu_gb, "{peft:?} vs {full:?}");
    }
}

#[test]
fn codes_speed_up_by_their_class_not_by_the_best_precision_figure() {
    let c = cat();
    let run = |compute: &str, precision: &str, pool: &str| {
        let w = workload(json!({"purpose": "hpc_simulation", "compute": compute, "precision": precision,
            "gpus": 8, "run_hours": 100, "coupling": "independent"}));
        let rec = recommend(&c, &w, &Conditions::unknown());
        rec.pool(pool).unwrap().estimates.run_hours
    };
    // Plain FP32 on CUDA cores: B200 75 TF against Hopper's 67 (~1.1x), not TF32's 2.2x.
    let vector = run("vector", "fp32_tf32", "naver-h200") / run("vector", "fp32_tf32", "nhn-b200");
    assert!((1.1..1.2).contains(&vector), "{vector}");
    let tensor = run("tensor", "fp32_tf32", "naver-h200") / run("tensor", "fp32_tf32", "nhn-b200");
    assert!((2.1..2.3).contains(&tensor), "{tensor}");
    // FP64 on CUDA cores: 34 TF on Hopper; DGEMM on FP64 tensor cores: 67 TF.
    assert!((run("vector", "fp64", "naver-h200") - 100.0).abs() < 1e-9, "measured on H200: same hours");
    assert!(run("tensor", "fp64", "nhn-b200") > run("tensor", "fp64", "naver-h200"), "B200 has no 67 TF FP64 tensor");
    // Bandwidth-bound: 8 TB/s against GH200's 4.0.
    let bw = run("memory_bound", "fp64", "kisti6-gh200") / run("memory_bound", "fp64", "nhn-b200");
    assert!((bw - 2.0).abs() < 1e-9, "{bw}");
}

#[test]
fn a_run_measured_on_an_a100_is_shorter_on_the_fleet() {
    let c = cat();
    let w = workload(json!({"purpose": "fine_tuning", "measured_on": "A100", "model_params_b": 7,
        "gpus": 8, "run_hours": 30}));
    let rec = recommend(&c, &w, &Conditions::unknown());
    // BF16 tensor: 312 TF on A100, 989 on H200.
    let h200 = rec.pool("naver-h200").unwrap().estimates.run_hours;
    assert!((h200 - 30.0 * 312.0 / 989.0).abs() < 1e-9, "{h200}");
}

#[test]
fn interactive_use_runs_for_the_stated_hours_on_any_gpu() {
    let c = cat();
    let w = workload(json!({"purpose": "fine_tuning", "interactive": true, "method": "peft", "model_params_b": 7,
        "gpus": 1, "run_hours": 4}));
    let rec = recommend(&c, &w, &Conditions::unknown());
    assert!(rec.pools.iter().all(|p| p.estimates.run_hours == 4.0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A per-job policy limit never rules a pool out: only a job wider than
    /// the pool itself fails on width; and with no pool left the answer names
    /// the widest job each pool accepts.
    #[test]
    fn a_policy_only_limit_never_makes_a_pool_infeasible(w in any_workload()) {
        let c = cat();
        let rec = recommend(&c, &w, &Conditions::unknown());
        for a in &rec.pools {
            let pool = c.pools().find(|(_, p)| p.id == a.pool_id).unwrap().1;
            let too_wide = a.failures.iter().any(|f| f.constraint == Constraint::Width);
            prop_assert_eq!(too_wide, w.coupling != Coupling::Independent && a.estimates.nodes > pool.nodes_in_service);
            if a.estimates.needs_reservation {
                prop_assert!(a.estimates.nodes > pool.max_job_nodes);
            }
        }
        prop_assert_eq!(rec.no_fit.is_some(), rec.top.is_none());
    }
}

#[test]
fn a_platform_decision_names_the_need_the_other_pool_misses() {
    let w = workload(json!({"purpose": "llm_pretraining", "model_params_b": 7, "gpus": 256, "run_hours": 336,
        "container": "oci", "stack": ["kubeflow"]}));
    let rec = recommend(&cat(), &w, &Conditions::unknown());
    let d = rec.deciding.unwrap();
    assert_eq!(d.versus.as_deref(), Some("kisti6-gh200"));
    let reason = d.reason.unwrap();
    assert!(matches!(reason, Reason::PlatformNeedUnmet { need: PlatformNeed::Kubeflow, .. }), "{reason:?}");
    assert!(reason.en().contains("Kubeflow"), "{}", reason.en());
    assert!(!reason.en().contains("100%"));
}

#[test]
fn a_small_cloud_job_is_charged_and_powered_for_its_instance_not_a_whole_server() {
    let c = cat();
    let w = workload(json!({"purpose": "fine_tuning", "method": "peft", "model_params_b": 7, "gpus": 2,
        "run_hours": 10, "sector": "large_company"}));
    let rec = recommend(&c, &w, &Conditions::unknown());
    let nhn = rec.pool("nhn-b200").unwrap().estimates;
    assert_eq!((nhn.nodes, nhn.gpus_allocated), (1, 2), "a 2-GPU instance");
    let three = workload(json!({"purpose": "fine_tuning", "method": "peft", "model_params_b": 7, "gpus": 3,
        "run_hours": 10, "sector": "large_company"}));
    let r3 = recommend(&c, &three, &Conditions::unknown());
    assert_eq!(r3.pool("nhn-b200").unwrap().estimates.gpus_allocated, 4, "the smallest instance that holds 3");
    let kisti = rec.pool("kisti6-gh200").unwrap().estimates;
    assert_eq!(kisti.gpus_allocated, 4, "KISTI-6 gives whole nodes");
    // Energy and cost follow the GPUs held: a 2-GPU instance is a quarter of the whole server.
    let whole = workload(json!({"purpose": "fine_tuning", "method": "peft", "model_params_b": 7, "gpus": 8,
        "run_hours": 10, "sector": "large_company"}));
    let w8 = recommend(&c, &whole, &Conditions::unknown()).pool("nhn-b200").unwrap().estimates;
    assert!((nhn.energy_kwh / nhn.gpu_hours - w8.energy_kwh / w8.gpu_hours).abs() < 1e-9);
    assert!((nhn.cost_krw / nhn.gpu_hours - w8.cost_krw / w8.gpu_hours).abs() < 1e-6);
    assert!((nhn.gpu_hours - 2.0 * nhn.run_hours).abs() < 1e-9);
}
