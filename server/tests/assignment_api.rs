//! Reviewer assignment through the API (issue 10 §1): the committee assigns
//! reviewers automatically (balanced, nobody from the applicant's
//! organisation, expertise first) or by hand; a reviewer sees only their
//! places, may declare a conflict (their place is freed and refilled); only
//! assigned reviewers review; concurrent automatic runs never over-assign.
#![allow(clippy::unwrap_used)] // test code that fails fast

use crate::support;

use futures_util::future::join_all;
use support::{spawn, Caller, TestApp};

const ROUND: &str = "2027-1";

/// Opens round 2027-1 (submissions for 30 days, two reviewers per request).
async fn open_round(app: &TestApp) -> Caller {
    let admin = app.caller("demo.admin").await;
    let today = chrono::Utc::now().date_naive();
    let day = |d: u64| (today + chrono::Days::new(d)).to_string();
    let form = serde_json::json!({
        "id": ROUND, "title_ko": "2027년 1차", "title_en": "2027 first call",
        "opens": today.to_string(), "closes": day(30), "review_closes": day(40),
        "period_start": day(60), "period_end": day(240),
        "pools": [{"pool": "kakao-b200", "unit": "servers", "capacity": 40}],
        "min_score": 3.0, "min_reviews": 2, "reviewers_per_request": 2
    });
    assert_eq!(admin.post("/api/v1/admin/rounds", &form).await.0, 200);
    let (code, body) = admin
        .post(&format!("/api/v1/admin/rounds/{ROUND}/stage"), &serde_json::json!({"from": "draft", "to": "open"}))
        .await;
    assert_eq!(code, 200, "{body}");
    admin
}

/// Submits a request as `who`; returns its id.
async fn submit(who: &Caller, title: &str) -> u64 {
    let today = chrono::Utc::now().date_naive();
    let body = serde_json::json!({
        "title_ko": title, "title_en": title, "abstract": format!("{title} 연구"), "pi": "김연구",
        "pool": "kakao-b200", "amount": 1, "sector": "university", "region": "non_capital",
        "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(90)).to_string()
    });
    let (code, req) = who.post(&format!("/api/v1/requests?round={ROUND}"), &body).await;
    assert_eq!(code, 200, "{req}");
    req["id"].as_u64().unwrap()
}

