//! `GET /api/v1/auth/session`, `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use kairr_shared::auth::{LoginRequest, SessionInfo};
use tower_sessions::Session;

use crate::accounts::verify_password;
use crate::auth::{csrf_token, current_account, USER_KEY};
use crate::error::AppError;
use crate::state::AppState;

async fn info(session: &Session, state: &AppState) -> Result<SessionInfo, AppError> {
    let user = current_account(session, &state.storage).await?.map(|a| a.info);
    Ok(SessionInfo { user, csrf_token: csrf_token(session).await? })
}

/// Who is signed in, and the CSRF token for state-changing requests.
#[utoipa::path(get, path = "/api/v1/auth/session", tag = "auth",
    responses((status = 200, description = "The session", body = SessionInfo)))]
pub async fn get_session(State(state): State<AppState>, session: Session) -> Result<Json<SessionInfo>, AppError> {
    Ok(Json(info(&session, &state).await?))
}

/// Signs in with a local account (rate-limited per username).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    responses(
        (status = 200, description = "Signed in; a new session id is issued", body = SessionInfo),
        (status = 401, description = "Wrong username or password", body = kairr_shared::api::ApiError),
        (status = 403, description = "Missing CSRF token", body = kairr_shared::api::ApiError),
        (status = 429, description = "Too many failed attempts", body = kairr_shared::api::ApiError)))]
pub async fn post_login(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Json<SessionInfo>, AppError> {
    let Json(req) = body?;
    let username = req.username.trim().to_lowercase();
    let now = chrono::Utc::now().timestamp();
    if let Some(wait) = state.login_limiter.locked(&username, now) {
        return Err(AppError::TooManyAttempts(wait));
    }
    let account = state.storage.account_by_username(&username).await?;
    let Some(account) = account.filter(|a| verify_password(&req.password, &a.password_hash)) else {
        state.login_limiter.failed(&username, now);
        tracing::info!(username, "failed sign-in");
        return Err(AppError::BadCredentials);
    };
    state.login_limiter.succeeded(&username);
    // A new session id on sign-in prevents session fixation.
    session.cycle_id().await.map_err(anyhow::Error::from)?;
    session.insert(USER_KEY, account.id).await.map_err(anyhow::Error::from)?;
    tracing::info!(username, role = account.info.role.as_str(), "signed in");
    Ok(Json(info(&session, &state).await?))
}

/// Signs out (the session is deleted).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    responses((status = 200, description = "Signed out; a fresh anonymous session", body = SessionInfo)))]
pub async fn post_logout(State(state): State<AppState>, session: Session) -> Result<Json<SessionInfo>, AppError> {
    session.flush().await.map_err(anyhow::Error::from)?;
    Ok(Json(info(&session, &state).await?))
}
