//! People (admins only): list accounts, create one with an invitation link,
//! change a name, organisation or role, disable an account (its sessions
//! end at once), issue a new link to set the password. And the public end of
//! the link: setting one's password with it.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::Json;
use kairr_shared::auth::{valid_username, Action};
use kairr_shared::people::{self, AcceptInvitation, Invitation, Person, PersonChange, PersonInput};
use serde::Serialize;
use tower_sessions::Session;

use crate::accounts::{hash_password, MIN_PASSWORD_LEN};
use crate::auth::{new_token, require};
use crate::error::AppError;
use crate::people::{token_hash, InvitationError};
use crate::state::AppState;

/// The link a person opens to set their password.
fn link(token: &str) -> String {
    format!("/invite?token={token}")
}

fn username_param(raw: &str) -> Result<&str, AppError> {
    if valid_username(raw) {
        Ok(raw)
    } else {
        Err(AppError::BadParameter { field: "username", message: "not a username".into() })
    }
}

/// Every account, by username.
#[utoipa::path(get, path = "/api/v1/admin/people", tag = "administration",
    security(("session" = ["admin"])),
    responses((status = 200, description = "Every account", body = Vec<Person>),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin", body = kairr_shared::api::ApiError)))]
pub async fn get_people(State(state): State<AppState>, session: Session) -> Result<Json<Vec<Person>>, AppError> {
    require(&session, &state.storage, Action::Administer).await?;
    Ok(Json(state.storage.people().await?))
}

/// Creates an account (no password yet) and returns its one-time link to
/// set one, valid for 72 hours, for the admin to pass on.
#[utoipa::path(post, path = "/api/v1/admin/people", tag = "administration",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = PersonInput,
    security(("session" = ["admin"])),
    responses((status = 200, description = "The account and its invitation link", body = Invitation),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 409, description = "The username is taken", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_person(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<PersonInput>, JsonRejection>,
) -> Result<Json<Invitation>, AppError> {
    let admin = require(&session, &state.storage, Action::Administer).await?;
    let Json(input) = body?;
    let now = chrono::Utc::now();
    let token = new_token();
    let username = input.username.trim().to_owned();
    let person = state
        .storage
        .create_person(&username, now, |exists, directory| {
            people::create_person(&input, exists, directory, &admin, token_hash(&token), now)
        })
        .await?;
    tracing::info!(account = person.username, by = admin.username, "account created");
    let expires_at = now + chrono::Duration::hours(people::INVITATION_HOURS);
    Ok(Json(Invitation { person, link: link(&token), expires_at }))
}

/// Changes an account's name, organisation, role or disabled flag. The last
/// enabled admin can be neither demoted nor disabled.
#[utoipa::path(patch, path = "/api/v1/admin/people/{username}", tag = "administration",
    params(("username" = String, Path, description = "Username"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = PersonChange,
    security(("session" = ["admin"])),
    responses((status = 200, description = "The changed account", body = Person),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such account", body = kairr_shared::api::ApiError),
              (status = 409, description = "The last active admin, or changed meanwhile", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn patch_person(
    State(state): State<AppState>,
    session: Session,
    username: Result<Path<String>, PathRejection>,
    body: Result<Json<PersonChange>, JsonRejection>,
) -> Result<Json<Person>, AppError> {
    let admin = require(&session, &state.storage, Action::Administer).await?;
    let Path(username) =
        username.map_err(|_| AppError::BadParameter { field: "username", message: "not a username".into() })?;
    let username = username_param(&username)?;
    let Json(change) = body?;
    let now = chrono::Utc::now();
    let person = state
        .storage
        .on_person(username, now, |current, directory, admins| {
            people::change_person(current, &change, directory, admins, &admin, now)
        })
        .await?;
    tracing::info!(account = person.username, by = admin.username, "account changed");
    Ok(Json(person))
}

/// Issues a new one-time link to set the password (a reset, or a new
/// invitation); earlier unused links stop working.
#[utoipa::path(post, path = "/api/v1/admin/people/{username}/invite", tag = "administration",
    params(("username" = String, Path, description = "Username"),
           ("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["admin"])),
    responses((status = 200, description = "The new link", body = Invitation),
              (status = 400, description = "Not a username", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such account", body = kairr_shared::api::ApiError),
              (status = 409, description = "The account is disabled", body = kairr_shared::api::ApiError)))]
pub async fn post_person_invite(
    State(state): State<AppState>,
    session: Session,
    username: Result<Path<String>, PathRejection>,
) -> Result<Json<Invitation>, AppError> {
    let admin = require(&session, &state.storage, Action::Administer).await?;
    let Path(username) =
        username.map_err(|_| AppError::BadParameter { field: "username", message: "not a username".into() })?;
    let username = username_param(&username)?;
    let now = chrono::Utc::now();
    let token = new_token();
    let mut found = None;
    let expires_at = state
        .storage
        .on_person(username, now, |person, _, _| {
            found = Some(person.clone());
            people::invite(person, &admin, token_hash(&token), now)
        })
        .await?;
    let person = found.ok_or_else(|| AppError::NotFound("account".into()))?;
    tracing::info!(account = person.username, by = admin.username, "password link issued");
    Ok(Json(Invitation { person, link: link(&token), expires_at }))
}

/// Whose password was set.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationAccepted {
    pub username: String,
}

/// Sets the password of the account a one-time link was issued for; the
/// link then stops working. An unknown, used, replaced or expired link is
/// one 409 (`invitation_invalid`).
#[utoipa::path(post, path = "/api/v1/auth/invite", tag = "auth",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = AcceptInvitation,
    responses((status = 200, description = "The password is set; sign in with it", body = InvitationAccepted),
              (status = 400, description = "The password is too short or contains the username", body = kairr_shared::api::ApiError),
              (status = 403, description = "No CSRF token", body = kairr_shared::api::ApiError),
              (status = 409, description = "The link is not valid any more", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError)))]
pub async fn post_accept_invite(
    State(state): State<AppState>,
    body: Result<Json<AcceptInvitation>, JsonRejection>,
) -> Result<Json<InvitationAccepted>, AppError> {
    let Json(body) = body?;
    if body.token.len() > 128 {
        return Err(AppError::Clash {
            code: "invitation_invalid",
            field: Some("token"),
            message: "this link is not valid any more".into(),
        });
    }
    let now = chrono::Utc::now();
    let invalid = || AppError::Clash {
        code: "invitation_invalid",
        field: Some("token"),
        message: "this link is not valid any more".into(),
    };
    let username = state.storage.invitation_username(&body.token, now).await?.ok_or_else(invalid)?;
    people::check_password(&body.password, &username, MIN_PASSWORD_LEN).map_err(AppError::InvalidInput)?;
    let password = body.password.clone();
    let phc = tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(anyhow::Error::from)??;
    match state.storage.redeem_invitation(&body.token, &username, &phc, now).await {
        Ok(()) => {
            tracing::info!(account = username, "password set with a link");
            Ok(Json(InvitationAccepted { username }))
        }
        Err(InvitationError::Invalid) => Err(invalid()),
        Err(InvitationError::Db(e)) => Err(AppError::Internal(e)),
    }
}