fn places(view: &serde_json::Value, id: u64) -> Vec<(String, bool)> {
    let r = view["requests"].as_array().unwrap().iter().find(|r| r["request"] == id).unwrap();
    r["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["reviewer"].as_str().unwrap().to_owned(), p.get("declined").is_some()))
        .collect()
}

fn active(view: &serde_json::Value, id: u64) -> Vec<String> {
    places(view, id).into_iter().filter(|(_, d)| !d).map(|(r, _)| r).collect()
}

#[tokio::test]
async fn the_committee_assigns_reviewers_who_see_only_their_places_and_may_declare_a_conflict() {
    let app = spawn().await;
    let admin = open_round(&app).await;
    let committee = app.caller("demo.committee").await;
    let researcher = app.caller("demo.researcher").await; // 부산대학교
    let plain = submit(&researcher, "한국어 요약 모델").await;
    let weather = submit(&researcher, "기상 예측 트랜스포머").await;
    // Reviewers: one from the applicant's university, one weather expert, two others (+ demo.reviewer of KAIST).
    let colleague = app.person("pnu.rev", "부산대", "reviewer").await;
    let expert = app.person("snu.rev", "서울대", "reviewer").await;
    let (code, _) = admin
        .send(reqwest::Method::PATCH, "/api/v1/admin/people/snu.rev", Some(&serde_json::json!({"expertise": ["기상"]})))
        .await;
    assert_eq!(code, 200);
    let gist = app.person("gist.rev", "GIST", "reviewer").await;
    let reviewer = app.caller("demo.reviewer").await;

    // Only the committee assigns.
    assert_eq!(
        reviewer.post(&format!("/api/v1/committee/assignments/auto?round={ROUND}"), &serde_json::json!({})).await.0,
        403
    );
    let (code, done) =
        committee.post(&format!("/api/v1/committee/assignments/auto?round={ROUND}"), &serde_json::json!({})).await;
    assert_eq!(code, 200, "{done}");
    assert_eq!((done["assigned"].as_u64(), done["short"].as_array().map(Vec::len)), (Some(4), Some(0)));
    let (code, view) = committee.get(&format!("/api/v1/committee/assignments?round={ROUND}")).await;
    assert_eq!(code, 200, "{view}");
    for id in [plain, weather] {
        let on = active(&view, id);
        assert_eq!(on.len(), 2, "{on:?}");
        assert!(!on.contains(&"pnu.rev".to_owned()), "nobody from the applicant's organisation: {on:?}");
    }
    assert!(active(&view, weather).contains(&"snu.rev".to_owned()), "the weather expert on the weather request");
    let loads: Vec<u64> =
        view["reviewers"].as_array().unwrap().iter().map(|r| r["assigned"].as_u64().unwrap()).collect();
    assert!(loads.iter().all(|l| *l <= 2), "balanced: {loads:?}");

    // By hand: a conflict and a duplicate are refused.
    let assign = |id: u64| format!("/api/v1/committee/requests/{id}/assignments");
    let (code, err) = committee.post(&assign(plain), &serde_json::json!({"reviewer": "pnu.rev"})).await;
    assert_eq!((code, err["error"].as_str()), (409, Some("reviewer_conflict")), "{err}");
    let first = active(&view, plain)[0].clone();
    assert_eq!(
        committee.post(&assign(plain), &serde_json::json!({"reviewer": first})).await.1["error"],
        "already_assigned"
    );

    // A reviewer's list is their places, with the due date and progress.
    let by_name = |n: &str| -> &Caller {
        match n {
            "snu.rev" => &expert,
            "gist.rev" => &gist,
            "pnu.rev" => &colleague,
            _ => &reviewer,
        }
    };
    let (_, list) = expert.get("/api/v1/reviews/assigned").await;
    assert_eq!(list["assigned_only"], true);
    assert_eq!(list["round"]["id"], ROUND);
    assert!(list["due"].is_string());
    let ids: Vec<u64> =
        list["items"].as_array().unwrap().iter().map(|i| i["request"]["id"].as_u64().unwrap()).collect();
    assert!(ids.contains(&weather));
    assert!(list["items"].as_array().unwrap().iter().all(|i| i["places"] == 2));

    // Only assigned reviewers review.
    let scores =
        serde_json::json!({"technical_merit": 4, "impact": 4, "ecosystem": 4, "team_readiness": 4, "comment": "좋음"});
    let outsider = ["snu.rev", "gist.rev", "demo.reviewer"]
        .into_iter()
        .find(|n| !active(&view, plain).contains(&(*n).to_owned()))
        .unwrap();
    let (code, err) = by_name(outsider).post(&format!("/api/v1/requests/{plain}/reviews"), &scores).await;
    assert_eq!((code, err["error"].as_str()), (409, Some("not_assigned")), "{err}");

    // One of the plain request's reviewers declares a conflict: recorded, the place freed and refilled.
    let leaving = active(&view, plain)[0].clone();
    let declare = format!("/api/v1/requests/{plain}/conflict");
    let (code, err) = by_name(&leaving).post(&declare, &serde_json::json!({"reason": ""})).await;
    assert_eq!((code, err["fields"][0]["field"].as_str()), (400, Some("reason")), "{err}");
    let (code, rec) = by_name(&leaving).post(&declare, &serde_json::json!({"reason": "PI와 공동 연구 중"})).await;
    assert_eq!((code, rec["declared"].as_str()), (200, Some("PI와 공동 연구 중")), "{rec}");
    assert_eq!(
        by_name(&leaving).post(&format!("/api/v1/requests/{plain}/reviews"), &scores).await.1["error"],
        "conflict_declared"
    );
    let (_, view) = committee.get(&format!("/api/v1/committee/assignments?round={ROUND}")).await;
    assert_eq!(active(&view, plain).len(), 1);
    assert!(places(&view, plain).contains(&(leaving.clone(), true)), "the declined place stays on record");
    let (_, done) =
        committee.post(&format!("/api/v1/committee/assignments/auto?round={ROUND}"), &serde_json::json!({})).await;
    assert_eq!(done["assigned"], 1);
    let (_, view) = committee.get(&format!("/api/v1/committee/assignments?round={ROUND}")).await;
    let now_on = active(&view, plain);
    assert_eq!(now_on.len(), 2);
    assert!(!now_on.contains(&leaving) && !now_on.contains(&"pnu.rev".to_owned()), "{now_on:?}");

    // A reviewer who reviewed keeps their place; one who did not can be taken off.
    let stays = now_on[0].clone();
    assert_eq!(by_name(&stays).post(&format!("/api/v1/requests/{plain}/reviews"), &scores).await.0, 200);
    // Their review stays theirs to change while the window is open (audited); others have none to change.
    let mine = format!("/api/v1/requests/{plain}/reviews/mine");
    let better = serde_json::json!({"technical_merit": 5, "impact": 5, "ecosystem": 4, "team_readiness": 4, "comment": "다시 읽고 고침"});
    let (code, changed) = by_name(&stays).put(&mine, &better).await;
    assert_eq!((code, changed["rubric"]["impact"].as_u64()), (200, Some(5)), "{changed}");
    assert_eq!(by_name(&now_on[1]).put(&mine, &better).await.1["error"], "no_review");
    let off = |who: &str| format!("/api/v1/committee/requests/{plain}/assignments/{who}");
    let (code, err) = committee.send(reqwest::Method::DELETE, &off(&stays), None).await;
    assert_eq!((code, err["error"].as_str()), (409, Some("already_reviewed")));
    let (code, _) = committee.send(reqwest::Method::DELETE, &off(&now_on[1]), None).await;
    assert_eq!(code, 204);

    // Every step is audited.
    let db = app.db().await;
    let audit = support::db::texts(&db, "SELECT action FROM audit_log WHERE source = 'real' ORDER BY seq", &[]).await;
    for a in ["reviewer_assigned", "reviewer_unassigned", "conflict_of_interest_recorded", "review_changed"] {
        assert!(audit.iter().any(|x| x == a), "{a} not in {audit:?}");
    }
}

#[tokio::test]
async fn concurrent_automatic_assignments_never_give_a_request_more_places_than_the_round_asks() {
    let app = spawn().await;
    open_round(&app).await;
    let researcher = app.caller("demo.researcher").await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(submit(&researcher, &format!("동시 배정 {i}")).await);
    }
    for (name, org) in [("a.rev", "KAIST"), ("b.rev", "POSTECH"), ("c.rev", "GIST"), ("d.rev", "UNIST")] {
        app.person(name, org, "reviewer").await;
    }
    let committee = app.caller("demo.committee").await;
    let url = format!("/api/v1/committee/assignments/auto?round={ROUND}");
    let empty = serde_json::json!({});
    let runs = join_all((0..6).map(|_| committee.post(&url, &empty))).await;
    assert!(runs.iter().all(|(c, _)| *c == 200), "{runs:?}");
    let total: u64 = runs.iter().map(|(_, d)| d["assigned"].as_u64().unwrap()).sum();
    assert_eq!(total, 8, "four requests, two places each, filled once: {runs:?}");
    let (_, view) = committee.get(&format!("/api/v1/committee/assignments?round={ROUND}")).await;
    for id in ids {
        assert_eq!(active(&view, id).len(), 2);
    }
}
