//! The Prometheus source against a real Prometheus (Debian's `prometheus`)
//! started by the test, scraping DCGM-style `/metrics` served by the test
//! every second: the portal's pool figures match the served values; when
//! Prometheus stops, that system turns stale with a reason and keeps its last
//! values while the demo systems stay fresh; when it returns, the system
//! recovers by itself. All through `GET /api/v1/status`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::prom_rig;
use crate::support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kairr_server::settings::SystemSources;
use kairr_server::source::prometheus::PrometheusConfig;
use kairr_shared::telemetry::PoolQueries;
use prom_rig::{dcgm, free_port, Exporter, Prometheus};
use serde_json::Value;

async fn kakao(app: &support::TestApp) -> (Value, Value) {
    let (code, body) = app.get_json("/api/v1/status").await;
    assert_eq!(code, 200);
    let sys = body["systems"].as_array().unwrap().iter().find(|s| s["id"] == "kakao").unwrap().clone();
    (body, sys)
}

/// Polls the status until `ok` holds for the kakao system, or fails after `secs`.
async fn wait_for(app: &support::TestApp, secs: u64, what: &str, ok: impl Fn(&Value) -> bool) -> (Value, Value) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let (body, sys) = kakao(app).await;
        if ok(&sys) {
            return (body, sys);
        }
        assert!(Instant::now() < deadline, "{what} within {secs} s; last kakao: {sys:#}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn pool(sys: &Value) -> &Value {
    &sys["pools"][0]
}

