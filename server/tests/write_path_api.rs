//! The programme's single write path under concurrency and hostile input
//! (issue 9): concurrent decisions never over-allocate a pool and each
//! request is decided once; a review racing a decision never moves the
//! decided request back; concurrent submissions get distinct ids; lost races
//! are 409s with a JSON body, never 500s. Runs on SQLite, and on PostgreSQL
//! when `KAIRR_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used)]

use crate::support;

use futures_util::future::join_all;
use support::db::{execute, int, texts, Arg};
use support::spawn;

/// The decided demo round (its capacity is exactly what it awarded).
const ROUND: &str = "2026-1";

async fn csrf_of(app: &support::TestApp, c: &reqwest::Client) -> String {
    let s: serde_json::Value =
        c.get(format!("{}/api/v1/auth/session", app.base)).send().await.unwrap().json().await.unwrap();
    s["csrf_token"].as_str().unwrap().to_owned()
}

/// A template request of the decided round in `pool` (a demo body to copy).
async fn template(db: &kairr_server::storage::Db, pool: &str) -> serde_json::Value {
    let bodies = texts(db, "SELECT body FROM requests WHERE round_id = $1", &[Arg::Text(ROUND)]).await;
    bodies.iter().map(|b| serde_json::from_str::<serde_json::Value>(b).unwrap()).find(|r| r["pool"] == pool).unwrap()
}

/// Inserts request `id` (copied from `t`) in `state`, asking `amount`, from `organisation`.
async fn insert_request(
    db: &kairr_server::storage::Db,
    t: &serde_json::Value,
    id: i64,
    state: &str,
    amount: u64,
    organisation: &str,
    organisation_id: Option<&str>,
) {
    let mut r = t.clone();
    r["id"] = id.into();
    r["state"] = state.into();
    r["amount"] = amount.into();
    r["organisation"] = organisation.into();
    // The template's directory id is another organisation's: replace it (None: a record by name only).
    r["organisation_id"] = organisation_id.into();
    r["applicant"] = "someone".into();
    let body = r.to_string();
    execute(
        db,
        "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) \
         VALUES ($1, $2, 'someone', $3, $4, $5, 'real', $6)",
        &[
            Arg::Int(id),
            Arg::Text(ROUND),
            Arg::Text(organisation),
            Arg::Text(r["sector"].as_str().unwrap()),
            Arg::Text(state),
            Arg::Text(&body),
        ],
    )
    .await
    .unwrap();
}

