//! Sessions, CSRF and authorization. The rules (who may do what) live in
//! `kairr_shared::auth`; this module only finds out who is asking.
//!
//! Sessions are `tower-sessions` cookies (HttpOnly, SameSite=Strict, Secure
//! when `cookie_secure` is set) kept in the database (tower-sessions-sqlx-store's
//! SQLite or PostgreSQL store, so any replica knows every session). Every state-changing
//! request on a protected router must echo the session's CSRF token in
//! `X-CSRF-Token` (synchroniser token pattern).

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kairr_shared::auth::{can, Action, UserInfo};
use tower_sessions::Session;

use crate::accounts::{random_password, Account};
use crate::error::AppError;
use crate::storage::Storage;

/// Session key of the signed-in user's id.
pub const USER_KEY: &str = "user_id";
/// Session key of the CSRF token.
pub const CSRF_KEY: &str = "csrf";
/// Header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The session's CSRF token, created on first use.
pub async fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session.get::<String>(CSRF_KEY).await.map_err(anyhow::Error::from)? {
        return Ok(t);
    }
    let t = format!("{}{}", random_password(), random_password());
    session.insert(CSRF_KEY, &t).await.map_err(anyhow::Error::from)?;
    Ok(t)
}

/// The signed-in account, if any.
pub async fn current_account(session: &Session, storage: &Storage) -> Result<Option<Account>, AppError> {
    let Some(id) = session.get::<i64>(USER_KEY).await.map_err(anyhow::Error::from)? else {
        return Ok(None);
    };
    Ok(storage.account_by_id(id).await?)
}

/// The signed-in user if they may do `action`: 401 when nobody is signed
/// in, 403 when their role may not.
pub async fn require(session: &Session, storage: &Storage, action: Action) -> Result<UserInfo, AppError> {
    let Some(account) = current_account(session, storage).await? else {
        return Err(AppError::Unauthorised);
    };
    if !can(Some(account.info.role), action) {
        return Err(AppError::Forbidden);
    }
    Ok(account.info)
}

/// Middleware: state-changing requests must carry the session's CSRF token.
pub async fn csrf_guard(session: Session, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let given = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let expected = session.get::<String>(CSRF_KEY).await.ok().flatten();
    match (given, expected) {
        (Some(g), Some(e)) if !e.is_empty() && g == e => next.run(req).await,
        _ => AppError::CsrfFailed.into_response(),
    }
}

/// Failed sign-ins allowed per username within the window.
pub const MAX_FAILURES: u32 = 5;
/// Length of the window, seconds.
pub const FAILURE_WINDOW_S: i64 = 15 * 60;

/// Counts failed sign-ins per username to slow down password guessing.
///
/// Hand-written (a map and a window) rather than the `governor` crate, which
/// would bring a second major version of `rand` into the build.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

impl LoginLimiter {
    /// Seconds to wait when `username` is locked out at `now`, else `None`.
    pub fn locked(&self, username: &str, now: i64) -> Option<i64> {
        let map = self.failures.lock().ok()?;
        let (count, since) = map.get(username)?;
        (*count >= MAX_FAILURES && now - since < FAILURE_WINDOW_S).then(|| FAILURE_WINDOW_S - (now - since))
    }

    /// Records a failed attempt.
    pub fn failed(&self, username: &str, now: i64) {
        if let Ok(mut map) = self.failures.lock() {
            let e = map.entry(username.to_owned()).or_insert((0, now));
            if now - e.1 >= FAILURE_WINDOW_S {
                *e = (0, now);
            }
            e.0 += 1;
        }
    }

    /// Forgets the failures after a successful sign-in.
    pub fn succeeded(&self, username: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(username);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_a_username_for_the_window() {
        let l = LoginLimiter::default();
        for _ in 0..4 {
            l.failed("kim", 100);
        }
        assert_eq!(l.locked("kim", 100), None);
        l.failed("kim", 100);
        assert_eq!(l.locked("kim", 160), Some(FAILURE_WINDOW_S - 60));
        assert_eq!(l.locked("lee", 160), None, "other users are not affected");
        assert_eq!(l.locked("kim", 100 + FAILURE_WINDOW_S), None, "the lock expires");
        l.succeeded("kim");
        assert_eq!(l.locked("kim", 161), None);
    }
}
