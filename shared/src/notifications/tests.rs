//! The notices derived from use cases, the timed ones, and their text.

use super::*;
use crate::allocation::decision::Decision;
use crate::allocation::ids::{AllocationId, RequestId, RoundId};
use crate::allocation::Allocation;

fn request(state: RequestState) -> crate::allocation::Request {
    let mut r: crate::allocation::Request = serde_json::from_value(serde_json::json!({
        "id": 42, "round": "2027-1", "applicant": "minji", "title_ko": "기후 모델", "title_en": "Climate model",
        "abstract": "", "pi": "Kim", "organisation": "KAIST", "sector": "university", "region": "non_capital",
        "pool": "kisti6-gh200", "amount": 1000, "period_start": "2027-03-01", "period_end": "2027-08-31",
        "state": "under_review", "submitted_at": "2027-01-10T01:00:00Z"
    }))
    .unwrap();
    r.state = state;
    r
}

fn decision(kind: DecisionKind, amount: u64) -> Decision {
    Decision {
        request: RequestId(42),
        kind,
        amount,
        rationale: String::new(),
        decided_by: "boss".into(),
        at: "2027-02-20T05:00:00Z".parse().unwrap(),
    }
}

fn allocation(amount: u64) -> Allocation {
    Allocation {
        id: AllocationId(7),
        request: RequestId(42),
        round: RoundId("2027-1".into()),
        account: "r2027-1-0042".into(),
        pool: "kisti6-gh200".into(),
        unit: PoolUnit::NodeHours,
        amount,
        gpus: None,
        start: "2027-03-01".parse().unwrap(),
        end: "2027-08-31".parse().unwrap(),
    }
}

fn name(_: &str) -> String {
    "KISTI-6 GH200".into()
}

#[test]
fn a_submission_tells_its_applicant_with_the_receipt_number() {
    let r = request(RequestState::Submitted);
    let notices = of_plan(&[Write::InsertRequest(r)]);
    assert_eq!(notices.len(), 1);
    let n = &notices[0];
    assert_eq!(
        (n.recipient.as_str(), n.kind, n.key.as_str()),
        ("minji", NoticeKind::SubmissionReceived, "submitted:42")
    );
    let ko = render(n, Locale::Ko, &name);
    assert_eq!(ko.subject, "신청 #42 접수 완료");
    assert!(ko.body.contains("“기후 모델”") && ko.body.contains("#42"), "{}", ko.body);
    let en = render(n, Locale::En, &name);
    assert!(en.body.contains("“Climate model”"), "{}", en.body);
    assert_eq!(en.link, "/requests/42");
}

#[test]
fn a_decision_tells_the_applicant_the_award_in_its_unit_and_period() {
    let writes = vec![
        Write::UpdateRequest { request: request(RequestState::PartiallyApproved), expected: RequestState::UnderReview },
        Write::InsertDecision(decision(DecisionKind::ApprovePartially, 12_500)),
        Write::InsertAllocation(allocation(12_500)),
    ];
    let notices = of_plan(&writes);
    assert_eq!(notices.len(), 1);
    let ko = render(&notices[0], Locale::Ko, &name);
    assert!(ko.body.contains("일부 선정") && ko.body.contains("KISTI-6 GH200 12,500 노드-시간"), "{}", ko.body);
    assert!(ko.body.contains("2027-03-01 ~ 2027-08-31"), "{}", ko.body);
    let en = render(&notices[0], Locale::En, &name);
    assert!(en.body.contains("12,500 node-hours on KISTI-6 GH200"), "{}", en.body);
}

#[test]
fn a_rejection_tells_the_applicant_without_an_award() {
    let writes = vec![
        Write::UpdateRequest { request: request(RequestState::Rejected), expected: RequestState::UnderReview },
        Write::InsertDecision(decision(DecisionKind::Reject, 0)),
    ];
    let n = of_plan(&writes);
    assert_eq!(n[0].key, "decision:42");
    assert!(render(&n[0], Locale::Ko, &name).body.contains("선정되지 않았습니다"));
}

