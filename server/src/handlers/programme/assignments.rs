//! Reviewer assignment (committee and admins): who reviews what in a round
//! and how far they are, automatic assignment of the free places, a place
//! given or taken by hand; and the reviewer's own declaration of a conflict.
//! Each change is one use case of `kairr_shared::allocation::assignment` run
//! in the round's write transaction, audited, and announced over SSE.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use kairr_shared::allocation::assignment::{self, Assignment, AutoAssigned, ConflictDeclaration, RoundReviewing};
use kairr_shared::allocation::{CoiRecord, RequestId};
use kairr_shared::api::ProgrammeChange;
use kairr_shared::auth::{valid_username, Action};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::RoundQuery;
use crate::auth::require;
use crate::error::AppError;
use crate::state::AppState;

async fn round_of(state: &AppState, q: Result<Query<RoundQuery>, QueryRejection>) -> Result<String, AppError> {
    let Query(q) = q?;
    match q.round {
        Some(r) => Ok(super::round_param(&r)?.to_owned()),
        None => state.storage.newest_round_id().await?.ok_or_else(|| AppError::NotFound("round".into())),
    }
}

/// Who reviews what in a round: each request's places (reviewed, pending or
/// declined) against the number the round asks for, and each reviewer's load.
#[utoipa::path(get, path = "/api/v1/committee/assignments", tag = "allocation",
    params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The round's reviewing", body = RoundReviewing),
              (status = 400, description = "Not a round id", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not on the committee", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such round", body = kairr_shared::api::ApiError)))]
pub async fn get_assignments(
    State(state): State<AppState>,
    session: Session,
    q: Result<Query<RoundQuery>, QueryRejection>,
) -> Result<Json<RoundReviewing>, AppError> {
    require(&session, &state.storage, Action::AssignReviewers).await?;
    let round = round_of(&state, q).await?;
    let view = state.storage.round_reviewing(&round).await?.ok_or_else(|| AppError::NotFound("round".into()))?;
    Ok(Json(view))
}

/// Fills every open request's free places: expertise first, then the
/// lightest load; nobody from the applicant's organisation, nobody who
/// declared a conflict. Requests left short are listed.
#[utoipa::path(post, path = "/api/v1/committee/assignments/auto", tag = "allocation",
    params(RoundQuery, ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "Places filled and requests still short", body = AutoAssigned),
              (status = 400, description = "Not a round id", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not on the committee, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such round", body = kairr_shared::api::ApiError),
              (status = 409, description = "The round takes no reviews", body = kairr_shared::api::ApiError)))]
pub async fn post_auto_assign(
    State(state): State<AppState>,
    session: Session,
    q: Result<Query<RoundQuery>, QueryRejection>,
) -> Result<Json<AutoAssigned>, AppError> {
    let user = require(&session, &state.storage, Action::AssignReviewers).await?;
    let round = round_of(&state, q).await?;
    let now = chrono::Utc::now();
    let done = state.storage.on_assignments(&round, |facts| assignment::auto_assign(facts, &user, now)).await?;
    super::announce(&state, &round, ProgrammeChange::Assignment).await;
    tracing::info!(round, assigned = done.assigned, short = done.short.len(), by = user.username, "reviewers assigned");
    Ok(Json(done))
}

/// `POST /api/v1/committee/requests/{id}/assignments`: the reviewer to assign.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssignBody {
    pub reviewer: String,
}

async fn request_round(state: &AppState, id: u64) -> Result<String, AppError> {
    state.storage.round_of_request(id).await?.ok_or_else(|| AppError::NotFound("request".into()))
}

/// Gives a reviewer a place on a request by hand.
#[utoipa::path(post, path = "/api/v1/committee/requests/{id}/assignments", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = AssignBody,
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The place", body = Assignment),
              (status = 400, description = "Bad id or body", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not on the committee, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError),
              (status = 409, description = "Not an enabled reviewer, a conflict of interest, already assigned or \
                reviewed, or the round takes no reviews", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_assignment(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<AssignBody>, JsonRejection>,
) -> Result<Json<Assignment>, AppError> {
    let user = require(&session, &state.storage, Action::AssignReviewers).await?;
    let Path(id) = id?;
    let Json(body) = body?;
    let round = request_round(&state, id).await?;
    let now = chrono::Utc::now();
    let reviewer = body.reviewer.trim();
    let place = state
        .storage
        .on_assignments(&round, |facts| assignment::assign(facts, RequestId(id), reviewer, &user, now))
        .await?;
    super::announce(&state, &round, ProgrammeChange::Assignment).await;
    Ok(Json(place))
}

/// Takes a reviewer's place on a request away (not once they reviewed it).
#[utoipa::path(delete, path = "/api/v1/committee/requests/{id}/assignments/{reviewer}", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"),
           ("reviewer" = String, Path, description = "The reviewer's username"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["committee", "admin"])),
    responses((status = 204, description = "Removed"),
              (status = 400, description = "Bad id or username", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not on the committee, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError),
              (status = 409, description = "No such place, or reviewed already", body = kairr_shared::api::ApiError)))]
pub async fn delete_assignment(
    State(state): State<AppState>,
    session: Session,
    path: Result<Path<(u64, String)>, PathRejection>,
) -> Result<axum::http::StatusCode, AppError> {
    let user = require(&session, &state.storage, Action::AssignReviewers).await?;
    let Path((id, reviewer)) = path?;
    if !valid_username(&reviewer) {
        return Err(AppError::BadParameter { field: "reviewer", message: "not a username".into() });
    }
    let round = request_round(&state, id).await?;
    let now = chrono::Utc::now();
    state
        .storage
        .on_assignments(&round, |facts| assignment::unassign(facts, RequestId(id), &reviewer, &user, now))
        .await?;
    super::announce(&state, &round, ProgrammeChange::Assignment).await;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The signed-in reviewer declares a conflict of interest on a request, with
/// a reason: recorded, their place (if any) freed for another reviewer, and
/// they may not review it.
#[utoipa::path(post, path = "/api/v1/requests/{id}/conflict", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = ConflictDeclaration,
    security(("session" = ["reviewer", "committee", "admin"])),
    responses((status = 200, description = "The recorded conflict", body = CoiRecord),
              (status = 400, description = "No reason given", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a reviewer, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError),
              (status = 409, description = "Reviewed already, or the round takes no reviews", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_conflict(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<ConflictDeclaration>, JsonRejection>,
) -> Result<Json<CoiRecord>, AppError> {
    let user = require(&session, &state.storage, Action::Review).await?;
    let Path(id) = id?;
    let Json(input) = body?;
    let (record, round) = state
        .storage
        .on_request(id, |round, request, records, now| {
            let place = records.assignments.iter().find(|a| a.reviewer == user.username);
            let reviewed = records.reviews.iter().any(|r| r.reviewer == user.username);
            assignment::declare_conflict(round, request, place, reviewed, &user, &input, now)
        })
        .await?;
    super::announce(&state, &round, ProgrammeChange::Assignment).await;
    tracing::info!(request = id, by = user.username, "conflict of interest declared");
    Ok(Json(record))
}
