//! The committee's proposal work kept and decided: the adjustment draft is
//! saved per round (so it survives a reload and is shared by the committee),
//! and the proposal is adopted as a batch of decisions, each recorded and
//! audited as a single decision would be.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::Json;
use kairr_shared::allocation::proposal::Adjustment;
use kairr_shared::allocation::usecase::{self, AdoptInput, Adopted, ProposalDraft};
use kairr_shared::api::ProgrammeChange;
use kairr_shared::auth::Action;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::RoundQuery;
use crate::auth::require;
use crate::error::AppError;
use crate::state::AppState;

async fn round_id(state: &AppState, q: Result<Query<RoundQuery>, QueryRejection>) -> Result<String, AppError> {
    let Query(q) = q?;
    match q.round {
        Some(r) => Ok(super::round_param(&r)?.to_owned()),
        None => state.storage.latest_round_id().await?.ok_or_else(|| AppError::NotFound("round".into())),
    }
}

/// The round's saved proposal adjustments (empty when none).
#[utoipa::path(get, path = "/api/v1/committee/proposal/draft", tag = "allocation", params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The saved adjustments", body = ProposalDraft),
              (status = 400, description = "Not a round id", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError),
              (status = 404, description = "No round yet", body = kairr_shared::api::ApiError)))]
pub async fn get_draft(
    State(state): State<AppState>,
    session: Session,
    q: Result<Query<RoundQuery>, QueryRejection>,
) -> Result<Json<ProposalDraft>, AppError> {
    require(&session, &state.storage, Action::ViewCommittee).await?;
    let round = round_id(&state, q).await?;
    Ok(Json(state.storage.proposal_draft(&round).await?))
}

/// `PUT /api/v1/committee/proposal/draft`: the adjustments to keep.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DraftBody {
    pub adjustments: Vec<Adjustment>,
}

/// Saves the round's proposal adjustments, once they apply to its proposal.
#[utoipa::path(put, path = "/api/v1/committee/proposal/draft", tag = "allocation",
    params(RoundQuery, ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = DraftBody,
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The saved draft", body = ProposalDraft),
              (status = 400, description = "An adjustment breaks a rule (names its index)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such round", body = kairr_shared::api::ApiError),
              (status = 409, description = "Changed meanwhile", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn put_draft(
    State(state): State<AppState>,
    session: Session,
    q: Result<Query<RoundQuery>, QueryRejection>,
    body: Result<Json<DraftBody>, JsonRejection>,
) -> Result<Json<ProposalDraft>, AppError> {
    let user = require(&session, &state.storage, Action::Decide).await?;
    let round = round_id(&state, q).await?;
    let Json(body) = body?;
    let draft = state
        .storage
        .on_proposal(&round, false, |f| usecase::save_draft(f.for_command(&user, &state.catalogue), body.adjustments))
        .await?;
    Ok(Json(draft))
}

/// Adopts the round's proposal with the given adjustments: every undecided
/// request gets the decision its line says (an award of the proposed amount,
/// or a rejection), each recorded and audited; lines the caller may not
/// decide are skipped and listed. The draft is removed.
#[utoipa::path(post, path = "/api/v1/committee/proposal/adopt", tag = "allocation",
    params(RoundQuery, ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = AdoptInput,
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "What was decided and what was skipped", body = Adopted),
              (status = 400, description = "No rationale, a bad adjustment, or an admin's missing override reason", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such round", body = kairr_shared::api::ApiError),
              (status = 409, description = "The round is not under review, or its review window is open", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_adopt(
    State(state): State<AppState>,
    session: Session,
    q: Result<Query<RoundQuery>, QueryRejection>,
    body: Result<Json<AdoptInput>, JsonRejection>,
) -> Result<Json<Adopted>, AppError> {
    let user = require(&session, &state.storage, Action::Decide).await?;
    let round = round_id(&state, q).await?;
    let Json(input) = body?;
    let adopted = state
        .storage
        .on_proposal(&round, true, |f| usecase::adopt(f.for_command(&user, &state.catalogue), &input))
        .await?;
    super::announce(&state, &round, ProgrammeChange::Decision).await;
    tracing::info!(
        round,
        awarded = adopted.awarded.len(),
        rejected = adopted.rejected.len(),
        skipped = adopted.skipped.len(),
        by = user.username,
        "proposal adopted"
    );
    Ok(Json(adopted))
}
