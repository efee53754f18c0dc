//! `GET /api/v1/auth/session`, `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`.
//! Sessions, CSRF and the sign-in limits are described in [`crate::auth`].

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use kairr_shared::allocation::AuditAction;
use kairr_shared::auth::{LoginRequest, SessionInfo};
use tower_sessions::Session;

use crate::auth::{
    address_bucket, csrf_token, current_account, new_token, set_cookie, shown_username, sign_in_username,
    username_bucket, ClientAddr, Verdict, CSRF_KEY, ENDS_KEY, USER_KEY,
};
use crate::error::AppError;
use crate::state::AppState;

/// The session as the API shows it, with the anonymous CSRF cookie when the
/// caller needs one. Stores nothing for anonymous callers.
async fn info(session: &Session, headers: &HeaderMap, state: &AppState) -> Result<Response, AppError> {
    let user = current_account(session, &state.storage).await?.map(|a| a.info);
    let (csrf_token, cookie) = csrf_token(session, user.is_some(), headers, state).await?;
    Ok((AppendHeaders(set_cookie(cookie)), Json(SessionInfo { user, csrf_token })).into_response())
}

/// Who is signed in, and the CSRF token for state-changing requests.
#[utoipa::path(get, path = "/api/v1/auth/session", tag = "auth",
    responses((status = 200, description = "The session", body = SessionInfo)))]
pub async fn get_session(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    info(&session, &headers, &state).await
}

/// Signs in with a local account (attempts limited per username and per
/// client address).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    responses(
        (status = 200, description = "Signed in; a new session id and CSRF token are issued", body = SessionInfo),
        (status = 400, description = "The body is not a sign-in form", body = kairr_shared::api::ApiError),
        (status = 401, description = "Wrong username or password", body = kairr_shared::api::ApiError),
        (status = 403, description = "Missing CSRF token", body = kairr_shared::api::ApiError),
        (status = 429, description = "Too many attempts", body = kairr_shared::api::ApiError)))]
pub async fn post_login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    session: Session,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Response, AppError> {
    let Json(req) = body?;
    // Validated first: nothing below sees an arbitrary username.
    let username = sign_in_username(&req.username);
    let at = chrono::Utc::now();
    let now = at.timestamp();
    let client = addr.map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    let storage = &state.storage;
    let sign_in = &state.sign_in;
    let limits = sign_in.limits();
    let client = client.as_str();
    let refused = |actor: String, reason: &'static str| async move {
        storage.record_sign_in(at, &actor, AuditAction::SignInFailed, client, Some(reason)).await
    };

    // Counted before the password is checked, so concurrent attempts all count.
    let address = address_bucket(addr);
    if let Verdict::Refused { wait, first } =
        sign_in.count(storage, &address, limits.max_attempts_per_address, now).await?
    {
        if first {
            tracing::warn!(client = ?addr, "sign-in attempts from one address over the limit");
            let actor = username.clone().unwrap_or_else(|| shown_username(&req.username));
            refused(actor, "address_limit").await?;
        }
        return Err(AppError::TooManyAttempts(wait));
    }
    let Some(username) = username else {
        let shown = shown_username(&req.username);
        tracing::info!(username = %shown, client = ?addr, "sign-in with an invalid username");
        refused(shown, "invalid_username").await?;
        return Err(AppError::BadCredentials);
    };
    let user_bucket = username_bucket(&username);
    if let Verdict::Refused { wait, first } =
        sign_in.count(storage, &user_bucket, limits.max_attempts_per_username, now).await?
    {
        if first {
            tracing::warn!(username, client = ?addr, "sign-in attempts for one username over the limit");
            refused(username, "username_limit").await?;
        }
        return Err(AppError::TooManyAttempts(wait));
    }

    let account = storage.account_by_username(&username).await?;
    let matches = sign_in.verify(&req.password, account.as_ref().map(|a| a.password_hash.as_str())).await?;
    let Some(account) = account.filter(|a| matches && !a.disabled) else {
        tracing::info!(username, client = ?addr, "failed sign-in");
        refused(username, "bad_credentials").await?;
        return Err(AppError::BadCredentials);
    };
    storage.forget_sign_in_attempts(&user_bucket).await?;
    storage.refund_sign_in_attempt(&address).await?;

    // A new session id (no session fixation), its absolute end, and a new
    // CSRF token: the anonymous one stops working here.
    session.cycle_id().await.map_err(anyhow::Error::from)?;
    session.insert(USER_KEY, account.id).await.map_err(anyhow::Error::from)?;
    session.insert(ENDS_KEY, now + i64::from(limits.session_lifetime_seconds)).await.map_err(anyhow::Error::from)?;
    let csrf_token = new_token();
    session.insert(CSRF_KEY, &csrf_token).await.map_err(anyhow::Error::from)?;
    storage.record_sign_in(at, &username, AuditAction::SignIn, client, None).await?;
    tracing::info!(username, role = account.info.role.as_str(), "signed in");
    Ok(Json(SessionInfo { user: Some(account.info), csrf_token }).into_response())
}

/// Signs out (the session is deleted).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    responses(
        (status = 200, description = "Signed out; anonymous again", body = SessionInfo),
        (status = 403, description = "Missing CSRF token", body = kairr_shared::api::ApiError)))]
pub async fn post_logout(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    session.flush().await.map_err(anyhow::Error::from)?;
    info(&session, &headers, &state).await
}
