//! Integration tests of the allocation programme endpoints on the demo round.
#![allow(clippy::unwrap_used)] // the helpers at the bottom are test code that fails fast

use crate::support;

use support::db::{execute, int, texts, Arg};
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
    for (file, first, min_rows) in [("reviews.csv", "request", 514), ("allocations.csv", "allocation", 159)] {
        let res = committee.get(format!("{}/api/v1/committee/export/{file}", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{file}");
        let body = res.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        assert_eq!(reader.headers().unwrap().get(0), Some(first));
        assert!(reader.records().count() >= min_rows, "{file}");
    }
    // Every export is audited: who took which file of which round.
    let db = app.db().await;
    let exports = texts(&db, "SELECT body FROM audit_log WHERE action = 'csv_exported' ORDER BY seq", &[]).await;
    assert_eq!(exports.len(), 3);
    let first: serde_json::Value = serde_json::from_str(&exports[0]).unwrap();
    assert_eq!((first["actor"].as_str(), first["after"]["rows"].as_u64()), (Some("demo.committee"), Some(514)));
    assert_eq!(first["subject"]["kind"], "round");

    // For Excel: the same rows after a UTF-8 byte order mark (Korean text then opens as UTF-8);
    // the plain file has none; a bad flag names its parameter.
    assert!(!body.starts_with('\u{feff}'));
    let url = format!("{}/api/v1/committee/export/requests.csv?excel=true", app.base);
    let bytes = committee.get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().get(0), Some("id"));
    assert_eq!(reader.records().count(), 514);
    assert!(text.contains("대학교"), "Korean text as it is");
    let res = committee.get(format!("{}/api/v1/committee/export/requests.csv?excel=maybe", app.base)).send().await;
    let res = res.unwrap();
    assert_eq!(res.status(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "excel", "{err}");
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes_of_real_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = support::test_settings(dir.path());
    support::db::use_fresh_database(&mut settings).await;
    let storage = kairr_server::storage::Storage::connect(&settings).await.unwrap();
    let db = storage.db();
    let insert = "INSERT INTO audit_log (at, actor, action, source, body) VALUES (1, 'kim', 'decide', $1, '{}')";
    execute(db, insert, &[Arg::Text("real")]).await.unwrap();
    execute(db, insert, &[Arg::Text("demo")]).await.unwrap();
    let update = execute(db, "UPDATE audit_log SET actor = 'lee'", &[]).await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = execute(db, "DELETE FROM audit_log WHERE source = 'real'", &[]).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    // Demo rows may go (the demo programme is regenerated); real ones stay.
    assert_eq!(execute(db, "DELETE FROM audit_log WHERE source = 'demo'", &[]).await.unwrap(), 1);
    assert_eq!(int(db, "SELECT COUNT(*) FROM audit_log", &[]).await, 1);
    if storage.backend() == kairr_server::storage::Backend::Postgres {
        let truncate = execute(db, "TRUNCATE audit_log", &[]).await;
        assert!(truncate.unwrap_err().to_string().contains("append-only"));
    }
}

#[tokio::test]
async fn the_request_queue_filters_sorts_and_pages() {
    let app = spawn().await;
    let committee = app.client_as("demo.committee").await;
    let get = |q: &str| committee.get(format!("{}/api/v1/committee/requests?{q}", app.base)).send();
    let page: serde_json::Value = get("per_page=10&page=2").await.unwrap().json().await.unwrap();
    assert_eq!(page["total"], 514);
    assert_eq!(page["items"].as_array().unwrap().len(), 10);
    let page: serde_json::Value = get("sector=startup&sort=score").await.unwrap().json().await.unwrap();
    assert!(page["items"].as_array().unwrap().iter().all(|r| r["request"]["sector"] == "startup"));
    let res = get("sort=random&per_page=999").await.unwrap();
    assert_eq!(res.status(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["sort", "per_page"]);
}

#[tokio::test]
async fn a_decision_creates_an_allocation_and_audit_entries_and_cannot_be_made_twice() {
    let app = spawn().await;
    let committee = app.client_as("demo.committee").await;
    // Put one request back under review (the demo round is fully decided).
    let page: serde_json::Value = committee
        .get(format!("{}/api/v1/committee/requests?state=rejected&per_page=1", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut request = page["items"][0]["request"].clone();
    request["id"] = 90_001.into();
    request["state"] = "under_review".into();
    let db = app.db().await;
    let body_json = request.to_string();
    execute(
        &db,
        "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) \
         VALUES (90001, $1, 'x', $2, $3, 'under_review', 'real', $4)",
        &[
            Arg::Text(request["round"].as_str().unwrap()),
            Arg::Text(request["organisation"].as_str().unwrap()),
            Arg::Text(request["sector"].as_str().unwrap()),
            Arg::Text(&body_json),
        ],
    )
    .await
    .unwrap();
    support::db::open_for_decisions(&db, request["round"].as_str().unwrap()).await;
    let url = format!("{}/api/v1/committee/requests/90001/decision", app.base);
    let body =
        serde_json::json!({"kind": "approve_partially", "amount": 1, "rationale": "우수하나 자원 부족으로 1대 배분"});
    let res = committee.post(&url).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 403, "no CSRF token");
    let token = |c: &reqwest::Client| {
        let c = c.clone();
        let base = app.base.clone();
        async move {
            let s: serde_json::Value =
                c.get(format!("{base}/api/v1/auth/session")).send().await.unwrap().json().await.unwrap();
            s["csrf_token"].as_str().unwrap().to_owned()
        }
    };
    let researcher = app.client_as("demo.researcher").await;
    let res = researcher.post(&url).header("x-csrf-token", token(&researcher).await).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 403, "researchers may not decide");
    let t = token(&committee).await;
    // The demo round's capacity is exactly what it awarded: nothing is left (a conflict with what is recorded).
    let res = committee.post(&url).header("x-csrf-token", &t).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 409);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!((err["error"].as_str(), err["field"].as_str()), (Some("over_capacity"), Some("amount")));
    // Give the pool ten more servers, then the decision fits.
    let round_id = request["round"].as_str().unwrap();
    let body_text = texts(&db, "SELECT body FROM rounds WHERE id = $1", &[Arg::Text(round_id)]).await;
    let mut round: serde_json::Value = serde_json::from_str(&body_text[0]).unwrap();
    for p in round["pools"].as_array_mut().unwrap() {
        if p["pool"] == request["pool"] {
            p["capacity"] = (p["capacity"].as_u64().unwrap() + 10).into();
        }
    }
    let round_json = round.to_string();
    execute(&db, "UPDATE rounds SET body = $1 WHERE id = $2", &[Arg::Text(&round_json), Arg::Text(round_id)])
        .await
        .unwrap();
    let res = committee.post(&url).header("x-csrf-token", &t).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let allocations = int(&db, "SELECT COUNT(*) FROM allocations WHERE request_id = 90001", &[]).await;
    assert_eq!(allocations, 1);
    let audit = texts(
        &db,
        "SELECT action FROM audit_log WHERE source = 'real' AND action NOT LIKE 'sign_in%' ORDER BY seq",
        &[],
    )
    .await;
    assert_eq!(audit, ["decision_recorded", "allocation_created"]);
    let res = committee.post(&url).header("x-csrf-token", &t).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 409, "a decided request cannot be decided again");
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!((err["error"].as_str(), err["field"].as_str()), (Some("not_under_review"), Some("kind")));
    let res = committee
        .post(&url)
        .header("x-csrf-token", &t)
        .json(&serde_json::json!({"kind": "approve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409, "decided already, whatever the form holds");
}

#[tokio::test]
async fn a_researcher_submits_a_request_to_the_open_round_and_follows_it() {
    let app = spawn().await;
    let researcher = app.client_as("demo.researcher").await;
    let s: serde_json::Value =
        researcher.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap().json().await.unwrap();
    let token = s["csrf_token"].as_str().unwrap().to_owned();
    let today = chrono::Utc::now().date_naive();
    let body = serde_json::json!({
        "title_ko": "한국어 의료 LLM 미세조정", "title_en": "Fine-tuning a Korean medical LLM",
        "abstract": "70B 모델을 의료 말뭉치로 미세조정합니다.", "pi": "김연구", "organisation": "부산대학교",
        "sector": "university", "region": "non_capital", "pool": "nhn-b200", "amount": 4,
        "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(150)).to_string()
    });
    let url = format!("{}/api/v1/requests", app.base);
    let res = researcher.post(&url).header("x-csrf-token", &token).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let mine: serde_json::Value =
        researcher.get(format!("{}/api/v1/requests/mine", app.base)).send().await.unwrap().json().await.unwrap();
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["request"]["state"], "submitted");
    assert_eq!(mine[0]["request"]["round"], "2026-2");
    // Bad input names every field.
    let res = researcher
        .post(&url)
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"pool": "nowhere"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(err["fields"].as_array().unwrap().len() >= 3, "{err}");
    // The published first call refuses submissions.
    let res =
        researcher.post(format!("{url}?round=2026-1")).header("x-csrf-token", &token).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"], "round_not_open");
}

async fn csrf_of(app: &support::TestApp, c: &reqwest::Client) -> String {
    let s: serde_json::Value =
        c.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap().json().await.unwrap();
    s["csrf_token"].as_str().unwrap().to_owned()
}

async fn submit(app: &support::TestApp, c: &reqwest::Client, organisation: &str) -> u64 {
    let today = chrono::Utc::now().date_naive();
    let body = serde_json::json!({
        "title_ko": "기후 에뮬레이터", "title_en": "Climate emulator", "abstract": "데모", "pi": "김연구",
        "organisation": organisation, "sector": "university", "region": "capital", "pool": "kakao-b200", "amount": 2,
        "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(120)).to_string()
    });
    let res = c
        .post(format!("{}/api/v1/requests", app.base))
        .header("x-csrf-token", csrf_of(app, c).await)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json::<serde_json::Value>().await.unwrap()["id"].as_u64().unwrap()
}

#[tokio::test]
async fn reviews_score_requests_and_conflicts_of_interest_are_refused_and_recorded() {
    let app = spawn().await;
    let researcher = app.client_as("demo.researcher").await;
    let reviewer = app.client_as("demo.reviewer").await; // organisation: KAIST
    let scores = serde_json::json!({"technical_merit": 4, "impact": 5, "ecosystem": 3, "team_readiness": 4, "comment": "타당한 계획"});
    let ok_id = submit(&app, &researcher, "부산대학교").await;
    let url = |id: u64| format!("{}/api/v1/requests/{id}/reviews", app.base);
    let token = csrf_of(&app, &reviewer).await;
    let res = reviewer.post(url(ok_id)).header("x-csrf-token", &token).json(&scores).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let again = reviewer.post(url(ok_id)).header("x-csrf-token", &token).json(&scores).send().await.unwrap();
    assert_eq!(again.status(), 409, "one review per reviewer");
    let committee = app.client_as("demo.committee").await;
    let bad = committee
        .post(url(ok_id))
        .header("x-csrf-token", csrf_of(&app, &committee).await)
        .json(&serde_json::json!({"technical_merit": 9}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400, "scores are 1-5 and every criterion is required");
    let mine: serde_json::Value =
        researcher.get(format!("{}/api/v1/requests/mine", app.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine[0]["request"]["state"], "under_review");
    // The form cannot claim another organisation: the request is the account's organisation's…
    let claimed = submit(&app, &researcher, "KAIST").await;
    let res = reviewer.post(url(claimed)).header("x-csrf-token", &token).json(&scores).send().await.unwrap();
    assert_eq!(res.status(), 200, "a 부산대학교 account's request, whatever the form said");
    // …so a conflict needs an applicant who belongs to KAIST.
    let kaist = app.person("kaist.researcher", "KAIST", "researcher").await;
    let coi_id = submit(&app, &kaist.client, "KAIST").await;
    let res = reviewer.post(url(coi_id)).header("x-csrf-token", &token).json(&scores).send().await.unwrap();
    assert_eq!(res.status(), 409);
    let admin = app.client_as("demo.admin").await;
    let conflicts: serde_json::Value =
        admin.get(format!("{}/api/v1/admin/conflicts", app.base)).send().await.unwrap().json().await.unwrap();
    assert!(conflicts.as_array().unwrap().iter().any(|c| c["request"] == coi_id && c["reviewer"] == "demo.reviewer"));
    let res = committee.get(format!("{}/api/v1/admin/conflicts", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_proposal_of_a_decided_round_keeps_its_decisions_and_refuses_adjustments() {
    let app = spawn().await;
    let committee = app.client_as("demo.committee").await;
    let p: serde_json::Value =
        committee.get(format!("{}/api/v1/committee/proposal", app.base)).send().await.unwrap().json().await.unwrap();
    let lines = p["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 514);
    assert!(lines.iter().all(|l| l["decided"] == true), "every demo request is decided");
    // The proposal shows what was awarded: 4,224 GPUs, i.e. 528 servers, in all.
    let servers: u64 = lines.iter().map(|l| l["proposed"].as_u64().unwrap()).sum();
    assert_eq!(servers, 528);
    let line = lines.iter().find(|l| l["proposed"].as_u64().unwrap() > 0).unwrap();
    let url = format!("{}/api/v1/committee/proposal/adjust", app.base);
    let token = csrf_of(&app, &committee).await;
    let body = serde_json::json!({"adjustments": [{"request": line["request"], "amount": 0}]});
    let res = committee.post(&url).header("x-csrf-token", &token).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "adjustments");
    assert!(err["fields"][0]["message_en"].as_str().unwrap().contains("decided already"), "{err}");
}

#[tokio::test]
async fn the_open_round_is_public_with_its_pools_units_period_and_policy_and_404_when_none_is_open() {
    let app = spawn().await;
    let (code, open) = app.get_json("/api/v1/rounds/open").await;
    assert_eq!(code, 200, "{open}");
    assert_eq!(open["source"], "demo");
    let round = &open["round"];
    assert_eq!(round["id"], "2026-2");
    let today = chrono::Utc::now().date_naive();
    let day = |v: &serde_json::Value| v.as_str().unwrap().parse::<chrono::NaiveDate>().unwrap();
    assert!(day(&round["opens"]) <= today && today <= day(&round["closes"]));
    assert!(day(&round["period_start"]) > today && day(&round["period_end"]) > day(&round["period_start"]));
    let pools = round["pools"].as_array().unwrap();
    assert!(pools.len() >= 3);
    let units: Vec<&str> = pools.iter().map(|p| p["unit"].as_str().unwrap()).collect();
    assert!(units.contains(&"servers") && units.contains(&"node_hours"), "{units:?}");
    assert!(pools.iter().all(|p| p["capacity"].as_u64().unwrap() > 0));
    assert_eq!(round["policy"]["min_score"], 3.0);
    // Its submission window passes: no round is open any more.
    let db = app.db().await;
    let mut closed = round.clone();
    closed["closes"] = (today - chrono::Days::new(1)).to_string().into();
    closed["opens"] = (today - chrono::Days::new(20)).to_string().into();
    let text = closed.to_string();
    execute(&db, "UPDATE rounds SET body = $1 WHERE id = '2026-2'", &[Arg::Text(&text)]).await.unwrap();
    let (code, err) = app.get_json("/api/v1/rounds/open").await;
    assert_eq!(code, 404);
    assert_eq!(err["error"], "not_found");
    // Reviews follow the stage, not the dates: once the round is decided, nothing is left to review.
    closed["stage"] = "decided".into();
    let text = closed.to_string();
    execute(&db, "UPDATE rounds SET stage = 'decided', body = $1 WHERE id = '2026-2'", &[Arg::Text(&text)])
        .await
        .unwrap();
    let reviewer = app.client_as("demo.reviewer").await;
    let list: serde_json::Value =
        reviewer.get(format!("{}/api/v1/reviews/assigned", app.base)).send().await.unwrap().json().await.unwrap();
    assert!(list["round"].is_null() && list["items"].as_array().unwrap().is_empty(), "{list}");
}

#[tokio::test]
async fn a_request_page_shows_reviews_decision_allocation_and_conflicts_to_admins_only() {
    let app = spawn().await;
    let committee = app.client_as("demo.committee").await;
    let awarded: serde_json::Value = committee
        .get(format!("{}/api/v1/committee/requests?state=expired&per_page=1", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let awarded = if awarded["total"] == 0 {
        committee
            .get(format!("{}/api/v1/committee/requests?state=approved&per_page=1", app.base))
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    } else {
        awarded
    };
    let id = awarded["items"][0]["request"]["id"].as_u64().unwrap();
    let url = |id: &str| format!("{}/api/v1/committee/requests/{id}", app.base);
    let page: serde_json::Value = committee.get(url(&id.to_string())).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["request"]["id"], id);
    assert!(!page["reviews"].as_array().unwrap().is_empty());
    assert!(page["reviews"].as_array().unwrap().iter().all(|r| r["request"] == id && r["rubric"]["impact"].is_u64()));
    let mean = page["mean_score"].as_f64().unwrap();
    assert!((1.0..=5.0).contains(&mean));
    assert_eq!(page["decision"]["request"], id);
    assert_eq!(page["allocation"]["request"], id);
    assert_eq!(page["allocation"]["amount"], page["decision"]["amount"]);
    assert_eq!(page["pool"]["pool"], page["request"]["pool"]);
    assert_eq!(page["decidable"], false);
    // The demo's fictional reviewers and decider (records without accounts) are named as people.
    for r in page["reviews"].as_array().unwrap() {
        let name = page["names"][r["reviewer"].as_str().unwrap()].as_str().unwrap_or_default();
        assert!(name.starts_with("심사위원 ") && name.ends_with(" (데모)"), "{name:?} for {}", r["reviewer"]);
    }
    assert!(page["names"][page["decision"]["decided_by"].as_str().unwrap()].is_string(), "{}", page["names"]);
    assert!(page.get("conflicts").is_none(), "conflicts are for admins");
    let admin = app.client_as("demo.admin").await;
    let page: serde_json::Value = admin.get(url(&id.to_string())).send().await.unwrap().json().await.unwrap();
    assert!(page["conflicts"].is_array());
    let (code, _) = app.get_json(&format!("/api/v1/committee/requests/{id}")).await;
    assert_eq!(code, 401);
    let reviewer = app.client_as("demo.reviewer").await;
    assert_eq!(reviewer.get(url(&id.to_string())).send().await.unwrap().status(), 403);
    let res = committee.get(url("abc")).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["field"], "id");
    assert_eq!(committee.get(url("999999")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_reviewer_sees_the_open_rounds_requests_then_after_the_call_closes_one_is_decided_from_its_page() {
    let app = spawn().await;
    let researcher = app.client_as("demo.researcher").await;
    let reviewer = app.client_as("demo.reviewer").await; // KAIST
    let plain = submit(&app, &researcher, "부산대학교").await;
    let kaist = app.person("kaist.researcher", "KAIST", "researcher").await;
    let conflicted = submit(&app, &kaist.client, "KAIST").await;
    let assigned = format!("{}/api/v1/reviews/assigned", app.base);
    let list: serde_json::Value = reviewer.get(&assigned).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["round"]["id"], "2026-2");
    let items = list["items"].as_array().unwrap();
    let flags: Vec<(u64, bool)> =
        items.iter().map(|i| (i["request"]["id"].as_u64().unwrap(), i["conflict"].as_bool().unwrap())).collect();
    assert_eq!(flags, [(plain, false), (conflicted, true)]);
    assert!(items.iter().all(|i| i["mine"].is_null()));
    assert_eq!(researcher.get(&assigned).send().await.unwrap().status(), 403);
    assert_eq!(app.client.get(&assigned).send().await.unwrap().status(), 401);
    let scores =
        serde_json::json!({"technical_merit": 4, "impact": 4, "ecosystem": 4, "team_readiness": 4, "comment": "좋음"});
    let res = reviewer
        .post(format!("{}/api/v1/requests/{plain}/reviews", app.base))
        .header("x-csrf-token", csrf_of(&app, &reviewer).await)
        .json(&scores)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let list: serde_json::Value = reviewer.get(&assigned).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["items"][0]["mine"]["rubric"]["impact"], 4);
    // The public page keeps showing the decided first call while the open round has no award.
    let public = format!("{}/api/v1/allocations/public", app.base);
    let shown: serde_json::Value = app.client.get(&public).send().await.unwrap().json().await.unwrap();
    assert_eq!((shown["round"].as_str(), shown["projects"].as_array().unwrap().len()), (Some("2026-1"), 159));
    assert_eq!(
        shown["published"],
        serde_json::json!([{"id": "2026-1", "title_ko": shown["title_ko"], "title_en": shown["title_en"]}])
    );
    // A second review (the round asks two) by a committee member, who may review.
    let committee = app.client_as("demo.committee").await;
    let res = committee
        .post(format!("{}/api/v1/requests/{plain}/reviews", app.base))
        .header("x-csrf-token", csrf_of(&app, &committee).await)
        .json(&scores)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // No decision while the call is open; an admin closes it (confirming the stage they saw).
    let stage_url = format!("{}/api/v1/admin/rounds/2026-2/stage", app.base);
    let decide_url = format!("{}/api/v1/committee/requests/{plain}/decision", app.base);
    let token = csrf_of(&app, &committee).await;
    let early = serde_json::json!({"kind": "approve", "rationale": "우수"});
    let res = committee.post(&decide_url).header("x-csrf-token", &token).json(&early).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"], "round_not_in_review");
    let admin = app.client_as("demo.admin").await;
    let admin_token = csrf_of(&app, &admin).await;
    let close = serde_json::json!({"from": "open", "to": "under_review"});
    let res = admin.post(&stage_url).header("x-csrf-token", &admin_token).json(&close).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // Under review, but the review window runs for two more weeks: the committee waits…
    let res = committee.post(&decide_url).header("x-csrf-token", &token).json(&early).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"], "review_window_open");
    // The committee's page of the reviewed request, then its decision (by an admin, overriding the window).
    let committee = admin.clone();
    let page_url = format!("{}/api/v1/committee/requests/{plain}", app.base);
    let before: serde_json::Value = committee.get(&page_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(before["decidable"], true);
    assert_eq!(before["mean_score"], 4.0);
    assert_eq!(before["pool"]["unit"], "servers");
    assert!(before["decision"].is_null() && before["allocation"].is_null());
    let left = before["capacity_left"].as_u64().unwrap();
    let token = csrf_of(&app, &committee).await;
    // Every invalid field at once: no rationale, a start before the round's allocation period.
    let res = committee
        .post(format!("{page_url}/decision"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"kind": "approve", "period_start": "1999-01-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["rationale", "period_start", "override_reason"]);
    // Granted for the first ten days of the period asked.
    let start: chrono::NaiveDate = before["request"]["period_start"].as_str().unwrap().parse().unwrap();
    let end = start + chrono::Days::new(9);
    let res = committee
        .post(format!("{page_url}/decision"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"kind": "approve", "rationale": "우수", "period_end": end.to_string(),
            "override_reason": "위원회 의결로 조기 배분"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let after: serde_json::Value = committee.get(&page_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(after["decidable"], false);
    assert_eq!(after["request"]["state"], "approved");
    assert_eq!(after["allocation"]["amount"], 2);
    assert_eq!(after["allocation"]["start"], start.to_string());
    assert_eq!(after["allocation"]["end"], end.to_string());
    assert_eq!(after["capacity_left"].as_u64().unwrap(), left - 2);
    // The page names its reviewers and its decider as people, not as account names.
    let reviewers: Vec<&str> =
        after["reviews"].as_array().unwrap().iter().map(|r| r["reviewer"].as_str().unwrap()).collect();
    assert_eq!(reviewers.len(), 2, "{reviewers:?}");
    assert_eq!(after["decision"]["decided_by"], "demo.admin");
    assert_eq!(after["names"]["demo.admin"], "최관리 (데모)");
    assert_eq!(after["names"]["demo.committee"], "박위원 (데모)");
    assert!(reviewers.iter().all(|r| after["names"][r].is_string()), "every reviewer named: {}", after["names"]);
    // The researcher sees awarded against used: 2 servers × 8 GPUs × 24 h × the 10 days granted, nothing used yet.
    let mine: serde_json::Value =
        researcher.get(format!("{}/api/v1/requests/mine", app.base)).send().await.unwrap().json().await.unwrap();
    let decided = mine.as_array().unwrap().iter().find(|m| m["request"]["id"] == plain).unwrap();
    assert_eq!(decided["awarded_gpu_hours"], 2.0 * 8.0 * 24.0 * 10.0);
    assert_eq!(decided["used_gpu_hours"], 0.0);
    // An award is not public until the round is published: the public page still shows the first call,
    // and asking for the second round by name finds nothing.
    let shown: serde_json::Value = app.client.get(&public).send().await.unwrap().json().await.unwrap();
    assert_eq!(shown["round"], "2026-1");
    let ids: Vec<&str> = shown["published"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2026-1"]);
    assert_eq!(app.client.get(format!("{public}?round=2026-2")).send().await.unwrap().status(), 404);
    // The override is in the audit log with its reason.
    let db = app.db().await;
    let reasons = texts(&db, "SELECT body FROM audit_log WHERE action = 'review_window_overridden'", &[]).await;
    assert_eq!(reasons.len(), 1);
    assert!(reasons[0].contains("위원회 의결로 조기 배분"), "{}", reasons[0]);
}

#[tokio::test]
async fn malformed_ids_and_query_parameters_are_json_400s_naming_the_field() {
    let app = spawn().await;
    let committee = app.client_as("demo.committee").await;
    let res = committee.get(format!("{}/api/v1/committee/requests?per_page=lots", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "query");
    assert!(err["message"].as_str().unwrap().contains("per_page"), "{err}");
    let res = committee
        .post(format!("{}/api/v1/committee/requests/abc/decision", app.base))
        .header("x-csrf-token", csrf_of(&app, &committee).await)
        .json(&serde_json::json!({"kind": "reject", "rationale": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!((err["error"].as_str(), err["field"].as_str()), (Some("invalid_parameter"), Some("id")));
}
