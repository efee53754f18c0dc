//! Status operators (role `operator`, and admins): `POST /api/v1/ops/incidents`,
//! `POST /api/v1/ops/incidents/{id}/updates`, `POST /api/v1/ops/maintenance`.
//! The rules are [`kairr_shared::status_ops`]; storage is [`crate::status_ops`].

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::Json;
use kairr_shared::api::{Incident, Maintenance};
use kairr_shared::auth::Action;
use kairr_shared::status_ops::{
    open_incident, plan_maintenance, update_incident, IncidentInput, IncidentUpdateInput, MaintenanceInput, UpdateError,
};
use tower_sessions::Session;

use crate::accounts::random_password;
use crate::auth::require;
use crate::error::AppError;
use crate::state::AppState;
use crate::status_ops::OpsError;

/// A fresh id for a posted record (`op-…` incidents, `opm-…` windows): never one a source uses.
fn fresh_id(prefix: &str) -> String {
    format!("{prefix}-{}", random_password().to_lowercase())
}

impl From<OpsError> for AppError {
    fn from(e: OpsError) -> Self {
        match e {
            OpsError::NotFound(id) => AppError::NotFound(format!("incident {id}")),
            OpsError::Refused(UpdateError::Invalid(fields)) => AppError::InvalidInput(fields),
            OpsError::Refused(r @ UpdateError::NotOperators(_)) => {
                AppError::Clash { code: "incident_detected", field: None, message: r.to_string() }
            }
            OpsError::Refused(r @ UpdateError::Resolved(_)) => {
                AppError::Clash { code: "incident_resolved", field: None, message: r.to_string() }
            }
            OpsError::Refused(r @ UpdateError::TooManyUpdates(_)) => {
                AppError::Clash { code: "too_many_updates", field: None, message: r.to_string() }
            }
            OpsError::Write(w) => w.into(),
        }
    }
}

/// Posts an incident by hand (investigating, with its first update); it
/// shows on the status page, in `/api/v1/incidents` and in the Atom feed.
#[utoipa::path(post, path = "/api/v1/ops/incidents", tag = "incidents", request_body = IncidentInput,
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["operator", "admin"])),
    responses((status = 200, description = "The incident as stored", body = Incident),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a status operator", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_incident(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<IncidentInput>, JsonRejection>,
) -> Result<Json<Incident>, AppError> {
    let user = require(&session, &state.storage, Action::OperateStatus).await?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let incident = open_incident(&input, &state.catalogue, fresh_id("op"), now).map_err(AppError::InvalidInput)?;
    state.storage.post_incident(&incident, &user.username, now).await?;
    state.first_view.invalidate().await;
    tracing::info!(id = incident.id, by = user.username, "incident posted");
    Ok(Json(incident))
}

/// Adds a timed update to an operator's incident (a new state and what is
/// known); `resolved` ends it.
#[utoipa::path(post, path = "/api/v1/ops/incidents/{id}/updates", tag = "incidents", request_body = IncidentUpdateInput,
    params(("id" = String, Path, description = "Incident id"), ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["operator", "admin"])),
    responses((status = 200, description = "The incident with the update", body = Incident),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a status operator", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such incident", body = kairr_shared::api::ApiError),
              (status = 409, description = "Resolved already, detected from a source, or changed meanwhile", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_incident_update(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<IncidentUpdateInput>, JsonRejection>,
) -> Result<Json<Incident>, AppError> {
    let user = require(&session, &state.storage, Action::OperateStatus).await?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let updated = state.storage.update_incident(&id, &user.username, now, |i| update_incident(i, &input, now)).await?;
    state.first_view.invalidate().await;
    Ok(Json(updated))
}

/// Announces a maintenance window (times on the KST clock).
#[utoipa::path(post, path = "/api/v1/ops/maintenance", tag = "incidents", request_body = MaintenanceInput,
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["operator", "admin"])),
    responses((status = 200, description = "The window as stored", body = Maintenance),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a status operator", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_maintenance(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<MaintenanceInput>, JsonRejection>,
) -> Result<Json<Maintenance>, AppError> {
    let user = require(&session, &state.storage, Action::OperateStatus).await?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let window = plan_maintenance(&input, &state.catalogue, fresh_id("opm"), now).map_err(AppError::InvalidInput)?;
    state.storage.post_maintenance(&window, &user.username, now).await?;
    state.first_view.invalidate().await;
    Ok(Json(window))
}