fn others_fresh(body: &Value) {
    assert_eq!(body["stale"], false, "the snapshot itself keeps updating");
    for s in body["systems"].as_array().unwrap().iter().filter(|s| s["id"] != "kakao") {
        assert_eq!(s["stale"], false, "{} must stay fresh", s["id"]);
        assert_eq!(s["source"], "demo");
        assert!(s.get("stale_reason").is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kakao_follows_a_real_prometheus_goes_stale_when_it_stops_and_recovers() {
    let g1 = Exporter::start(Some(dcgm("g1", &[(87, 700.0), (13, 300.0)]))).await;
    let g2 = Exporter::start(Some(dcgm("g2", &[(100, 650.0), (50, 350.0)]))).await;
    let g3 = Exporter::start(None).await; // a node whose exporter does not answer: up == 0
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut prom = Prometheus::start(dir.path(), port, &[g1.addr, g2.addr, g3.addr]);
    let config = PrometheusConfig {
        url: format!("http://127.0.0.1:{port}"),
        interval_seconds: 1,
        timeout_seconds: 2,
        backoff_max_seconds: 1,
        bearer_token: None,
        max_response_bytes: kairr_server::source::prometheus::default_max_response_bytes(),
        pools: BTreeMap::from([(
            "kakao-b200".to_owned(),
            PoolQueries { selector: r#"job="dcgm""#.into(), ..PoolQueries::default() },
        )]),
    };
    let app = support::spawn_with(move |s| {
        s.sources.insert("kakao".into(), SystemSources { prometheus: Some(config), ..SystemSources::default() });
    })
    .await;

    // Prometheus's first scrape lands after ~5 s (its target discovery runs every 5 s).
    let (body, sys) = wait_for(&app, 40, "kakao shows all three nodes", |s| {
        s["stale"] == false && pool(s)["nodes"]["total"] == 3 && pool(s)["power_kw"] == 2.0
    })
    .await;
    assert_eq!(sys["source"], "prometheus");
    let p = pool(&sys);
    assert_eq!(p["nodes"], serde_json::json!({"total": 3, "up": 2, "down": 1, "drained": 0}));
    assert_eq!(p["gpu_utilisation"], 0.625, "mean of per-node means (50 %, 75 %)");
    assert_eq!(p["utilisation"], 0.625);
    assert_eq!(p["gpus"][0]["total"], 24);
    assert_eq!(p["gpus"][0]["allocated"], 10, "0.625 × 16 GPUs on answering nodes");
    assert_eq!(p["gpus"][0]["unavailable"], 8);
    assert_eq!(p["status"], "partial_outage", "1 of 3 nodes not answering");
    assert_eq!(sys["status"], "partial_outage");
    assert!(sys.get("stale_reason").is_none());
    assert!(sys["last_good_at"].is_string());
    others_fresh(&body);

    // A new reading reaches the page within a few scrapes.
    g1.set(Some(dcgm("g1", &[(20, 400.0), (20, 400.0)])));
    g3.set(Some(dcgm("g3", &[(25, 100.0)])));
    let (_, sys) = wait_for(&app, 20, "kakao follows the new values", |s| {
        pool(s)["nodes"]["up"] == 3 && pool(s)["gpu_utilisation"] == 0.4
    })
    .await;
    let p = pool(&sys);
    assert_eq!(p["power_kw"], 1.9, "800 + 1000 + 100 W");
    assert_eq!(p["status"], "operational");
    let good_before = sys["last_good_at"].as_str().unwrap().to_owned();

    // Prometheus goes away: kakao turns stale with a reason, keeps its values.
    prom.stop();
    let (body, sys) = wait_for(&app, 15, "kakao turns stale", |s| s["stale"] == true).await;
    let reason = sys["stale_reason"].as_str().unwrap();
    assert!(reason.starts_with("prometheus:kakao:"), "{reason}");
    // Refused at once ("connect"), or cut off mid-answer when it stopped during a poll ("network").
    let lower = reason.to_lowercase();
    assert!(lower.contains("connect") || lower.contains("network error"), "names the failure: {reason}");
    let p = pool(&sys);
    assert_eq!((p["gpu_utilisation"].clone(), p["power_kw"].clone()), (0.4.into(), 1.9.into()), "last good data stays");
    assert_eq!(p["nodes"]["up"], 3);
    assert!(sys["last_good_at"].as_str().unwrap() >= good_before.as_str());
    others_fresh(&body);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (body, sys) = kakao(&app).await;
    assert_eq!(sys["stale"], true, "still stale while Prometheus is down");
    others_fresh(&body);

    // Prometheus returns on the same address: kakao recovers by itself.
    g2.set(Some(dcgm("g2", &[(45, 500.0), (45, 500.0)])));
    let _prom = Prometheus::start(&prom.dir, prom.port, &[g1.addr, g2.addr, g3.addr]);
    let (body, sys) =
        wait_for(&app, 40, "kakao recovers", |s| s["stale"] == false && pool(s)["gpu_utilisation"] == 0.3).await;
    assert!(sys.get("stale_reason").is_none());
    assert!(sys["last_good_at"].as_str().unwrap() > good_before.as_str());
    others_fresh(&body);
}

#[tokio::test]
async fn garbage_from_the_source_marks_the_system_stale_and_leaves_the_others() {
    // Not Prometheus: an HTML error page where the API should be.
    let app_fake = axum::Router::new().fallback(|| async { (axum::http::StatusCode::BAD_GATEWAY, "<html>502</html>") });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app_fake).await });
    let config = PrometheusConfig {
        url: format!("http://{addr}"),
        interval_seconds: 1,
        timeout_seconds: 1,
        backoff_max_seconds: 1,
        bearer_token: None,
        max_response_bytes: kairr_server::source::prometheus::default_max_response_bytes(),
        pools: BTreeMap::from([("kakao-b200".to_owned(), PoolQueries::default())]),
    };
    let app = support::spawn_with(move |s| {
        s.sources.insert("kakao".into(), SystemSources { prometheus: Some(config), ..SystemSources::default() });
    })
    .await;
    let (body, sys) = kakao(&app).await;
    assert_eq!(sys["stale"], true);
    assert_eq!(sys["stale_reason"], "prometheus:kakao: Prometheus answered with status 502");
    assert_eq!(sys["status"], "degraded", "never answered: the portal cannot vouch for it");
    assert!(sys.get("last_good_at").is_none());
    others_fresh(&body);
    let metrics = app.client.get(format!("{}/metrics", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("kairr_system_stale{system=\"kakao\"} 1"), "{metrics}");
    assert!(metrics.contains("kairr_system_stale{system=\"nhn\"} 0"), "{metrics}");
    assert!(metrics.contains("kairr_system_last_good_age_seconds{system=\"nhn\"}"), "{metrics}");
    assert!(!metrics.contains("kairr_system_last_good_age_seconds{system=\"kakao\"}"), "never answered: no age");
}

/// DCGM exporter text with the exporter's pod labels: two GPUs held by a
/// project's pod, one by a namespace that is not the portal's, one idle.
fn dcgm_with_pods(host: &str) -> String {
    let gpus =
        [(90, Some("kairr-r2027-1-0042")), (80, Some("kairr-r2027-1-0042")), (50, Some("other-team")), (0, None)];
    let mut out = String::from("# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n");
    for (i, (util, ns)) in gpus.iter().enumerate() {
        let pod = ns.map_or(String::new(), |n| format!(",namespace=\"{n}\",pod=\"p{i}\""));
        out +=
            &format!("DCGM_FI_DEV_GPU_UTIL{{gpu=\"{i}\",UUID=\"GPU-{host}-{i}\",Hostname=\"{host}\"{pod}}} {util}\n");
    }
    out += "# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n";
    for i in 0..gpus.len() {
        out += &format!("DCGM_FI_DEV_POWER_USAGE{{gpu=\"{i}\",UUID=\"GPU-{host}-{i}\",Hostname=\"{host}\"}} 400\n");
    }
    out
}

/// Usage of GPU-cloud pools (issue 13 §3): the GPUs a project's pods hold,
/// counted by namespace from the DCGM exporter's pod labels through a real
/// Prometheus, integrate into the project account's GPU-seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gpus_held_by_a_projects_pods_become_its_usage() {
    use kairr_server::source::prometheus::PrometheusSource;
    use kairr_server::source::StatusSource;

    let g1 = Exporter::start(Some(dcgm_with_pods("g1"))).await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _prom = Prometheus::start(dir.path(), port, &[g1.addr]);
    let queries = PoolQueries {
        selector: r#"job="dcgm""#.into(),
        usage: Some(r#"count by (namespace) (DCGM_FI_DEV_GPU_UTIL{$selector,namespace=~"kairr-.+"})"#.into()),
        ..PoolQueries::default()
    };
    let config = PrometheusConfig {
        url: format!("http://127.0.0.1:{port}"),
        interval_seconds: 1,
        timeout_seconds: 2,
        backoff_max_seconds: 1,
        bearer_token: None,
        max_response_bytes: kairr_server::source::prometheus::default_max_response_bytes(),
        pools: BTreeMap::from([("kakao-b200".to_owned(), queries)]),
    };
    let mut source = PrometheusSource::new("kakao", config).unwrap();
    // Until Prometheus has scraped the exporter (~5 s), no namespace is seen.
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut now = 1_000_000;
    loop {
        let poll = source.poll(now).await;
        if poll.as_ref().is_ok_and(|p| p.usage.iter().any(|u| u.account == "r2027-1-0042")) {
            break;
        }
        assert!(Instant::now() < deadline, "no namespace usage: {:?}", poll.map(|p| p.usage));
        tokio::time::sleep(Duration::from_millis(500)).await;
        now += 1;
    }
    // A minute later: 2 GPUs × 60 s for the project; the other team's namespace is not the portal's.
    let poll = source.poll(now + 60).await.unwrap();
    let usage: Vec<(String, String, u64)> =
        poll.usage.iter().map(|u| (u.pool_id.clone(), u.account.clone(), u.gpu_seconds_total)).collect();
    assert_eq!(usage, [("kakao-b200".to_owned(), "r2027-1-0042".to_owned(), 120)]);
}
