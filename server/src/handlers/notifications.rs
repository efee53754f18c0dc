//! `GET /api/v1/me/notifications`, `POST /api/v1/me/notifications/read`,
//! `PUT /api/v1/me/preferences`: a person's notices and where they are told
//! (storage in [`crate::notify`], delivery in [`crate::mail`]).

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use kairr_shared::auth::Action;
use kairr_shared::notifications::{MarkRead, NotificationList, Preferences};
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in person's notices (newest 100), unread count and preferences.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications",
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "Notices, newest first", body = NotificationList),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError)))]
pub async fn get_notifications(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<NotificationList>, AppError> {
    let user = require(&session, &state.storage, Action::OwnAccount).await?;
    Ok(Json(state.storage.notifications(&user.username).await?))
}

/// Marks notices read; answers the list as it is then.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "notifications", request_body = MarkRead,
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "The list after marking", body = NotificationList),
              (status = 400, description = "Not a list of ids, or more than 100", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Missing CSRF token", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_read(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<MarkRead>, JsonRejection>,
) -> Result<Json<NotificationList>, AppError> {
    let user = require(&session, &state.storage, Action::OwnAccount).await?;
    let Json(body) = body?;
    if body.ids.len() > 100 {
        return Err(AppError::BadParameter { field: "ids", message: "at most 100 ids at once".into() });
    }
    let ids = (!body.ids.is_empty()).then_some(body.ids.as_slice());
    state.storage.mark_read(&user.username, ids, chrono::Utc::now().timestamp()).await?;
    Ok(Json(state.storage.notifications(&user.username).await?))
}

/// Sets where (an e-mail address, or none) and in which language the person is told.
#[utoipa::path(put, path = "/api/v1/me/preferences", tag = "notifications", request_body = Preferences,
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["researcher", "reviewer", "committee", "admin"])),
    responses((status = 200, description = "The list with the new preferences", body = NotificationList),
              (status = 400, description = "Not an e-mail address, or an unknown language", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Missing CSRF token", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn put_preferences(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<Preferences>, JsonRejection>,
) -> Result<Json<NotificationList>, AppError> {
    let user = require(&session, &state.storage, Action::OwnAccount).await?;
    let Json(body) = body?;
    let (email, locale) = body.read().map_err(AppError::InvalidInput)?;
    state.storage.set_notification_preferences(&user.username, email.as_deref(), locale).await?;
    Ok(Json(state.storage.notifications(&user.username).await?))
}
