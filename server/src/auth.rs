//! Sessions, CSRF, sign-in limits and authorization. The rules (who may do
//! what) live in `kairr_shared::auth`; this module only finds out who is
//! asking.
//!
//! **Sessions** are `tower-sessions` cookies (HttpOnly, SameSite=Strict,
//! Secure when `cookie_secure` is set) kept in the database
//! (tower-sessions-sqlx-store's SQLite or PostgreSQL store, so any replica
//! knows every session). A session is stored **only at sign-in**: it then
//! holds the account id, the moment it ends (`sign_in.session_lifetime_seconds`
//! after sign-in, however active it is: [`current_account`] ends it then) and
//! a fresh CSRF token. Anonymous callers never cause a stored row.
//!
//! **CSRF.** Every state-changing request on a protected router must echo a
//! token in `X-CSRF-Token` ([`csrf_guard`]):
//! - signed in: the session's own token (synchroniser token pattern), created
//!   at sign-in, so the token rotates whenever someone signs in;
//! - anonymous (the sign-in form itself): a *signed double-submit* token.
//!   `GET /api/v1/auth/session` sets a random nonce in the HttpOnly,
//!   SameSite=Strict cookie `kairr_csrf` and answers
//!   `HMAC-SHA256(key, nonce)`; the guard recomputes it from the cookie. The
//!   key is shared by the replicas through the database (`server_keys`), so
//!   nothing per visitor is stored, and a cookie planted by someone else is
//!   useless without the key. Such a token is never accepted once the
//!   session has a user.
//!
//! Token comparisons are constant-time ([`same_token`]).
//!
//! **Sign-in limits** ([`SignIn`]): every attempt is counted, before its
//! password is checked, per username (hashed) and per client address, in the
//! database table `login_attempts` (one statement, so concurrent attempts on
//! any replica all count; expired rows pruned). A limiter error refuses the
//! sign-in (500), it never lets it through. Passwords are checked with
//! argon2 on blocking threads behind a semaphore, and an unknown username is
//! checked against a dummy hash so it costs the same time.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use kairr_shared::auth::{can, valid_username, Action, UserInfo};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;
use tower_sessions::cookie::{Cookie, SameSite};
use tower_sessions::Session;

use crate::accounts::{hash_password, random_password, verify_password, Account};
use crate::error::AppError;
use crate::settings::SignInSettings;
use crate::state::AppState;
use crate::storage::Storage;

/// Session key of the signed-in user's id.
pub const USER_KEY: &str = "user_id";
/// Session key of the session's CSRF token (signed-in sessions).
pub const CSRF_KEY: &str = "csrf";
/// Session key of the moment (unix seconds) the session ends.
pub const ENDS_KEY: &str = "ends_at";
/// Header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Cookie carrying the nonce of an anonymous caller's CSRF token.
pub const CSRF_COOKIE: &str = "kairr_csrf";
/// Longest username accepted at all; longer ones are refused before they
/// are even normalised.
pub const MAX_USERNAME_LEN: usize = 64;

/// True when two tokens are equal, compared in constant time (for equal
/// lengths; tokens have a fixed length, so the length tells nothing).
pub fn same_token(given: &str, expected: &str) -> bool {
    !expected.is_empty() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// A fresh random token (32 characters).
pub fn new_token() -> String {
    format!("{}{}", random_password(), random_password())
}

/// The HMAC key of anonymous CSRF tokens, shared by the replicas.
#[derive(Clone)]
pub struct CsrfKey(Arc<Vec<u8>>);

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(***)")
    }
}

impl CsrfKey {
    /// Loads the key from the database (the first replica creates it).
    pub async fn load(storage: &Storage) -> anyhow::Result<CsrfKey> {
        Ok(CsrfKey::new(storage.server_key("csrf").await?.as_bytes()))
    }

    /// A key from raw bytes.
    pub fn new(key: &[u8]) -> CsrfKey {
        CsrfKey(Arc::new(key.to_vec()))
    }

