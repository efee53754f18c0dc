//! Status operators (issue 10 §1): incidents and maintenance posted by hand
//! appear on the public incident list and the Atom feed beside the detected
//! ones; only operators and admins may post; an incident is followed with
//! timed updates until resolved; detected incidents cannot be edited.

use serde_json::json;

use crate::support::spawn;

fn incident(system: &str) -> serde_json::Value {
    json!({
        "system": system, "pool": "", "impact": "partial_outage",
        "title_ko": "스토리지 지연 (운영팀)", "title_en": "Storage latency (operations)",
        "body_ko": "공유 스토리지 응답이 느려 원인을 조사하고 있습니다.", "body_en": "Shared storage is slow; we are investigating."
    })
}

#[tokio::test]
async fn an_operator_posts_and_resolves_an_incident_that_everyone_sees() {
    let app = spawn().await;
    let (_, catalogue) = app.get_json("/api/v1/catalogue").await;
    let system = catalogue["systems"][0]["id"].as_str().unwrap().to_owned();

    // Only operators and admins.
    let researcher = app.caller("demo.researcher").await;
    let (code, _) = researcher.post("/api/v1/ops/incidents", &incident(&system)).await;
    assert_eq!(code, 403);
    let operator = app.caller("demo.operator").await;

    // Every bad field at once.
    let (code, err) = operator.post("/api/v1/ops/incidents", &json!({"system": "nope", "impact": "fine"})).await;
    assert_eq!(code, 400, "{err}");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["system", "impact", "title_ko", "title_en", "body_ko", "body_en"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }

    let (code, posted) = operator.post("/api/v1/ops/incidents", &incident(&system)).await;
    assert_eq!(code, 200, "{posted}");
    let id = posted["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("op-"));
    assert_eq!((posted["state"].as_str(), posted["source"].as_str()), (Some("investigating"), Some("operator")));

    // Public at once: the incident list and the Atom feed.
    let (_, list) = app.get_json("/api/v1/incidents").await;
    let shown = list["active"].as_array().unwrap().iter().find(|i| i["id"] == id.as_str()).cloned();
    assert_eq!(shown.as_ref().map(|i| i["title_en"].clone()), Some(json!("Storage latency (operations)")));
    let feed = app.client.get(format!("{}/feed.atom", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(feed.contains("스토리지 지연 (운영팀)") || feed.contains("Storage latency (operations)"), "{feed}");

    // Timed updates, then resolved; nothing after that.
    let update = |state: &str| json!({"state": state, "body_ko": "원인을 찾았습니다.", "body_en": "Cause found."});
    let (code, identified) = operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("identified")).await;
    assert_eq!(code, 200, "{identified}");
    assert_eq!(identified["updates"].as_array().unwrap().len(), 2);
    let (code, bad) = operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("fixed")).await;
    assert_eq!((code, bad["fields"][0]["field"].as_str()), (400, Some("state")), "{bad}");
    let (code, resolved) = operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("resolved")).await;
    assert_eq!(code, 200, "{resolved}");
    assert!(resolved["resolved_at"].is_string());
    let (code, again) = operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update("monitoring")).await;
    assert_eq!((code, again["error"].as_str()), (409, Some("incident_resolved")), "{again}");
    let (_, list) = app.get_json("/api/v1/incidents").await;
    assert!(list["past"].as_array().unwrap().iter().any(|i| i["id"] == id.as_str()), "resolved incidents are history");
    let (code, _) = operator.post("/api/v1/ops/incidents/op-unknown/updates", &update("resolved")).await;
    assert_eq!(code, 404);

    // A detected incident follows its source.
    if let Some(detected) = list["active"]
        .as_array()
        .unwrap()
        .iter()
        .chain(list["past"].as_array().unwrap())
        .find(|i| i["source"] == "demo")
    {
        let did = detected["id"].as_str().unwrap();
        let (code, err) = operator.post(&format!("/api/v1/ops/incidents/{did}/updates"), &update("resolved")).await;
        assert_eq!((code, err["error"].as_str()), (409, Some("incident_detected")), "{err}");
    }
}

#[tokio::test]
async fn an_announced_maintenance_window_is_listed_on_the_kst_clock() {
    let app = spawn().await;
    let (_, catalogue) = app.get_json("/api/v1/catalogue").await;
    let system = catalogue["systems"][0]["id"].as_str().unwrap().to_owned();
    let admin = app.caller("demo.admin").await;
    let day = (chrono::Utc::now() + chrono::Duration::days(5)).with_timezone(&kairr_shared::time::kst()).date_naive();
    let body = json!({
        "system": system, "title_ko": "전원 설비 점검", "title_en": "Power maintenance",
        "starts_at": format!("{day}T09:00"), "ends_at": format!("{day}T19:00"), "nodes_affected": 12
    });
    let (code, window) = admin.post("/api/v1/ops/maintenance", &body).await;
    assert_eq!(code, 200, "{window}");
    assert!(window["starts_at"].as_str().unwrap().ends_with("T00:00:00Z"), "09:00 KST is 00:00 UTC: {window}");
    let (_, list) = app.get_json("/api/v1/incidents").await;
    let listed = list["maintenance"].as_array().unwrap().iter().find(|m| m["id"] == window["id"]).cloned();
    assert_eq!(
        listed.map(|m| (m["title_ko"].clone(), m["state"].clone())),
        Some((json!("전원 설비 점검"), json!("scheduled")))
    );
    let backwards = json!({"system": system, "title_ko": "x", "title_en": "x",
        "starts_at": format!("{day}T19:00"), "ends_at": format!("{day}T09:00")});
    let (code, err) = admin.post("/api/v1/ops/maintenance", &backwards).await;
    assert_eq!((code, err["fields"][0]["field"].as_str()), (400, Some("ends_at")), "{err}");
}
