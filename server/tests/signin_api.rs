//! Sign-in hardening (issue 9 §3): attempt limits in the database, counted
//! before the password check; sessions stored only at sign-in, with an
//! absolute lifetime and a CSRF token that rotates; security headers; demo
//! accounts that cannot leak into a real deployment; sign-ins audited.
#![allow(clippy::unwrap_used)] // test code that fails fast

use crate::support;

use std::time::Duration;

use futures_util::future::join_all;
use kairr_server::startup::Application;
use serde_json::{json, Value};
use support::db::{int, texts, Arg};
use support::{spawn, spawn_in, spawn_with, test_settings, TestApp, DEMO_PASSWORD};

/// Rows of the session store (SQLite table, or the PostgreSQL schema's table).
async fn stored_sessions(app: &TestApp) -> i64 {
    let db = app.db().await;
    let table = match db {
        kairr_server::storage::Db::Sqlite(_) => "tower_sessions",
        kairr_server::storage::Db::Postgres(_) => "tower_sessions.session",
    };
    int(&db, &format!("SELECT COUNT(*) FROM {table}"), &[]).await
}

async fn session_of(app: &TestApp, c: &reqwest::Client) -> Value {
    c.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap().json().await.unwrap()
}

/// POST `body` to `path` with the CSRF token `token`; status and JSON body.
async fn post_with(app: &TestApp, c: &reqwest::Client, path: &str, token: &str, body: &Value) -> (u16, Value) {
    let res = c.post(format!("{}{path}", app.base)).header("x-csrf-token", token).json(body).send().await.unwrap();
    let code = res.status().as_u16();
    (code, res.json().await.unwrap_or(Value::Null))
}

fn jar_client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).build().unwrap()
}

/// Signs in on `c` (after fetching its CSRF token); status and body.
async fn sign_in(app: &TestApp, c: &reqwest::Client, username: &str, password: &str) -> (u16, Value) {
    let token = session_of(app, c).await["csrf_token"].as_str().unwrap().to_owned();
    post_with(app, c, "/api/v1/auth/login", &token, &json!({"username": username, "password": password})).await
}

