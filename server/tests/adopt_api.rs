//! Adopting the proposal as a batch through the API (issue 10): the
//! committee's adjustments are saved as a draft that survives a reload; the
//! proposal is adopted into one decision per undecided request (each audited),
//! decided lines stay fixed in the proposal, and two adoptions at once decide
//! each request once.
#![allow(clippy::unwrap_used)] // test code that fails fast

use crate::support;

use futures_util::future::join_all;
use support::{spawn, Caller, TestApp};

const ROUND: &str = "2027-3";

/// A round under review with three requests, each reviewed twice; its review window is still open.
async fn reviewed_round(app: &TestApp) -> (Caller, Vec<u64>) {
    let admin = app.caller("demo.admin").await;
    let today = chrono::Utc::now().date_naive();
    let day = |d: u64| (today + chrono::Days::new(d)).to_string();
    let form = serde_json::json!({
        "id": ROUND, "title_ko": "2027년 3차", "title_en": "2027 third call",
        "opens": today.to_string(), "closes": day(30), "review_closes": day(40),
        "period_start": day(60), "period_end": day(240),
        "pools": [{"pool": "kakao-b200", "unit": "servers", "capacity": 6}],
        "min_score": 3.0, "min_reviews": 2, "reviewers_per_request": 2
    });
    assert_eq!(admin.post("/api/v1/admin/rounds", &form).await.0, 200);
    let stage = |from: &str, to: &str| serde_json::json!({"from": from, "to": to});
    assert_eq!(admin.post(&format!("/api/v1/admin/rounds/{ROUND}/stage"), &stage("draft", "open")).await.0, 200);
    let researcher = app.caller("demo.researcher").await;
    let mut ids = Vec::new();
    for (i, amount) in [4u64, 4, 4].iter().enumerate() {
        let body = serde_json::json!({
            "title_ko": format!("일괄 채택 {i}"), "title_en": format!("Batch {i}"), "abstract": "시험", "pi": "김연구",
            "pool": "kakao-b200", "amount": amount, "sector": "university", "region": "non_capital",
            "period_start": day(60), "period_end": day(120)
        });
        let (code, req) = researcher.post(&format!("/api/v1/requests?round={ROUND}"), &body).await;
        assert_eq!(code, 200, "{req}");
        ids.push(req["id"].as_u64().unwrap());
    }
    let second = app.person("snu.rev", "서울대", "reviewer").await;
    for (who, score) in [(app.caller("demo.reviewer").await, 5), (second, 4)] {
        for id in &ids {
            let s = serde_json::json!({"technical_merit": score, "impact": score, "ecosystem": score, "team_readiness": score, "comment": "의견"});
            assert_eq!(who.post(&format!("/api/v1/requests/{id}/reviews"), &s).await.0, 200);
        }
    }
    assert_eq!(admin.post(&format!("/api/v1/admin/rounds/{ROUND}/stage"), &stage("open", "under_review")).await.0, 200);
    (admin, ids)
}

