//! The administration of rounds (admins only): list them with their
//! progress, create one (a draft), change it, move it to its next stage.
//! Each change is one use case of `kairr_shared::allocation::usecase` run in
//! one transaction, audited; the stage gates what applicants, reviewers and
//! the committee may do.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::Json;
use kairr_shared::allocation::usecase::{self, PeriodChange, StageChange};
use kairr_shared::allocation::{Round, RoundInput};
use kairr_shared::api::{AdminRound, ProgrammeChange};
use kairr_shared::auth::Action;
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::state::AppState;

/// Every round, newest first, with its stage, requests, undecided requests and awards per pool.
#[utoipa::path(get, path = "/api/v1/admin/rounds", tag = "administration",
    security(("session" = ["admin"])),
    responses((status = 200, description = "Every round", body = Vec<AdminRound>),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin", body = kairr_shared::api::ApiError)))]
pub async fn get_admin_rounds(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<AdminRound>>, AppError> {
    require(&session, &state.storage, Action::Administer).await?;
    Ok(Json(state.storage.admin_rounds().await?))
}

/// Creates a round as a draft (titles in both languages, submission and
/// review windows, allocation period, pools with unit and capacity, sector
/// targets, policy). Copying a round is this call with the copied form.
#[utoipa::path(post, path = "/api/v1/admin/rounds", tag = "administration",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = RoundInput,
    security(("session" = ["admin"])),
    responses((status = 200, description = "The new round, a draft", body = Round),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 409, description = "A round with this id exists", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_admin_round(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<RoundInput>, JsonRejection>,
) -> Result<Json<Round>, AppError> {
    let user = require(&session, &state.storage, Action::Administer).await?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let id = super::round_param(input.id.trim())?.to_owned();
    let round = state
        .storage
        .create_round(&id, |exists| usecase::create_round(&input, &state.catalogue, exists, &user, now))
        .await?;
    super::announce(&state, &round.id.0, ProgrammeChange::Round).await;
    tracing::info!(round = round.id.0, by = user.username, "round created");
    Ok(Json(round))
}

/// Changes a round (not its id or stage). A published round is final; a pool
/// with requests stays offered in its unit; capacity never drops below what
/// is awarded.
#[utoipa::path(put, path = "/api/v1/admin/rounds/{id}", tag = "administration",
    params(("id" = String, Path, description = "Round id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = RoundInput,
    security(("session" = ["admin"])),
    responses((status = 200, description = "The changed round", body = Round),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such round", body = kairr_shared::api::ApiError),
              (status = 409, description = "Published, a pool in use removed or its unit changed, capacity below \
                what is awarded, or changed meanwhile", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn put_admin_round(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<RoundInput>, JsonRejection>,
) -> Result<Json<Round>, AppError> {
    let user = require(&session, &state.storage, Action::Administer).await?;
    let Path(id) = id?;
    let id = super::round_param(&id)?;
    let Json(input) = body?;
    let round = state
        .storage
        .on_round(id, |facts, now| usecase::update_round(facts, &input, &state.catalogue, &user, now))
        .await?;
    super::announce(&state, &round.id.0, ProgrammeChange::Round).await;
    tracing::info!(round = round.id.0, by = user.username, "round changed");
    Ok(Json(round))
}

/// Moves a round to its next stage (draft → open → under review → decided →
/// published), as confirmed: `from` is the stage the admin saw.
#[utoipa::path(post, path = "/api/v1/admin/rounds/{id}/stage", tag = "administration",
    params(("id" = String, Path, description = "Round id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = StageChange,
    security(("session" = ["admin"])),
    responses((status = 200, description = "The round in its new stage", body = Round),
              (status = 400, description = "Invalid body", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such round", body = kairr_shared::api::ApiError),
              (status = 409, description = "The round moved meanwhile, the stage is not the next one, or requests \
                wait for a decision", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_round_stage(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<StageChange>, JsonRejection>,
) -> Result<Json<Round>, AppError> {
    let user = require(&session, &state.storage, Action::Administer).await?;
    let Path(id) = id?;
    let id = super::round_param(&id)?;
    let Json(change) = body?;
    let round = state.storage.on_round(id, |facts, now| usecase::advance_round(facts, change, &user, now)).await?;
    super::announce(&state, &round.id.0, ProgrammeChange::Round).await;
    tracing::info!(round = round.id.0, stage = round.stage.as_str(), by = user.username, "round stage changed");
    Ok(Json(round))
}

/// Ends, shortens, extends or moves an allocation's period (its award stays):
/// a started allocation keeps its first day, the new last day is not before
/// yesterday (KST; yesterday ends it now), the period stays inside the
/// round's. Audited with the reason; its holders are told; the schedulers
/// follow (the provisioning pass closes, opens or re-limits the account).
#[utoipa::path(post, path = "/api/v1/admin/allocations/{id}/period", tag = "administration",
    params(("id" = u64, Path, description = "Allocation id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = PeriodChange,
    security(("session" = ["admin"])),
    responses((status = 200, description = "The allocation over its new period", body = kairr_shared::allocation::Allocation),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such allocation (demo allocations cannot change)", body = kairr_shared::api::ApiError),
              (status = 409, description = "Changed meanwhile", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_allocation_period(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<PeriodChange>, JsonRejection>,
) -> Result<Json<kairr_shared::allocation::Allocation>, AppError> {
    let user = require(&session, &state.storage, Action::Administer).await?;
    let Path(id) = id?;
    let Json(input) = body?;
    let (allocation, round) = state
        .storage
        .on_allocation(id, |round, request, allocation, now| {
            usecase::change_period(round, request, allocation, &user, &input, now)
        })
        .await?;
    super::announce(&state, &round, ProgrammeChange::Allocation).await;
    tracing::info!(allocation = id, start = %allocation.start, end = %allocation.end, by = user.username, "allocation period changed");
    Ok(Json(allocation))
}