#[tokio::test]
async fn anonymous_session_reads_store_nothing_and_sign_in_still_works_end_to_end() {
    let app = spawn().await;
    // Cookie-less visitors (a new one each time) and one visitor who keeps its cookies.
    for _ in 0..50 {
        let s = session_of(&app, &reqwest::Client::new()).await;
        assert!(s["user"].is_null());
        assert_eq!(s["csrf_token"].as_str().unwrap().len(), 64);
    }
    let c = jar_client();
    let first = session_of(&app, &c).await["csrf_token"].clone();
    for _ in 0..50 {
        assert_eq!(session_of(&app, &c).await["csrf_token"], first, "one visitor keeps one anonymous token");
    }
    assert_eq!(stored_sessions(&app).await, 0, "anonymous reads stored sessions");

    // session → login with the CSRF token → a protected endpoint.
    let (code, body) = sign_in(&app, &c, "demo.researcher", DEMO_PASSWORD).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["user"]["username"], "demo.researcher");
    let res = c.get(format!("{}/api/v1/requests/mine", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(stored_sessions(&app).await, 1, "the sign-in stored its session");
}

#[tokio::test]
async fn the_csrf_token_rotates_at_sign_in_and_anonymous_tokens_need_their_cookie() {
    let app = spawn().await;
    let c = jar_client();
    let anonymous = session_of(&app, &c).await["csrf_token"].as_str().unwrap().to_owned();
    // The anonymous token is bound to its cookie: another client cannot use it.
    let other = jar_client();
    let login = json!({"username": "demo.committee", "password": DEMO_PASSWORD});
    let (code, err) = post_with(&app, &other, "/api/v1/auth/login", &anonymous, &login).await;
    assert_eq!((code, err["error"].as_str()), (403, Some("csrf_failed")));

    let (code, body) = post_with(&app, &c, "/api/v1/auth/login", &anonymous, &login).await;
    assert_eq!(code, 200, "{body}");
    let signed_in = body["csrf_token"].as_str().unwrap().to_owned();
    assert_ne!(signed_in, anonymous, "a new token at sign-in");
    assert_eq!(session_of(&app, &c).await["csrf_token"], signed_in.as_str());
    // The anonymous token no longer works for this session.
    let (code, _) = post_with(&app, &c, "/api/v1/auth/logout", &anonymous, &json!({})).await;
    assert_eq!(code, 403);
    let (code, body) = post_with(&app, &c, "/api/v1/auth/logout", &signed_in, &json!({})).await;
    assert_eq!(code, 200, "{body}");
    assert!(body["user"].is_null());
    assert_eq!(stored_sessions(&app).await, 0, "signing out deletes the session");
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_however_active() {
    // Timed against the clock, not by fixed sleeps, so a loaded machine (a slow
    // sign-in) cannot make it fail: the session starts between `before` and
    // `after`, and its end is stored in whole seconds.
    const LIFETIME: u64 = 4;
    let app = spawn_with(|s| s.sign_in.session_lifetime_seconds = LIFETIME as u32).await;
    let before = std::time::Instant::now();
    let c = app.client_as("demo.researcher").await;
    let after = std::time::Instant::now();
    // Surely alive while less than LIFETIME - 1 s (the seconds' rounding) has passed since `before`.
    let alive_until = before + Duration::from_millis(LIFETIME * 1_000 - 1_500);
    let mut active = 0;
    while std::time::Instant::now() < alive_until {
        let status = c.get(format!("{}/api/v1/requests/mine", app.base)).send().await.unwrap().status();
        if std::time::Instant::now() < alive_until {
            assert_eq!(status, 200, "request {active} while the session is young");
            active += 1;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(active >= 1, "the session was used while alive");
    // Surely ended once LIFETIME + 1 s (the rounding) has passed since `after`.
    tokio::time::sleep_until((after + Duration::from_millis(LIFETIME * 1_000 + 1_200)).into()).await;
    assert_eq!(c.get(format!("{}/api/v1/requests/mine", app.base)).send().await.unwrap().status(), 401);
    assert!(session_of(&app, &c).await["user"].is_null());
    assert_eq!(stored_sessions(&app).await, 0, "the ended session is deleted");
}

#[tokio::test]
async fn concurrent_wrong_passwords_are_all_counted_before_the_check() {
    let app = spawn().await;
    let c = jar_client();
    let token = session_of(&app, &c).await["csrf_token"].as_str().unwrap().to_owned();
    let wrong = json!({"username": "demo.admin", "password": "wrong-password-1"});
    let attempts = (0..20).map(|_| post_with(&app, &c, "/api/v1/auth/login", &token, &wrong));
    let codes: Vec<u16> = join_all(attempts).await.into_iter().map(|(code, _)| code).collect();
    assert_eq!(codes.iter().filter(|&&c| c == 401).count(), 5, "{codes:?}");
    assert_eq!(codes.iter().filter(|&&c| c == 429).count(), 15, "{codes:?}");
    // The right password waits out the window too.
    let (code, _) = sign_in(&app, &c, "demo.admin", DEMO_PASSWORD).await;
    assert_eq!(code, 429);
    // Another username is not affected.
    assert_eq!(sign_in(&app, &c, "demo.reviewer", DEMO_PASSWORD).await.0, 200);
}

#[tokio::test]
async fn attempts_are_limited_per_client_address_and_kept_in_the_database() {
    let mut app = spawn_with(|s| s.sign_in.max_attempts_per_address = 6).await;
    let c = jar_client();
    for i in 0..6 {
        let (code, _) = sign_in(&app, &c, &format!("nobody{i}"), "wrong-password-1").await;
        assert_eq!(code, 401);
    }
    let (code, err) = sign_in(&app, &c, "demo.researcher", DEMO_PASSWORD).await;
    assert_eq!((code, err["error"].as_str()), (429, Some("too_many_attempts")), "{err}");

    // The counters are rows (shared by every replica), holding no username.
    let db = app.db().await;
    let buckets = texts(&db, "SELECT bucket FROM login_attempts", &[]).await;
    assert!(buckets.contains(&"a:127.0.0.1".to_owned()), "{buckets:?}");
    assert!(buckets.iter().all(|b| b.len() <= 40 && !b.contains("nobody")), "{buckets:?}");

    // A new process on the same database still refuses.
    app.stop();
    let again = spawn_in(tempfile::tempdir().unwrap(), app.settings.clone()).await;
    let (code, _) = sign_in(&again, &jar_client(), "demo.researcher", DEMO_PASSWORD).await;
    assert_eq!(code, 429, "the limit outlives the process that counted it");
}

#[tokio::test]
async fn successful_sign_ins_do_not_use_up_an_address() {
    let app = spawn_with(|s| s.sign_in.max_attempts_per_address = 3).await;
    for _ in 0..6 {
        assert_eq!(sign_in(&app, &jar_client(), "demo.researcher", DEMO_PASSWORD).await.0, 200);
    }
}

#[tokio::test]
async fn forwarded_for_names_the_client_only_behind_a_trusted_proxy() {
    async fn attempt(app: &TestApp, forwarded: &str) -> u16 {
        let c = jar_client();
        let token = session_of(app, &c).await["csrf_token"].as_str().unwrap().to_owned();
        let res = c
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("x-csrf-token", token)
            .header("x-forwarded-for", forwarded)
            .json(&json!({"username": "nobody", "password": "wrong-password-1"}))
            .send()
            .await
            .unwrap();
        res.status().as_u16()
    }
    let limits = |s: &mut kairr_server::settings::Settings| {
        s.sign_in.max_attempts_per_address = 2;
        s.sign_in.max_attempts_per_username = 100;
    };
    // Not configured: the header is ignored, every attempt is 127.0.0.1's.
    let app = spawn_with(limits).await;
    assert_eq!(attempt(&app, "198.51.100.1").await, 401);
    assert_eq!(attempt(&app, "198.51.100.2").await, 401);
    assert_eq!(attempt(&app, "198.51.100.3").await, 429, "a forged header buys no new attempts");

    let app = spawn_with(|s| {
        limits(s);
        s.sign_in.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    assert_eq!(attempt(&app, "198.51.100.1").await, 401);
    assert_eq!(attempt(&app, "203.0.113.5, 198.51.100.1").await, 401);
    assert_eq!(attempt(&app, "198.51.100.1").await, 429, "the client is the rightmost untrusted hop");
    assert_eq!(attempt(&app, "198.51.100.2").await, 401, "another client behind the proxy");
}

#[tokio::test]
async fn an_overlong_username_is_refused_untouched_and_audited_truncated() {
    let app = spawn().await;
    let c = jar_client();
    // Far over any username, within the API's body limit.
    let huge = format!("{}\u{202e}", "x".repeat(50_000));
    let (code, err) = sign_in(&app, &c, &huge, "wrong-password-1").await;
    assert_eq!((code, err["error"].as_str()), (401, Some("bad_credentials")), "{err}");
    let db = app.db().await;
    let actors = texts(&db, "SELECT actor FROM audit_log WHERE action = 'sign_in_failed'", &[]).await;
    assert_eq!(actors.len(), 1);
    assert!(actors[0].chars().count() <= 33, "{} characters audited", actors[0].len());
    let body = texts(&db, "SELECT body FROM audit_log WHERE action = 'sign_in_failed'", &[]).await;
    assert!(body[0].len() < 1_000 && body[0].contains("invalid_username"), "{}", &body[0][..200.min(body[0].len())]);
    let buckets = texts(&db, "SELECT bucket FROM login_attempts", &[]).await;
    assert_eq!(buckets, ["a:127.0.0.1"], "only the address was counted");
}

#[tokio::test]
async fn sign_ins_and_failures_are_audited_without_the_password() {
    let app = spawn().await;
    let c = jar_client();
    assert_eq!(sign_in(&app, &c, "demo.reviewer", "wrong-password-1").await.0, 401);
    assert_eq!(sign_in(&app, &c, "demo.reviewer", DEMO_PASSWORD).await.0, 200);
    let db = app.db().await;
    let sql = "SELECT action FROM audit_log WHERE actor = $1 AND source = 'real' ORDER BY seq";
    let actions = texts(&db, sql, &[Arg::Text("demo.reviewer")]).await;
    assert_eq!(actions, ["sign_in_failed", "sign_in"]);
    let bodies = texts(&db, "SELECT body FROM audit_log WHERE actor = $1", &[Arg::Text("demo.reviewer")]).await;
    for b in &bodies {
        assert!(!b.contains("wrong-password-1") && !b.contains(DEMO_PASSWORD), "{b}");
        let v: Value = serde_json::from_str(b).unwrap();
        assert_eq!(v["subject"], json!({"kind": "account", "id": "demo.reviewer"}));
        assert_eq!(v["after"]["client"], "127.0.0.1");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(dir.path());
    support::db::use_fresh_database(&mut settings).await;
    let advisor = settings.static_dir.join("advisor");
    std::fs::create_dir_all(&advisor).unwrap();
    std::fs::write(advisor.join("index.html"), "<html><body><script type=\"module\">alert(1)</script></body></html>")
        .unwrap();
    let app = spawn_in(dir, settings).await;
    let c = reqwest::Client::new();
    let get = |path: &'static str| c.get(format!("{}{path}", app.base)).send();
    for res in [
        get("/api/v1/status").await.unwrap(),
        get("/").await.unwrap(),
        get("/healthz").await.unwrap(),
        get("/api/v1/nope").await.unwrap(),
        get("/api/v1/auth/session").await.unwrap(),
        c.delete(format!("{}/api/v1/status", app.base)).send().await.unwrap(),
    ] {
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        for part in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{} lacks {part}: {csp}", res.url());
        }
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
        assert!(h.get("strict-transport-security").is_none(), "no HSTS without TLS");
    }

    let tls = spawn_with(|s| s.cookie_secure = true).await;
    let res = reqwest::get(format!("{}/api/v1/status", tls.base)).await.unwrap();
    assert!(res.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
}

#[tokio::test]
async fn turning_demo_accounts_off_disables_them_and_ends_their_sessions() {
    let mut first = spawn().await;
    let c = first.client_as("demo.researcher").await;
    assert_eq!(c.get(format!("{}/api/v1/requests/mine", first.base)).send().await.unwrap().status(), 200);
    first.stop();

    let mut settings = first.settings.clone();
    settings.demo.accounts = false;
    let second = spawn_in(tempfile::tempdir().unwrap(), settings).await;
    // The same cookie jar: cookies are per host, not per port.
    assert_eq!(c.get(format!("{}/api/v1/requests/mine", second.base)).send().await.unwrap().status(), 401);
    assert!(session_of(&second, &c).await["user"].is_null());
    let (code, _) = sign_in(&second, &jar_client(), "demo.admin", DEMO_PASSWORD).await;
    assert_eq!(code, 401, "a disabled demo account cannot sign in");
    let db = second.db().await;
    assert_eq!(int(&db, "SELECT COUNT(*) FROM users WHERE demo = TRUE AND disabled = FALSE", &[]).await, 0);
}

#[tokio::test]
async fn demo_accounts_are_refused_where_a_real_deployment_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = test_settings(dir.path());
    s.demo.allow_accounts_anywhere = false;
    s.listen = "0.0.0.0:0".parse().unwrap();
    let err = Application::build(s.clone()).await.err().expect("refused").to_string();
    assert!(err.contains("demo.allow_accounts_anywhere"), "{err}");

    // PostgreSQL: refused before it is even connected to.
    s.listen = "127.0.0.1:0".parse().unwrap();
    s.database.url = Some(serde_json::from_value(json!("postgres://kairr@127.0.0.1:1/kairr")).unwrap());
    let err = Application::build(s).await.err().expect("refused").to_string();
    assert!(err.contains("PostgreSQL") && err.contains("demo.allow_accounts_anywhere"), "{err}");
}
