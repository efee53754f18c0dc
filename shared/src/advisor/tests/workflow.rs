//! Workflows: stages placed in turn, data following the work.

use serde_json::json;

use super::*;

fn stage(name: &str, fields: serde_json::Value, out_tb: f64) -> StageInput {
    StageInput { name: Some(name.into()), workload: input(fields), output_tb: Some(NumberText::Number(out_tb)) }
}

#[test]
fn simulate_train_and_couple_moves_between_kisti6_and_the_cloud() {
    let wf = WorkflowInput {
        stages: vec![
            stage("simulate", json!({"purpose": "hpc_simulation", "gpus": 512, "run_hours": 24}), 20.0),
            stage(
                "train",
                json!({"purpose": "llm_pretraining", "precision": "fp8", "gpus": 256, "run_hours": 200}),
                0.5,
            ),
            stage(
                "couple",
                json!({"purpose": "ai_coupled_simulation", "fp64_share": 0.4, "gpus": 256, "run_hours": 24}),
                5.0,
            ),
        ],
    };
    let plan = plan_workflow(&cat(), &wf, &waits(&[])).unwrap();
    let pools: Vec<_> = plan.stages.iter().map(|s| s.pool_id.as_deref().unwrap_or("-")).collect();
    assert_eq!(pools, ["kisti6-gh200", "nhn-b200", "kisti6-gh200"]);
    assert!(plan.complete && plan.waits_known);
    assert_eq!(plan.stages[1].input_tb, 20.0);
    assert!(plan.stages[1].transfer_hours > 1.0, "20 TB move from KISTI to NHN");
    let sum: f64 = plan.stages.iter().map(|s| s.transfer_hours + s.wait_hours.unwrap() + s.run_hours).sum();
    assert!((plan.total_hours - sum).abs() < 1e-9);
}

#[test]
fn stage_errors_are_named_by_stage() {
    let wf = WorkflowInput {
        stages: vec![
            stage("a", json!({"purpose": "fine_tuning", "run_hours": 1}), 1.0),
            stage("b", json!({"gpus": 1}), -1.0),
        ],
    };
    let e = plan_workflow(&cat(), &wf, &Conditions::unknown()).unwrap_err();
    assert!(e.get("stages[0].gpus").is_some());
    assert!(e.get("stages[1].purpose").is_some());
    assert!(e.get("stages[1].output_tb").is_some());
    assert!(plan_workflow(&cat(), &WorkflowInput::default(), &Conditions::unknown()).is_err());
}

/// Conditions of every pool from full synthetic queues, with the waits predicted for `w`.
fn busy_queues(w: &Workload, nodes_up_kisti: u32) -> Conditions {
    use crate::advisor::wait::synthetic_snapshot;
    let c = cat();
    let snaps: Vec<_> = c
        .pools()
        .map(|(_, p)| {
            let nodes = if p.id == "kisti6-gh200" { nodes_up_kisti } else { p.nodes_in_service };
            synthetic_snapshot(&p.id, nodes, p.gpus_per_node, nodes / 2, 1_790_000_000, 7)
        })
        .collect();
    let mut base = Conditions::default();
    for s in &snaps {
        base.pools.push(PoolConditions {
            pool_id: s.pool_id.clone(),
            total_gpus: s.nodes_up * s.gpus_per_node,
            free_gpus: 0,
            pending_jobs: s.pending.len() as u32,
            pending_gpus: 0,
            wait: None,
            never_starts: false,
        });
    }
    base.with_predicted_waits(&c, w, &snaps, 11)
}

#[test]
fn each_stage_gets_the_waits_predicted_for_its_own_job() {
    let wf = WorkflowInput {
        stages: vec![
            stage("simulate", json!({"purpose": "hpc_simulation", "gpus": 512, "run_hours": 24}), 20.0),
            stage("train", json!({"purpose": "fine_tuning", "model_params_b": 7, "gpus": 8, "run_hours": 10}), 0.5),
        ],
    };
    let plan = plan_workflow_with(&cat(), &wf, |w| busy_queues(w, 2_124)).unwrap();
    for s in &plan.stages {
        let top = s.recommendation.pool(s.pool_id.as_deref().unwrap()).unwrap();
        assert!(top.estimates.wait.is_some(), "{}: a simulated band, not the heuristic", s.name);
    }
}

#[test]
fn a_pool_that_can_never_hold_the_job_reports_no_finite_wait() {
    // 512 GPUs = 128 GH200 nodes, with only 100 nodes up.
    let w = workload(json!({"purpose": "hpc_simulation", "gpus": 512, "run_hours": 24}));
    let rec = recommend(&cat(), &w, &busy_queues(&w, 100));
    let kisti = rec.pool("kisti6-gh200").unwrap();
    assert!(kisti.estimates.never_starts);
    assert_eq!((kisti.estimates.wait_hours, kisti.estimates.time_to_result_hours), (None, None));
    let queue = kisti.criteria.iter().find(|c| c.criterion == Criterion::Queue).unwrap();
    assert_eq!((queue.score, queue.reason), (0.0, Reason::WaitNever));
}
