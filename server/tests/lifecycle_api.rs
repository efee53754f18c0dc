//! A round's administration and lifecycle through the API (issue 10): an
//! admin creates a round, opens it, closes it, and it is decided and
//! published; at each stage the server refuses what the stage does not allow.
#![allow(clippy::unwrap_used)] // test code that fails fast

use crate::support;

use futures_util::future::join_all;
use support::{spawn, Caller};

/// A round form starting today: submissions for 30 days, reviews for 10 more.
fn form(id: &str) -> serde_json::Value {
    let today = chrono::Utc::now().date_naive();
    let day = |d: u64| (today + chrono::Days::new(d)).to_string();
    serde_json::json!({
        "id": id, "title_ko": "2027년 1차 시험 공모", "title_en": "2027 first test call",
        "opens": today.to_string(), "closes": day(30), "review_closes": day(40),
        "period_start": day(60), "period_end": day(240),
        "pools": [{"pool": "kakao-b200", "unit": "servers", "capacity": 10},
                  {"pool": "kisti6-gh200", "unit": "node_hours", "capacity": 50000}],
        "sector_targets": {"university": 0.5, "startup": 0.2},
        "min_score": 3.0, "min_reviews": 2, "reviewers_per_request": 3,
        "org_cap": {"servers": 4}
    })
}

fn request() -> serde_json::Value {
    let today = chrono::Utc::now().date_naive();
    serde_json::json!({
        "title_ko": "생애주기 시험", "title_en": "Lifecycle check", "abstract": "시험", "pi": "김연구",
        "organisation": "부산대학교", "sector": "university", "region": "non_capital", "pool": "kakao-b200",
        "amount": 3, "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(120)).to_string()
    })
}

async fn stage(admin: &Caller, id: &str, from: &str, to: &str) -> (u16, serde_json::Value) {
    admin.post(&format!("/api/v1/admin/rounds/{id}/stage"), &serde_json::json!({"from": from, "to": to})).await
}