/// Adds `extra` to the capacity of `pool` in the decided round.
async fn add_capacity(db: &kairr_server::storage::Db, pool: &str, extra: u64) -> u64 {
    let body = texts(db, "SELECT body FROM rounds WHERE id = $1", &[Arg::Text(ROUND)]).await;
    let mut round: serde_json::Value = serde_json::from_str(&body[0]).unwrap();
    let mut capacity = 0;
    for p in round["pools"].as_array_mut().unwrap() {
        if p["pool"] == pool {
            capacity = p["capacity"].as_u64().unwrap() + extra;
            p["capacity"] = capacity.into();
        }
    }
    let json = round.to_string();
    execute(db, "UPDATE rounds SET body = $1 WHERE id = $2", &[Arg::Text(&json), Arg::Text(ROUND)]).await.unwrap();
    capacity
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_decisions_never_over_allocate_and_each_request_is_decided_once() {
    // Enough connections for many decisions to be inside their transactions at once.
    let app = support::spawn_with(|s| s.database.max_connections = 16).await;
    // On PostgreSQL, a second replica on the same database takes half the decisions.
    let second = match support::db::postgres_server() {
        Some(_) => {
            let dir = tempfile::tempdir().unwrap();
            let mut settings = app.settings.clone();
            settings.static_dir = dir.path().join("dist");
            Some(support::spawn_in(dir, settings).await)
        }
        None => None,
    };
    let replicas: Vec<&support::TestApp> = std::iter::once(&app).chain(second.as_ref()).collect();
    let db = app.db().await;
    let pool = "kakao-b200";
    let t = template(&db, pool).await;
    support::db::open_for_decisions(&db, ROUND).await;
    // 50 requests of one server each, under review; the pool has 5 servers left, so most of the
    // 200 calls race for the last servers at once.
    for i in 0..50 {
        insert_request(&db, &t, 95_000 + i, "under_review", 1, "테스트대학교", None).await;
    }
    const LEFT: u32 = 5;
    let capacity = add_capacity(&db, pool, u64::from(LEFT)).await;
    // Four committee sessions, each deciding every request once: 200 decisions at the same time.
    let mut clients = Vec::new();
    for (n, who) in ["demo.committee", "demo.committee", "demo.admin", "demo.admin"].into_iter().enumerate() {
        let replica = replicas[n % replicas.len()];
        let c = replica.client_as(who).await;
        let token = csrf_of(replica, &c).await;
        clients.push((c, token, replica.base.clone()));
    }
    let body = serde_json::json!({"kind": "approve", "rationale": "동시성 시험"});
    let calls = (0..50).flat_map(|i| clients.iter().map(move |(c, t, b)| (i, c.clone(), t.clone(), b.clone())));
    let results = join_all(calls.map(|(i, c, t, base)| {
        let url = format!("{base}/api/v1/committee/requests/{}/decision", 95_000 + i);
        let body = body.clone();
        async move {
            let res = c.post(&url).header("x-csrf-token", t).json(&body).send().await.unwrap();
            let status = res.status().as_u16();
            let json: serde_json::Value = res.json().await.unwrap();
            (i, status, json)
        }
    }))
    .await;
    let mut ok_per_request = [0u32; 50];
    for (i, status, json) in &results {
        match status {
            200 => ok_per_request[*i as usize] += 1,
            409 => assert!(
                matches!(json["error"].as_str(), Some("over_capacity" | "not_under_review" | "changed")),
                "{json}"
            ),
            other => panic!("decision {i} answered {other}: {json}"),
        }
    }
    assert!(ok_per_request.iter().all(|n| *n <= 1), "a request was decided twice: {ok_per_request:?}");
    assert_eq!(ok_per_request.iter().sum::<u32>(), LEFT, "exactly the servers left are awarded");
    let awarded =
        int(&db, "SELECT COUNT(*) FROM allocations WHERE round_id = $1 AND request_id >= 95000", &[Arg::Text(ROUND)])
            .await;
    assert_eq!(awarded, i64::from(LEFT));
    // Σ awarded ≤ capacity over the whole pool, demo awards included.
    let bodies = texts(&db, "SELECT body FROM allocations WHERE round_id = $1", &[Arg::Text(ROUND)]).await;
    let total: u64 = bodies
        .iter()
        .map(|b| serde_json::from_str::<serde_json::Value>(b).unwrap())
        .filter(|a| a["pool"] == pool)
        .map(|a| a["amount"].as_u64().unwrap())
        .sum();
    assert_eq!(total, capacity);
    // Every award has its decision and both audit entries; the request rows agree with their bodies.
    assert_eq!(int(&db, "SELECT COUNT(*) FROM decisions WHERE request_id >= 95000", &[]).await, i64::from(LEFT));
    let audited =
        int(&db, "SELECT COUNT(*) FROM audit_log WHERE source = 'real' AND action = 'allocation_created'", &[]).await;
    assert_eq!(audited, i64::from(LEFT));
    for body in texts(&db, "SELECT body FROM requests WHERE id >= 95000 AND state = 'approved'", &[]).await {
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["state"], "approved");
    }
    // Allocation ids are distinct (the database's).
    let ids = texts(&db, "SELECT CAST(id AS TEXT) FROM allocations WHERE request_id >= 95000", &[]).await;
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_review_racing_a_decision_never_moves_the_decided_request_back() {
    let app = spawn().await;
    let db = app.db().await;
    let pool = "naver-h200";
    let t = template(&db, pool).await;
    support::db::open_for_decisions(&db, ROUND).await;
    const RACES: i64 = 30;
    for i in 0..RACES {
        insert_request(&db, &t, 96_000 + i, "under_review", 1, "테스트대학교", None).await;
    }
    add_capacity(&db, pool, RACES as u64).await;
    let committee = app.client_as("demo.committee").await;
    let ct = csrf_of(&app, &committee).await;
    let reviewer = app.client_as("demo.reviewer").await;
    let rt = csrf_of(&app, &reviewer).await;
    let review = serde_json::json!({"technical_merit": 4, "impact": 4, "ecosystem": 4, "team_readiness": 4,
        "comment": "경합 시험"});
    let decision = serde_json::json!({"kind": "approve", "rationale": "경합 시험"});
    for i in 0..RACES {
        let id = 96_000 + i;
        let d = committee
            .post(format!("{}/api/v1/committee/requests/{id}/decision", app.base))
            .header("x-csrf-token", &ct)
            .json(&decision)
            .send();
        let r = reviewer
            .post(format!("{}/api/v1/requests/{id}/reviews", app.base))
            .header("x-csrf-token", &rt)
            .json(&review)
            .send();
        let (d, r) = tokio::join!(d, r);
        let (d, r) = (d.unwrap(), r.unwrap());
        assert_eq!(d.status(), 200, "{}", d.text().await.unwrap());
        assert!(matches!(r.status().as_u16(), 200 | 409), "review answered {}", r.status());
        let state = texts(&db, "SELECT state FROM requests WHERE id = $1", &[Arg::Int(id)]).await;
        assert_eq!(state, ["approved"], "race {i}");
        let body = texts(&db, "SELECT body FROM requests WHERE id = $1", &[Arg::Int(id)]).await;
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body[0]).unwrap()["state"], "approved");
        assert_eq!(int(&db, "SELECT COUNT(*) FROM allocations WHERE request_id = $1", &[Arg::Int(id)]).await, 1);
    }
    // A decided request is decided: a second decision is a 409 (sequential too).
    let res = committee
        .post(format!("{}/api/v1/committee/requests/96000/decision", app.base))
        .header("x-csrf-token", &ct)
        .json(&decision)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"], "not_under_review");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submissions_get_distinct_ids_up_to_the_applicants_quota() {
    let app = spawn().await;
    let researcher = app.client_as("demo.researcher").await;
    let token = csrf_of(&app, &researcher).await;
    let today = chrono::Utc::now().date_naive();
    let body = serde_json::json!({
        "title_ko": "동시 제출", "title_en": "Concurrent", "abstract": "동시성 시험", "pi": "김연구",
        "organisation": "부산대학교", "sector": "university", "region": "non_capital", "pool": "nhn-b200",
        "amount": 1, "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(90)).to_string()
    });
    let quota = kairr_shared::allocation::usecase::MAX_REQUESTS_PER_APPLICANT;
    let results = join_all((0..quota + 5).map(|_| {
        researcher.post(format!("{}/api/v1/requests", app.base)).header("x-csrf-token", &token).json(&body).send()
    }))
    .await;
    let mut ids = Vec::new();
    let mut refused = 0;
    for res in results {
        let res = res.unwrap();
        let status = res.status().as_u16();
        let json: serde_json::Value = res.json().await.unwrap();
        match status {
            200 => ids.push(json["id"].as_u64().unwrap()),
            409 => {
                assert_eq!(json["error"], "request_quota", "{json}");
                refused += 1;
            }
            other => panic!("submission answered {other}: {json}"),
        }
    }
    assert_eq!((ids.len(), refused), (quota, 5));
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids collide: {ids:?}");
    // Ids are above every demo id.
    let db = app.db().await;
    let demo_max = int(&db, "SELECT MAX(id) FROM requests WHERE source = 'demo'", &[]).await;
    assert!(ids.iter().all(|i| *i as i64 > demo_max));
}

