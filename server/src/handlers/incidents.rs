//! `GET /api/v1/incidents`: active and past incidents, maintenance windows.

use axum::extract::State;
use axum::Json;
use kairr_shared::api::{IncidentState, IncidentsResponse, Maintenance, MaintenanceState};
use kairr_shared::sim::maintenance_state;

use crate::error::AppError;
use crate::state::AppState;

/// Days of past incidents listed.
const PAST_DAYS: i64 = 90;
/// Days of upcoming maintenance listed.
const AHEAD_DAYS: i64 = 30;

/// Incidents (with timed updates) and maintenance in progress or planned.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents",
    responses((status = 200, description = "Incidents and maintenance", body = IncidentsResponse)))]
pub async fn get_incidents(State(state): State<AppState>) -> Result<Json<IncidentsResponse>, AppError> {
    Ok(Json(load(&state).await?))
}

/// Incidents of the last [`PAST_DAYS`] and maintenance of the next [`AHEAD_DAYS`], as of now.
pub async fn load(state: &AppState) -> Result<IncidentsResponse, AppError> {
    let now = chrono::Utc::now().timestamp();
    let all = state.storage.incidents_since(now - PAST_DAYS * 86_400).await?;
    let (active, past) = all.into_iter().partition(|i| i.state != IncidentState::Resolved);
    let maintenance = current_maintenance(state, now, now + AHEAD_DAYS * 86_400).await?;
    let source = state.live.borrow().summary.source;
    Ok(IncidentsResponse { active, past, maintenance, source })
}

/// Maintenance overlapping `[from, to)` with its state as of `now`.
pub async fn current_maintenance(state: &AppState, from: i64, to: i64) -> Result<Vec<Maintenance>, AppError> {
    let now = chrono::Utc::now().timestamp();
    let mut windows = state.storage.maintenance_between(from, to).await?;
    for m in &mut windows {
        m.state = maintenance_state(m.starts_at.timestamp(), m.ends_at.timestamp(), now);
    }
    windows.retain(|m| m.state != MaintenanceState::Completed || from < now);
    Ok(windows)
}