    /// The anonymous CSRF token for the cookie's `nonce` (hex HMAC-SHA256);
    /// empty, so never accepted, if the MAC cannot be keyed.
    pub fn token_for(&self, nonce: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(b"kairr-csrf-v1\0");
        mac.update(nonce.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The anonymous CSRF nonce of the request's `kairr_csrf` cookie, if it has
/// a well-formed one.
pub fn csrf_cookie_nonce(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, CSRF_COOKIE)
        .filter(|v| (16..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The value of the request's cookie `name`, if it sent one.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// The `Set-Cookie` value giving an anonymous caller the CSRF nonce `nonce`.
pub fn csrf_cookie(nonce: &str, secure: bool) -> Option<HeaderValue> {
    let cookie = Cookie::build((CSRF_COOKIE, nonce))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

/// The CSRF token of this caller and, for an anonymous caller without a
/// nonce cookie yet, the `Set-Cookie` to send. Stores nothing for anonymous
/// callers (see the module documentation).
pub async fn csrf_token(
    session: &Session,
    signed_in: bool,
    headers: &HeaderMap,
    state: &AppState,
) -> Result<(String, Option<HeaderValue>), AppError> {
    if signed_in {
        if let Some(t) = session.get::<String>(CSRF_KEY).await.map_err(anyhow::Error::from)? {
            return Ok((t, None));
        }
        let t = new_token();
        session.insert(CSRF_KEY, &t).await.map_err(anyhow::Error::from)?;
        return Ok((t, None));
    }
    // An anonymous session stored by an older version may hold a token: keep it.
    if let Some(t) = session.get::<String>(CSRF_KEY).await.map_err(anyhow::Error::from)? {
        return Ok((t, None));
    }
    match csrf_cookie_nonce(headers) {
        Some(nonce) => Ok((state.csrf.token_for(&nonce), None)),
        None => {
            let nonce = new_token();
            Ok((state.csrf.token_for(&nonce), csrf_cookie(&nonce, state.settings.cookie_secure)))
        }
    }
}

/// The signed-in account, if any. A session past its absolute end, or of an
/// account that is gone or disabled, is ended (deleted) here.
pub async fn current_account(session: &Session, storage: &Storage) -> Result<Option<Account>, AppError> {
    let Some(id) = session.get::<i64>(USER_KEY).await.map_err(anyhow::Error::from)? else {
        return Ok(None);
    };
    let ends = session.get::<i64>(ENDS_KEY).await.map_err(anyhow::Error::from)?;
    let live = ends.is_some_and(|end| chrono::Utc::now().timestamp() < end);
    let account = if live { storage.account_by_id(id).await?.filter(|a| !a.disabled) } else { None };
    if account.is_none() {
        session.flush().await.map_err(anyhow::Error::from)?;
    }
    Ok(account)
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

/// Middleware: state-changing requests must carry the caller's CSRF token:
/// the session's, or (no one signed in) the anonymous one of the cookie.
pub async fn csrf_guard(State(state): State<AppState>, session: Session, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(given) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned) else {
        return AppError::CsrfFailed.into_response();
    };
    let (stored, user) = match (session.get::<String>(CSRF_KEY).await, session.get::<i64>(USER_KEY).await) {
        (Ok(stored), Ok(user)) => (stored, user),
        // Unreadable session: refuse rather than guess.
        _ => return AppError::CsrfFailed.into_response(),
    };
    let by_session = stored.is_some_and(|s| same_token(&given, &s));
    let anonymous = user.is_none()
        && csrf_cookie_nonce(req.headers()).is_some_and(|n| same_token(&given, &state.csrf.token_for(&n)));
    if by_session || anonymous {
        next.run(req).await
    } else {
        AppError::CsrfFailed.into_response()
    }
}

/// The username a sign-in form's `raw` entry names, when it is one an
/// account can have (length checked before anything else).
pub fn sign_in_username(raw: &str) -> Option<String> {
    if raw.len() > MAX_USERNAME_LEN {
        return None;
    }
    let name = raw.trim().to_lowercase();
    valid_username(&name).then_some(name)
}

/// An invalid username as it may be logged and audited: at most 32
/// characters, anything but printable ASCII shown as `?`, `…` when cut.
pub fn shown_username(raw: &str) -> String {
    let mut shown: String =
        raw.chars().take(32).map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '?' }).collect();
    if raw.chars().nth(32).is_some() {
        shown.push('…');
    }
    shown
}

/// The client of a request: the TCP peer, or, when the peer is one of
/// `trusted` proxies, the nearest address of `X-Forwarded-For` that is not
/// one of them (read from the right, so a client cannot choose it).
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = ip;
        if !trusted.contains(&ip) {
            break;
        }
    }
    Some(client)
}

/// The limiter bucket of a client address: IPv4 as is, IPv6 by its /64
/// (one host usually holds a whole /64); unknown peers share one bucket.
pub fn address_bucket(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V4(v4)) => format!("a:{v4}"),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("a:{v4}"),
            None => {
                let s = v6.segments();
                format!("a:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "a:unknown".to_owned(),
    }
}

/// The limiter bucket of a (valid) username: a hash, so the table never
/// holds what a client typed.
pub fn username_bucket(username: &str) -> String {
    let digest = Sha256::digest(username.as_bytes());
    format!("u:{}", hex(&digest[..16]))
}

/// The client address of a request (see [`client_ip`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientAddr(client_ip(peer, &parts.headers, &state.settings.sign_in.trusted_proxies)))
    }
}