#[tokio::test]
async fn an_admin_runs_a_round_from_draft_to_publication_and_each_stage_gates_what_may_happen() {
    let app = spawn().await;
    let admin = app.caller("demo.admin").await;
    let researcher = app.caller("demo.researcher").await;
    let reviewer = app.caller("demo.reviewer").await;
    let committee = app.caller("demo.committee").await;
    const ID: &str = "2027-1";

    // Only admins create rounds; every bad field is named at once.
    assert_eq!(committee.post("/api/v1/admin/rounds", &form(ID)).await.0, 403);
    let mut bad = form(ID);
    bad["review_closes"] = bad["opens"].clone();
    bad["min_reviews"] = 5.into();
    bad["pools"][0]["unit"] = "node_hours".into();
    let (code, err) = admin.post("/api/v1/admin/rounds", &bad).await;
    assert_eq!(code, 400, "{err}");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["review_closes", "min_reviews", "pools[0].unit"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let (code, round) = admin.post("/api/v1/admin/rounds", &form(ID)).await;
    assert_eq!(code, 200, "{round}");
    assert_eq!(round["stage"], "draft");
    assert_eq!(admin.post("/api/v1/admin/rounds", &form(ID)).await.1["error"], "round_exists");

    // A draft takes no requests, is not the open round and is not listed.
    let (_, listed) = app.get_json("/api/v1/rounds").await;
    let ids: Vec<&str> = listed.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2026-2", "2026-1"], "newest first, no draft");
    let submit = format!("/api/v1/requests?round={ID}");
    assert_eq!(researcher.post(&submit, &request()).await.1["error"], "round_not_open");
    assert_ne!(app.get_json("/api/v1/rounds/open").await.1["round"]["id"], ID);

    // Opened (a newer round than the demo's): requests come in.
    assert_eq!(stage(&admin, ID, "draft", "under_review").await.1["error"], "stage_order");
    assert_eq!(stage(&admin, ID, "open", "under_review").await.1["error"], "stage_changed");
    assert_eq!(stage(&admin, ID, "draft", "open").await.0, 200);
    assert_eq!(app.get_json("/api/v1/rounds/open").await.1["round"]["id"], ID);
    let (_, listed) = app.get_json("/api/v1/rounds").await;
    assert_eq!((listed[0]["id"].as_str(), listed[0]["stage"].as_str()), (Some(ID), Some("open")));
    assert!(listed[0].get("source").is_none(), "a real round is not demo");
    let (code, req) = researcher.post(&submit, &request()).await;
    assert_eq!(code, 200, "{req}");
    let id = req["id"].as_u64().unwrap();
    let scores =
        serde_json::json!({"technical_merit": 5, "impact": 4, "ecosystem": 4, "team_readiness": 4, "comment": "좋음"});
    assert_eq!(reviewer.post(&format!("/api/v1/requests/{id}/reviews"), &scores).await.0, 200);

    // Capacity can grow; a pool with requests stays.
    let mut fewer_pools = form(ID);
    fewer_pools["pools"].as_array_mut().unwrap().remove(0);
    assert_eq!(admin.put(&format!("/api/v1/admin/rounds/{ID}"), &fewer_pools).await.1["error"], "pool_in_use");

    // No decision while open; closed, the review window still runs; one review is too few.
    let decide = format!("/api/v1/committee/requests/{id}/decision");
    let approve = serde_json::json!({"kind": "approve", "rationale": "우수"});
    assert_eq!(committee.post(&decide, &approve).await.1["error"], "round_not_in_review");
    assert_eq!(stage(&admin, ID, "open", "under_review").await.0, 200);
    assert_eq!(researcher.post(&submit, &request()).await.1["error"], "round_not_open");
    assert_eq!(committee.post(&decide, &approve).await.1["error"], "too_few_reviews");
    assert_eq!(committee.post(&format!("/api/v1/requests/{id}/reviews"), &scores).await.0, 200);
    assert_eq!(committee.post(&decide, &approve).await.1["error"], "review_window_open");
    // An admin may decide early, with a reason only.
    let (code, err) = admin.post(&decide, &approve).await;
    assert_eq!((code, err["field"].as_str()), (400, Some("override_reason")), "{err}");
    let mut early = approve.clone();
    early["override_reason"] = "긴급 재난 대응 연구".into();
    assert_eq!(admin.post(&decide, &early).await.0, 200);

    // Capacity cannot drop below the 3 servers awarded.
    let mut less = form(ID);
    less["pools"][0]["capacity"] = 2.into();
    assert_eq!(admin.put(&format!("/api/v1/admin/rounds/{ID}"), &less).await.1["error"], "capacity_below_awarded");
    let mut more = form(ID);
    more["pools"][0]["capacity"] = 12.into();
    let (code, changed) = admin.put(&format!("/api/v1/admin/rounds/{ID}"), &more).await;
    assert_eq!((code, changed["stage"].as_str()), (200, Some("under_review")), "{changed}");

    // Decided, not yet public; then published, without a demo label.
    assert_eq!(app.get_json(&format!("/api/v1/allocations/public?round={ID}")).await.0, 404);
    assert_eq!(stage(&admin, ID, "under_review", "decided").await.0, 200);
    assert_eq!(app.get_json(&format!("/api/v1/allocations/public?round={ID}")).await.0, 404);
    assert_eq!(stage(&admin, ID, "decided", "published").await.0, 200);
    let (code, public) = app.get_json("/api/v1/allocations/public").await;
    assert_eq!((code, public["round"].as_str()), (200, Some(ID)));
    assert!(public.get("source").is_none() || public["source"].is_null(), "{}", public["source"]);
    assert_eq!(public["projects"][0]["title_en"], "Lifecycle check");
    // Final: no more changes, no way on.
    assert_eq!(admin.put(&format!("/api/v1/admin/rounds/{ID}"), &more).await.1["error"], "round_published");
    assert_eq!(stage(&admin, ID, "published", "published").await.1["error"], "stage_order");

    // Every step is in the audit log.
    let db = app.db().await;
    let actions = support::db::texts(
        &db,
        "SELECT action FROM audit_log WHERE source = 'real' AND action LIKE 'round%' ORDER BY seq",
        &[],
    )
    .await;
    assert_eq!(
        actions,
        [
            "round_created",
            "round_stage_changed",
            "round_stage_changed",
            "round_changed",
            "round_stage_changed",
            "round_stage_changed"
        ]
    );
    let (_, rounds) = admin.get("/api/v1/admin/rounds").await;
    let listed = rounds.as_array().unwrap().iter().find(|r| r["round"]["id"] == ID).unwrap();
    assert_eq!((listed["requests"].as_u64(), listed["undecided"].as_u64()), (Some(1), Some(0)));
}

#[tokio::test]
async fn a_round_with_undecided_requests_cannot_be_decided() {
    let app = spawn().await;
    let admin = app.caller("demo.admin").await;
    let researcher = app.caller("demo.researcher").await;
    assert_eq!(admin.post("/api/v1/admin/rounds", &form("2027-2")).await.0, 200);
    assert_eq!(stage(&admin, "2027-2", "draft", "open").await.0, 200);
    assert_eq!(researcher.post("/api/v1/requests?round=2027-2", &request()).await.0, 200);
    assert_eq!(stage(&admin, "2027-2", "open", "under_review").await.0, 200);
    let (code, err) = stage(&admin, "2027-2", "under_review", "decided").await;
    assert_eq!((code, err["error"].as_str()), (409, Some("undecided_requests")), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_admins_confirming_the_same_step_at_once_move_the_round_once() {
    let app = spawn().await;
    let a = app.caller("demo.admin").await;
    let b = app.caller("demo.admin").await;
    assert_eq!(a.post("/api/v1/admin/rounds", &form("2027-3")).await.0, 200);
    let calls = (0..8).map(|i| {
        let c = if i % 2 == 0 { a.clone() } else { b.clone() };
        async move { stage(&c, "2027-3", "draft", "open").await }
    });
    let results = join_all(calls).await;
    let ok = results.iter().filter(|(code, _)| *code == 200).count();
    assert_eq!(ok, 1, "{results:?}");
    for (code, body) in &results {
        assert!(
            *code == 200 || (*code == 409 && matches!(body["error"].as_str(), Some("stage_changed" | "changed"))),
            "{body}"
        );
    }
    let db = app.db().await;
    let n = support::db::int(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'round_stage_changed'", &[]).await;
    assert_eq!(n, 1);
}
