//! Invariants of the ranking over generated workloads.

use proptest::prelude::*;
use serde_json::json;

use super::*;

fn any_workload() -> impl Strategy<Value = Workload> {
    let purpose = prop::sample::select(Purpose::ALL.to_vec());
    let sector = prop::sample::select(Sector::ALL.to_vec());
    let site = prop::sample::select(vec!["kisti", "kakao", "nhn", "naver", "elsewhere"]);
    let gpus = prop_oneof![1u32..16, 16u32..600, 600u32..4_000];
    (purpose, sector, site, gpus, 0.1f64..2_000.0, 0.0f64..500.0, prop::option::of(1f64..500.0), any::<[bool; 2]>())
        .prop_map(|(purpose, sector, site, gpus, hours, tb, params, [spill, ckpt])| {
            let service = purpose == Purpose::InferenceService;
            let coupling = if service { "independent" } else { "tightly_coupled" };
            let mut v = json!({
                "purpose": purpose.as_str(), "sector": sector.as_str(), "gpus": gpus, "run_hours": hours,
                "dataset_tb": tb, "data_location": site, "allow_cpu_spill": spill, "checkpointing": ckpt,
                "coupling": coupling,
            });
            if let (Some(p), Some(o)) = (params, v.as_object_mut()) {
                o.insert("model_params_b".into(), json!(p));
            }
            workload(v)
        })
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
