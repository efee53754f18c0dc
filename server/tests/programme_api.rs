//! Integration tests of the allocation programme endpoints on the demo round.

mod support;

use support::spawn;

#[tokio::test]
async fn the_public_page_lists_the_159_awarded_projects_and_nothing_from_reviews() {
    let app = spawn().await;
    let res = app.client.get(format!("{}/api/v1/allocations/public", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    for secret in ["rationale", "comment", "abstract", "rubric", "reviewer", "score"] {
        assert!(!text.contains(&format!("\"{secret}")), "public page leaks {secret}");
    }
    let page: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(page["projects"].as_array().unwrap().len(), 159);
}

#[tokio::test]
async fn an_unknown_round_is_a_400_naming_the_field() {
    let app = spawn().await;
    let (code, err) = app.get_json("/api/v1/allocations/public?round=1999-9").await;
    assert_eq!(code, 400);
    assert_eq!(err["field"], "round");
}

#[tokio::test]
async fn the_committee_overview_is_for_the_committee_only() {
    let app = spawn().await;
    let (code, _) = app.get_json("/api/v1/committee/overview").await;
    assert_eq!(code, 401);
    let researcher = app.client_as("demo.researcher").await;
    let res = researcher.get(format!("{}/api/v1/committee/overview", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let committee = app.client_as("demo.committee").await;
    let o: serde_json::Value =
        committee.get(format!("{}/api/v1/committee/overview", app.base)).send().await.unwrap().json().await.unwrap();
    let pools = o["pools"].as_array().unwrap();
    assert!(!pools.is_empty());
    let awarded_gpus: u64 = pools.iter().map(|p| p["awarded_gpus"].as_u64().unwrap_or(0)).sum();
    assert_eq!(awarded_gpus, 4_224, "the demo round awards 4,224 GPUs: {o}");
    let j = o["fairness"]["jain_sectors"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&j));
}

#[tokio::test]
async fn the_proposal_respects_capacity() {
    let app = spawn().await;
    let committee = app.client_as("demo.committee").await;
    let res = committee.get(format!("{}/api/v1/committee/proposal", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let p: serde_json::Value = res.json().await.unwrap();
    assert!(!p["lines"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn requests_export_as_csv_with_one_row_per_request() {
    let app = spawn().await;
    let committee = app.client_as("demo.committee").await;
    let res = committee.get(format!("{}/api/v1/committee/export/requests.csv", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(reader.headers().unwrap().get(0), Some("id"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 514);
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes_of_real_entries() {
    let dir = tempfile::tempdir().unwrap();
    let storage = kairr_server::storage::Storage::open(&dir.path().join("a.sqlite")).await.unwrap();
    sqlx::query("INSERT INTO audit_log (at, actor, action, source, body) VALUES (1, 'kim', 'decide', 'real', '{}')")
        .execute(storage.pool())
        .await
        .unwrap();
    let update = sqlx::query("UPDATE audit_log SET actor = 'lee'").execute(storage.pool()).await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log").execute(storage.pool()).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}
