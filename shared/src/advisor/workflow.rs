//! Multi-stage workflows: a pipeline of stages (e.g. simulate on KISTI-6 →
//! train on the GPU cloud → run the model inside simulations on KISTI-6),
//! each placed by [`recommend`] with its input data where the previous stage
//! left it, with the data moves between sites and the total time to result.
//!
//! Placement is greedy, stage by stage: each stage's data gravity already
//! counts the move from the previous stage's site, so a stage stays put when
//! moving would cost more than it gains.

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;

use super::conditions::Conditions;
use super::field_error::{FieldErrorCode, FieldErrors};
use super::recommend::{recommend, Recommendation};
use super::workload::{NumberText, Workload, WorkloadInput};

/// Most stages in one workflow.
pub const MAX_STAGES: usize = 12;

/// One stage as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct StageInput {
    /// A label, e.g. "simulate" (defaults to "stage N").
    pub name: Option<String>,
    /// The stage's workload. From the second stage on, its input data are the
    /// previous stage's output: `dataset_tb` and `data_location` are replaced.
    pub workload: WorkloadInput,
    /// Data the stage produces for the next one, TB.
    pub output_tb: Option<NumberText>,
}

/// A workflow as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowInput {
    pub stages: Vec<StageInput>,
}

/// One placed stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StagePlan {
    pub name: String,
    /// The chosen pool; `None` when no pool fits the stage.
    pub pool_id: Option<String>,
    /// Site of the chosen pool (where its output stays).
    pub site: Option<String>,
    /// Input data moved in, TB, and the hours it takes.
    pub input_tb: f64,
    pub transfer_hours: f64,
    /// Expected queue wait, hours (`None` without live data).
    pub wait_hours: Option<f64>,
    pub run_hours: f64,
    pub output_tb: f64,
    pub recommendation: Recommendation,
}

/// The placed pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowPlan {
    pub stages: Vec<StagePlan>,
    /// Every stage found a pool.
    pub complete: bool,
    /// Sums over the stages, hours.
    pub transfer_hours: f64,
    pub wait_hours: f64,
    pub run_hours: f64,
    /// Transfers + waits + runs, hours (unknown waits count as 0; see `waits_known`).
    pub total_hours: f64,
    /// Whether every stage's wait was known.
    pub waits_known: bool,
}

fn output_tb(v: &Option<NumberText>, field: &str, errors: &mut FieldErrors) -> f64 {
    let x = match v.as_ref().map(NumberText::read) {
        None | Some(None) => return 0.0,
        Some(Some(x)) => x.ok(),
    };
    match x {
        Some(x) if x.is_finite() && (0.0..=1_000_000.0).contains(&x) => x,
        _ => {
            let (ko, en) =
                ("0에서 1,000,000 TB 사이의 숫자를 입력하세요.", "Enter a number of TB between 0 and 1,000,000.");
            errors.push(field, FieldErrorCode::OutOfRange, ko.into(), en.into());
            0.0
        }
    }
}

/// Places every stage of `input`; all stages' field errors are reported
/// together, named `stages[i].field`.
pub fn plan_workflow(cat: &Catalogue, input: &WorkflowInput, cond: &Conditions) -> Result<WorkflowPlan, FieldErrors> {
    plan_workflow_with(cat, input, |_| cond.clone())
}

/// [`plan_workflow`] with each stage ranked under `conditions(stage)`: the
/// conditions with the queue waits predicted for that stage's job, exactly
/// as a single placement gets them.
pub fn plan_workflow_with(
    cat: &Catalogue,
    input: &WorkflowInput,
    conditions: impl Fn(&Workload) -> Conditions,
) -> Result<WorkflowPlan, FieldErrors> {
    let mut errors = FieldErrors::default();
    if input.stages.is_empty() || input.stages.len() > MAX_STAGES {
        let (ko, en) = (format!("단계는 1~{MAX_STAGES}개여야 합니다."), format!("Give 1 to {MAX_STAGES} stages."));
        errors.push("stages", FieldErrorCode::OutOfRange, ko, en);
        return Err(errors);
    }
    let mut workloads = Vec::with_capacity(input.stages.len());
    for (i, st) in input.stages.iter().enumerate() {
        let out = output_tb(&st.output_tb, &format!("stages[{i}].output_tb"), &mut errors);
        match st.workload.parse(cat) {
            Ok(w) => workloads.push((w, out)),
            Err(e) => errors.extend(e.prefixed(&format!("stages[{i}]."))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut stages: Vec<StagePlan> = Vec::with_capacity(workloads.len());
    for (i, (mut w, out)) in workloads.into_iter().enumerate() {
        if let Some(prev) = stages.last() {
            w.dataset_tb = prev.output_tb;
            w.data_site = prev.site.clone();
        }
        let rec = recommend(cat, &w, &conditions(&w));
        let top = rec.top.as_deref().and_then(|id| rec.pool(id));
        let site =
            top.and_then(|t| cat.pools().find(|(_, p)| p.id == t.pool_id)).map(|(_, p)| p.placement.site.clone());
        stages.push(StagePlan {
            name: input.stages[i].name.clone().unwrap_or_else(|| format!("stage {}", i + 1)),
            pool_id: rec.top.clone(),
            site,
            input_tb: w.dataset_tb,
            transfer_hours: top.map_or(0.0, |t| t.estimates.transfer_hours),
            wait_hours: top.and_then(|t| t.estimates.wait_hours),
            run_hours: top.map_or(0.0, |t| t.estimates.run_hours),
            output_tb: out,
            recommendation: rec,
        });
    }
    let sum = |f: fn(&StagePlan) -> f64| stages.iter().map(f).sum::<f64>();
    let (transfer_hours, run_hours) = (sum(|s| s.transfer_hours), sum(|s| s.run_hours));
    let wait_hours = sum(|s| s.wait_hours.unwrap_or(0.0));
    Ok(WorkflowPlan {
        complete: stages.iter().all(|s| s.pool_id.is_some()),
        waits_known: stages.iter().all(|s| s.wait_hours.is_some()),
        total_hours: transfer_hours + wait_hours + run_hours,
        transfer_hours,
        wait_hours,
        run_hours,
        stages,
    })
}