/// What the limiter says about one more attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Over the limit: seconds until the window ends, and whether this is
    /// the first refused attempt of the window (audited once, not each time).
    Refused {
        wait: i64,
        first: bool,
    },
}

/// Sign-in limits and password checks, shared by the handlers.
pub struct SignIn {
    limits: SignInSettings,
    permits: Semaphore,
    dummy_hash: Arc<str>,
    last_prune: AtomicI64,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn").field("limits", &self.limits).finish_non_exhaustive()
    }
}

impl SignIn {
    /// Limits from the settings; hashes the dummy password once (off the
    /// async workers).
    pub async fn new(limits: SignInSettings) -> anyhow::Result<SignIn> {
        let dummy = tokio::task::spawn_blocking(|| hash_password(&new_token())).await??;
        let permits = Semaphore::new(usize::try_from(limits.concurrent_password_checks).unwrap_or(1).max(1));
        Ok(SignIn { limits, permits, dummy_hash: dummy.into(), last_prune: AtomicI64::new(0) })
    }

    /// The limits in force.
    pub fn limits(&self) -> &SignInSettings {
        &self.limits
    }

    /// Counts an attempt in `bucket` and judges it against `max` attempts
    /// per window. Expired counters are pruned at most once a minute.
    pub async fn count(&self, storage: &Storage, bucket: &str, max: u32, now: i64) -> anyhow::Result<Verdict> {
        let window = i64::from(self.limits.window_seconds);
        if now - self.last_prune.load(Ordering::Relaxed) >= 60 {
            self.last_prune.store(now, Ordering::Relaxed);
            storage.prune_sign_in_attempts(now - window).await?;
        }
        let (attempts, since) = storage.count_sign_in_attempt(bucket, now, window).await?;
        let max = i64::from(max);
        Ok(if attempts > max {
            Verdict::Refused { wait: (since + window - now).max(1), first: attempts == max + 1 }
        } else {
            Verdict::Allowed
        })
    }

    /// True when `password` matches `hash`; with no hash (unknown user) the
    /// dummy hash is checked instead, so the answer takes as long, and it is
    /// false. Runs on a blocking thread, at most
    /// `concurrent_password_checks` at once.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> anyhow::Result<bool> {
        let _permit = self.permits.acquire().await?;
        let (password, known) = (password.to_owned(), hash.is_some());
        let hash: Arc<str> = hash.map_or_else(|| self.dummy_hash.clone(), Arc::from);
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await?;
        Ok(known && ok)
    }
}

