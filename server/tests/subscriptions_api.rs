//! Status-page subscriptions (issue 10 §3), against the real SMTP server
//! (aiosmtpd) and a webhook receiver on loopback: e-mail double opt-in (no
//! event before the link is confirmed; the link's GET only shows a button),
//! one-click unsubscribe (RFC 8058, no session), only the chosen systems;
//! webhooks signed (HMAC-SHA256 checked here independently), retried after a
//! failure, ended by a 410; webhooks to the portal's own network refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: failing fast is the point

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::notifications_api::{received, spawn_mailing, start_sink};
use crate::prom_rig::free_port;
use crate::support::db::{execute, int, Arg};
use crate::support::{spawn_with, TestApp};

fn incident(system: &str, title_en: &str) -> serde_json::Value {
    json!({
        "system": system, "pool": "", "impact": "partial_outage",
        "title_ko": format!("{title_en} (한국어)"), "title_en": title_en,
        "body_ko": "원인을 조사하고 있습니다.", "body_en": "We are investigating."
    })
}

fn update(state: &str) -> serde_json::Value {
    json!({"state": state, "body_ko": "진행 상황입니다.", "body_en": "Progress so far."})
}

/// The e-mails (summary JSON and raw message) whose subject holds `needle`.
fn mails_about(dir: &Path, needle: &str) -> Vec<(serde_json::Value, String)> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|p| {
            let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
            let raw = std::fs::read_to_string(p.with_extension("eml")).unwrap_or_default();
            summary["subject"].as_str().unwrap_or_default().contains(needle).then_some((summary, raw))
        })
        .collect()
}

