//! Integration tests of SSE, the feed, health, metrics, OpenAPI and static files.

use crate::support;

use std::time::Duration;

use futures_util::StreamExt;
use support::spawn;

#[tokio::test]
async fn events_push_each_new_snapshot() {
    let app = spawn().await;
    let res = app.client.get(format!("{}/api/v1/events", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut stream = res.bytes_stream();
    let mut text = String::new();
    let read = async {
        while text.matches("event: status").count() < 2 {
            let chunk = stream.next().await.unwrap().unwrap();
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read).await.expect("two status events within 10 s");
    let stamps: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str::<serde_json::Value>(d).unwrap()["updated_at"].as_str().unwrap().to_owned())
        .collect();
    assert!(stamps.len() >= 2);
    assert!(stamps[1] > stamps[0], "the second event is a newer snapshot: {stamps:?}");
}

#[tokio::test]
async fn the_atom_feed_lists_maintenance_and_incidents() {
    let app = spawn().await;
    let res = app.client.get(format!("{}/feed.atom", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let body = res.text().await.unwrap();
    let feed: atom_syndication::Feed = body.parse().unwrap();
    assert!(!feed.entries().is_empty());
    assert!(feed.entries().iter().any(|e| e.id().starts_with("urn:kairr:maintenance:")));
}

#[tokio::test]
async fn health_and_metrics_report_the_server_itself() {
    let app = spawn().await;
    let (code, body) = app.get_json("/healthz").await;
    assert_eq!(code, 200);
    assert_eq!(body["status"], "ok");
    app.get_json("/api/v1/status").await;
    let text = app.client.get(format!("{}/metrics", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(
        text.contains("kairr_http_requests_total{method=\"GET\",route=\"/api/v1/status\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(text.contains("kairr_http_request_duration_seconds_bucket"));
    assert!(text.contains("kairr_status_snapshot_age_seconds"));
}

#[tokio::test]
async fn metrics_can_require_a_token() {
    let app = support::spawn_with(|s| s.metrics_token = Some(serde_json::from_str("\"t0ken\"").unwrap())).await;
    let url = format!("{}/metrics", app.base);
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(app.client.get(&url).bearer_auth("t0ken").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_openapi_document_covers_every_route() {
    let app = spawn().await;
    let (code, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(code, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/status",
        "/api/v1/status/history",
        "/api/v1/incidents",
        "/api/v1/events",
        "/feed.atom",
        "/healthz",
        "/metrics",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing from OpenAPI");
    }
    for path in ["/api/v1/placement", "/api/v1/placement/workflow"] {
        assert!(doc["paths"][path]["post"].is_object(), "{path} missing from OpenAPI");
    }
    assert!(doc["components"]["schemas"]["StatusSummary"].is_object());
}

#[tokio::test]
async fn unknown_addresses_get_the_404_page_and_assets_are_cached_and_compressed() {
    let app = spawn().await;
    let res = app.client.get(format!("{}/some/client/route", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let html = res.text().await.unwrap();
    assert!(html.contains(&kairr_shared::i18n::t(kairr_shared::i18n::Locale::Ko, "not_found.title")), "{html}");
    let res = app
        .client
        .get(format!("{}/kairr-app-9f86d081884c7d65_bg.wasm", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert!(app.static_dir.exists());
    // A client that takes brotli gets the build's .br file, not a fresh compression.
    let res = app
        .client
        .get(format!("{}/kairr-app-9f86d081884c7d65_bg.wasm", app.base))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["vary"], "accept-encoding", "a shared cache keeps one copy per encoding");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"precompressed brotli");
    // Without Accept-Encoding: the file itself.
    let res = app
        .client
        .get(format!("{}/kairr-app-9f86d081884c7d65_bg.wasm", app.base))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.bytes().await.unwrap().len(), 4096);
}

#[tokio::test]
async fn the_status_page_arrives_with_the_live_status_in_the_chosen_language() {
    let app = spawn().await;
    let status: serde_json::Value =
        app.client.get(format!("{}/api/v1/status", app.base)).send().await.unwrap().json().await.unwrap();
    let res = app.client.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    // The language comes from a cookie; a live refresh asks for the page's live part.
    assert_eq!(res.headers()["vary"], "accept-encoding, cookie, x-kairr-part");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    let live = app.client.get(format!("{}/", app.base)).header("x-kairr-part", "live").send().await.unwrap();
    let live = live.text().await.unwrap();
    let systems_n = status["systems"].as_array().unwrap().len();
    assert_eq!(live.matches("data-kept").count(), systems_n, "the live part keeps a place per system");
    assert!(!live.contains("data-testid=\"uptime-day\""), "the live part has no histories");
    assert!(html.starts_with("<!doctype html><html lang=\"ko\">"), "{html:.80}");
    assert!(html.ends_with("<noscript>js</noscript></body></html>"));
    // Every system and pool as HTML, in Korean by default.
    let systems = status["systems"].as_array().unwrap();
    let pools: usize = systems.iter().map(|s| s["pools"].as_array().unwrap().len()).sum();
    assert_eq!(html.matches("data-testid=\"system\"").count(), systems.len());
    assert_eq!(html.matches("data-testid=\"pool-card\"").count(), pools);
    assert!(html.contains(&kairr_shared::i18n::ts(kairr_shared::i18n::Locale::Ko, "system.section_title")));
    // The page is the only rendering of the status: no second copy as JSON for the browser.
    assert!(!html.contains("id=\"kairr-initial\""));
    // Each system's history is drawn by the server: 90 days of uptime and a load chart named after it
    // (a first rendering the database was too slow for fills in within seconds).
    let mut html = html;
    for _ in 0..20 {
        if html.contains("data-testid=\"uptime-day\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        html = app.client.get(format!("{}/", app.base)).send().await.unwrap().text().await.unwrap();
    }
    assert_eq!(html.matches("data-testid=\"uptime-day\"").count(), 90 * systems.len());
    for s in systems {
        let name = s["name_ko"].as_str().unwrap();
        assert!(
            html.contains(&format!("data-testid=\"load-chart\" role=\"img\" aria-label=\"{name}, 최근 24시간")),
            "{name}"
        );
    }
    // The language cookie the app sets picks English.
    let res = app.client.get(format!("{}/", app.base)).header("cookie", "kairr_locale=en").send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.starts_with("<!doctype html><html lang=\"en\">"));
    assert!(html.contains(&kairr_shared::i18n::ts(kairr_shared::i18n::Locale::En, "system.section_title")));
    // An address no page has is a 404 page (in the language asked), not the status app's shell.
    let res = app.client.get(format!("{}/no/such/page?lang=en", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains(&kairr_shared::i18n::t(kairr_shared::i18n::Locale::En, "not_found.title")), "{html}");
    assert!(!html.contains(support::INDEX_HTML));
    let res = app.client.get(format!("{}/index.html", app.base)).send().await.unwrap();
    assert_eq!(res.url().path(), "/", "/index.html leads to the status page");
}

#[tokio::test]
async fn the_allocations_page_arrives_with_its_round_in_it() {
    let app = spawn().await;
    let public: serde_json::Value =
        app.client.get(format!("{}/api/v1/allocations/public", app.base)).send().await.unwrap().json().await.unwrap();
    let res = app.client.get(format!("{}/allocations", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["vary"], "accept-encoding, cookie");
    let html = res.text().await.unwrap();
    let title = public["title_ko"].as_str().unwrap();
    assert!(html.contains(&format!("data-testid=\"round-title\">{title}</h3>")), "the round's title as HTML");
    assert!(
        html.contains("/allocations-app/kairr-allocations.js"),
        "the page is the transparency app's, not the programme's"
    );
    let start = html.find("id=\"kairr-initial\">").unwrap() + "id=\"kairr-initial\">".len();
    let json = &html[start..start + html[start..].find("</script>").unwrap()];
    let initial: kairr_shared::allocation::InitialPublicRound = serde_json::from_str(json).unwrap();
    assert_eq!(initial.requested, None);
    assert_eq!(serde_json::to_value(&initial.page).unwrap(), public, "the same page the API serves");
    // An unknown round: the page still comes, without a round (the app says why).
    let res = app.client.get(format!("{}/allocations?round=no-such-round", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(!html.contains("data-testid=\"round-title\""));
    assert!(html.contains("id=\"kairr-initial\">null</script>"));
}
