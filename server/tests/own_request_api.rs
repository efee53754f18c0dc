//! The researcher's own request (issue 10 §1): its page with the status
//! history, changes and withdrawal before the submission deadline (the
//! applicant only), and co-investigators who follow it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: failing fast is the point

use crate::support::db::{texts, Arg};
use crate::support::{spawn, Caller, TestApp};

fn body(co_investigators: &[&str]) -> serde_json::Value {
    let today = chrono::Utc::now().date_naive();
    serde_json::json!({
        "title_ko": "해양 예측 모델", "title_en": "Ocean forecast model",
        "abstract": "해양 예측", "pi": "김연구", "organisation": "KAIST",
        "sector": "university", "region": "capital", "pool": "nhn-b200", "amount": 4,
        "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(150)).to_string(),
        "co_investigators": co_investigators,
    })
}

async fn open_round(app: &TestApp) -> String {
    let (code, open) = app.get_json("/api/v1/rounds/open").await;
    assert_eq!(code, 200, "{open}");
    open["round"]["id"].as_str().unwrap().to_owned()
}

/// Ids of the open round's requests as the committee's list shows them.
async fn committee_ids(committee: &Caller, round: &str) -> Vec<u64> {
    let (code, page) = committee.get(&format!("/api/v1/committee/requests?round={round}&q=Ocean&per_page=200")).await;
    assert_eq!(code, 200, "{page}");
    page["items"].as_array().unwrap().iter().map(|r| r["request"]["id"].as_u64().unwrap()).collect()
}

