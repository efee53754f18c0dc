//! The organisations directory: anyone may read it (the names are public,
//! and the request and people forms choose from it); admins add and change
//! entries, each change audited.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::Json;
use kairr_shared::auth::Action;
use kairr_shared::organisations::{self, Organisation, OrganisationInput};
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::programme::write::WriteError;
use crate::state::AppState;

/// The directory, by id (demo entries are flagged `demo`).
#[utoipa::path(get, path = "/api/v1/organisations", tag = "administration",
    responses((status = 200, description = "Every organisation", body = Vec<Organisation>)))]
pub async fn get_organisations(State(state): State<AppState>) -> Result<Json<Vec<Organisation>>, AppError> {
    Ok(Json(state.storage.organisations().await?))
}

/// Adds an organisation. Its names and aliases may name no other entry.
#[utoipa::path(post, path = "/api/v1/admin/organisations", tag = "administration",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = OrganisationInput,
    security(("session" = ["admin"])),
    responses((status = 200, description = "The new organisation", body = Organisation),
              (status = 400, description = "Invalid fields (all listed), or a name another entry has", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 409, description = "The id is taken", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_organisation(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<OrganisationInput>, JsonRejection>,
) -> Result<Json<Organisation>, AppError> {
    let admin = require(&session, &state.storage, Action::Administer).await?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let org = state
        .storage
        .on_directory(now, |existing| Ok(organisations::create_organisation(&input, existing, &admin, now)?))
        .await?;
    tracing::info!(organisation = org.id, by = admin.username, "organisation created");
    Ok(Json(org))
}

/// Changes an organisation's names, aliases, sector or province (its id
/// stays). Its members' accounts show the new Korean name; requests keep
/// the name they were submitted under.
#[utoipa::path(put, path = "/api/v1/admin/organisations/{id}", tag = "administration",
    params(("id" = String, Path, description = "Organisation id"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = OrganisationInput,
    security(("session" = ["admin"])),
    responses((status = 200, description = "The changed organisation", body = Organisation),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such organisation", body = kairr_shared::api::ApiError),
              (status = 409, description = "Changed meanwhile", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn put_organisation(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<OrganisationInput>, JsonRejection>,
) -> Result<Json<Organisation>, AppError> {
    let admin = require(&session, &state.storage, Action::Administer).await?;
    let Path(id) = id.map_err(|_| AppError::BadParameter { field: "id", message: "not an organisation id".into() })?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let org = state
        .storage
        .on_directory(now, |existing| {
            let current = organisations::Directory(existing).get(&id).ok_or(WriteError::NotFound("organisation"))?;
            Ok(organisations::change_organisation(current, &input, existing, &admin, now)?)
        })
        .await?;
    tracing::info!(organisation = org.id, by = admin.username, "organisation changed");
    Ok(Json(org))
}
