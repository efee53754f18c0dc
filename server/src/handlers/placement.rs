//! `POST /api/v1/placement`, `POST /api/v1/placement/workflow` and
//! `GET /api/v1/catalogue`: the placement engine of `kairr-shared`, served
//! for scripts and notebooks (the wizard runs the same code in the browser).

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use kairr_shared::advisor::{
    plan_workflow_with, recommend, Conditions, Recommendation, WorkflowInput, WorkflowPlan, WorkloadInput,
};
use kairr_shared::catalogue::Catalogue;

use crate::error::AppError;
use crate::state::AppState;

/// Placements computed at once by this replica. The endpoints are anonymous
/// and each runs queue simulations (tens of ms of CPU): beyond this many in
/// flight a caller gets a 429 at once rather than making everyone slow.
pub const MAX_CONCURRENT_PLACEMENTS: usize = 8;

/// A slot to compute one placement (of this app's `placement_slots`), or a 429.
fn placement_slot(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, AppError> {
    state.placement_slots.clone().try_acquire_owned().map_err(|_| AppError::Busy("placement"))
}

/// Ranks every pool for a workload, with queue waits predicted from the live queues.
#[utoipa::path(post, path = "/api/v1/placement", tag = "placement",
    request_body(content = WorkloadInput, example = json!({
        "purpose": "hpc_simulation", "precision": "fp64", "gpus": 256, "coupling": "tightly_coupled",
        "run_hours": 12, "checkpointing": true, "container": "apptainer", "stack": ["slurm_mpi"],
        "dataset_tb": 20, "data_location": "kisti", "sector": "university"})),
    responses(
        (status = 200, description = "Every pool ranked, with reasons and estimates", body = Recommendation),
        (status = 400, description = "Body is not JSON, or fields are invalid (all listed in `fields`)", body = kairr_shared::api::ApiError),
        (status = 413, description = "Body too large", body = kairr_shared::api::ApiError),
        (status = 429, description = "Too many placements in flight; retry shortly", body = kairr_shared::api::ApiError)))]
pub async fn post_placement(
    State(state): State<AppState>,
    body: Result<Json<WorkloadInput>, JsonRejection>,
) -> Result<Json<Recommendation>, AppError> {
    let Json(input) = body?;
    let _slot = placement_slot(&state)?;
    let cat = state.catalogue.clone();
    let workload = input.parse(&cat).map_err(AppError::InvalidInput)?;
    let live = state.live.borrow().clone();
    // Wait prediction simulates the queues forward: CPU work, off the async threads.
    let rec = tokio::task::spawn_blocking(move || {
        let seed = live.summary.updated_at.timestamp().unsigned_abs();
        let cond =
            Conditions::from_summary(&live.summary).with_predicted_waits(&cat, &workload, &live.queues.queues, seed);
        recommend(&cat, &workload, &cond)
    })
    .await
    .map_err(anyhow::Error::from)?;
    Ok(Json(rec))
}

/// Places each stage of a multi-stage workflow, with the data moves between them.
#[utoipa::path(post, path = "/api/v1/placement/workflow", tag = "placement",
    request_body(content = WorkflowInput, example = json!({"stages": [
        {"workload": {"purpose": "hpc_simulation", "precision": "fp64", "gpus": 512, "run_hours": 24,
                      "checkpointing": true, "sector": "government_institute", "dataset_tb": 5, "data_location": "kisti"},
         "output_tb": 200},
        {"workload": {"purpose": "llm_pretraining", "precision": "bf16_fp16", "gpus": 256, "run_hours": 72,
                      "checkpointing": true, "sector": "government_institute", "dataset_tb": 5, "data_location": "kisti"},
         "output_tb": 1}]})),
    responses(
        (status = 200, description = "Per-stage placement and total time to result", body = WorkflowPlan),
        (status = 400, description = "Body is not JSON, or fields are invalid (e.g. `stages[1].gpus`)", body = kairr_shared::api::ApiError),
        (status = 413, description = "Body too large", body = kairr_shared::api::ApiError),
        (status = 429, description = "Too many placements in flight; retry shortly", body = kairr_shared::api::ApiError)))]
pub async fn post_workflow(
    State(state): State<AppState>,
    body: Result<Json<WorkflowInput>, JsonRejection>,
) -> Result<Json<WorkflowPlan>, AppError> {
    let Json(input) = body?;
    let _slot = placement_slot(&state)?;
    let live = state.live.borrow().clone();
    let cat = state.catalogue.clone();
    // Each stage's waits predicted from the live queues, as for a single placement (CPU work).
    let plan = tokio::task::spawn_blocking(move || {
        let seed = live.summary.updated_at.timestamp().unsigned_abs();
        let base = Conditions::from_summary(&live.summary);
        plan_workflow_with(&cat, &input, |w| base.clone().with_predicted_waits(&cat, w, &live.queues.queues, seed))
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(AppError::InvalidInput)?;
    Ok(Json(plan))
}

/// The catalogue the engine uses: fleet, GPU specs, prices, weights and assumptions.
#[utoipa::path(get, path = "/api/v1/catalogue", tag = "placement",
    responses((status = 200, description = "The fleet catalogue", body = Catalogue)))]
pub async fn get_catalogue(State(state): State<AppState>) -> Json<Catalogue> {
    Json(Catalogue::clone(&state.catalogue))
}
