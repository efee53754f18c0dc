//! `POST /api/v1/placement`, `POST /api/v1/placement/workflow` and
//! `GET /api/v1/catalogue`: the placement engine of `kairr-shared`, served
//! for scripts and notebooks (the wizard runs the same code in the browser).

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use kairr_shared::advisor::{
    plan_workflow, recommend, Conditions, Recommendation, WorkflowInput, WorkflowPlan, WorkloadInput,
};
use kairr_shared::catalogue::Catalogue;

use crate::error::AppError;
use crate::state::AppState;

/// Ranks every pool for a workload, with queue waits predicted from the live queues.
#[utoipa::path(post, path = "/api/v1/placement", tag = "placement", request_body = WorkloadInput,
    responses(
        (status = 200, description = "Every pool ranked, with reasons and estimates", body = Recommendation),
        (status = 400, description = "Body is not JSON, or fields are invalid (all listed in `fields`)", body = kairr_shared::api::ApiError)))]
pub async fn post_placement(
    State(state): State<AppState>,
    body: Result<Json<WorkloadInput>, JsonRejection>,
) -> Result<Json<Recommendation>, AppError> {
    let Json(input) = body?;
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
#[utoipa::path(post, path = "/api/v1/placement/workflow", tag = "placement", request_body = WorkflowInput,
    responses(
        (status = 200, description = "Per-stage placement and total time to result", body = WorkflowPlan),
        (status = 400, description = "Body is not JSON, or fields are invalid (e.g. `stages[1].gpus`)", body = kairr_shared::api::ApiError)))]
pub async fn post_workflow(
    State(state): State<AppState>,
    body: Result<Json<WorkflowInput>, JsonRejection>,
) -> Result<Json<WorkflowPlan>, AppError> {
    let Json(input) = body?;
    let live = state.live.borrow().clone();
    let cond = Conditions::from_summary(&live.summary);
    let plan = plan_workflow(&state.catalogue, &input, &cond).map_err(AppError::InvalidInput)?;
    Ok(Json(plan))
}

/// The catalogue the engine uses: fleet, GPU specs, prices, weights and assumptions.
#[utoipa::path(get, path = "/api/v1/catalogue", tag = "placement",
    responses((status = 200, description = "The fleet catalogue", body = Catalogue)))]
pub async fn get_catalogue(State(state): State<AppState>) -> Json<Catalogue> {
    Json(Catalogue::clone(&state.catalogue))
}
