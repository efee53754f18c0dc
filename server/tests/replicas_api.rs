//! Integration tests of replication: programme events over SSE (both
//! backends), and two replicas sharing one PostgreSQL database: one polls,
//! both serve its snapshots, events cross over, and the survivor takes over.

#![allow(clippy::unwrap_used)] // the helpers above the tests are test code that fails fast

use crate::support;

use std::future::Future;
use std::time::Duration;

use support::db::{execute, fresh_postgres, postgres_server, Arg};
use support::sse::SseClient;
use support::{spawn, spawn_in, test_settings, TestApp};

/// A metric of the app's `/metrics` (0 when absent).
async fn metric(app: &TestApp, name: &str) -> f64 {
    let text = app.client.get(format!("{}/metrics", app.base)).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

const LEADER: &str = "kairr_replica_leader";
const PUBLISHED: &str = "kairr_replica_snapshots_published_total";
const RELAYED: &str = "kairr_replica_snapshots_relayed_total";

/// Polls `check` every 200 ms until it holds; panics after `within`.
async fn eventually<F: Future<Output = bool>>(within: Duration, what: &str, mut check: impl FnMut() -> F) {
    let start = std::time::Instant::now();
    while !check().await {
        assert!(start.elapsed() < within, "not within {within:?}: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn status(app: &TestApp) -> serde_json::Value {
    app.get_json("/api/v1/status").await.1
}

/// Copies a rejected demo request back under review (id 90001); returns its round.
async fn request_under_review(app: &TestApp) -> String {
    let committee = app.client_as("demo.committee").await;
    let url = format!("{}/api/v1/committee/requests?state=rejected&per_page=1", app.base);
    let page: serde_json::Value = committee.get(url).send().await.unwrap().json().await.unwrap();
    let mut request = page["items"][0]["request"].clone();
    request["id"] = 90_001.into();
    request["state"] = "under_review".into();
    let body = request.to_string();
    let round = request["round"].as_str().unwrap().to_owned();
    execute(
        &app.db().await,
        "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) \
         VALUES (90001, $1, 'x', $2, $3, 'under_review', 'real', $4)",
        &[
            Arg::Text(&round),
            Arg::Text(request["organisation"].as_str().unwrap()),
            Arg::Text(request["sector"].as_str().unwrap()),
            Arg::Text(&body),
        ],
    )
    .await
    .unwrap();
    support::db::open_for_decisions(&app.db().await, &round).await;
    round
}

/// The committee rejects request 90001 through `app`.
async fn reject(app: &TestApp) {
    let committee = app.client_as("demo.committee").await;
    let s: serde_json::Value =
        committee.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap().json().await.unwrap();
    let res = committee
        .post(format!("{}/api/v1/committee/requests/90001/decision", app.base))
        .header("x-csrf-token", s["csrf_token"].as_str().unwrap())
        .json(&serde_json::json!({"kind": "reject", "rationale": "범위가 과제 목표를 벗어남"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_decision_reaches_sse_clients_as_a_programme_event_naming_only_round_and_change() {
    let app = spawn().await;
    assert_eq!(metric(&app, LEADER).await, 1.0, "a lone replica polls the sources");
    let round = request_under_review(&app).await;
    let mut sse = SseClient::connect(&app.base).await;
    sse.next("status", Duration::from_secs(10)).await;
    reject(&app).await;
    let event = sse.next("programme", Duration::from_secs(5)).await;
    assert_eq!(event["round"], round.as_str());
    assert_eq!(event["change"], "decision");
    let keys: Vec<&String> = event.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["at", "change", "round"], "the public stream carries no request or applicant");
}

#[tokio::test]
async fn two_replicas_on_one_postgres_poll_once_serve_the_same_state_and_take_over() {
    let Some(server) = postgres_server() else {
        eprintln!("skipped: two replicas need PostgreSQL (set KAIRR_TEST_DATABASE_URL; ./kairr test does)");
        return;
    };
    let url = fresh_postgres(&server).await;
    let replica = || {
        let dir = tempfile::tempdir().unwrap();
        let mut s = test_settings(dir.path());
        s.database.url = Some(serde_json::from_value(serde_json::Value::String(url.clone())).unwrap());
        s.database.leader_retry_seconds = 1;
        (dir, s)
    };
    let (dir, settings) = replica();
    let mut a = spawn_in(dir, settings).await;
    let (dir, settings) = replica();
    let b = spawn_in(dir, settings).await;

    // Exactly one replica polls.
    assert_eq!((metric(&a, LEADER).await, metric(&b, LEADER).await), (1.0, 0.0));

    // Both serve the same snapshot (the same JSON, not merely the same time),
    // and B follows A's newer snapshots, not only the one it started with.
    let started = status(&b).await["updated_at"].as_str().unwrap().to_owned();
    eventually(Duration::from_secs(10), "A and B serve the same, newer /api/v1/status", || async {
        let (sa, sb) = (status(&a).await, status(&b).await);
        sa == sb
            && sb["updated_at"].as_str().unwrap() > started.as_str()
            && !sa["systems"].as_array().unwrap().is_empty()
    })
    .await;

    // An SSE client on B receives the snapshots A's poller produces.
    let mut sse = SseClient::connect(&b.base).await;
    let first = sse.next("status", Duration::from_secs(10)).await;
    let next = sse.next("status", Duration::from_secs(10)).await;
    assert!(next["updated_at"].as_str() > first["updated_at"].as_str(), "{first} then {next}");
    assert_eq!(metric(&b, PUBLISHED).await, 0.0, "B never polled");
    assert!(metric(&b, RELAYED).await >= 1.0);
    assert!(metric(&a, PUBLISHED).await >= 2.0);

    // A committee decision through A reaches B's SSE clients.
    let round = request_under_review(&a).await;
    reject(&a).await;
    let event = sse.next("programme", Duration::from_secs(10)).await;
    assert_eq!((event["round"].as_str(), event["change"].as_str()), (Some(round.as_str()), Some("decision")));

    // Sessions live in the database: signed in through A is signed in on B
    // (cookies ignore the port, as behind one address).
    let committee = a.client_as("demo.committee").await;
    let on_b: serde_json::Value =
        committee.get(format!("{}/api/v1/auth/session", b.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(on_b["user"]["username"], "demo.committee", "{on_b}");

    // A stops: B takes the lock over and polls by itself.
    a.stop();
    eventually(Duration::from_secs(20), "B takes over polling", || async {
        metric(&b, LEADER).await == 1.0 && metric(&b, PUBLISHED).await >= 1.0
    })
    .await;
    let before = sse.next("status", Duration::from_secs(10)).await;
    let after = sse.next("status", Duration::from_secs(10)).await;
    assert!(after["updated_at"].as_str() > before["updated_at"].as_str(), "B's own poller moves the state on");
}