async fn wait_until<T>(within: Duration, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(Instant::now() < deadline, "{what} within {within:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `/subscribe` as a browser without JavaScript: the form's CSRF field, then the post.
async fn subscribe_by_form(app: &TestApp, form: &[(&str, &str)]) -> (u16, String) {
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let page = client.get(format!("{}/subscribe?lang=en", app.base)).send().await.unwrap().text().await.unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_owned();
    let mut fields: Vec<(&str, &str)> = form.to_vec();
    fields.push(("csrf", &csrf));
    let res = client.post(format!("{}/subscribe?lang=en", app.base)).form(&fields).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn an_email_subscription_starts_only_when_confirmed_follows_its_systems_and_ends_in_one_click() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let _sink = start_sink(port, dir.path());
    let app = spawn_mailing(port).await;
    let operator = app.caller("demo.operator").await;

    // A form post without its CSRF field is refused.
    let bare = reqwest::Client::new()
        .post(format!("{}/subscribe", app.base))
        .form(&[("kind", "email"), ("target", "kim@example.kr")])
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status().as_u16(), 403);
    // Bad input comes back on the form, at its field.
    let (code, page) = subscribe_by_form(&app, &[("kind", "email"), ("target", "not an address")]).await;
    assert_eq!(code, 400);
    assert!(page.contains("subscribe-errors") && page.contains("Enter a valid e-mail address"), "{page}");

    let (code, page) = subscribe_by_form(
        &app,
        &[("kind", "email"), ("target", "Kim@Example.KR"), ("systems", "kisti6"), ("locale", "en")],
    )
    .await;
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("subscribe-pending"), "{page}");

    // The opt-in e-mail, in English, to the address as given (lower-cased).
    let (confirm, _) = wait_until(Duration::from_secs(20), "the confirmation e-mail", || {
        mails_about(dir.path(), "confirm your status subscription").into_iter().next()
    })
    .await;
    assert_eq!(confirm["rcpt_tos"], json!(["kim@example.kr"]));
    let body = confirm["body"].as_str().unwrap();
    let link = body.split_whitespace().find(|w| w.contains("/subscriptions/confirm?token=")).unwrap().to_owned();
    assert!(link.starts_with("https://kairr.test/subscriptions/confirm?token="), "{link}");
    let token = link.split("token=").nth(1).unwrap().to_owned();

    // Nothing is sent before the owner confirms (an incident now is not theirs).
    let (code, early) = operator.post("/api/v1/ops/incidents", &incident("kisti6", "Before confirmation")).await;
    assert_eq!(code, 200, "{early}");
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(mails_about(dir.path(), "Before confirmation").is_empty());

    // Opening the link shows a button (a mail scanner confirms nothing); the button confirms.
    let page = reqwest::get(format!("{}/subscriptions/confirm?token={token}&lang=en", app.base)).await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("link-button"));
    let db = app.db().await;
    const IN_STATE: &str = "SELECT COUNT(*) FROM subscriptions WHERE state = $1";
    assert_eq!(int(&db, IN_STATE, &[Arg::Text("pending")]).await, 1);
    let forged = format!("{}{}", &token[..token.len() - 1], if token.ends_with('0') { '1' } else { '0' });
    let bad =
        reqwest::Client::new().post(format!("{}/subscriptions/confirm?token={forged}", app.base)).send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 404);
    let done =
        reqwest::Client::new().post(format!("{}/subscriptions/confirm?token={token}", app.base)).send().await.unwrap();
    assert_eq!(done.status().as_u16(), 200);
    assert!(done.text().await.unwrap().contains("link-done"));
    assert_eq!(int(&db, IN_STATE, &[Arg::Text("active")]).await, 1);

    // From now on: an incident of a followed system, once; another system's, never.
    let (_, other) = app.get_json("/api/v1/catalogue").await;
    let other_system = other["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .find(|id| *id != "kisti6")
        .unwrap()
        .to_owned();
    let (_, elsewhere) = operator.post("/api/v1/ops/incidents", &incident(&other_system, "Elsewhere outage")).await;
    assert!(elsewhere["id"].is_string());
    let (_, followed) = operator.post("/api/v1/ops/incidents", &incident("kisti6", "Followed outage")).await;
    let id = followed["id"].as_str().unwrap().to_owned();
    let (mail, raw) = wait_until(Duration::from_secs(20), "the incident e-mail", || {
        mails_about(dir.path(), "Followed outage").into_iter().next()
    })
    .await;
    assert_eq!(mail["rcpt_tos"], json!(["kim@example.kr"]));
    assert!(mail["subject"].as_str().unwrap().starts_with("[KAIRR] Incident: Followed outage"), "{mail}");
    assert!(mail["body"].as_str().unwrap().contains("We are investigating."), "{mail}");
    assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{raw}");
    let unsubscribe = raw
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .map(|l| l.trim_end_matches('>').to_owned())
        .unwrap();
    assert!(unsubscribe.starts_with("https://kairr.test/subscriptions/unsubscribe?token="), "{unsubscribe}");
    // An update is one more e-mail; the first is not sent twice.
    let (code, _) = operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("identified")).await;
    assert_eq!(code, 200);
    wait_until(Duration::from_secs(20), "the update e-mail", || {
        (mails_about(dir.path(), "Followed outage").len() >= 2).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let about = mails_about(dir.path(), "Followed outage");
    assert_eq!(about.len(), 2, "{about:?}");
    assert!(about[1].0["subject"].as_str().unwrap().contains("Incident update"));
    assert!(mails_about(dir.path(), "Before confirmation").is_empty());
    assert!(mails_about(dir.path(), "Elsewhere outage").is_empty());

    // Opening the header's address shows the button; one click, as a mail client posts it (no
    // session, no CSRF token), ends it.
    let path = unsubscribe.trim_start_matches("https://kairr.test");
    let page = reqwest::get(format!("{}{path}", app.base)).await.unwrap().text().await.unwrap();
    assert!(page.contains("link-button") && page.contains("k***@example.kr"), "{page}");
    assert_eq!(int(&db, IN_STATE, &[Arg::Text("active")]).await, 1, "a GET ends nothing");
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("link-done"));
    assert_eq!(int(&db, IN_STATE, &[Arg::Text("unsubscribed")]).await, 1);
    // The API's one-click endpoint takes the same token (again: nothing changes).
    let token = path.split("token=").nth(1).unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/subscriptions/unsubscribe?token={token}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let view: serde_json::Value = res.json().await.unwrap();
    assert_eq!((view["state"].as_str(), view["target"].as_str()), (Some("unsubscribed"), Some("k***@example.kr")));
    let (code, _) = operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("resolved")).await;
    assert_eq!(code, 200);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(mails_about(dir.path(), "Followed outage").len(), 2, "nothing after unsubscribing");
    let forged = reqwest::Client::new()
        .post(format!("{}/api/v1/subscriptions/unsubscribe?token=1.deadbeef", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 404);
    assert!(received(dir.path()).len() >= 3);
}

/// What the receiver got: (headers, body).
type Got = Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>;

