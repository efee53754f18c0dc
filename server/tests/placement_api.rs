//! Integration tests of the placement endpoints, the catalogue and the queues.

use crate::support;

use serde_json::json;
use support::spawn;

#[tokio::test]
async fn tightly_coupled_fp64_mpi_is_placed_on_kisti6_with_a_predicted_wait() {
    let app = spawn().await;
    let body = json!({
        "purpose": "hpc_simulation", "precision": "fp64", "gpus": 256, "coupling": "tightly_coupled",
        "run_hours": 12, "checkpointing": true, "container": "apptainer", "stack": ["slurm_mpi"],
        "dataset_tb": 20, "data_location": "kisti", "sector": "university"
    });
    let (code, rec) = app.post("/api/v1/placement", &body).await;
    assert_eq!(code, 200, "{rec}");
    assert_eq!(rec["top"], "kisti6-gh200");
    let pools = rec["pools"].as_array().unwrap();
    assert_eq!(pools.len(), 4, "every pool of the catalogue is assessed");
    let kisti = pools.iter().find(|p| p["pool_id"] == "kisti6-gh200").unwrap();
    let wait = &kisti["estimates"]["wait"];
    assert!(wait.is_object(), "a wait band predicted from the live queue: {kisti}");
    assert!(wait["p10_seconds"].as_u64().unwrap() <= wait["p90_seconds"].as_u64().unwrap());
}

#[tokio::test]
async fn an_inference_endpoint_goes_to_the_gpu_cloud() {
    let app = spawn().await;
    let body = json!({
        "purpose": "inference_service", "precision": "fp8", "gpus": 8, "model_params_b": 70,
        "run_hours": 720, "container": "oci", "stack": ["kubeflow"], "sector": "startup"
    });
    let (code, rec) = app.post("/api/v1/placement", &body).await;
    assert_eq!(code, 200, "{rec}");
    assert_ne!(rec["top"], "kisti6-gh200");
    let kisti = rec["pools"].as_array().unwrap().iter().find(|p| p["pool_id"] == "kisti6-gh200").unwrap();
    assert_eq!(kisti["feasible"], false, "services do not run on batch nodes");
}

#[tokio::test]
async fn invalid_fields_are_a_400_listing_every_field() {
    let app = spawn().await;
    let (code, err) =
        app.post("/api/v1/placement", &json!({"purpose": "mining", "gpus": "lots", "fp64_share": 2})).await;
    assert_eq!(code, 400);
    assert_eq!(err["error"], "invalid_input");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["purpose", "gpus", "fp64_share", "sector"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert!(err["fields"][0]["message_ko"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_400_naming_the_body() {
    let app = spawn().await;
    let res = app
        .client
        .post(format!("{}/api/v1/placement", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "body");
}

#[tokio::test]
async fn a_workflow_is_placed_stage_by_stage_with_data_moves() {
    let app = spawn().await;
    let stage = |purpose: &str, precision: &str, gpus: u32, hours: u32, out: u32| {
        json!({"workload": {"purpose": purpose, "precision": precision, "gpus": gpus, "run_hours": hours,
               "checkpointing": true, "sector": "government_institute", "dataset_tb": 5, "data_location": "kisti"},
               "output_tb": out})
    };
    let body = json!({"stages": [
        stage("hpc_simulation", "fp64", 512, 24, 200),
        stage("llm_pretraining", "bf16_fp16", 256, 72, 1),
        stage("ai_coupled_simulation", "fp64", 256, 24, 10),
    ]});
    let (code, plan) = app.post("/api/v1/placement/workflow", &body).await;
    assert_eq!(code, 200, "{plan}");
    assert_eq!(plan["stages"].as_array().unwrap().len(), 3);
    let (code, err) =
        app.post("/api/v1/placement/workflow", &json!({"stages": [{"workload": {"purpose": "x"}}]})).await;
    assert_eq!(code, 400);
    assert!(err["field"].as_str().unwrap().starts_with("stages[0]"), "{err}");
}

#[tokio::test]
async fn the_catalogue_and_queues_are_served() {
    let app = spawn().await;
    let (code, cat) = app.get_json("/api/v1/catalogue").await;
    assert_eq!(code, 200);
    assert_eq!(cat["systems"].as_array().unwrap().len(), 4);
    assert!(cat["price_policy"].is_object() && cat["advisor"].is_object());
    let (code, q) = app.get_json("/api/v1/queues").await;
    assert_eq!(code, 200);
    assert_eq!(q["source"], "demo");
    let queues = q["queues"].as_array().unwrap();
    assert_eq!(queues.len(), 4);
    let kisti = queues.iter().find(|x| x["pool_id"] == "kisti6-gh200").unwrap();
    assert!(kisti["nodes_up"].as_u64().unwrap() <= 2124);
}

#[tokio::test]
async fn status_is_served_precompressed_to_gzip_clients() {
    let app = spawn().await;
    let res =
        app.client.get(format!("{}/api/v1/status", app.base)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(res.headers()["vary"], "accept-encoding");
    let raw = res.bytes().await.unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&raw[..]), &mut text).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["source"], "demo");
}

#[tokio::test]
async fn the_advisor_path_serves_its_own_app() {
    let app = spawn().await;
    let dir = app.static_dir.join("advisor");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<title>advisor</title>").unwrap();
    for path in ["/advisor", "/advisor/", "/advisor/anything?purpose=fine_tuning"] {
        let res = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.text().await.unwrap().contains("advisor"), "{path}");
    }
}
