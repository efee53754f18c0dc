//! The allocation programme: the public transparency page and the
//! committee's overview, proposal and CSV export. Every committee endpoint
//! checks the caller's role through `auth::require`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kairr_shared::allocation::{
    capacity_left, mean_score, propose, request_page, Allocation, AllocationId, AuditAction, AuditSubject, Candidate,
    Decision, DecisionError, DecisionInput, IdlePolicy, OverviewInput, Proposal, ProposalConfig, PublicRound, Request,
    RequestId, RequestInput, RequestPage, RequestQuery, RequestState, Review, ReviewError, ReviewInput, Reviewer,
    RoundOverview, Submission,
};
use kairr_shared::api::DataSource;
use kairr_shared::auth::Action;
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::programme::{AuditRecord, MyRequest, RoundRecords};
use crate::state::AppState;

/// `?round=` (the newest round when absent).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RoundQuery {
    /// Round id, e.g. `2026-1`.
    pub round: Option<String>,
}

async fn records(state: &AppState, q: &RoundQuery) -> Result<RoundRecords, AppError> {
    let id = match &q.round {
        Some(id) => id.clone(),
        None => state.storage.latest_round_id().await?.ok_or_else(|| AppError::NotFound("no round yet".into()))?,
    };
    let rec = state.storage.round_records(&id).await?;
    if rec.round.is_none() {
        return Err(AppError::BadParameter {
            field: "round",
            message: format!("no round with id {:?}", id.chars().take(40).collect::<String>()),
        });
    }
    Ok(rec)
}

fn today() -> chrono::NaiveDate {
    kairr_shared::time::kst_day(chrono::Utc::now().timestamp())
}

/// Anonymised aggregates of a round and its awarded projects (no reviews, nothing from rejected requests).
#[utoipa::path(get, path = "/api/v1/allocations/public", tag = "allocation", params(RoundQuery),
    responses((status = 200, description = "The public page of the round", body = PublicRound),
              (status = 400, description = "Unknown round", body = kairr_shared::api::ApiError)))]
pub async fn get_public(
    State(state): State<AppState>,
    Query(q): Query<RoundQuery>,
) -> Result<Json<PublicRound>, AppError> {
    let rec = records(&state, &q).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
    Ok(Json(PublicRound::build(round, &rec.requests, &rec.allocations, Some(DataSource::Demo))))
}

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

/// Every request of the round with its mean review score and decision, as CSV.
#[utoipa::path(get, path = "/api/v1/committee/export/requests.csv", tag = "allocation", params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "CSV, one row per request", content_type = "text/csv"),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_requests_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<RoundQuery>,
) -> Result<Response, AppError> {
    require(&session, &state.storage, Action::Export).await?;
    let rec = records(&state, &q).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "round",
        "title_ko",
        "title_en",
        "organisation",
        "sector",
        "region",
        "pool",
        "amount",
        "state",
        "mean_score",
        "decision",
        "awarded",
    ])
    .map_err(anyhow::Error::from)?;
    for r in &rec.requests {
        let decision = rec.decisions.iter().find(|d| d.request == r.id);
        let score = mean_score(r.id, &rec.reviews).map(|s| format!("{s:.2}")).unwrap_or_default();
        let state_name = serde_json::to_string(&r.state).unwrap_or_default().trim_matches('"').to_owned();
        let kind = decision.map(|d| serde_json::to_string(&d.kind).unwrap_or_default().trim_matches('"').to_owned());
        w.write_record([
            r.id.0.to_string(),
            r.round.0.clone(),
            r.title_ko.clone(),
            r.title_en.clone(),
            r.organisation.clone(),
            r.sector.as_str().to_owned(),
            r.region.as_str().to_owned(),
            r.pool.clone(),
            r.amount.to_string(),
            state_name,
            score,
            kind.unwrap_or_default(),
            decision.map(|d| d.amount.to_string()).unwrap_or_default(),
        ])
        .map_err(anyhow::Error::from)?;
    }
    let body = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"kairr-requests.csv\""),
        ],
        body,
    )
        .into_response())
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
    Query(q): Query<RequestQuery>,
) -> Result<Json<RequestPage>, AppError> {
    require(&session, &state.storage, Action::ViewCommittee).await?;
    let filter = q.parse().map_err(AppError::InvalidInput)?;
    let rec = records(&state, &RoundQuery { round: q.round.clone() }).await?;
    Ok(Json(request_page(&rec.requests, &rec.reviews, &rec.decisions, &filter)))
}