/// A webhook receiver on loopback answering `codes` in turn (then 200).
async fn receiver(codes: Vec<u16>) -> (String, Got) {
    let got: Got = Arc::default();
    let answers = Arc::new(Mutex::new(codes.into_iter()));
    let (g, a) = (got.clone(), answers.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let (g, a) = (g.clone(), a.clone());
            async move {
                // Only the test's own events take the scripted answers (the demo's incidents get 200).
                let code = if body.contains("Webhook outage") { a.lock().unwrap().next().unwrap_or(200) } else { 200 };
                g.lock().unwrap().push((headers, body));
                axum::http::StatusCode::from_u16(code).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), got)
}

fn hmac_hex(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn webhooks_are_signed_retried_and_ended_by_a_410_and_may_not_aim_inside() {
    // By default the portal never calls loopback or plain http.
    let strict = spawn_with(|_| {}).await;
    let (code, err) = strict
        .post_csrf("/api/v1/subscriptions", &json!({"kind": "webhook", "target": "http://127.0.0.1:9/hook"}))
        .await;
    assert_eq!((code, err["fields"][0]["field"].as_str()), (400, Some("target")), "{err}");
    let (code, err) =
        strict.post_csrf("/api/v1/subscriptions", &json!({"kind": "email", "target": "kim@example.kr"})).await;
    assert_eq!((code, err["error"].as_str()), (409, Some("mail_not_configured")), "{err}");
    drop(strict);

    let (url, got) = receiver(vec![500, 200, 200, 410]).await;
    let app = spawn_with(|s| {
        s.webhooks.allow_http = true;
        s.webhooks.allow_private = true;
    })
    .await;
    let (code, sub) =
        app.post_csrf("/api/v1/subscriptions", &json!({"kind": "webhook", "target": url, "systems": ["kisti6"]})).await;
    assert_eq!(code, 202, "{sub}");
    assert_eq!(sub["state"], "active");
    let secret = sub["secret"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 32 && sub["manage_token"].is_string());

    let operator = app.caller("demo.operator").await;
    let (_, posted) = operator.post("/api/v1/ops/incidents", &incident("kisti6", "Webhook outage")).await;
    let id = posted["id"].as_str().unwrap().to_owned();
    let ours = |got: &Got| -> Vec<(axum::http::HeaderMap, String)> {
        got.lock().unwrap().iter().filter(|(_, b)| b.contains("Webhook outage")).cloned().collect()
    };
    // The first attempt is answered 500: it waits (backoff), then goes again.
    wait_until(Duration::from_secs(20), "the first attempt", || (!ours(&got).is_empty()).then_some(())).await;
    let db = app.db().await;
    let waiting = int(&db, "SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND attempts = 1", &[]).await;
    assert_eq!(waiting, 1, "the failed delivery waits with its attempt counted");
    execute(&db, "UPDATE deliveries SET next_attempt_at = 0 WHERE status = 'pending'", &[]).await.unwrap();
    wait_until(Duration::from_secs(20), "the retry", || (ours(&got).len() >= 2).then_some(())).await;

    let (headers, body) = ours(&got)[1].clone();
    let event: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!((event["kind"].as_str(), event["system_id"].as_str()), (Some("incident_opened"), Some("kisti6")));
    assert_eq!(event["key"], format!("incident:{id}:0"));
    assert_eq!(headers["x-kairr-event"], "incident_opened");
    let signature = headers["x-kairr-signature"].to_str().unwrap();
    let (t, v1) = signature.strip_prefix("t=").and_then(|r| r.split_once(",v1=")).unwrap();
    assert_eq!(v1, hmac_hex(&secret, &format!("{t}.{body}")), "the signature checks out with the secret");
    assert_ne!(v1, hmac_hex("another secret", &format!("{t}.{body}")));
    assert_eq!(ours(&got)[0].1, body, "the retry sends the same event");

    // An update goes out (200); the next is answered 410 Gone: the subscription ends.
    operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("identified")).await;
    wait_until(Duration::from_secs(20), "the update", || (ours(&got).len() >= 3).then_some(())).await;
    operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("monitoring")).await;
    wait_until(Duration::from_secs(20), "the 410", || (ours(&got).len() >= 4).then_some(())).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(int(&db, "SELECT COUNT(*) FROM subscriptions WHERE state = 'unsubscribed'", &[]).await, 1);
    operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("resolved")).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(ours(&got).len(), 4, "nothing after the 410");
}
