//! The portal on a real Slurm 22.05: with `[sources.kisti6.slurm]` set,
//! `/api/v1/status` and `/api/v1/queues` show the cluster (not the demo) for
//! KISTI-6 while the other systems stay on the demo; when slurmctld stops,
//! KISTI-6 turns stale with the reason and keeps its last figures; when it
//! comes back, it is fresh again by itself. Needs what `slurm_source.rs` needs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing fast is the point

use crate::slurm_cluster;
use crate::support;

use std::time::{Duration, Instant};

use kairr_server::settings::SystemSources;
use serde_json::{json, Value};
use slurm_cluster::{load, require_slurm, Cluster};

async fn kisti6(app: &support::TestApp) -> Value {
    let (code, body) = app.get_json("/api/v1/status").await;
    assert_eq!(code, 200);
    body["systems"].as_array().unwrap().iter().find(|s| s["id"] == "kisti6").unwrap().clone()
}

async fn wait_for(app: &support::TestApp, secs: u64, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let sys = kisti6(app).await;
        if ok(&sys) {
            return sys;
        }
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}: {sys}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kisti6_shows_a_real_slurm_goes_stale_when_the_controller_stops_and_recovers() {
    require_slurm();
    let c = Cluster::start();
    load(&c);
    let table = json!({
        "mode": "rest",
        "interval_seconds": 1,
        "timeout_seconds": 3,
        "backoff_max_seconds": 1,
        "only_mapped_partitions": true,
        "partitions": {"gpu": "kisti6-gh200"},
        "rest": {"url": c.url, "version": "auto", "user": "root", "token_file": c.token()},
    });
    let app = support::spawn_with(move |s| {
        s.sources.insert("kisti6".into(), SystemSources { slurm: Some(table), ..SystemSources::default() });
    })
    .await;

    let sys = wait_for(&app, 30, "kisti6 from Slurm", |s| s["source"] == "slurm" && s["stale"] == false).await;
    let pool = &sys["pools"][0];
    assert_eq!(sys["pools"].as_array().unwrap().len(), 1, "only the mapped partition");
    assert_eq!(pool["id"], "kisti6-gh200");
    assert_eq!(pool["nodes"], json!({"total": 4, "up": 2, "down": 1, "drained": 1}));
    assert_eq!(pool["running_jobs"], 4);
    assert_eq!(pool["pending_jobs"], 4);
    assert_eq!(pool["status"], "partial_outage", "g4 (1 of 4) not responding");
    assert_eq!(pool["walltime_limit_hours"], 48);
    let (_, status) = app.get_json("/api/v1/status").await;
    for other in status["systems"].as_array().unwrap().iter().filter(|s| s["id"] != "kisti6") {
        assert_eq!(other["source"], "demo", "{} stays on the demo", other["id"]);
    }

    let (code, queues) = app.get_json("/api/v1/queues").await;
    assert_eq!(code, 200);
    let q = queues["queues"].as_array().unwrap().iter().find(|q| q["pool_id"] == "kisti6-gh200").unwrap();
    assert_eq!(q["source"], "slurm");
    assert_eq!(q["nodes_up"], 2);
    assert_eq!(q["pending"].as_array().unwrap().len(), 2, "the jobs waiting for Resources and Priority");
    let reasons: Vec<&str> =
        q["pending_reasons"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"ReqNodeNotAvail") && reasons.contains(&"JobHeldUser"), "{reasons:?}");

    // The advisor's wait runs on that queue: both up nodes are busy for at least
    // 0.3 x 5291 s and a 2-node job is ahead, so no sampled future starts soon
    // (on the demo's ~2,000-node KISTI-6 a small job would start at once).
    let body = json!({
        "purpose": "hpc_simulation", "precision": "fp64", "gpus": 8, "coupling": "tightly_coupled",
        "run_hours": 1, "checkpointing": true, "container": "apptainer", "stack": ["slurm_mpi"],
        "dataset_tb": 1, "data_location": "kisti", "sector": "university"
    });
    let (code, rec) = app.post("/api/v1/placement", &body).await;
    assert_eq!(code, 200, "{rec}");
    let kisti = rec["pools"].as_array().unwrap().iter().find(|p| p["pool_id"] == "kisti6-gh200").unwrap();
    let wait = &kisti["estimates"]["wait"];
    eprintln!("kisti6-gh200 wait on the real queue: {wait}");
    assert!(wait["p10_seconds"].as_u64().unwrap() >= 1_500, "wait from the real queue: {wait}");

    // The controller goes away: KISTI-6 turns stale with the reason, keeps its figures.
    c.script_cmd("ctld-stop");
    let sys = wait_for(&app, 20, "kisti6 stale", |s| s["stale"] == true).await;
    let reason = sys["stale_reason"].as_str().unwrap();
    assert!(reason.starts_with("slurm:kisti6: "), "{reason}");
    assert_eq!(sys["pools"][0]["nodes"]["total"], 4, "the last good figures stay");
    let (_, status) = app.get_json("/api/v1/status").await;
    for other in status["systems"].as_array().unwrap().iter().filter(|s| s["id"] != "kisti6") {
        assert_eq!(other["stale"], false, "{} is not affected", other["id"]);
    }

    // It comes back: fresh again without a restart of the portal.
    c.script_cmd("ctld-start");
    let sys = wait_for(&app, 40, "kisti6 fresh again", |s| s["stale"] == false).await;
    assert!(sys.get("stale_reason").is_none());
    assert_eq!(sys["pools"][0]["running_jobs"], 4, "jobs survive the controller's restart");
}
