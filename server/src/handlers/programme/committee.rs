//! Committee endpoints: overview, request queue, proposal and adjustments, decisions.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use kairr_shared::allocation::usecase::{self, DecisionContext, Outcome};
use kairr_shared::allocation::{
    propose, request_page, Candidate, Decision, DecisionRequest, IdlePolicy, OverviewInput, Proposal, ProposalConfig,
    RequestPage, RequestQuery, RoundOverview,
};
use kairr_shared::api::{AdjustBody, Adjusted};
use kairr_shared::auth::Action;
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::replica::ProgrammeChange;
use crate::state::AppState;

use super::{records, today, RoundQuery};

/// Capacity, requested, awarded, used and idle per pool; shares by sector and region; timeline; fairness.
#[utoipa::path(get, path = "/api/v1/committee/overview", tag = "allocation", params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The committee overview", body = RoundOverview),
              (status = 400, description = "Unknown round", body = kairr_shared::api::ApiError),
              (status = 404, description = "No round yet", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_overview(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<RoundQuery>,
) -> Result<Json<RoundOverview>, AppError> {
    require(&session, &state.storage, Action::ViewCommittee).await?;
    let rec = records(&state, &q).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
    let rounds = state.storage.rounds().await?;
    let demo = rounds.iter().any(|r| r.round.id == round.id && r.demo);
    let metering = crate::provision::metering(&state.storage, &state.settings, demo).await?;
    let input = OverviewInput {
        round,
        requests: &rec.requests,
        allocations: &rec.allocations,
        usage: &rec.usage,
        today: today(),
        idle: IdlePolicy::default(),
        metering: &metering,
    };
    let mut overview = RoundOverview::build(&input);
    overview.source = demo.then_some(kairr_shared::api::DataSource::Demo);
    overview.rounds = rounds
        .iter()
        .rev()
        .filter(|r| r.round.stage.is_visible())
        .map(|r| kairr_shared::api::RoundListing::new(&r.round, r.demo))
        .collect();
    Ok(Json(overview))
}

/// The proposed allocation of the round: weighted DRF progressive filling under capacity, gates and caps.
#[utoipa::path(get, path = "/api/v1/committee/proposal", tag = "allocation", params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The proposal with its fairness figures", body = Proposal),
              (status = 400, description = "Unknown round", body = kairr_shared::api::ApiError),
              (status = 404, description = "No round yet", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_proposal(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<RoundQuery>,
) -> Result<Json<Proposal>, AppError> {
    require(&session, &state.storage, Action::ViewCommittee).await?;
    let rec = records(&state, &q).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
    let candidates = Candidate::all(&rec.requests, &rec.reviews, &rec.allocations);
    Ok(Json(propose(round, &candidates, &ProposalConfig::default())))
}

/// The request queue of a round: filters, sorting, pagination.
#[utoipa::path(get, path = "/api/v1/committee/requests", tag = "allocation", params(RequestQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "One page of requests", body = RequestPage),
              (status = 400, description = "Invalid filter", body = kairr_shared::api::ApiError),
              (status = 404, description = "No round yet", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_requests(
    State(state): State<AppState>,
    session: Session,
    q: Result<Query<RequestQuery>, QueryRejection>,
) -> Result<Json<RequestPage>, AppError> {
    require(&session, &state.storage, Action::ViewCommittee).await?;
    let Query(q) = q?;
    let filter = q.parse().map_err(AppError::InvalidInput)?;
    let rec = records(&state, &RoundQuery { round: q.round.clone() }).await?;
    Ok(Json(request_page(&rec.requests, &rec.reviews, &rec.decisions, &filter)))
}

/// Records the committee's decision on a request; an award becomes an allocation over the granted
/// period (the period asked unless `period_start`/`period_end` set another inside the round's).
/// Runs as one transaction that re-reads the request and the pool's capacity left.
#[utoipa::path(post, path = "/api/v1/committee/requests/{id}/decision", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"), ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = DecisionRequest,
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The decision", body = Decision),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError),
              (status = 409, description = "Not under review (decided meanwhile), the round not under review, the \
                review window still open (admins may override with a reason), too few reviews, over the pool's \
                capacity left, or a conflict of interest (recorded)", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_decision(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<DecisionRequest>, JsonRejection>,
) -> Result<Json<Decision>, AppError> {
    let user = require(&session, &state.storage, Action::Decide).await?;
    let Path(id) = id?;
    let Json(body) = body?;
    let outcome = state
        .storage
        .decide(id, |round, request, reviews, allocations, allocation_id, now| {
            let ctx = DecisionContext { round, request, reviews, allocations, decider: &user, allocation_id, now };
            usecase::decide(ctx, &body)
        })
        .await?;
    match outcome {
        (Outcome::Done(decision), round) => {
            super::announce(&state, &round, ProgrammeChange::Decision).await;
            tracing::info!(request = id, kind = decision.kind.as_str(), by = user.username, "decision recorded");
            Ok(Json(decision))
        }
        (Outcome::ConflictOfInterest(coi), _) => Err(coi_refusal(&coi)),
    }
}

/// The 409 of a refused review or decision (the conflict is recorded).
pub(super) fn coi_refusal(coi: &kairr_shared::allocation::CoiRecord) -> AppError {
    AppError::Clash {
        code: "conflict_of_interest",
        field: None,
        message: format!(
            "conflict of interest: you applied, or belong to {}, the applicant's organisation",
            coi.organisation
        ),
    }
}

/// Applies the committee's adjustments to the proposal (nothing is stored until decided).
#[utoipa::path(post, path = "/api/v1/committee/proposal/adjust", tag = "allocation",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = AdjustBody,
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "Adjusted proposal with fairness before/after each change", body = Adjusted),
              (status = 400, description = "An adjustment breaks a rule (names its index)", body = kairr_shared::api::ApiError),
              (status = 404, description = "No round yet", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn post_adjust(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<AdjustBody>, JsonRejection>,
) -> Result<Json<Adjusted>, AppError> {
    require(&session, &state.storage, Action::Decide).await?;
    let Json(body) = body?;
    let rec = records(&state, &RoundQuery { round: body.round.clone() }).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
    let (proposal, changes) =
        usecase::adjust(round, &rec.requests, &rec.reviews, &rec.allocations, body.adjustments, &state.catalogue)?;
    Ok(Json(Adjusted { proposal, changes }))
}
