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
use kairr_shared::api::{MyRequest, MyRequestDetail};
use kairr_shared::auth::UserInfo;

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
        .submit(&round_id, &user, &input.team(), |round, facts, id| {
            usecase::submit(round, &user, facts, &input, id, now)
        })
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

/// The signed-in user's request `id` (they applied or co-investigate); 404 for anyone else.
async fn own_request(state: &AppState, user: &UserInfo, id: u64) -> Result<Request, AppError> {
    state
        .storage
        .request(id)
        .await?
        .filter(|r| r.involves(&user.username))
        .ok_or_else(|| AppError::NotFound("request".into()))
}

/// Only the applicant changes or withdraws a request (co-investigators follow it).
async fn applicants_request(state: &AppState, user: &UserInfo, id: u64) -> Result<Request, AppError> {
    let request = own_request(state, user, id).await?;
    if request.applicant != user.username {
        return Err(AppError::Forbidden);
    }
    Ok(request)
}

/// One of the signed-in user's requests (they applied or co-investigate):
/// what came of it, its round and its history.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "allocation",
    params(("id" = u64, Path, description = "Request id (its receipt number)")),
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "The request, its outcome and history", body = MyRequestDetail),
              (status = 400, description = "The id is not a number", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request of yours", body = kairr_shared::api::ApiError)))]
pub async fn get_own_request(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<MyRequestDetail>, AppError> {
    let user = require(&session, &state.storage, Action::SubmitRequest).await?;
    let Path(id) = id?;
    let (mine, round, audit) =
        state.storage.own_request(id, &user.username).await?.ok_or_else(|| AppError::NotFound("request".into()))?;
    let history = kairr_shared::allocation::history(&mine.request, mine.decision.as_ref(), &audit);
    let applicant = mine.request.applicant == user.username;
    let editable = usecase::may_change(&round, &mine.request, &user, chrono::Utc::now());
    Ok(Json(MyRequestDetail { mine, round, history, applicant, editable }))
}

/// The applicant changes their request before the round's submission
/// deadline (audited with the request before and after).
#[utoipa::path(put, path = "/api/v1/requests/{id}", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = RequestInput,
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "The changed request", body = Request),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "A co-investigator, not the applicant; or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request of yours", body = kairr_shared::api::ApiError),
              (status = 409, description = "The submission window has closed, or the request is under review \
                or withdrawn", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn put_own_request(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<RequestInput>, JsonRejection>,
) -> Result<Json<Request>, AppError> {
    let user = require(&session, &state.storage, Action::SubmitRequest).await?;
    let Path(id) = id?;
    let Json(input) = body?;
    applicants_request(&state, &user, id).await?;
    let (request, round) = state
        .storage
        .on_request_naming(id, &input.team(), |round, request, _, accounts, now| {
            usecase::edit_request(round, request, &user, accounts, &input, now)
        })
        .await?;
    super::announce(&state, &round, ProgrammeChange::Request).await;
    Ok(Json(request))
}

/// The applicant withdraws their request before the round's submission
/// deadline: it leaves the round (kept, with its history) and its
/// reviewers' places are freed.
#[utoipa::path(post, path = "/api/v1/requests/{id}/withdraw", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "The withdrawn request", body = Request),
              (status = 400, description = "The id is not a number", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "A co-investigator, not the applicant; or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request of yours", body = kairr_shared::api::ApiError),
              (status = 409, description = "The submission window has closed, or the request is under review \
                or withdrawn already", body = kairr_shared::api::ApiError)))]
pub async fn post_withdraw(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<Request>, AppError> {
    let user = require(&session, &state.storage, Action::SubmitRequest).await?;
    let Path(id) = id?;
    applicants_request(&state, &user, id).await?;
    let (request, round) = state
        .storage
        .on_request(id, |round, request, records, now| usecase::withdraw_request(round, request, records, &user, now))
        .await?;
    super::announce(&state, &round, ProgrammeChange::Request).await;
    tracing::info!(request = id, by = user.username, "request withdrawn");
    Ok(Json(request))
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
    let (outcome, round) = state
        .storage
        .on_request(id, |round, request, records, now| usecase::review(round, request, records, &user, &input, now))
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
    let (review, round) = state
        .storage
        .on_request(id, |round, request, records, now| {
            usecase::edit_review(round, request, records, &user, &input, now)
        })
        .await?;
    super::announce(&state, &round, ProgrammeChange::Review).await;
    Ok(Json(review))
}
