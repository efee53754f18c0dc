use super::*;
use crate::allocation::decision::{DecisionInput, PeriodInput};
use crate::allocation::request::tests::{input, request, round};
use crate::auth::Role;

fn user(name: &str, org: &str, role: Role) -> UserInfo {
    UserInfo { username: name.into(), display_name: name.into(), organisation: org.into(), role }
}

fn at() -> DateTime<Utc> {
    crate::time::utc(1_767_000_000)
}

fn under_review(id: u64) -> Request {
    let mut r = request(id);
    r.transition(RequestState::UnderReview).unwrap();
    r
}

fn approve(amount: Option<u64>) -> DecisionRequest {
    DecisionRequest {
        decision: DecisionInput {
            kind: if amount.is_some() { "approve_partially" } else { "approve" }.into(),
            amount,
            rationale: "우수".into(),
        },
        period: PeriodInput::default(),
    }
}

fn ctx<'a>(
    round: &'a Round,
    request: &'a Request,
    allocations: &'a [Allocation],
    decider: &'a UserInfo,
) -> DecisionContext<'a> {
    DecisionContext { round, request, allocations, decider, allocation_id: AllocationId(77), now: at() }
}

#[test]
fn a_submission_writes_the_request_and_its_audit_entry() {
    let applicant = user("researcher1", "부산대학교", Role::Researcher);
    let plan = submit(&round(), &applicant, 0, &input(), RequestId(9), at()).unwrap();
    assert_eq!(plan.outcome.id, RequestId(9));
    assert_eq!(plan.writes, vec![Write::InsertRequest(plan.outcome.clone())]);
    assert_eq!(plan.audit.len(), 1);
    assert_eq!(plan.audit[0].action, AuditAction::RequestSubmitted);
    assert_eq!(plan.audit[0].actor, "researcher1");
}

#[test]
fn an_applicant_over_the_quota_is_refused_with_a_conflict() {
    let applicant = user("researcher1", "부산대학교", Role::Researcher);
    let err = submit(&round(), &applicant, MAX_REQUESTS_PER_APPLICANT, &input(), RequestId(9), at()).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "request_quota", .. }));
}

#[test]
fn a_review_of_a_submitted_request_expects_it_still_submitted() {
    let r = request(3);
    let reviewer = user("rev", "KAIST", Role::Reviewer);
    let input = ReviewInput {
        technical_merit: Some(4),
        impact: Some(4),
        ecosystem: Some(3),
        team_readiness: Some(5),
        comment: "좋음".into(),
    };
    let plan = review(&r, &reviewer, &input, at()).unwrap();
    let Write::UpdateRequest { request, expected } = &plan.writes[1] else { panic!("{:?}", plan.writes) };
    assert_eq!((*expected, request.state), (RequestState::Submitted, RequestState::UnderReview));
    // Under review already: the update keeps the state but still expects it (a decision in between wins).
    let plan = review(&under_review(3), &reviewer, &input, at()).unwrap();
    let Write::UpdateRequest { request, expected } = &plan.writes[1] else { panic!() };
    assert_eq!((*expected, request.state), (RequestState::UnderReview, RequestState::UnderReview));
}

#[test]
fn a_decided_request_cannot_be_reviewed_or_decided_again() {
    let mut r = under_review(3);
    r.transition(RequestState::Approved).unwrap();
    let reviewer = user("rev", "KAIST", Role::Reviewer);
    let err = review(&r, &reviewer, &ReviewInput::default(), at()).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "not_open_for_review", .. }));
    let committee = user("c1", "NIPA", Role::Committee);
    let err = decide(ctx(&round(), &r, &[], &committee), &approve(None)).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "not_under_review", .. }));
}

#[test]
fn an_award_writes_decision_state_and_allocation_with_two_audit_entries() {
    let r = under_review(3);
    let committee = user("c1", "NIPA", Role::Committee);
    let plan = decide(ctx(&round(), &r, &[], &committee), &approve(None)).unwrap();
    let Outcome::Done(d) = &plan.outcome else { panic!() };
    assert_eq!(d.amount, 4);
    assert!(matches!(&plan.writes[1], Write::UpdateRequest { expected: RequestState::UnderReview, request }
        if request.state == RequestState::Approved));
    let Write::InsertAllocation(a) = &plan.writes[2] else { panic!() };
    assert_eq!((a.id, a.amount), (AllocationId(77), 4));
    let actions: Vec<AuditAction> = plan.audit.iter().map(|e| e.action).collect();
    assert_eq!(actions, vec![AuditAction::DecisionRecorded, AuditAction::AllocationCreated]);
}

#[test]
fn an_award_over_the_capacity_left_is_a_conflict() {
    let round = round();
    let committee = user("c1", "NIPA", Role::Committee);
    // 98 of the pool's 100 servers are taken.
    let first = under_review(1);
    let d = decide(ctx(&round, &first, &[], &committee), &approve(None)).unwrap();
    let Write::InsertAllocation(mut taken) = d.writes[2].clone() else { panic!() };
    taken.amount = 98;
    let err = decide(ctx(&round, &under_review(2), &[taken.clone()], &committee), &approve(None)).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "over_capacity", field: Some("amount"), .. }));
    // What is left can still be awarded.
    let ok = decide(ctx(&round, &under_review(2), &[taken], &committee), &approve(Some(2))).unwrap();
    assert!(matches!(ok.outcome, Outcome::Done(Decision { amount: 2, .. })));
}

#[test]
fn deciding_ones_own_organisations_request_is_recorded_as_a_conflict() {
    let r = under_review(3);
    for decider in [user("c1", "부산대학교", Role::Committee), user("researcher1", "NIPA", Role::Admin)] {
        let plan = decide(ctx(&round(), &r, &[], &decider), &approve(None)).unwrap();
        assert!(matches!(plan.outcome, Outcome::ConflictOfInterest(_)));
        assert!(matches!(plan.writes.as_slice(), [Write::InsertConflict(_)]));
        assert_eq!(plan.audit[0].action, AuditAction::ConflictOfInterestRecorded);
    }
}

#[test]
fn a_refused_adjustment_names_its_index_in_both_languages() {
    let err = adjust(&round(), &[], &[], vec![Adjustment { request: RequestId(404), amount: 1 }]).unwrap_err();
    let Refusal::Invalid(f) = err else { panic!() };
    let e = f.get("adjustments").unwrap();
    assert!(e.message_ko.contains("404") && e.message_en.contains("adjustments[0]: request R-404"));
    assert_ne!(e.message_ko, e.message_en);
}