#[tokio::test]
async fn a_committee_member_cannot_decide_their_own_organisations_request() {
    let app = spawn().await;
    let db = app.db().await;
    let t = template(&db, "kakao-b200").await;
    support::db::open_for_decisions(&db, ROUND).await;
    // demo.committee belongs to 정보통신산업진흥원 (directory id nipa); the request names it by an alias.
    insert_request(&db, &t, 97_000, "under_review", 1, "NIPA", Some("nipa")).await;
    add_capacity(&db, "kakao-b200", 1).await;
    let committee = app.client_as("demo.committee").await;
    let res = committee
        .post(format!("{}/api/v1/committee/requests/97000/decision", app.base))
        .header("x-csrf-token", csrf_of(&app, &committee).await)
        .json(&serde_json::json!({"kind": "approve", "rationale": "이해충돌"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"], "conflict_of_interest");
    assert_eq!(int(&db, "SELECT COUNT(*) FROM conflicts WHERE request_id = 97000", &[]).await, 1);
    assert_eq!(int(&db, "SELECT COUNT(*) FROM decisions WHERE request_id = 97000", &[]).await, 0);
    let audit = texts(&db, "SELECT action FROM audit_log WHERE source = 'real' ORDER BY seq", &[]).await;
    assert!(audit.iter().any(|a| a == "conflict_of_interest_recorded"), "{audit:?}");
}

#[tokio::test]
async fn hostile_ids_and_bodies_get_small_json_4xx_answers() {
    let app = spawn().await;
    // An id beyond the database's range names nothing.
    let committee = app.client_as("demo.committee").await;
    let res = committee.get(format!("{}/api/v1/committee/requests/{}", app.base, u64::MAX)).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let res = committee
        .post(format!("{}/api/v1/committee/requests/{}/decision", app.base, 1u64 << 63))
        .header("x-csrf-token", csrf_of(&app, &committee).await)
        .json(&serde_json::json!({"kind": "approve", "rationale": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // A round id with NUL (PostgreSQL refuses it in text): a 400 naming the parameter, not a 500.
    let res = committee
        .post(format!("{}/api/v1/requests?round=%00x", app.base))
        .header("x-csrf-token", csrf_of(&app, &committee).await)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["field"], "round");
    let (code, err) = app.get_json("/api/v1/allocations/public?round=%00").await;
    assert_eq!((code, err["field"].as_str()), (400, Some("round")));
    // A 2 MB list from an anonymous caller: refused by size, with a JSON body.
    let anon = reqwest::Client::new();
    let stack = vec!["x"; 500_000];
    let res = anon
        .post(format!("{}/api/v1/placement", app.base))
        .json(
            &serde_json::json!({"purpose": "fine_tuning", "sector": "sme", "gpus": 8, "run_hours": 1, "stack": stack}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"], "too_large");
    // Within the size limit, a long list is one error, not one per entry.
    let stack = vec!["x"; 3_000];
    let res = anon
        .post(format!("{}/api/v1/placement", app.base))
        .json(
            &serde_json::json!({"purpose": "fine_tuning", "sector": "sme", "gpus": 8, "run_hours": 1, "stack": stack}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let text = res.text().await.unwrap();
    assert!(text.len() < 4_096, "{} bytes of errors", text.len());
    let err: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(err["fields"].as_array().unwrap().len(), 1, "{err}");
    assert_eq!(err["field"], "stack");
}
