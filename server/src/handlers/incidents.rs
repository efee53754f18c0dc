//! `GET /api/v1/incidents`: active and past incidents, maintenance windows;
//! `GET /api/v1/incidents/{id}` and `GET /api/v1/maintenance/{id}`: one of
//! them, as its permalink page (`crate::history_pages`) shows it.

use axum::extract::{Path, State};
use axum::Json;
use kairr_shared::api::{Incident, IncidentState, IncidentsResponse, Maintenance, MaintenanceState};
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
    let past_maintenance = completed_maintenance(state, now - PAST_DAYS * 86_400, now).await?;
    let source = state.live.borrow().summary.source;
    Ok(IncidentsResponse { active, past, maintenance, past_maintenance, source })
}

/// Maintenance that ended in `[from, now]`, the most recently ended first.
async fn completed_maintenance(state: &AppState, from: i64, now: i64) -> Result<Vec<Maintenance>, AppError> {
    let mut windows: Vec<Maintenance> = state
        .storage
        .maintenance_between(from, now + 1)
        .await?
        .into_iter()
        .filter(|m| m.ends_at.timestamp() <= now)
        .map(|m| Maintenance { state: MaintenanceState::Completed, ..m })
        .collect();
    windows.sort_by(|a, b| b.ends_at.cmp(&a.ends_at).then_with(|| a.id.cmp(&b.id)));
    Ok(windows)
}

/// One incident with all its updates, whenever it happened.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = String, Path, description = "The incident's id")),
    responses((status = 200, description = "The incident", body = Incident),
              (status = 404, description = "No incident has this id (`not_found`)", body = kairr_shared::api::ApiError)))]
pub async fn get_incident(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Incident>, AppError> {
    incident(&state, &id).await?.map(Json).ok_or_else(|| AppError::NotFound(format!("no incident with id {id:?}")))
}

/// One maintenance window, its state as of now.
#[utoipa::path(get, path = "/api/v1/maintenance/{id}", tag = "incidents",
    params(("id" = String, Path, description = "The maintenance window's id")),
    responses((status = 200, description = "The maintenance window", body = Maintenance),
              (status = 404, description = "No maintenance window has this id (`not_found`)", body = kairr_shared::api::ApiError)))]
pub async fn get_maintenance(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Maintenance>, AppError> {
    maintenance(&state, &id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no maintenance window with id {id:?}")))
}

/// The incident `id`, if recorded.
pub async fn incident(state: &AppState, id: &str) -> Result<Option<Incident>, AppError> {
    Ok(state.storage.incident(id).await?)
}

/// The maintenance window `id`, if recorded, with its state as of now.
pub async fn maintenance(state: &AppState, id: &str) -> Result<Option<Maintenance>, AppError> {
    let now = chrono::Utc::now().timestamp();
    Ok(state
        .storage
        .maintenance_window(id)
        .await?
        .map(|m| Maintenance { state: maintenance_state(m.starts_at.timestamp(), m.ends_at.timestamp(), now), ..m }))
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
