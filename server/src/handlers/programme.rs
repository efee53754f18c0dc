//! The allocation programme: the public transparency page, the committee's
//! overview, queue, proposal, decisions and exports, and researchers'
//! requests and reviews. Every protected endpoint checks the caller's role
//! through `auth::require`.

mod admin;
mod adopt;
mod assignments;
mod committee;
mod detail;
mod export;
mod open;
mod researcher;

pub use admin::*;
pub use adopt::*;
pub use assignments::*;
pub use committee::*;
pub use detail::*;
pub use export::*;
pub use open::*;
pub use researcher::*;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::Json;
use kairr_shared::allocation::{PublicRound, PublishedRound, RoundStage};
use kairr_shared::api::DataSource;
use serde::Deserialize;

use crate::error::AppError;
use crate::programme::RoundRecords;
use crate::replica::{ProgrammeChange, ProgrammeEvent};
use crate::state::AppState;

/// `?round=` (the newest round when absent).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundQuery {
    /// Round id, e.g. `2026-1`.
    pub round: Option<String>,
}

/// A round id from a query string, checked before it reaches the database:
/// at most 64 characters and no control characters (PostgreSQL refuses NUL in text).
pub(crate) fn round_param(id: &str) -> Result<&str, AppError> {
    if id.chars().count() > 64 || id.chars().any(char::is_control) {
        return Err(AppError::BadParameter { field: "round", message: "not a round id".into() });
    }
    Ok(id)
}

pub(crate) async fn records(state: &AppState, q: &RoundQuery) -> Result<RoundRecords, AppError> {
    let id = match &q.round {
        Some(id) => round_param(id)?.to_owned(),
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

/// Tells SSE clients of every replica that round `round` changed.
pub(crate) async fn announce(state: &AppState, round: &str, change: ProgrammeChange) {
    if let Ok(mut cache) = state.public_cache.lock() {
        cache.clear();
    }
    state.bus.publish(ProgrammeEvent { round: round.to_owned(), change, at: chrono::Utc::now() }).await;
}

pub(crate) fn today() -> chrono::NaiveDate {
    kairr_shared::time::kst_day(chrono::Utc::now().timestamp())
}

/// Anonymised aggregates of a published round and its awarded projects (no reviews, nothing from rejected
/// requests); without `?round=`, the newest published round.
#[utoipa::path(get, path = "/api/v1/allocations/public", tag = "allocation", params(RoundQuery),
    responses((status = 200, description = "The public page of the round", body = PublicRound),
              (status = 400, description = "Unknown round", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such published round", body = kairr_shared::api::ApiError)))]
pub async fn get_public(
    State(state): State<AppState>,
    Query(q): Query<RoundQuery>,
) -> Result<Json<PublicRound>, AppError> {
    Ok(Json(PublicRound::clone(&*public_round(&state, q).await?)))
}

/// The public page of the round `q` names, built at most once per
/// [`PUBLIC_CACHE_TTL`] per round (the API and the page's first view share it).
pub async fn public_round(state: &AppState, q: RoundQuery) -> Result<Arc<PublicRound>, AppError> {
    let key = q.round.clone();
    if let Some(page) =
        state.public_cache.lock().ok().and_then(|c| {
            c.get(&key).filter(|(at, _)| at.elapsed() < PUBLIC_CACHE_TTL).map(|(_, page)| Arc::clone(page))
        })
    {
        return Ok(page);
    }
    let page = Arc::new(build_public(state, q).await?);
    if let Ok(mut cache) = state.public_cache.lock() {
        cache.insert(key, (Instant::now(), Arc::clone(&page)));
    }
    Ok(page)
}

/// How long a built public page is served before it is built again.
const PUBLIC_CACHE_TTL: Duration = Duration::from_secs(5);

/// Builds the public page of the published round `q` names (the newest published round by default);
/// only demo rounds carry the demo label.
async fn build_public(state: &AppState, mut q: RoundQuery) -> Result<PublicRound, AppError> {
    if q.round.is_none() {
        q.round = state.storage.public_round_id().await?;
    }
    let rec = records(state, &q).await?;
    // Awards are public once the round is published, not at each decision.
    let Some(round) = rec.round.as_ref().filter(|r| r.stage == RoundStage::Published) else {
        return Err(AppError::NotFound("no published round".into()));
    };
    let demo = state.storage.rounds().await?.iter().any(|r| r.round.id == round.id && r.demo);
    let mut page = PublicRound::build(round, &rec.requests, &rec.allocations, demo.then_some(DataSource::Demo))
        .with_recent_use(round, &rec.allocations, &rec.usage, today());
    page.published = state.storage.published_rounds().await?.iter().map(PublishedRound::from).collect();
    Ok(page)
}
