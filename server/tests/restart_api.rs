//! A restart on the same database after real activity: the demo programme is
//! loaded again around the real records, which stay as they were.
#![allow(clippy::unwrap_used)] // test code that fails fast

use crate::support;

use support::{spawn, spawn_in};

async fn csrf_of(app: &support::TestApp, c: &reqwest::Client) -> String {
    let s: serde_json::Value =
        c.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap().json().await.unwrap();
    s["csrf_token"].as_str().unwrap().to_owned()
}

async fn post(app: &support::TestApp, c: &reqwest::Client, path: &str, body: serde_json::Value) -> serde_json::Value {
    let res = c
        .post(format!("{}{path}", app.base))
        .header("x-csrf-token", csrf_of(app, c).await)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_restart_after_a_real_request_review_and_award_keeps_them_and_reloads_the_demo() {
    let mut first = spawn().await;
    let researcher = first.client_as("demo.researcher").await;
    let today = chrono::Utc::now().date_naive();
    let request = serde_json::json!({
        "title_ko": "재시작 시험", "title_en": "Restart check", "abstract": "데모", "pi": "김연구",
        "organisation": "부산대학교", "sector": "university", "region": "non_capital", "pool": "kakao-b200",
        "amount": 2, "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(120)).to_string()
    });
    let id = post(&first, &researcher, "/api/v1/requests", request).await["id"].as_u64().unwrap();
    let reviewer = first.client_as("demo.reviewer").await;
    let rubric =
        serde_json::json!({"technical_merit": 5, "impact": 4, "ecosystem": 4, "team_readiness": 5, "comment": "좋음"});
    post(&first, &reviewer, &format!("/api/v1/requests/{id}/reviews"), rubric.clone()).await;
    let committee = first.client_as("demo.committee").await;
    post(&first, &committee, &format!("/api/v1/requests/{id}/reviews"), rubric).await;
    // The call closes; an admin decides before the review window ends, with a reason.
    let admin = first.client_as("demo.admin").await;
    let close = serde_json::json!({"from": "open", "to": "under_review"});
    post(&first, &admin, "/api/v1/admin/rounds/2026-2/stage", close).await;
    let decision = serde_json::json!({"kind": "approve", "rationale": "우수", "override_reason": "시험"});
    post(&first, &admin, &format!("/api/v1/committee/requests/{id}/decision"), decision).await;
    // A saved proposal draft on the all-demo first round (reloaded at start-up) must not block the reload.
    let saved = committee
        .put(format!("{}/api/v1/committee/proposal/draft?round=2026-1", first.base))
        .header("x-csrf-token", csrf_of(&first, &committee).await)
        .json(&serde_json::json!({"adjustments": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    first.stop();

    // Same database, new process: start-up must not trip over the real rows.
    let settings = first.settings.clone();
    let second = spawn_in(tempfile::tempdir().unwrap(), settings).await;
    let committee = second.client_as("demo.committee").await;
    let page: serde_json::Value = committee
        .get(format!("{}/api/v1/committee/requests/{id}", second.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["request"]["title_en"], "Restart check");
    assert_eq!(page["request"]["state"], "approved");
    assert_eq!(page["reviews"].as_array().unwrap().len(), 2);
    assert_eq!(page["allocation"]["amount"], 2);
    // The demo's first call is whole again; the second round is still under review (its stage was kept with
    // its real records) and so not public.
    let (code, first_call) = second.get_json("/api/v1/allocations/public?round=2026-1").await;
    assert_eq!((code, first_call["projects"].as_array().unwrap().len()), (200, 159));
    let (code, _) = second.get_json("/api/v1/allocations/public?round=2026-2").await;
    assert_eq!(code, 404);
    let admin = second.client_as("demo.admin").await;
    let rounds: serde_json::Value =
        admin.get(format!("{}/api/v1/admin/rounds", second.base)).send().await.unwrap().json().await.unwrap();
    let open = rounds.as_array().unwrap().iter().find(|r| r["round"]["id"] == "2026-2").unwrap();
    assert_eq!(
        (open["round"]["stage"].as_str(), open["awarded"]["kakao-b200"].as_u64()),
        (Some("under_review"), Some(2))
    );
}

#[tokio::test]
async fn a_later_restart_keeps_the_dates_of_an_open_demo_round_holding_real_requests_and_demo_off_unpublishes() {
    let mut first = spawn().await;
    let researcher = first.client_as("demo.researcher").await;
    let today = chrono::Utc::now().date_naive();
    let request = serde_json::json!({
        "title_ko": "날짜 유지", "title_en": "Dates kept", "abstract": "데모", "pi": "김연구",
        "organisation": "부산대학교", "sector": "university", "region": "non_capital", "pool": "kakao-b200",
        "amount": 2, "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(120)).to_string()
    });
    let posted = post(&first, &researcher, "/api/v1/requests", request).await;
    let round_id = posted["round"].as_str().unwrap().to_owned();
    first.stop();
    // Stand-in for "the round was generated on an earlier day": its stored body differs from today's.
    let db = support::db::connect(&first.settings).await;
    let body =
        support::db::texts(&db, "SELECT body FROM rounds WHERE id = $1", &[support::db::Arg::Text(&round_id)]).await;
    let mut round: serde_json::Value = serde_json::from_str(&body[0]).unwrap();
    round["title_en"] = "Round as it was when the request came".into();
    let json = round.to_string();
    support::db::execute(
        &db,
        "UPDATE rounds SET body = $1 WHERE id = $2",
        &[support::db::Arg::Text(&json), support::db::Arg::Text(&round_id)],
    )
    .await
    .unwrap();
    let mut second = spawn_in(tempfile::tempdir().unwrap(), first.settings.clone()).await;
    let kept =
        support::db::texts(&db, "SELECT body FROM rounds WHERE id = $1", &[support::db::Arg::Text(&round_id)]).await;
    let kept: serde_json::Value = serde_json::from_str(&kept[0]).unwrap();
    assert_eq!(kept["title_en"], "Round as it was when the request came", "the round was regenerated");
    let (_, published) = second.get_json("/api/v1/allocations/public").await;
    assert!(published.to_string().contains("\"2026-1\""), "sanity: the demo round was published");
    second.stop();

    // Demo programme turned off: nothing demo is published any more.
    let mut settings = first.settings.clone();
    settings.demo.programme = false;
    let third = spawn_in(tempfile::tempdir().unwrap(), settings).await;
    let (code, body) = third.get_json("/api/v1/allocations/public").await;
    assert!(code == 404 || !body.to_string().contains("\"2026-1\""), "{code} {body}");
}