#[test]
fn other_writes_tell_nobody() {
    let r = request(RequestState::Active);
    assert!(of_plan(&[Write::UpdateRequest { request: r, expected: RequestState::Approved }]).is_empty());
}

#[test]
fn timed_notices_come_in_their_window_only() {
    let at = Utc::now();
    let today: NaiveDate = "2027-02-10".parse().unwrap();
    let place = |closes: &str| OpenPlace {
        reviewer: "lee".into(),
        request: 42,
        round: "2027-1".into(),
        review_closes: closes.parse().unwrap(),
    };
    let due = due_notices(&[place("2027-02-13"), place("2027-02-14"), place("2027-02-09")], &[], today, at);
    assert_eq!(due.len(), 1, "3 days ahead only, not 4, not past");
    assert!(render(&due[0], Locale::Ko, &name).body.contains("2027-02-13"));
    let held = |end: &str, idle| HeldAllocation {
        applicant: "minji".into(),
        request: 42,
        pool: "kisti6-gh200".into(),
        end: end.parse().unwrap(),
        idle,
    };
    let kinds = |v: Vec<Notice>| v.into_iter().map(|n| n.kind).collect::<Vec<_>>();
    assert_eq!(kinds(due_notices(&[], &[held("2027-02-24", false)], today, at)), vec![NoticeKind::AllocationExpiring]);
    assert_eq!(kinds(due_notices(&[], &[held("2027-02-25", false)], today, at)), vec![]);
    assert_eq!(kinds(due_notices(&[], &[held("2027-06-30", true)], today, at)), vec![NoticeKind::AllocationIdle]);
    assert_eq!(kinds(due_notices(&[], &[held("2027-01-30", true)], today, at)), vec![], "ended");
}

#[test]
fn only_plain_single_addresses_are_mailable() {
    for ok in ["minji@kaist.ac.kr", "a.b+c@example.co.kr"] {
        assert!(valid_email(ok), "{ok}");
    }
    for bad in [
        "",
        "minji",
        "@kaist.ac.kr",
        "minji@kaist",
        "a@b@c.kr",
        "a b@c.kr",
        "a@c.kr\r\nBcc: x@y.z",
        "a@c.kr, b@d.kr",
        "<a@c.kr>",
        "a@.kr",
        "a@c.kr.",
    ] {
        assert!(!valid_email(bad), "{bad:?}");
    }
    assert!(!valid_email(&format!("{}@c.kr", "a".repeat(260))));
}

#[test]
fn retries_back_off_to_an_hour() {
    assert_eq!(retry_after_seconds(0), 30);
    assert_eq!(retry_after_seconds(1), 60);
    assert_eq!(retry_after_seconds(6), 1_920);
    assert_eq!(retry_after_seconds(7), 3_600);
    assert_eq!(retry_after_seconds(40), 3_600);
}

#[test]
fn every_kind_renders_in_both_languages() {
    for kind in NoticeKind::ALL {
        let n = Notice {
            recipient: "x".into(),
            kind,
            key: "k".into(),
            facts: NoticeFacts { request: Some(1), ..NoticeFacts::default() },
            at: Utc::now(),
        };
        for l in [Locale::Ko, Locale::En] {
            let r = render(&n, l, &name);
            assert!(!r.subject.is_empty() && !r.body.is_empty() && r.link.starts_with('/'), "{kind:?} {l:?}");
        }
    }
}

#[test]
fn preferences_are_refused_field_by_field_in_words() {
    let bad = Preferences { email: "not-an-address".into(), locale: "fr".into() };
    let e = bad.read().unwrap_err();
    assert_eq!(e.get("email").unwrap().message_ko, "올바른 전자우편 주소를 입력하세요.");
    assert_eq!(e.get("locale").unwrap().message_en, "Choose Korean or English.");
    let ok = Preferences { email: " a@example.kr ".into(), locale: "en".into() };
    assert_eq!(ok.read().unwrap(), (Some("a@example.kr".to_owned()), Locale::En));
    let none = Preferences { email: String::new(), locale: "ko".into() };
    assert_eq!(none.read().unwrap(), (None, Locale::Ko));
}
