//! The mix through the whole portal: KISTI-6 from a real Slurm 22.05 (nodes,
//! queue) with GPU utilisation and power from a real Prometheus merged into its
//! pool. Prometheus going away makes KISTI-6 stale (naming Prometheus) while
//! Slurm's figures and the last telemetry stay; it recovers by itself.
//! Needs what `slurm_source.rs` and `prometheus_source.rs` need.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing fast is the point

use crate::prom_rig;
use crate::slurm_cluster;
use crate::support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kairr_server::settings::SystemSources;
use kairr_server::source::prometheus::PrometheusConfig;
use kairr_shared::telemetry::PoolQueries;
use prom_rig::{dcgm, free_port, Exporter, Prometheus};
use serde_json::{json, Value};
use slurm_cluster::{load, require_slurm, Cluster};

async fn wait_for(app: &support::TestApp, secs: u64, what: &str, ok: impl Fn(&Value) -> bool) -> (Value, Value) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let (_, body) = app.get_json("/api/v1/status").await;
        let sys = body["systems"].as_array().unwrap().iter().find(|s| s["id"] == "kisti6").unwrap().clone();
        if ok(&sys) {
            return (body, sys);
        }
        assert!(Instant::now() < deadline, "{what} within {secs} s; last kisti6: {sys:#}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kisti6_merges_prometheus_telemetry_into_slurm_and_survives_prometheus_going_away() {
    require_slurm();
    let c = Cluster::start();
    load(&c);
    let g1 = Exporter::start(Some(dcgm("g1", &[(90, 600.0), (70, 400.0)]))).await;
    let g2 = Exporter::start(Some(dcgm("g2", &[(30, 300.0), (10, 200.0)]))).await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut prom = Prometheus::start(dir.path(), port, &[g1.addr, g2.addr]);
    let slurm = json!({
        "mode": "rest",
        "interval_seconds": 1,
        "timeout_seconds": 3,
        "backoff_max_seconds": 1,
        "only_mapped_partitions": true,
        "partitions": {"gpu": "kisti6-gh200"},
        "rest": {"url": c.url, "version": "auto", "user": "root", "token_file": c.token()},
    });
    let prometheus = PrometheusConfig {
        url: format!("http://127.0.0.1:{port}"),
        interval_seconds: 1,
        timeout_seconds: 2,
        backoff_max_seconds: 1,
        bearer_token: None,
        max_response_bytes: kairr_server::source::prometheus::default_max_response_bytes(),
        pools: BTreeMap::from([(
            "kisti6-gh200".to_owned(),
            PoolQueries { selector: r#"job="dcgm""#.into(), ..PoolQueries::default() },
        )]),
    };
    let app = support::spawn_with(move |s| {
        s.sources.insert("kisti6".into(), SystemSources { slurm: Some(slurm), prometheus: Some(prometheus) });
    })
    .await;

    // Slurm's nodes and queue, Prometheus's utilisation (mean of 80 % and 20 %) and power (1.5 kW).
    let (body, sys) = wait_for(&app, 40, "kisti6 from Slurm with telemetry", |s| {
        s["stale"] == false && s["pools"][0]["power_kw"] == 1.5
    })
    .await;
    assert_eq!(sys["source"], "slurm");
    let p = &sys["pools"][0];
    assert_eq!(p["nodes"], json!({"total": 4, "up": 2, "down": 1, "drained": 1}), "nodes are Slurm's");
    assert_eq!(p["running_jobs"], 4);
    assert_eq!(p["status"], "partial_outage", "Slurm's g4 not responding; not Prometheus's two targets");
    assert_eq!(p["gpu_utilisation"], 0.5);
    assert_eq!(sys["power_kw"], 1.5);
    for other in body["systems"].as_array().unwrap().iter().filter(|s| s["id"] != "kisti6") {
        assert_eq!((other["source"].as_str(), other["stale"].as_bool()), (Some("demo"), Some(false)));
    }

    // Prometheus goes away: stale naming Prometheus only; Slurm's figures and the last telemetry stay.
    prom.stop();
    let (_, sys) = wait_for(&app, 15, "kisti6 stale", |s| s["stale"] == true).await;
    let reason = sys["stale_reason"].as_str().unwrap();
    assert!(reason.starts_with("prometheus:kisti6: "), "{reason}");
    assert!(!reason.contains("slurm:"), "Slurm still answers: {reason}");
    let p = &sys["pools"][0];
    assert_eq!((p["gpu_utilisation"].clone(), p["power_kw"].clone()), (0.5.into(), 1.5.into()));
    assert_eq!(p["nodes"]["total"], 4);

    // It returns with new readings: fresh again by itself.
    g2.set(Some(dcgm("g2", &[(50, 300.0), (50, 300.0)])));
    let _prom = Prometheus::start(&prom.dir, prom.port, &[g1.addr, g2.addr]);
    let (_, sys) = wait_for(&app, 40, "kisti6 fresh with new telemetry", |s| {
        s["stale"] == false && s["pools"][0]["gpu_utilisation"] == 0.65
    })
    .await;
    assert!(sys.get("stale_reason").is_none());
    assert_eq!(sys["pools"][0]["power_kw"], 1.6);
}
