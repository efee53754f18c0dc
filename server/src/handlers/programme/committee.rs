//! Committee endpoints: overview, request queue, proposal and adjustments, decisions.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use kairr_shared::allocation::{
    capacity_left, propose, request_page, Allocation, AllocationId, AuditAction, AuditSubject, Candidate, Decision,
    DecisionError, DecisionRequest, IdlePolicy, OverviewInput, Proposal, ProposalConfig, RequestPage, RequestQuery,
    RoundOverview,
};
use kairr_shared::auth::Action;
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::programme::AuditRecord;
use crate::replica::ProgrammeChange;
use crate::state::AppState;

use super::{records, today, RoundQuery};

/// Capacity, requested, awarded, used and idle per pool; shares by sector and region; timeline; fairness.
#[utoipa::path(get, path = "/api/v1/committee/overview", tag = "allocation", params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The committee overview", body = RoundOverview),
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
    let input = OverviewInput {
        round,
        requests: &rec.requests,
        allocations: &rec.allocations,
        usage: &rec.usage,
        today: today(),
        idle: IdlePolicy::default(),
    };
    Ok(Json(RoundOverview::build(&input)))
}

/// The proposed allocation of the round: weighted DRF progressive filling under capacity, gates and caps.
#[utoipa::path(get, path = "/api/v1/committee/proposal", tag = "allocation", params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The proposal with its fairness figures", body = Proposal),
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
    let candidates = Candidate::all(&rec.requests, &rec.reviews);
    Ok(Json(propose(round, &candidates, &ProposalConfig::default())))
}

/// The request queue of a round: filters, sorting, pagination.
#[utoipa::path(get, path = "/api/v1/committee/requests", tag = "allocation", params(RequestQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "One page of requests", body = RequestPage),
              (status = 400, description = "Invalid filter", body = kairr_shared::api::ApiError),
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
#[utoipa::path(post, path = "/api/v1/committee/requests/{id}/decision", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"), ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = DecisionRequest,
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The decision", body = Decision),
              (status = 400, description = "Invalid decision, not under review, or over capacity", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError)))]
pub async fn post_decision(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<DecisionRequest>, JsonRejection>,
) -> Result<Json<Decision>, AppError> {
    let user = require(&session, &state.storage, Action::Decide).await?;
    let Path(id) = id?;
    let Json(DecisionRequest { decision: input, period }) = body?;
    let Some(mut request) = state.storage.request(id).await? else {
        return Err(AppError::NotFound(format!("request {id}")));
    };
    let now = chrono::Utc::now();
    let rec = records(&state, &RoundQuery { round: Some(request.round.0.clone()) }).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
    let granted = period.parse(&request, round);
    let decision = match (input.parse(&request, &user.username, now), granted.clone()) {
        (Ok(d), Ok(_)) => d,
        (Err(DecisionError::NotUnderReview(t)), _) => {
            return Err(AppError::BadParameter { field: "kind", message: t.to_string() })
        }
        (Err(DecisionError::Invalid(mut f)), p) => {
            f.0.extend(p.err().map(|e| e.0).unwrap_or_default());
            return Err(AppError::InvalidInput(f));
        }
        (Ok(_), Err(p)) => return Err(AppError::InvalidInput(p)),
    };
    let (start, end) = granted.map_err(AppError::InvalidInput)?;
    if decision.amount > capacity_left(round, &rec.allocations, &request.pool) {
        return Err(AppError::BadParameter {
            field: "amount",
            message: "more than the pool has left in this round".into(),
        });
    }
    let before = serde_json::to_value(&request).ok();
    request
        .transition(decision.kind.state())
        .map_err(|t| AppError::BadParameter { field: "kind", message: t.to_string() })?;
    let allocation = if decision.amount > 0 {
        let aid = AllocationId(state.storage.next_allocation_id().await?);
        Some(Allocation::from_decision(aid, &request, &decision, round).map_err(anyhow::Error::from)?.over(start, end))
    } else {
        None
    };
    let mut audit = vec![AuditRecord {
        actor: &user.username,
        action: AuditAction::DecisionRecorded,
        subject: AuditSubject::Request(request.id),
        before,
        after: serde_json::to_value(&decision).ok(),
        at: now,
    }];
    if let Some(a) = &allocation {
        audit.push(AuditRecord {
            actor: &user.username,
            action: AuditAction::AllocationCreated,
            subject: AuditSubject::Allocation(a.id),
            before: None,
            after: serde_json::to_value(a).ok(),
            at: now,
        });
    }
    state.storage.record_decision(&request, &decision, allocation.as_ref(), &audit).await?;
    super::announce(&state, &request.round.0, ProgrammeChange::Decision).await;
    tracing::info!(request = id, kind = decision.kind.as_str(), by = user.username, "decision recorded");
    Ok(Json(decision))
}

/// Body of a proposal adjustment: the committee's changes, applied in order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AdjustBody {
    pub round: Option<String>,
    pub adjustments: Vec<kairr_shared::allocation::Adjustment>,
}

/// The adjusted proposal and how each change moved the fairness figures.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Adjusted {
    pub proposal: Proposal,
    pub changes: Vec<kairr_shared::allocation::FairnessChange>,
}

/// Applies the committee's adjustments to the proposal (nothing is stored until decided).
#[utoipa::path(post, path = "/api/v1/committee/proposal/adjust", tag = "allocation",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = AdjustBody,
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "Adjusted proposal with fairness before/after each change", body = Adjusted),
              (status = 400, description = "An adjustment breaks a rule (names its index)", body = kairr_shared::api::ApiError),
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
    let mut proposal = propose(round, &Candidate::all(&rec.requests, &rec.reviews), &ProposalConfig::default());
    let mut changes = Vec::with_capacity(body.adjustments.len());
    for (i, adj) in body.adjustments.into_iter().enumerate() {
        let change = proposal
            .apply_adjustment(round, adj)
            .map_err(|e| AppError::BadParameter { field: "adjustments", message: format!("adjustments[{i}]: {e}") })?;
        changes.push(change);
    }
    Ok(Json(Adjusted { proposal, changes }))
}