#[tokio::test]
async fn the_committee_saves_adjustments_and_adopts_the_proposal_as_a_batch() {
    let app = spawn().await;
    let (admin, ids) = reviewed_round(&app).await;
    let committee = app.caller("demo.committee").await;
    let q = format!("?round={ROUND}");

    // Three requests of 4 servers share 6: the proposal gives 2 each. The committee moves 1 from the first to none.
    let (code, p) = committee.get(&format!("/api/v1/committee/proposal{q}")).await;
    assert_eq!(code, 200, "{p}");
    let proposed: Vec<u64> = p["lines"].as_array().unwrap().iter().map(|l| l["proposed"].as_u64().unwrap()).collect();
    assert_eq!(proposed, [2, 2, 2]);
    let adjustments = serde_json::json!([{"request": ids[0], "amount": 1}]);
    // An adjustment moves the fairness figures (before and after) without storing anything.
    let adjust = serde_json::json!({"round": ROUND, "adjustments": adjustments});
    let (code, adjusted) = committee.post("/api/v1/committee/proposal/adjust", &adjust).await;
    assert_eq!((code, adjusted["changes"].as_array().map(Vec::len)), (200, Some(1)), "{adjusted}");
    assert_eq!(adjusted["proposal"]["lines"][0]["proposed"], 1);
    let bad = serde_json::json!({"adjustments": [{"request": ids[0], "amount": 99}]});
    assert_eq!(committee.put(&format!("/api/v1/committee/proposal/draft{q}"), &bad).await.0, 400);
    let (code, saved) = committee
        .put(&format!("/api/v1/committee/proposal/draft{q}"), &serde_json::json!({"adjustments": adjustments}))
        .await;
    assert_eq!((code, saved["saved_by"].as_str()), (200, Some("demo.committee")), "{saved}");
    // After a reload (another member, another session) the draft is there.
    let (_, draft) = admin.get(&format!("/api/v1/committee/proposal/draft{q}")).await;
    assert_eq!(draft["adjustments"], adjustments);

    // The review window is open: a committee member cannot adopt; an admin must give a reason.
    let adopt = format!("/api/v1/committee/proposal/adopt{q}");
    let body = serde_json::json!({"adjustments": adjustments, "rationale": "배분안 채택"});
    assert_eq!(committee.post(&adopt, &body).await.1["error"], "review_window_open");
    let (code, err) = admin.post(&adopt, &body).await;
    assert_eq!(code, 400, "{err}");
    let mut with_reason = body.clone();
    with_reason["override_reason"] = "예산 일정상 조기 결정".into();
    let (code, done) = admin.post(&adopt, &with_reason).await;
    assert_eq!(code, 200, "{done}");
    assert_eq!(done["awarded"].as_array().unwrap().len(), 3, "{done}");

    // Decided: the proposal keeps the decisions, the draft is gone, each decision and the adoption are audited.
    let (_, p) = committee.get(&format!("/api/v1/committee/proposal{q}")).await;
    let lines: Vec<(u64, bool)> = p["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["proposed"].as_u64().unwrap(), l["decided"].as_bool().unwrap()))
        .collect();
    assert_eq!(lines, [(1, true), (2, true), (2, true)]);
    assert_eq!(
        admin.get(&format!("/api/v1/committee/proposal/draft{q}")).await.1["adjustments"],
        serde_json::json!([])
    );
    let db = app.db().await;
    let audit = support::db::texts(&db, "SELECT action FROM audit_log WHERE source = 'real' ORDER BY seq", &[]).await;
    assert_eq!(audit.iter().filter(|a| *a == "decision_recorded").count(), 3);
    assert_eq!(audit.iter().filter(|a| *a == "proposal_adopted").count(), 1);
    // Adopting again decides nothing more; an adjustment of a decided line is refused.
    assert_eq!(admin.post(&adopt, &with_reason).await.0, 400);
    let again = serde_json::json!({"rationale": "다시", "override_reason": "시험"});
    let (code, done) = admin.post(&adopt, &again).await;
    assert_eq!((code, done["awarded"].clone()), (200, serde_json::json!([])), "{done}");
}

#[tokio::test]
async fn two_adoptions_at_once_decide_each_request_once() {
    let app = spawn().await;
    let (admin, _) = reviewed_round(&app).await;
    let body = serde_json::json!({"rationale": "동시 채택", "override_reason": "시험"});
    let url = format!("/api/v1/committee/proposal/adopt?round={ROUND}");
    let runs = join_all((0..4).map(|_| admin.post(&url, &body))).await;
    assert!(runs.iter().all(|(c, _)| *c == 200), "{runs:?}");
    let awarded: usize = runs.iter().map(|(_, d)| d["awarded"].as_array().unwrap().len()).sum();
    assert_eq!(awarded, 3, "{runs:?}");
    let db = app.db().await;
    let n =
        support::db::int(&db, "SELECT COUNT(*) FROM allocations WHERE round_id = $1", &[support::db::Arg::Text(ROUND)])
            .await;
    assert_eq!(n, 3);
}
