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
