//! Researchers submit and follow requests; reviewers score them; admins see conflicts of interest.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use kairr_shared::allocation::{
    AuditAction, AuditSubject, Request, RequestId, RequestInput, RequestState, Review, ReviewError, ReviewInput,
    Reviewer, Submission,
};
use kairr_shared::auth::Action;
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::programme::{AuditRecord, MyRequest};
use crate::replica::ProgrammeChange;
use crate::state::AppState;

use super::{records, RoundQuery};

/// `?round=` of a submission (the newest round when absent).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError)))]
pub async fn post_request(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<SubmitQuery>,
    body: Result<Json<RequestInput>, JsonRejection>,
) -> Result<Json<Request>, AppError> {
    let user = require(&session, &state.storage, Action::SubmitRequest).await?;
    let Json(input) = body?;
    let round_id = match q.round {
        Some(r) => Some(r),
        None => state.storage.newest_round_id().await?,
    };
    let rec = records(&state, &RoundQuery { round: round_id }).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
    let now = chrono::Utc::now();
    let id = RequestId(state.storage.next_request_id().await?);
    let request = input
        .parse(round, Submission { id, applicant: user.username.clone(), at: now })
        .map_err(AppError::InvalidInput)?;
    let audit = AuditRecord {
        actor: &user.username,
        action: AuditAction::RequestSubmitted,
        subject: AuditSubject::Request(request.id),
        before: None,
        after: serde_json::to_value(&request).ok(),
        at: now,
    };
    state.storage.insert_request(&request, &audit).await?;
    super::announce(&state, &request.round.0, ProgrammeChange::Request).await;
    tracing::info!(request = request.id.0, by = user.username, "request submitted");
    Ok(Json(request))
}

/// The signed-in user's requests, with decisions, allocations and usage.
#[utoipa::path(get, path = "/api/v1/requests/mine", tag = "allocation",
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "Own requests, newest first", body = Vec<crate::programme::MyRequest>),
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
              (status = 400, description = "Invalid scores or comment, or the request is not open for review", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a reviewer", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError),
              (status = 409, description = "Conflict of interest, or already reviewed", body = kairr_shared::api::ApiError)))]
pub async fn post_review(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<ReviewInput>, JsonRejection>,
) -> Result<Json<Review>, AppError> {
    let user = require(&session, &state.storage, Action::Review).await?;
    let Path(id) = id?;
    let Json(input) = body?;
    let Some(mut request) = state.storage.request(id).await? else {
        return Err(AppError::NotFound(format!("request {id}")));
    };
    let now = chrono::Utc::now();
    let reviewer = Reviewer { username: user.username.clone(), organisation: user.organisation.clone() };
    let review = match input.parse(&request, &reviewer, now) {
        Ok(r) => r,
        Err(ReviewError::ConflictOfInterest(coi)) => {
            let audit = AuditRecord {
                actor: &user.username,
                action: AuditAction::ConflictOfInterestRecorded,
                subject: AuditSubject::Request(request.id),
                before: None,
                after: serde_json::to_value(&coi).ok(),
                at: now,
            };
            state.storage.insert_conflict(&coi, &audit).await?;
            return Err(AppError::Conflict(format!(
                "conflict of interest: you belong to {}, the applicant's organisation",
                coi.organisation
            )));
        }
        Err(ReviewError::NotOpenForReview(s)) => {
            return Err(AppError::BadParameter {
                field: "id",
                message: format!("request is {}, not open for review", s.as_str()),
            })
        }
        Err(ReviewError::Invalid(f)) => return Err(AppError::InvalidInput(f)),
    };
    let before = serde_json::to_value(&request).ok();
    if request.state == RequestState::Submitted {
        request
            .transition(RequestState::UnderReview)
            .map_err(|t| AppError::BadParameter { field: "id", message: t.to_string() })?;
    }
    let audit = AuditRecord {
        actor: &user.username,
        action: AuditAction::ReviewSubmitted,
        subject: AuditSubject::Request(request.id),
        before,
        after: serde_json::to_value(&review).ok(),
        at: now,
    };
    if !state.storage.insert_review(&review, &request, &audit).await? {
        return Err(AppError::Conflict("you have already reviewed this request".into()));
    }
    super::announce(&state, &request.round.0, ProgrammeChange::Review).await;
    Ok(Json(review))
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
