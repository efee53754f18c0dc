//! The round open for proposals (public) and what a reviewer may review in it.

use axum::extract::State;
use axum::Json;
use kairr_shared::allocation::{open_round, OpenRound, ReviewAssignments, ReviewRecords, Reviewer};
use kairr_shared::api::DataSource;
use kairr_shared::auth::Action;
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::programme::StoredRound;
use crate::state::AppState;

use super::today;

async fn open(state: &AppState) -> Result<Option<StoredRound>, AppError> {
    let rounds = state.storage.rounds().await?;
    let Some(id) = open_round(rounds.iter().map(|r| &r.round).filter(|r| r.stage.accepts_requests()), today())
        .map(|r| r.id.clone())
    else {
        return Ok(None);
    };
    Ok(rounds.into_iter().find(|r| r.round.id == id))
}

/// The newest round whose requests are being reviewed (open or under review).
async fn in_review(state: &AppState) -> Result<Option<StoredRound>, AppError> {
    let rounds = state.storage.rounds().await?;
    Ok(rounds
        .into_iter()
        .filter(|r| r.round.stage.accepts_reviews())
        .max_by(|a, b| (a.round.opens, &a.round.id.0).cmp(&(b.round.opens, &b.round.id.0))))
}

/// Every round past its draft, newest first: id, titles, stage and windows
/// (what a call announces publicly anyway).
#[utoipa::path(get, path = "/api/v1/rounds", tag = "allocation",
    responses((status = 200, description = "The rounds", body = Vec<kairr_shared::api::RoundListing>)))]
pub async fn get_rounds(State(state): State<AppState>) -> Result<Json<Vec<kairr_shared::api::RoundListing>>, AppError> {
    let rounds = state.storage.rounds().await?;
    Ok(Json(
        rounds
            .iter()
            .rev()
            .filter(|r| r.round.stage.is_visible())
            .map(|r| kairr_shared::api::RoundListing::new(&r.round, r.demo))
            .collect(),
    ))
}

/// The round accepting requests today: dates, allocation period, pools with
/// their unit and capacity, sector targets and policy.
#[utoipa::path(get, path = "/api/v1/rounds/open", tag = "allocation",
    responses((status = 200, description = "The open round", body = OpenRound),
              (status = 404, description = "No round is open", body = kairr_shared::api::ApiError)))]
pub async fn get_open_round(State(state): State<AppState>) -> Result<Json<OpenRound>, AppError> {
    let Some(stored) = open(&state).await? else {
        return Err(AppError::NotFound("no round is open for requests".into()));
    };
    Ok(Json(OpenRound { round: stored.round, source: stored.demo.then_some(DataSource::Demo) }))
}

/// The requests open for review in the newest round being reviewed, with the caller's own reviews
/// and a conflict-of-interest warning where the caller shares the applicant's organisation.
#[utoipa::path(get, path = "/api/v1/reviews/assigned", tag = "allocation",
    security(("session" = ["reviewer", "committee", "admin"])),
    responses((status = 200, description = "Requests to review (empty when no round is open or under review)", body = ReviewAssignments),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a reviewer", body = kairr_shared::api::ApiError)))]
pub async fn get_assigned(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<ReviewAssignments>, AppError> {
    let user = require(&session, &state.storage, Action::Review).await?;
    let reviewer = Reviewer::of(&user);
    let Some(stored) = in_review(&state).await? else {
        return Ok(Json(ReviewAssignments::build(None, ReviewRecords::default(), &reviewer)));
    };
    let rec = state.storage.round_records(&stored.round.id.0).await?;
    let records = ReviewRecords {
        requests: &rec.requests,
        reviews: &rec.reviews,
        assignments: &rec.assignments,
        conflicts: &rec.conflicts,
    };
    Ok(Json(ReviewAssignments::build(Some(stored.round), records, &reviewer)))
}
