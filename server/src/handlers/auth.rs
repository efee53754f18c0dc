//! `GET /api/v1/auth/session`, `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`,
//! and institutional sign-in: `GET /api/v1/auth/oidc/{provider}/start` and
//! `…/callback`. Sessions, CSRF and the sign-in limits are described in
//! [`crate::auth`], the OpenID Connect flow in [`crate::oidc`].

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use kairr_shared::allocation::AuditAction;
use kairr_shared::auth::{LoginRequest, SessionInfo};
use tower_sessions::Session;

use crate::accounts::Account;
use crate::auth::{
    address_bucket, cookie_value, csrf_token, current_account, new_token, set_cookie, shown_username, sign_in_username,
    username_bucket, ClientAddr, Verdict, CSRF_KEY, ENDS_KEY, USER_KEY,
};
use crate::error::AppError;
use crate::oidc::{Callback, OidcError, FLOW_COOKIE};
use crate::state::AppState;

/// The session as the API shows it, with the anonymous CSRF cookie when the
/// caller needs one. Stores nothing for anonymous callers.
async fn info(
    session: &Session,
    headers: &HeaderMap,
    state: &AppState,
    end_session_url: Option<String>,
) -> Result<Response, AppError> {
    let (info, cookie) = session_info(session, headers, state, end_session_url).await?;
    Ok((AppendHeaders(set_cookie(cookie)), Json(info)).into_response())
}

/// The session of this caller and, for an anonymous caller without one yet,
/// the CSRF cookie to set (the session endpoint's answer; a programme page's
/// first view carries the same).
pub(crate) async fn session_info(
    session: &Session,
    headers: &HeaderMap,
    state: &AppState,
    end_session_url: Option<String>,
) -> Result<(SessionInfo, Option<axum::http::HeaderValue>), AppError> {
    let user = current_account(session, &state.storage).await?.map(|a| a.info);
    let (csrf_token, cookie) = csrf_token(session, user.is_some(), headers, state).await?;
    let demo = state.settings.demo.programme || state.settings.demo.accounts;
    let pools = state.catalogue.pool_name_list();
    Ok((SessionInfo { user, csrf_token, providers: state.oidc.list(), end_session_url, demo, pools }, cookie))
}

/// Session key of an institutional sign-in: (provider id, ID token), for the provider's logout.
const OIDC_KEY: &str = "oidc";

/// Makes `session` the signed-in session of `account`: a new session id (no
/// session fixation), its absolute end, and a new CSRF token (the anonymous
/// one stops working here), which it returns.
async fn begin_session(session: &Session, state: &AppState, account: &Account, now: i64) -> Result<String, AppError> {
    let lifetime = i64::from(state.sign_in.limits().session_lifetime_seconds);
    session.cycle_id().await.map_err(anyhow::Error::from)?;
    session.insert(USER_KEY, account.id).await.map_err(anyhow::Error::from)?;
    session.insert(ENDS_KEY, now + lifetime).await.map_err(anyhow::Error::from)?;
    let csrf_token = new_token();
    session.insert(CSRF_KEY, &csrf_token).await.map_err(anyhow::Error::from)?;
    Ok(csrf_token)
}

/// Who is signed in, and the CSRF token for state-changing requests.
#[utoipa::path(get, path = "/api/v1/auth/session", tag = "auth",
    responses((status = 200, description = "The session", body = SessionInfo)))]
pub async fn get_session(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    info(&session, &headers, &state, None).await
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

    let csrf_token = begin_session(&session, &state, &account, now).await?;
    storage.record_sign_in(at, &username, AuditAction::SignIn, client, None).await?;
    tracing::info!(username, role = account.info.role.as_str(), "signed in");
    let providers = state.oidc.list();
    let demo = state.settings.demo.programme || state.settings.demo.accounts;
    let pools = state.catalogue.pool_name_list();
    Ok(Json(SessionInfo { user: Some(account.info), csrf_token, providers, end_session_url: None, demo, pools })
        .into_response())
}

/// Signs out (the session is deleted). After an institutional sign-in the
/// answer carries `end_session_url`, the provider's address that ends the
/// session there too (when the provider offers one).
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
    let institutional = session.get::<(String, String)>(OIDC_KEY).await.ok().flatten();
    session.flush().await.map_err(anyhow::Error::from)?;
    let end_session_url = match institutional {
        Some((provider, id_token)) => state.oidc.logout_url(&provider, &id_token).await,
        None => None,
    };
    info(&session, &headers, &state, end_session_url).await
}

/// `?return_to=`: the portal's page to come back to after signing in.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StartQuery {
    /// A path of this portal (`/requests/new?…`); anything else is ignored.
    pub return_to: Option<String>,
}

/// A redirect (303) to `location`, with the flow cookie cleared or set.
fn see_other(location: &str, cookie: Option<axum::http::HeaderValue>) -> Response {
    let location =
        axum::http::HeaderValue::from_str(location).unwrap_or_else(|_| axum::http::HeaderValue::from_static("/login"));
    let mut headers = vec![(axum::http::header::LOCATION, location)];
    headers.extend(set_cookie(cookie));
    (axum::http::StatusCode::SEE_OTHER, AppendHeaders(headers)).into_response()
}

