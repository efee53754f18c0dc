//! A real (not demo) award made through the API as the centre's staff
//! would: an admin creates and opens a round, `demo.researcher` applies
//! (with `demo.reviewer` as co-investigator), `demo.committee` reviews, and
//! the admin decides early with a reason.
#![allow(clippy::unwrap_used)] // test support: failing fast is the point

use serde_json::json;

use super::{Caller, TestApp};

/// What to award.
pub struct AwardSpec<'a> {
    pub round: &'a str,
    pub pool: &'a str,
    /// `servers`, `gpu_hours` or `node_hours`.
    pub unit: &'a str,
    pub amount: u64,
    /// The allocation period began this many days ago (UTC dates) and runs 30 days from today.
    pub back: u64,
}

/// Makes the award; the request's id.
pub async fn award(app: &TestApp, admin: &Caller, spec: &AwardSpec<'_>) -> u64 {
    let today = chrono::Utc::now().date_naive();
    let day = |d: u64| (today + chrono::Days::new(d)).to_string();
    let first = (today - chrono::Days::new(spec.back)).to_string();
    let round = json!({
        "id": spec.round, "title_ko": "시험 공모", "title_en": "Test call",
        "opens": today.to_string(), "closes": day(30), "review_closes": day(40),
        "period_start": first, "period_end": day(200),
        "pools": [{"pool": spec.pool, "unit": spec.unit, "capacity": 100_000}],
        "sector_targets": {}, "min_score": 1.0, "min_reviews": 1, "reviewers_per_request": 1
    });
    let (code, body) = admin.post("/api/v1/admin/rounds", &round).await;
    assert_eq!(code, 200, "{body}");
    let stage = format!("/api/v1/admin/rounds/{}/stage", spec.round);
    assert_eq!(admin.post(&stage, &json!({"from": "draft", "to": "open"})).await.0, 200);
    let researcher = app.caller("demo.researcher").await;
    let request = json!({
        "title_ko": "시험 과제", "title_en": "Test project", "abstract": "시험", "pi": "김연구",
        "organisation": "부산대학교", "sector": "university", "region": "non_capital", "pool": spec.pool,
        "amount": spec.amount, "period_start": first, "period_end": day(30), "co_investigators": ["demo.reviewer"]
    });
    let (code, req) = researcher.post(&format!("/api/v1/requests?round={}", spec.round), &request).await;
    assert_eq!(code, 200, "{req}");
    let id = req["id"].as_u64().unwrap();
    assert_eq!(admin.post(&stage, &json!({"from": "open", "to": "under_review"})).await.0, 200);
    let scores = json!({"technical_merit": 5, "impact": 4, "ecosystem": 4, "team_readiness": 4, "comment": "좋음"});
    let (code, review) =
        app.caller("demo.committee").await.post(&format!("/api/v1/requests/{id}/reviews"), &scores).await;
    assert_eq!(code, 200, "{review}");
    let decide = json!({"kind": "approve", "rationale": "우수", "override_reason": "시험"});
    let (code, decided) = admin.post(&format!("/api/v1/committee/requests/{id}/decision"), &decide).await;
    assert_eq!(code, 200, "{decided}");
    id
}