/// `Set-Cookie` header pairs for a response (none or one).
pub fn set_cookie(cookie: Option<HeaderValue>) -> Vec<(axum::http::HeaderName, HeaderValue)> {
    cookie.map(|c| (SET_COOKIE, c)).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison_needs_an_exact_non_empty_match() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abd", "abc"));
        assert!(!same_token("ab", "abc"));
        assert!(!same_token("", ""));
    }

    #[test]
    fn anonymous_tokens_depend_on_key_and_nonce() {
        let (k1, k2) = (CsrfKey::new(b"one"), CsrfKey::new(b"two"));
        let t = k1.token_for("nonce-a");
        assert_eq!(t.len(), 64);
        assert_eq!(t, k1.token_for("nonce-a"));
        assert_ne!(t, k1.token_for("nonce-b"));
        assert_ne!(t, k2.token_for("nonce-a"));
    }

    #[test]
    fn the_nonce_cookie_is_read_only_when_well_formed() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_static("a=1; kairr_csrf=abcdefghijklmnop1234; b=2"));
        assert_eq!(csrf_cookie_nonce(&h).as_deref(), Some("abcdefghijklmnop1234"));
        h.insert(COOKIE, HeaderValue::from_static("kairr_csrf=short"));
        assert_eq!(csrf_cookie_nonce(&h), None);
        h.insert(COOKIE, HeaderValue::from_static("kairr_csrf=abcdefghijklmnop12%3B"));
        assert_eq!(csrf_cookie_nonce(&h), None);
        let c = csrf_cookie("abcdefghijklmnop1234", true).unwrap();
        let c = c.to_str().unwrap();
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"), "{c}");
    }

    #[test]
    fn usernames_are_checked_for_length_before_anything_else() {
        assert_eq!(sign_in_username("  Demo.Admin "), Some("demo.admin".into()));
        assert_eq!(sign_in_username(&"a".repeat(1 << 20)), None);
        assert_eq!(sign_in_username(&format!("{}x", " ".repeat(64))), None);
        assert_eq!(sign_in_username("kim researcher"), None);
        assert_eq!(sign_in_username("ab"), None);
        let shown = shown_username(&format!("\u{202e}evil\n{}", "x".repeat(100)));
        assert!(shown.starts_with("?evil?"));
        assert_eq!(shown.chars().count(), 33);
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("1.1.1.1, 198.51.100.7"));
        assert_eq!(client_ip(Some(peer), &h, &[]), Some(peer), "no trusted proxy: the header is ignored");
        assert_eq!(client_ip(Some(peer), &h, &[proxy]), Some(peer), "the peer is not a trusted proxy");
        assert_eq!(client_ip(Some(proxy), &h, &[proxy]), "198.51.100.7".parse().ok(), "rightmost untrusted hop");
        h.insert("x-forwarded-for", HeaderValue::from_static("1.1.1.1, 198.51.100.7, 10.0.0.1"));
        assert_eq!(client_ip(Some(proxy), &h, &[proxy]), "198.51.100.7".parse().ok());
        h.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_ip(Some(proxy), &h, &[proxy]), Some(proxy));
        assert_eq!(client_ip(None, &h, &[proxy]), None);
    }

    #[test]
    fn buckets_are_short_and_group_ipv6_by_64() {
        assert_eq!(address_bucket("192.0.2.1".parse().ok()), "a:192.0.2.1");
        assert_eq!(address_bucket("2001:db8:1:2:3:4:5:6".parse().ok()), "a:2001:db8:1:2::/64");
        assert_eq!(address_bucket("2001:db8:1:2:ffff::1".parse().ok()), "a:2001:db8:1:2::/64");
        assert_eq!(address_bucket("::ffff:192.0.2.1".parse().ok()), "a:192.0.2.1");
        assert_eq!(address_bucket(None), "a:unknown");
        let b = username_bucket("demo.admin");
        assert_eq!(b.len(), 34);
        assert!(!b.contains("demo"));
    }

    #[tokio::test]
    async fn unknown_users_are_checked_against_the_dummy_hash() {
        let s = SignIn::new(SignInSettings::default()).await.unwrap();
        let real = hash_password("correct horse battery").unwrap();
        assert!(s.verify("correct horse battery", Some(&real)).await.unwrap());
        assert!(!s.verify("wrong", Some(&real)).await.unwrap());
        let t = std::time::Instant::now();
        assert!(!s.verify("correct horse battery", None).await.unwrap());
        // argon2 ran: the dummy check is not the instant answer it used to be.
        assert!(t.elapsed() >= std::time::Duration::from_millis(2), "{:?}", t.elapsed());
    }
}