/// The sign-in page showing why an institutional sign-in failed (and keeping where to return).
fn failed(code: &str, return_to: Option<&str>) -> String {
    let mut url = format!("/login?error={code}");
    if let Some(r) = return_to.and_then(kairr_shared::identity::safe_return_path) {
        url.push_str("&return_to=");
        url.push_str(&percent_encode(r));
    }
    url
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Starts an institutional sign-in: sends the browser to the provider
/// (authorisation code flow with PKCE), with the flow's state in a short,
/// signed cookie.
#[utoipa::path(get, path = "/api/v1/auth/oidc/{provider}/start", tag = "auth",
    params(("provider" = String, Path, description = "a provider id from the session's `providers`"), StartQuery),
    responses(
        (status = 303, description = "To the provider's sign-in page (or back to /login?error=oidc_unavailable)"),
        (status = 400, description = "The query is malformed", body = kairr_shared::api::ApiError),
        (status = 404, description = "No such provider", body = kairr_shared::api::ApiError)))]
pub async fn get_oidc_start(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(q): Query<StartQuery>,
) -> Result<Response, AppError> {
    match state.oidc.start(&provider, q.return_to.as_deref(), chrono::Utc::now().timestamp()).await {
        Ok((url, cookie)) => Ok(see_other(&url, Some(cookie))),
        Err(OidcError::UnknownProvider(p)) => Err(AppError::NotFound(format!("identity provider {p:?}"))),
        Err(e) => {
            tracing::warn!(provider, error = %e, "institutional sign-in could not start");
            Ok(see_other(&failed(e.code(), q.return_to.as_deref()), None))
        }
    }
}

/// Where the provider sends the browser back: the code is exchanged, the ID
/// token validated, the account found or created (a researcher; roles are
/// granted in the portal), and the session begins; then on to the page that
/// asked for the sign-in. Any failure goes back to the sign-in page with
/// `?error=` (`oidc_state`, `oidc_denied`, `oidc_invalid`,
/// `oidc_unavailable`, `account_disabled`, `too_many_attempts`). Callbacks
/// are counted per client address like local sign-ins.
#[utoipa::path(get, path = "/api/v1/auth/oidc/{provider}/callback", tag = "auth",
    params(("provider" = String, Path, description = "a provider id"), Callback),
    responses(
        (status = 303, description = "Signed in and on to the page that asked, or back to /login?error=…"),
        (status = 400, description = "The query is malformed", body = kairr_shared::api::ApiError),
        (status = 404, description = "No such provider", body = kairr_shared::api::ApiError)))]
pub async fn get_oidc_callback(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    session: Session,
    headers: HeaderMap,
    Path(provider): Path<String>,
    Query(callback): Query<Callback>,
) -> Result<Response, AppError> {
    let at = chrono::Utc::now();
    let now = at.timestamp();
    let clear = state.oidc.clear_cookie();
    let cookie = cookie_value(&headers, FLOW_COOKIE);
    let client = addr.map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    // Counted per client address like local sign-ins (refunded on success), so
    // forged callbacks can neither hammer the provider nor fill the audit log.
    let address = address_bucket(addr);
    let limit = state.sign_in.limits().max_attempts_per_address;
    if let Verdict::Refused { first, .. } = state.sign_in.count(&state.storage, &address, limit, now).await? {
        if first {
            tracing::warn!(client, "institutional sign-in callbacks from one address over the limit");
            let actor = format!("{provider}:unknown");
            state.storage.record_sign_in(at, &actor, AuditAction::SignInFailed, &client, Some("address_limit")).await?;
        }
        return Ok(see_other(&failed("too_many_attempts", None), clear));
    }
    let signed_in = match state.oidc.finish(&provider, &callback, cookie.as_deref(), now).await {
        Ok(s) => s,
        Err(OidcError::UnknownProvider(p)) => return Err(AppError::NotFound(format!("identity provider {p:?}"))),
        Err(e) => {
            tracing::warn!(provider, client, error = %e, "institutional sign-in failed");
            let actor = format!("{provider}:unknown");
            state.storage.record_sign_in(at, &actor, AuditAction::SignInFailed, &client, Some(e.code())).await?;
            return Ok(see_other(&failed(e.code(), None), clear));
        }
    };
    let account = state.storage.sign_in_identity(&signed_in.identity, at).await.map_err(AppError::from)?;
    let return_to = signed_in.return_to.as_deref();
    if account.disabled {
        state
            .storage
            .record_sign_in(at, &account.info.username, AuditAction::SignInFailed, &client, Some("disabled"))
            .await?;
        return Ok(see_other(&failed("account_disabled", return_to), clear));
    }
    state.storage.refund_sign_in_attempt(&address).await?;
    begin_session(&session, &state, &account, now).await?;
    session.insert(OIDC_KEY, (&provider, &signed_in.id_token)).await.map_err(anyhow::Error::from)?;
    state.storage.record_sign_in(at, &account.info.username, AuditAction::SignIn, &client, None).await?;
    tracing::info!(username = account.info.username, provider, "signed in through an identity provider");
    let home = return_to.unwrap_or_else(|| kairr_shared::auth::home_path(account.info.role));
    Ok(see_other(home, clear))
}