/// Records the committee's decision on a request; an award becomes an allocation.
#[utoipa::path(post, path = "/api/v1/committee/requests/{id}/decision", tag = "allocation",
    params(("id" = u64, Path, description = "Request id"), ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = DecisionInput,
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The decision", body = Decision),
              (status = 400, description = "Invalid decision, not under review, or over capacity", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError)))]
pub async fn post_decision(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<u64>,
    body: Result<Json<DecisionInput>, JsonRejection>,
) -> Result<Json<Decision>, AppError> {
    let user = require(&session, &state.storage, Action::Decide).await?;
    let Json(input) = body?;
    let Some(mut request) = state.storage.request(id).await? else {
        return Err(AppError::NotFound(format!("request {id}")));
    };
    let now = chrono::Utc::now();
    let decision = input.parse(&request, &user.username, now).map_err(|e| match e {
        DecisionError::Invalid(f) => AppError::InvalidInput(f),
        DecisionError::NotUnderReview(t) => AppError::BadParameter { field: "kind", message: t.to_string() },
    })?;
    let rec = records(&state, &RoundQuery { round: Some(request.round.0.clone()) }).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
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
        Some(Allocation::from_decision(aid, &request, &decision, round).map_err(anyhow::Error::from)?)
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
    tracing::info!(request = id, kind = decision.kind.as_str(), by = user.username, "decision recorded");
    Ok(Json(decision))
}

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
    Path(id): Path<u64>,
    body: Result<Json<ReviewInput>, JsonRejection>,
) -> Result<Json<Review>, AppError> {
    let user = require(&session, &state.storage, Action::Review).await?;
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

fn csv_response(name: &str, header_row: &[&str], rows: Vec<Vec<String>>) -> Result<Response, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header_row).map_err(anyhow::Error::from)?;
    for row in rows {
        w.write_record(row).map_err(anyhow::Error::from)?;
    }
    let body = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

/// Every review of the round (scores and comments) as CSV.
#[utoipa::path(get, path = "/api/v1/committee/export/reviews.csv", tag = "allocation", params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "CSV, one row per review", content_type = "text/csv"),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_reviews_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<RoundQuery>,
) -> Result<Response, AppError> {
    require(&session, &state.storage, Action::Export).await?;
    let rec = records(&state, &q).await?;
    let rows = rec
        .reviews
        .iter()
        .map(|r| {
            let s = &r.rubric;
            vec![
                r.request.0.to_string(),
                r.reviewer.clone(),
                r.reviewer_organisation.clone(),
                s.technical_merit.get().to_string(),
                s.impact.get().to_string(),
                s.ecosystem.get().to_string(),
                s.team_readiness.get().to_string(),
                r.comment.clone(),
                r.at.to_rfc3339(),
            ]
        })
        .collect();
    let head = [
        "request",
        "reviewer",
        "reviewer_organisation",
        "technical_merit",
        "impact",
        "ecosystem",
        "team_readiness",
        "comment",
        "at",
    ];
    csv_response("kairr-reviews.csv", &head, rows)
}

/// Every allocation of the round as CSV.
#[utoipa::path(get, path = "/api/v1/committee/export/allocations.csv", tag = "allocation", params(RoundQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "CSV, one row per allocation", content_type = "text/csv"),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_allocations_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<RoundQuery>,
) -> Result<Response, AppError> {
    require(&session, &state.storage, Action::Export).await?;
    let rec = records(&state, &q).await?;
    let rows = rec
        .allocations
        .iter()
        .map(|a| {
            let org =
                rec.requests.iter().find(|r| r.id == a.request).map(|r| r.organisation.clone()).unwrap_or_default();
            let unit = serde_json::to_string(&a.unit).unwrap_or_default().trim_matches('"').to_owned();
            vec![
                a.id.0.to_string(),
                a.request.0.to_string(),
                org,
                a.pool.clone(),
                unit,
                a.amount.to_string(),
                a.gpus.map(|g| g.to_string()).unwrap_or_default(),
                a.start.to_string(),
                a.end.to_string(),
            ]
        })
        .collect();
    let head = ["allocation", "request", "organisation", "pool", "unit", "amount", "gpus", "start", "end"];
    csv_response("kairr-allocations.csv", &head, rows)
}