fn kinds(detail: &serde_json::Value) -> Vec<String> {
    detail["history"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_applicant_follows_changes_and_withdraws_a_request_that_co_investigators_follow() {
    let app = spawn().await;
    let round = open_round(&app).await;
    let minji = app.person("minji", "KAIST", "researcher").await;
    let jisoo = app.person("jisoo", "POSTECH", "researcher").await;
    let outsider = app.person("outsider", "KAIST", "researcher").await;
    let committee = app.caller("demo.committee").await;
    let shown_round = |c: Caller| async move {
        let (code, overview) = c.get("/api/v1/committee/overview").await;
        assert_eq!(code, 200, "{overview}");
        overview["round"].as_str().unwrap().to_owned()
    };
    let shown_before = shown_round(committee.clone()).await;

    // Co-investigators must be accounts of the portal; the unknown one is named.
    let (code, err) = minji.post(&format!("/api/v1/requests?round={round}"), &body(&["jisoo", "nobody"])).await;
    assert_eq!(code, 400, "{err}");
    // Committee members (and admins) cannot be named: it would bar them from deciding.
    let (code, err) = minji.post(&format!("/api/v1/requests?round={round}"), &body(&["demo.committee"])).await;
    assert_eq!(code, 400, "{err}");
    assert!(err["fields"][0]["message_en"].as_str().unwrap().contains("demo.committee"), "{err}");
    let (code, err) = minji.post(&format!("/api/v1/requests?round={round}"), &body(&["jisoo", "nobody"])).await;
    assert_eq!(code, 400, "{err}");
    let field = err["fields"].as_array().unwrap().iter().find(|f| f["field"] == "co_investigators").unwrap();
    assert!(field["message_en"].as_str().unwrap().contains("nobody"), "{field}");
    // A name that cannot be a username (NUL, which PostgreSQL refuses in
    // text; spaces; capitals) is unknown, not a server error.
    let (code, err) = minji.post(&format!("/api/v1/requests?round={round}"), &body(&["ji\u{0}soo", "Ji Soo"])).await;
    assert_eq!(code, 400, "{err}");
    let field = err["fields"].as_array().unwrap().iter().find(|f| f["field"] == "co_investigators").unwrap();
    assert_eq!(field["message_en"], "Not a researcher's or reviewer's account of the portal: jisoo, Ji Soo", "{field}");

    let (code, request) = minji.post(&format!("/api/v1/requests?round={round}"), &body(&["jisoo"])).await;
    assert_eq!(code, 200, "{request}");
    let id = request["id"].as_u64().unwrap();
    let path = format!("/api/v1/requests/{id}");
    assert!(committee_ids(&committee, &round).await.contains(&id));

    // The applicant's page: editable, its history starts with the submission.
    let (code, mine) = minji.get(&path).await;
    assert_eq!(code, 200, "{mine}");
    assert_eq!((mine["applicant"].as_bool(), mine["editable"].as_bool()), (Some(true), Some(true)));
    assert_eq!(kinds(&mine), ["submitted"]);
    assert_eq!(mine["history"][0]["by"], "minji");
    assert_eq!(mine["mine"]["request"]["co_investigators"], serde_json::json!(["jisoo"]));
    assert_eq!(mine["round"]["id"], round.as_str());
    let unit =
        mine["round"]["pools"].as_array().unwrap().iter().find(|p| p["pool"] == "nhn-b200").unwrap()["unit"].clone();
    assert_eq!(mine["mine"]["unit"], unit, "the amount's unit is the pool's in the round");

    // The co-investigator follows it (also in their list) but may not change it; others do not see it.
    let (code, theirs) = jisoo.get(&path).await;
    assert_eq!(code, 200, "{theirs}");
    assert_eq!((theirs["applicant"].as_bool(), theirs["editable"].as_bool()), (Some(false), Some(false)));
    let (_, list) = jisoo.get("/api/v1/requests/mine").await;
    assert!(list.as_array().unwrap().iter().any(|m| m["request"]["id"].as_u64() == Some(id)), "{list}");
    assert_eq!(jisoo.put(&path, &body(&[])).await.0, 403);
    assert_eq!(jisoo.post(&format!("{path}/withdraw"), &serde_json::json!({})).await.0, 403);
    assert_eq!(outsider.get(&path).await.0, 404);
    assert_eq!(outsider.put(&path, &body(&[])).await.0, 404);
    assert_eq!(minji.get("/api/v1/requests/999999999").await.0, 404);

    // A change: audited, in the history with the field it touched; invalid input names its field.
    let mut changed = body(&["jisoo"]);
    changed["amount"] = serde_json::json!(6);
    let (code, edited) = minji.put(&path, &changed).await;
    assert_eq!(code, 200, "{edited}");
    assert_eq!((edited["amount"].as_u64(), edited["id"].as_u64()), (Some(6), Some(id)));
    assert_eq!(edited["submitted_at"], request["submitted_at"]);
    let mut bad = changed.clone();
    bad["amount"] = serde_json::json!(0);
    let (code, err) = minji.put(&path, &bad).await;
    assert_eq!((code, err["fields"][0]["field"].as_str()), (400, Some("amount")), "{err}");
    let (_, mine) = minji.get(&path).await;
    assert_eq!(kinds(&mine), ["submitted", "edited"]);
    assert_eq!(mine["history"][1]["fields"], serde_json::json!(["amount"]));

    // Withdrawal: once, then nothing more; it leaves the committee's list.
    let (code, withdrawn) = minji.post(&format!("{path}/withdraw"), &serde_json::json!({})).await;
    assert_eq!((code, withdrawn["state"].as_str()), (200, Some("withdrawn")), "{withdrawn}");
    let (code, again) = minji.post(&format!("{path}/withdraw"), &serde_json::json!({})).await;
    assert_eq!((code, again["error"].as_str()), (409, Some("request_not_editable")), "{again}");
    assert_eq!(minji.put(&path, &changed).await.0, 409);
    let (_, mine) = minji.get(&path).await;
    assert_eq!(kinds(&mine), ["submitted", "edited", "withdrawn"]);
    assert_eq!(mine["editable"].as_bool(), Some(false));
    assert!(!committee_ids(&committee, &round).await.contains(&id));
    assert_eq!(
        shown_round(committee.clone()).await,
        shown_before,
        "a withdrawn request does not make its round the default"
    );

    // The audit log holds each step under the request's subject.
    let db = app.db().await;
    let subject = format!("request:{id}");
    let actions =
        texts(&db, "SELECT action FROM audit_log WHERE subject = $1 ORDER BY seq", &[Arg::Text(&subject)]).await;
    assert_eq!(actions, ["request_submitted", "request_edited", "request_withdrawn"]);
}

#[tokio::test]
async fn concurrent_withdrawals_and_changes_leave_one_consistent_request() {
    let app = spawn().await;
    let round = open_round(&app).await;
    let minji = app.person("minji", "KAIST", "researcher").await;
    let (code, request) = minji.post(&format!("/api/v1/requests?round={round}"), &body(&[])).await;
    assert_eq!(code, 200, "{request}");
    let id = request["id"].as_u64().unwrap();
    let path = format!("/api/v1/requests/{id}");
    let mut tasks = Vec::new();
    for i in 0..6_u64 {
        let (c, p) = (minji.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                c.post(&format!("{p}/withdraw"), &serde_json::json!({})).await.0
            } else {
                let mut b = body(&[]);
                b["amount"] = serde_json::json!(10 + i);
                c.put(&p, &b).await.0
            }
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    let withdrawals: Vec<u16> = codes.iter().step_by(2).copied().collect();
    assert_eq!(withdrawals.iter().filter(|c| **c == 200).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|c| *c == 200 || *c == 409), "{codes:?}");
    // Whatever the order, the history matches the outcome: one withdrawal, last.
    let (_, mine) = minji.get(&path).await;
    let k = kinds(&mine);
    assert_eq!(k.last().map(String::as_str), Some("withdrawn"), "{k:?}");
    assert_eq!(k.iter().filter(|x| *x == "withdrawn").count(), 1);
    let edits_accepted = codes.iter().skip(1).step_by(2).filter(|c| **c == 200).count();
    assert_eq!(k.iter().filter(|x| *x == "edited").count(), edits_accepted, "{k:?} {codes:?}");
}
