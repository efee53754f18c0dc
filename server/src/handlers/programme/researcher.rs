//! Researchers submit and follow requests; reviewers score them; admins see conflicts of interest.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use kairr_shared::allocation::usecase::{self, Outcome};
use kairr_shared::allocation::{Request, RequestInput, Review, ReviewInput};
use kairr_shared::auth::Action;
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use kairr_shared::api::MyRequest;

use crate::programme::WriteError;
use crate::replica::ProgrammeChange;
use crate::state::AppState;

/// `?round=` of a submission (the newest round when absent).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmitQuery {
    pub round: Option<String>,
}

/// Submits an allocation request to an open round (the wizard's export may be attached).
#[utoipa::path(post, path = "/api/v1/requests", tag = "allocation", params(SubmitQuery,
        ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = RequestInput,
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "The stored request", body = Request),
              (status = 400, description = "Invalid fields (all listed), or the round is not open", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "No CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such round", body = kairr_shared::api::ApiError),
              (status = 409, description = "The applicant's quota of requests in the round is reached", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_request(
    State(state): State<AppState>,
    session: Session,
    q: Result<Query<SubmitQuery>, QueryRejection>,
    body: Result<Json<RequestInput>, JsonRejection>,
) -> Result<Json<Request>, AppError> {
    let user = require(&session, &state.storage, Action::SubmitRequest).await?;
    let Query(q) = q?;
    let Json(input) = body?;
    let round_id = match q.round {
        Some(r) => super::round_param(&r)?.to_owned(),
        None => state.storage.newest_round_id().await?.ok_or_else(|| AppError::NotFound("round".into()))?,
    };
    let now = chrono::Utc::now();
    let request = state
        .storage
        .submit(&round_id, &user, |round, org, mine, id| usecase::submit(round, &user, org, mine, &input, id, now))
        .await?;
    super::announce(&state, &request.round.0, ProgrammeChange::Request).await;
    tracing::info!(request = request.id.0, by = user.username, "request submitted");
    Ok(Json(request))
}

/// The signed-in user's requests, with decisions, allocations and usage.
#[utoipa::path(get, path = "/api/v1/requests/mine", tag = "allocation",
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "Own requests, newest first", body = Vec<MyRequest>),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError)))]
pub async fn get_mine(State(state): State<AppState>, session: Session) -> Result<Json<Vec<MyRequest>>, AppError> {
    let user = require(&session, &state.storage, Action::SubmitRequest).await?;
    Ok(Json(state.storage.requests_of(&user.username).await?))
}

/// Scores a request on the four-criterion rubric. A reviewer from the
/// applicant's organisation is refused (409) and the conflict is recorded.
#[utoipa::path(post, path = "/api/v1/requests/{id}/reviews", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"), ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = ReviewInput,
    security(("session" = ["reviewer", "committee", "admin"])),
    responses((status = 200, description = "The stored review", body = Review),
              (status = 400, description = "Invalid scores or comment", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a reviewer", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError),
              (status = 409, description = "Conflict of interest (recorded), already reviewed, or the request is \
                not open for review (decided meanwhile)", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_review(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<ReviewInput>, JsonRejection>,
) -> Result<Json<Review>, AppError> {
    let user = require(&session, &state.storage, Action::Review).await?;
    let Path(id) = id?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let (outcome, round) = state
        .storage
        .on_request(id, |round, request, records| usecase::review(round, request, records, &user, &input, now))
        .await
        .map_err(|e| match e {
            WriteError::Changed("review") => AppError::Clash {
                code: "already_reviewed",
                field: None,
                message: "you have already reviewed this request".into(),
            },
            other => other.into(),
        })?;
    match outcome {
        Outcome::Done(review) => {
            super::announce(&state, &round, ProgrammeChange::Review).await;
            Ok(Json(review))
        }
        Outcome::ConflictOfInterest(coi) => Err(super::committee::coi_refusal(&coi)),
    }
}

/// Every recorded conflict of interest (admins only).
#[utoipa::path(get, path = "/api/v1/admin/conflicts", tag = "allocation",
    security(("session" = ["admin"])),
    responses((status = 200, description = "Conflict-of-interest records", body = Vec<kairr_shared::allocation::CoiRecord>),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin", body = kairr_shared::api::ApiError)))]
pub async fn get_conflicts(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<kairr_shared::allocation::CoiRecord>>, AppError> {
    require(&session, &state.storage, Action::Administer).await?;
    Ok(Json(state.storage.conflicts().await?))
}

/// Changes the signed-in reviewer's own review of a request while the
/// round's review window is open (audited with the review before and after).
#[utoipa::path(put, path = "/api/v1/requests/{id}/reviews/mine", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = ReviewInput,
    security(("session" = ["reviewer", "committee", "admin"])),
    responses((status = 200, description = "The changed review", body = Review),
              (status = 400, description = "Invalid scores or comment (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a reviewer, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError),
              (status = 409, description = "No review of yours, the review window has closed, the request is \
                decided, or the review changed meanwhile", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn put_my_review(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<ReviewInput>, JsonRejection>,
) -> Result<Json<Review>, AppError> {
    let user = require(&session, &state.storage, Action::Review).await?;
    let Path(id) = id?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let (review, round) = state
        .storage
        .on_request(id, |round, request, records| usecase::edit_review(round, request, records, &user, &input, now))
        .await?;
    super::announce(&state, &round, ProgrammeChange::Review).await;
    Ok(Json(review))
}
