//! The organisations directory through the API (issue 10 §1): seeded, read
//! by anyone, maintained by admins; a person's organisation is an entry, a
//! request's is its applicant's, and the conflict-of-interest check compares
//! entries, whatever name or alias each side was typed with.
#![allow(clippy::unwrap_used)] // test code that fails fast

use crate::support;

use futures_util::future::join_all;
use support::spawn;

fn org(id: &str, name_ko: &str, aliases: &[&str]) -> serde_json::Value {
    serde_json::json!({"id": id, "name_ko": name_ko, "name_en": format!("{id} Inc."), "aliases": aliases,
                       "sector": "startup", "province": "busan"})
}

fn request() -> serde_json::Value {
    let today = chrono::Utc::now().date_naive();
    serde_json::json!({
        "title_ko": "기관 시험", "title_en": "Directory check", "abstract": "시험", "pi": "박창업",
        // What the form claims is ignored: the account's organisation decides.
        "organisation": "KAIST", "sector": "university", "region": "capital", "pool": "kakao-b200",
        "amount": 1, "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(90)).to_string()
    })
}

fn ids(list: &serde_json::Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn admins_maintain_the_directory_and_requests_and_conflicts_follow_its_entries() {
    let app = spawn().await;
    let admin = app.caller("demo.admin").await;
    let committee = app.caller("demo.committee").await;

    // Seeded: real organisations, and the demo's fictional companies flagged demo.
    let (code, list) = app.get_json("/api/v1/organisations").await;
    assert_eq!(code, 200);
    let all = ids(&list);
    for id in ["kaist", "snu", "kisti", "etri", "hanbit-ai"] {
        assert!(all.contains(&id), "{id} missing");
    }
    let hanbit = list.as_array().unwrap().iter().find(|o| o["id"] == "hanbit-ai").unwrap();
    assert_eq!(hanbit["demo"], true);

    // Only admins add; every bad field is named; a name another entry has is refused.
    assert_eq!(committee.post("/api/v1/admin/organisations", &org("busan-ai", "부산에이아이", &[])).await.0, 403);
    let bad =
        serde_json::json!({"id": "Busan AI", "name_ko": "", "name_en": "x", "sector": "church", "province": "osaka"});
    let (code, err) = admin.post("/api/v1/admin/organisations", &bad).await;
    assert_eq!(code, 400, "{err}");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["id", "name_ko", "sector", "province"]);
    let clash = org("busan-ai", "부산에이아이", &["카이스트"]);
    assert_eq!(admin.post("/api/v1/admin/organisations", &clash).await.1["fields"][0]["field"], "aliases");
    let (code, created) =
        admin.post("/api/v1/admin/organisations", &org("busan-ai", "(주)부산에이아이", &["BAI"])).await;
    assert_eq!(code, 200, "{created}");

    // A person is attached by any of the entry's names; an unknown organisation is refused.
    let body =
        |u: &str, o: &str, r: &str| serde_json::json!({"username": u, "display_name": u, "organisation": o, "role": r});
    let (code, err) = admin.post("/api/v1/admin/people", &body("ghost", "Hogwarts", "researcher")).await;
    assert_eq!((code, err["field"].as_str().or(err["fields"][0]["field"].as_str())), (400, Some("organisation")));
    let founder = app.person("bai.founder", "BAI", "researcher").await;
    let (_, me) = founder.get("/api/v1/auth/session").await;
    assert_eq!(
        (me["user"]["organisation"].as_str(), me["user"]["organisation_id"].as_str()),
        (Some("(주)부산에이아이"), Some("busan-ai"))
    );

    // The request takes the entry: its name, id, sector and region, whatever the form claims.
    let (code, req) = founder.post("/api/v1/requests", &request()).await;
    assert_eq!(code, 200, "{req}");
    assert_eq!(
        (req["organisation"].as_str(), req["organisation_id"].as_str(), req["sector"].as_str(), req["region"].as_str()),
        (Some("(주)부산에이아이"), Some("busan-ai"), Some("startup"), Some("non_capital"))
    );
    let id = req["id"].as_u64().unwrap();

    // A reviewer attached under another spelling of the same entry is in conflict (409, recorded).
    let colleague = app.person("bai.reviewer", "부산 에이아이", "reviewer").await;
    let scores =
        serde_json::json!({"technical_merit": 4, "impact": 4, "ecosystem": 4, "team_readiness": 4, "comment": "좋음"});
    let (code, err) = colleague.post(&format!("/api/v1/requests/{id}/reviews"), &scores).await;
    assert_eq!((code, err["error"].as_str()), (409, Some("conflict_of_interest")), "{err}");
    let outsider = app.person("pnu.reviewer", "부산대", "reviewer").await;
    assert_eq!(outsider.post(&format!("/api/v1/requests/{id}/reviews"), &scores).await.0, 200);

    // Renamed: the id stays, members' accounts show the new name, the change is audited.
    let mut renamed = org("ignored", "(주)부산AI랩", &["BAI", "부산에이아이"]);
    renamed["sector"] = "sme".into();
    let (code, changed) = admin.put("/api/v1/admin/organisations/busan-ai", &renamed).await;
    assert_eq!(
        (code, changed["id"].as_str(), changed["sector"].as_str()),
        (200, Some("busan-ai"), Some("sme")),
        "{changed}"
    );
    let (_, me) = founder.get("/api/v1/auth/session").await;
    assert_eq!(me["user"]["organisation"], "(주)부산AI랩");
    assert_eq!(admin.put("/api/v1/admin/organisations/nowhere", &renamed).await.0, 404);
    let db = app.db().await;
    let audit = support::db::texts(&db, "SELECT action FROM audit_log WHERE source = 'real' ORDER BY seq", &[]).await;
    for a in ["organisation_created", "organisation_changed"] {
        assert!(audit.iter().any(|x| x == a), "{a} not in {audit:?}");
    }
}

#[tokio::test]
async fn two_admins_adding_organisations_with_the_same_name_at_once_leave_one() {
    let app = spawn().await;
    let admin = app.caller("demo.admin").await;
    let tries = (0..6).map(|i| {
        let admin = &admin;
        async move { admin.post("/api/v1/admin/organisations", &org(&format!("twin-{i}"), "(주)쌍둥이", &[])).await.0 }
    });
    let codes = join_all(tries).await;
    assert_eq!(codes.iter().filter(|c| **c == 200).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|c| [200, 400, 409].contains(c)), "{codes:?}");
    let (_, list) = app.get_json("/api/v1/organisations").await;
    let twins = list.as_array().unwrap().iter().filter(|o| o["name_ko"] == "(주)쌍둥이").count();
    assert_eq!(twins, 1);
}
