//! The allocation programme: the public transparency page, the committee's
//! overview, queue, proposal, decisions and exports, and researchers'
//! requests and reviews. Every protected endpoint checks the caller's role
//! through `auth::require`.

mod committee;
mod detail;
mod export;
mod open;
mod researcher;

pub use committee::*;
pub use detail::*;
pub use export::*;
pub use open::*;
pub use researcher::*;

use axum::extract::{Query, State};
use axum::Json;
use kairr_shared::allocation::{PublicRound, PublishedRound};
use kairr_shared::api::DataSource;
use serde::Deserialize;

use crate::error::AppError;
use crate::programme::RoundRecords;
use crate::replica::{ProgrammeChange, ProgrammeEvent};
use crate::state::AppState;

/// `?round=` (the newest round when absent).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RoundQuery {
    /// Round id, e.g. `2026-1`.
    pub round: Option<String>,
}

pub(crate) async fn records(state: &AppState, q: &RoundQuery) -> Result<RoundRecords, AppError> {
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

/// Tells SSE clients of every replica that round `round` changed.
pub(crate) async fn announce(state: &AppState, round: &str, change: ProgrammeChange) {
    state.bus.publish(ProgrammeEvent { round: round.to_owned(), change, at: chrono::Utc::now() }).await;
}

pub(crate) fn today() -> chrono::NaiveDate {
    kairr_shared::time::kst_day(chrono::Utc::now().timestamp())
}

/// Anonymised aggregates of a round and its awarded projects (no reviews, nothing from rejected requests);
/// without `?round=`, the newest round with an award.
#[utoipa::path(get, path = "/api/v1/allocations/public", tag = "allocation", params(RoundQuery),
    responses((status = 200, description = "The public page of the round", body = PublicRound),
              (status = 400, description = "Unknown round", body = kairr_shared::api::ApiError)))]
pub async fn get_public(
    State(state): State<AppState>,
    Query(mut q): Query<RoundQuery>,
) -> Result<Json<PublicRound>, AppError> {
    if q.round.is_none() {
        q.round = state.storage.public_round_id().await?;
    }
    let rec = records(&state, &q).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
    let mut page = PublicRound::build(round, &rec.requests, &rec.allocations, Some(DataSource::Demo));
    page.published = state.storage.published_rounds().await?.iter().map(PublishedRound::from).collect();
    Ok(Json(page))
}
