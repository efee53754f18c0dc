//! Integration tests of the status, history and incidents endpoints.

use crate::support;

use support::spawn;

#[tokio::test]
async fn status_lists_the_four_national_systems_as_demo_data() {
    let app = spawn().await;
    let (code, body) = app.get_json("/api/v1/status").await;
    assert_eq!(code, 200);
    assert_eq!(body["source"], "demo");
    assert_eq!(body["stale"], false);
    let ids: Vec<&str> = body["systems"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["kisti6", "kakao", "nhn", "naver"]);
    let expected_gpus = [("kisti6-gh200", 8_496), ("kakao-b200", 2_040), ("nhn-b200", 7_656), ("naver-h200", 3_056)];
    for (system, (pool_id, gpus)) in body["systems"].as_array().unwrap().iter().zip(expected_gpus) {
        assert_eq!(system["source"], "demo");
        let pool = &system["pools"][0];
        assert_eq!(pool["id"], pool_id);
        let g = &pool["gpus"][0];
        assert_eq!(g["total"], gpus, "{pool_id}: GPUs in service");
        let sum = g["allocated"].as_u64().unwrap() + g["free"].as_u64().unwrap() + g["unavailable"].as_u64().unwrap();
        assert_eq!(sum, gpus as u64, "{pool_id}: allocated + free + unavailable = total");
        let util = pool["utilisation"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&util));
        assert!(pool["power_kw"].as_f64().unwrap() > 0.0);
        assert!(pool["largest_startable_gpus"].as_u64().unwrap() <= g["free"].as_u64().unwrap());
    }
    assert_eq!(body["systems"][0]["pools"][0]["walltime_limit_hours"], 48);
}

#[tokio::test]
async fn history_gives_ninety_days_of_uptime_and_a_series() {
    let app = spawn().await;
    for (range, bucket) in [("24h", 900), ("7d", 3600), ("90d", 86400)] {
        let (code, body) = app.get_json(&format!("/api/v1/status/history?system=kisti6&range={range}")).await;
        assert_eq!(code, 200, "{range}");
        assert_eq!(body["range"], range);
        assert_eq!(body["bucket_seconds"], bucket);
        let days = body["uptime_days"].as_array().unwrap();
        assert_eq!(days.len(), 90);
        // Two pre-simulated days: the last days have data, the first do not.
        assert!(days[0]["uptime"].is_null());
        assert!(days[89]["uptime"].as_f64().is_some());
        assert!(!body["series"].as_array().unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_unknown_system_is_a_404_naming_the_field() {
    let app = spawn().await;
    let (code, body) = app.get_json("/api/v1/status/history?system=kisti9&range=24h").await;
    assert_eq!(code, 404);
    assert_eq!(body["error"], "unknown_system");
    assert_eq!(body["field"], "system");
}

#[tokio::test]
async fn a_malformed_or_unknown_range_is_a_400_naming_the_field() {
    let app = spawn().await;
    for range in ["3y", "", "24H", "%FF%FE", "7d;drop"] {
        let (code, body) = app.get_json(&format!("/api/v1/status/history?system=kisti6&range={range}")).await;
        assert_eq!(code, 400, "range={range:?}");
        assert_eq!(body["field"], "range");
        assert!(body["message"].as_str().unwrap().contains("24h, 7d, 90d"));
    }
    let (code, body) = app.get_json("/api/v1/status/history?range=24h").await;
    assert_eq!(code, 400);
    assert_eq!(body["field"], "system");
}

#[tokio::test]
async fn incidents_and_maintenance_are_listed() {
    let app = spawn().await;
    let (code, body) = app.get_json("/api/v1/incidents").await;
    assert_eq!(code, 200);
    assert_eq!(body["source"], "demo");
    assert!(body["active"].is_array() && body["past"].is_array());
    let maintenance = body["maintenance"].as_array().unwrap();
    assert!(!maintenance.is_empty(), "the next 30 days hold planned maintenance");
    for m in maintenance {
        assert_ne!(m["state"], "completed");
        assert!(m["starts_at"].as_str().unwrap() < m["ends_at"].as_str().unwrap());
    }
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = spawn().await;
    let (code, body) = app.get_json("/api/v2/nothing").await;
    assert_eq!(code, 404);
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn the_snapshot_turns_stale_when_updates_stop() {
    let app = support::spawn_with(|s| {
        s.demo.tick_seconds = 3_600;
        s.stale_after_seconds = 1;
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(2_200)).await;
    let (_, body) = app.get_json("/api/v1/status").await;
    assert_eq!(body["stale"], true);
    assert_eq!(body["systems"][0]["stale"], true);
}
