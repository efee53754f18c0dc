//! Tests of request parsing and shared fixtures for the allocation tests.

use super::*;
use crate::allocation::round::{OrgCap, RoundPolicy};
use crate::allocation::unit::PoolUnit;

/// A round with one server pool (`nhn-b200`, 100 servers) and one node-hour pool.
pub(crate) fn round() -> Round {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    Round {
        id: RoundId("2026-1".into()),
        title_ko: "2026년 1차".into(),
        title_en: "2026 first call".into(),
        opens: day("2025-12-22"),
        closes: day("2026-01-28"),
        review_closes: Some(day("2026-02-10")),
        stage: crate::allocation::RoundStage::Open,
        period_start: day("2026-03-01"),
        period_end: day("2026-08-31"),
        pools: vec![
            PoolCapacity {
                pool: "nhn-b200".into(),
                gpu_model: "B200".into(),
                gpus_per_node: 8,
                unit: PoolUnit::Servers,
                capacity: 100,
            },
            PoolCapacity {
                pool: "kisti6-gh200".into(),
                gpu_model: "GH200".into(),
                gpus_per_node: 4,
                unit: PoolUnit::NodeHours,
                capacity: 100_000,
            },
        ],
        sector_targets: Default::default(),
        policy: RoundPolicy {
            min_score: 3.0,
            org_cap: Some(OrgCap::Servers(30)),
            non_capital_preference: 0.2,
            min_reviews: 2,
            reviewers_per_request: 3,
        },
    }
}

pub(crate) fn input() -> RequestInput {
    RequestInput {
        title_ko: "한국어 거대언어모델 미세조정".into(),
        title_en: "Fine-tuning a Korean LLM".into(),
        abstract_text: "공공 데이터로 한국어 모델을 미세조정합니다.".into(),
        pi: "김연구".into(),
        organisation: "부산대학교".into(),
        sector: "university".into(),
        region: "non_capital".into(),
        pool: "nhn-b200".into(),
        amount: Some(4),
        period_start: "2026-03-01".into(),
        period_end: "2026-05-30".into(),
        advisor_draft: None,
        co_investigators: Vec::new(),
    }
}

pub(crate) fn submission(id: u64) -> Submission {
    Submission {
        id: RequestId(id),
        applicant: "researcher1".into(),
        at: crate::time::utc(1_767_000_000),
        accounts: vec!["coi1".into(), "coi2".into()],
    }
}

pub(crate) fn request(id: u64) -> Request {
    input().parse(&round(), submission(id)).unwrap()
}

#[test]
fn a_complete_request_parses_as_submitted() {
    let r = request(1);
    assert_eq!(r.state, RequestState::Submitted);
    assert_eq!((r.sector, r.region, r.amount, r.days()), (Sector::University, Region::NonCapital, 4, 91));
    assert_eq!(r.gpu_hours(round().pool("nhn-b200").unwrap(), 4), 4.0 * 8.0 * 24.0 * 91.0);
}

#[test]
fn every_invalid_field_is_named() {
    let mut bad = input();
    bad.title_ko.clear();
    bad.title_en.clear();
    bad.sector = "church".into();
    bad.pool = "kakao-b200".into();
    bad.period_end = "2027-01-01".into();
    bad.advisor_draft = Some(serde_json::json!({"version": "x"}));
    let errors = bad.parse(&round(), submission(1)).unwrap_err();
    for field in ["title_ko", "sector", "pool", "period_end", "advisor_draft"] {
        assert!(errors.get(field).is_some(), "{field} not reported: {errors}");
    }
}

#[test]
fn more_than_the_pool_offers_or_after_the_close_is_refused() {
    let mut big = input();
    big.amount = Some(101);
    assert!(big.parse(&round(), submission(1)).unwrap_err().get("amount").is_some());
    let late = Submission { at: crate::time::utc(1_790_000_000), ..submission(1) };
    assert!(input().parse(&round(), late).unwrap_err().get("round").is_some());
}

#[test]
fn co_investigators_are_other_active_accounts_named_once() {
    let named =
        RequestInput { co_investigators: vec![" coi1 ".into(), "coi2".into(), "coi1".into(), "".into()], ..input() };
    let r = named.parse(&round(), submission(1)).unwrap();
    assert_eq!(r.co_investigators, vec!["coi1".to_owned(), "coi2".to_owned()]);
    assert!(r.involves("coi2") && r.involves("researcher1") && !r.involves("coi3"));

    let unknown = RequestInput { co_investigators: vec!["coi1".into(), "nobody".into()], ..input() };
    let err = unknown.parse(&round(), submission(1)).unwrap_err();
    let e = err.get("co_investigators").unwrap();
    assert!(e.message_en.contains("nobody") && !e.message_en.contains("coi1"), "{e:?}");

    let own = RequestInput { co_investigators: vec!["researcher1".into()], ..input() };
    assert_eq!(own.parse(&round(), submission(1)).unwrap_err().get("co_investigators").unwrap().code, Code::Conflict);

    // A hostile list is cut short and refused, whatever its length.
    let many = RequestInput { co_investigators: (0..100_000).map(|i| format!("u{i}")).collect(), ..input() };
    assert_eq!(many.team().len(), super::MAX_CO_INVESTIGATORS + 1);
    let err = many.parse(&round(), submission(1)).unwrap_err();
    assert_eq!(err.get("co_investigators").unwrap().code, Code::OutOfRange);
}

#[test]
fn the_apps_check_finds_what_the_server_would_except_what_needs_its_records() {
    // A complete form has no problems.
    assert!(input().field_problems(&round(), "researcher1", false).is_empty());
    let mut bad = input();
    bad.title_ko.clear();
    bad.title_en.clear();
    bad.abstract_text = "  ".into();
    bad.amount = Some(101);
    bad.period_end = "2027-01-01".into();
    bad.co_investigators = vec!["researcher1".into(), "nobody".into()];
    bad.advisor_draft = Some(serde_json::json!({"version": "x"}));
    let late = Submission { at: crate::time::utc(1_790_000_000), ..submission(1) };
    let server = bad.parse(&round(), late).unwrap_err();
    let app = bad.field_problems(&round(), "researcher1", false);
    // Every field the app names, the server names, with the same message.
    for e in &app.0 {
        assert_eq!(server.get(&e.field), Some(e), "{}", e.field);
    }
    let named = |errors: &FieldErrors| errors.0.iter().map(|e| e.field.clone()).collect::<Vec<_>>();
    assert_eq!(named(&app), ["title_ko", "abstract", "amount", "period_end", "co_investigators"]);
    // Only the server knows the day, the accounts and reads the draft.
    for field in ["round", "advisor_draft"] {
        assert!(server.get(field).is_some() && app.get(field).is_none(), "{field}");
    }
    // Accounts unknown to the app are not its problem: the server tells.
    let unknown = RequestInput { co_investigators: vec!["nobody".into()], ..input() };
    assert!(unknown.field_problems(&round(), "researcher1", false).is_empty());
    // An account of the directory: its entry's sector and region apply, whatever the form says.
    let blank = RequestInput { sector: String::new(), region: String::new(), ..input() };
    assert_eq!(blank.field_problems(&round(), "researcher1", false).0.len(), 2);
    assert!(blank.field_problems(&round(), "researcher1", true).is_empty());
    assert!(unknown.parse(&round(), submission(1)).unwrap_err().get("co_investigators").is_some());
}
