//! Integration tests of sign-in, sessions, CSRF and the route-walk guard.

use crate::support;

use serde_json::json;
use support::{spawn, DEMO_PASSWORD};

#[tokio::test]
async fn signing_in_and_out_with_a_demo_account() {
    let app = spawn().await;
    // Every answer of the session names the catalogue's pools (the pages show
    // pools by these names), each by its system's name and its own.
    let assert_names_pools = |s: &serde_json::Value| {
        let pools = s["pools"].as_array().unwrap();
        assert_eq!(pools.len(), 4, "{s}");
        let kisti = pools.iter().find(|p| p["id"] == "kisti6-gh200").unwrap();
        assert_eq!(kisti["name_ko"], "국가슈퍼컴퓨터 6호기 (KISTI-6) · GH200 배치 파티션");
        assert_eq!(kisti["name_en"], "KISTI-6 national supercomputer · GH200 batch partition");
    };
    let (_, s) = app.get_json("/api/v1/auth/session").await;
    assert!(s["user"].is_null());
    assert_names_pools(&s);
    let signed_in = json!({"username": "demo.committee", "password": DEMO_PASSWORD});
    let (code, s) = app.post_csrf("/api/v1/auth/login", &signed_in).await;
    assert_eq!(code, 200, "{s}");
    assert_names_pools(&s);
    let (_, s) = app.get_json("/api/v1/auth/session").await;
    assert_eq!(s["user"]["username"], "demo.committee");
    assert_eq!(s["user"]["role"], "committee");
    assert_names_pools(&s);
    let (code, s) = app.post_csrf("/api/v1/auth/logout", &json!({})).await;
    assert_eq!(code, 200);
    assert!(s["user"].is_null());
    assert_names_pools(&s);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_strict() {
    let app = spawn().await;
    // Anonymous: only the CSRF nonce cookie (no session is stored).
    let res = app.client.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("kairr_csrf="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let token: serde_json::Value = res.json().await.unwrap();
    // Signed in: the session cookie.
    let res = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .header("x-csrf-token", token["csrf_token"].as_str().unwrap())
        .json(&json!({"username": "demo.admin", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("kairr_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
}

#[tokio::test]
async fn a_wrong_password_is_a_401_and_repeated_failures_are_rate_limited() {
    let app = spawn().await;
    let body = json!({"username": "demo.admin", "password": "wrong-password-1"});
    for _ in 0..5 {
        let (code, err) = app.post_csrf("/api/v1/auth/login", &body).await;
        assert_eq!(code, 401);
        assert_eq!(err["error"], "bad_credentials");
    }
    let (code, err) = app.post_csrf("/api/v1/auth/login", &body).await;
    assert_eq!(code, 429, "{err}");
    // Even the right password waits out the lock.
    let (code, _) =
        app.post_csrf("/api/v1/auth/login", &json!({"username": "demo.admin", "password": DEMO_PASSWORD})).await;
    assert_eq!(code, 429);
}

#[tokio::test]
async fn state_changing_requests_without_the_csrf_token_are_refused() {
    let app = spawn().await;
    app.csrf().await;
    let res = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({"username": "demo.admin", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"], "csrf_failed");
    let res = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .header("x-csrf-token", "forged")
        .json(&json!({"username": "demo.admin", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

/// Endpoints anyone may call. Every other operation in the OpenAPI document
/// must declare `security` and refuse anonymous callers, so a new endpoint
/// cannot be left open by accident.
const PUBLIC: [&str; 37] = [
    "GET /api/v1/status",
    "GET /api/v1/status/history",
    "GET /api/v1/incidents",
    "GET /api/v1/incidents/{id}",
    "GET /api/v1/maintenance/{id}",
    "GET /incidents/{id}",
    "GET /maintenance/{id}",
    "GET /api/v1/events",
    "GET /api/v1/queues",
    "GET /api/v1/catalogue",
    "GET /api/v1/allocations/public",
    "GET /api/v1/rounds",
    "GET /api/v1/rounds/open",
    "GET /api/v1/organisations",
    "POST /api/v1/placement",
    "POST /api/v1/placement/workflow",
    "GET /api/v1/auth/session",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/logout",
    "POST /api/v1/auth/invite",
    "GET /api/v1/auth/oidc/{provider}/start",
    "GET /api/v1/auth/oidc/{provider}/callback",
    "GET /feed.atom",
    "GET /healthz",
    "GET /metrics",
    "GET /api/openapi.json",
    "GET /",
    "GET /index.html",
    "GET /allocations",
    "POST /api/v1/subscriptions",
    "POST /api/v1/subscriptions/unsubscribe",
    "GET /subscribe",
    "POST /subscribe",
    "GET /subscriptions/confirm",
    "POST /subscriptions/confirm",
    "GET /subscriptions/unsubscribe",
    "POST /subscriptions/unsubscribe",
];

#[tokio::test]
async fn every_route_in_the_openapi_document_is_public_by_decision_or_refuses_the_roles_it_must() {
    let app = spawn().await;
    let (_, doc) = app.get_json("/api/openapi.json").await;
    let roles = ["researcher", "reviewer", "committee", "admin"];
    let mut clients = Vec::new();
    for role in roles {
        let client = app.client_as(&format!("demo.{role}")).await;
        let s: serde_json::Value =
            client.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap().json().await.unwrap();
        clients.push((role, client, s["csrf_token"].as_str().unwrap().to_owned()));
    }
    // Every caller sends its own CSRF token, so what is tested is the role check.
    let anon_token = app.csrf().await;
    let mut protected = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let key = format!("{} {path}", method.to_uppercase());
            if PUBLIC.contains(&key.as_str()) {
                continue;
            }
            let allowed: Vec<&str> = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{key} is neither public nor protected"))
                .iter()
                .flat_map(|req| req["session"].as_array().into_iter().flatten().filter_map(|r| r.as_str()))
                .collect();
            assert!(!allowed.is_empty(), "{key} names no role");
            let url = format!("{}{}", app.base, fill_params(path));
            let method: reqwest::Method = method.to_uppercase().parse().unwrap();
            let anon = app
                .client
                .request(method.clone(), &url)
                .header("x-csrf-token", &anon_token)
                .json(&json!({}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            assert_eq!(anon, 401, "{key} answered {anon} to an anonymous caller");
            for (role, client, token) in &clients {
                let code = client
                    .request(method.clone(), &url)
                    .header("x-csrf-token", token)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16();
                if allowed.contains(role) {
                    assert!(!matches!(code, 401 | 403), "{key} refused {role}, which it must allow ({code})");
                } else {
                    assert_eq!(code, 403, "{key} answered {code} to {role}, which it must refuse");
                }
            }
            protected += 1;
        }
    }
    assert!(protected >= 3, "the committee endpoints are walked ({protected})");
}

/// Replaces each `{param}` of an OpenAPI path with `1`.
fn fill_params(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') && seg.ends_with('}') { "1" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}
