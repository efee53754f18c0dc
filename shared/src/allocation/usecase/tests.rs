use super::*;
use crate::advisor::{Region, Sector};
use crate::allocation::decision::{DecisionInput, PeriodInput};
use crate::allocation::request::tests::{input, request, round};
use crate::allocation::RequestInput;
use crate::allocation::RoundStage;
use crate::auth::Role;
use crate::organisations::Organisation;

fn user(name: &str, org: &str, role: Role) -> UserInfo {
    UserInfo { username: name.into(), display_name: name.into(), organisation: org.into(), organisation_id: None, role }
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
        override_reason: String::new(),
    }
}

/// The fixture round, submissions closed, under review.
fn in_review() -> Round {
    let mut r = round();
    r.stage = RoundStage::UnderReview;
    r
}

/// A day after the fixture round's review window (2026-02-10) closed.
fn after_reviews() -> DateTime<Utc> {
    crate::time::utc(crate::time::kst_midnight(chrono::NaiveDate::from_ymd_opt(2026, 2, 11).unwrap()))
}

fn ctx<'a>(
    round: &'a Round,
    request: &'a Request,
    allocations: &'a [Allocation],
    decider: &'a UserInfo,
) -> DecisionContext<'a> {
    DecisionContext {
        round,
        request,
        reviews: 2,
        allocations,
        decider,
        allocation_id: AllocationId(77),
        now: after_reviews(),
    }
}

#[test]
fn a_submission_writes_the_request_and_its_audit_entry() {
    let applicant = user("researcher1", "부산대학교", Role::Researcher);
    let plan = submit(&round(), &applicant, facts(None, 0), &input(), RequestId(9), at()).unwrap();
    assert_eq!(plan.outcome.id, RequestId(9));
    assert_eq!(plan.writes, vec![Write::InsertRequest(plan.outcome.clone())]);
    assert_eq!(plan.audit.len(), 1);
    assert_eq!(plan.audit[0].action, AuditAction::RequestSubmitted);
    assert_eq!(plan.audit[0].actor, "researcher1");
    // The organisation is the account's, whatever the form said.
    let mut claimed = input();
    claimed.organisation = "KAIST".into();
    let plan = submit(&round(), &applicant, facts(None, 0), &claimed, RequestId(10), at()).unwrap();
    assert_eq!(plan.outcome.organisation, "부산대학교");
}

#[test]
fn a_directory_account_gives_its_request_the_organisation_id_sector_and_region() {
    let orgs = crate::organisations::seed(true).unwrap();
    let kaist = crate::organisations::Directory(&orgs).get("kaist").unwrap();
    let applicant = UserInfo { organisation_id: Some("kaist".into()), ..user("kim", "KAIST", Role::Researcher) };
    // The form claims a company in the capital region; the account says KAIST, in Daejeon.
    let claimed =
        RequestInput {
            organisation: "(주)한빛AI".into(), sector: "sme".into(), region: "capital".into(), ..input()
        };
    let r = submit(&round(), &applicant, facts(Some(kaist), 0), &claimed, RequestId(11), at()).unwrap().outcome;
    assert_eq!((r.organisation.as_str(), r.organisation_id.as_deref()), ("KAIST", Some("kaist")));
    assert_eq!((r.sector, r.region), (Sector::University, Region::NonCapital));
    // A reviewer of KAIST under another spelling is in conflict; one of POSTECH is not.
    let same =
        UserInfo { organisation_id: Some("kaist".into()), ..user("rev", "한국과학기술원", Role::Reviewer) };
    let other = UserInfo { organisation_id: Some("postech".into()), ..user("rev2", "POSTECH", Role::Reviewer) };
    assert!(conflict_of_interest(&r, &same, at()).is_some());
    assert!(conflict_of_interest(&r, &other, at()).is_none());
}

#[test]
fn an_applicant_over_the_quota_is_refused_with_a_conflict() {
    let applicant = user("researcher1", "부산대학교", Role::Researcher);
    let err = submit(&round(), &applicant, facts(None, MAX_REQUESTS_PER_APPLICANT), &input(), RequestId(9), at())
        .unwrap_err();
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
    let plan = review(&round(), &r, &RequestRecords::default(), &reviewer, &input, at()).unwrap();
    let Write::UpdateRequest { request, expected } = &plan.writes[1] else { panic!("{:?}", plan.writes) };
    assert_eq!((*expected, request.state), (RequestState::Submitted, RequestState::UnderReview));
    // Under review already: the update keeps the state but still expects it (a decision in between wins).
    let plan = review(&in_review(), &under_review(3), &RequestRecords::default(), &reviewer, &input, at()).unwrap();
    let Write::UpdateRequest { request, expected } = &plan.writes[1] else { panic!() };
    assert_eq!((*expected, request.state), (RequestState::UnderReview, RequestState::UnderReview));
}

#[test]
fn once_reviewers_are_assigned_only_they_review_and_a_declared_conflict_bars_for_good() {
    use crate::allocation::assignment::{Assignment, Declined};
    let r = under_review(3);
    let input = ReviewInput {
        technical_merit: Some(4),
        impact: Some(4),
        ecosystem: Some(4),
        team_readiness: Some(4),
        comment: "좋음".into(),
    };
    let place = |who: &str, declined: bool| Assignment {
        request: r.id,
        round: r.round.clone(),
        reviewer: who.into(),
        assigned_by: "c1".into(),
        at: at(),
        declined: declined.then(|| Declined { reason: "공저자".into(), at: at() }),
    };
    let records = RequestRecords {
        assignments: vec![place("rev", false), place("gone", true)],
        conflicts: vec![],
        reviews: vec![],
    };
    let code = |who: &str, records: &RequestRecords| match review(
        &in_review(),
        &r,
        records,
        &user(who, "KAIST", Role::Reviewer),
        &input,
        at(),
    ) {
        Ok(_) => "ok",
        Err(Refusal::Conflict { code, .. }) => code,
        Err(e) => panic!("{e:?}"),
    };
    assert_eq!(code("rev", &records), "ok");
    assert_eq!(code("other", &records), "not_assigned");
    assert_eq!(code("gone", &records), "not_assigned", "a declined place is no place");
    // Without assignments anyone without a conflict may review, except who declared one.
    let declared = RequestRecords {
        assignments: vec![],
        reviews: vec![],
        conflicts: vec![CoiRecord {
            request: r.id,
            reviewer: "other".into(),
            organisation: r.organisation.clone(),
            declared: Some("공저자".into()),
            at: at(),
        }],
    };
    assert_eq!(code("other", &declared), "conflict_declared");
    assert_eq!(code("third", &declared), "ok");
}

#[test]
fn a_decided_request_cannot_be_reviewed_or_decided_again() {
    let mut r = under_review(3);
    r.transition(RequestState::Approved).unwrap();
    let reviewer = user("rev", "KAIST", Role::Reviewer);
    let err =
        review(&in_review(), &r, &RequestRecords::default(), &reviewer, &ReviewInput::default(), at()).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "not_open_for_review", .. }));
    let committee = user("c1", "NIPA", Role::Committee);
    let err = decide(ctx(&in_review(), &r, &[], &committee), &approve(None)).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "not_under_review", .. }));
}

#[test]
fn an_award_writes_decision_state_and_allocation_with_two_audit_entries() {
    let r = under_review(3);
    let committee = user("c1", "NIPA", Role::Committee);
    let plan = decide(ctx(&in_review(), &r, &[], &committee), &approve(None)).unwrap();
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
    let round = in_review();
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
        let plan = decide(ctx(&in_review(), &r, &[], &decider), &approve(None)).unwrap();
        assert!(matches!(plan.outcome, Outcome::ConflictOfInterest(_)));
        assert!(matches!(plan.writes.as_slice(), [Write::InsertConflict(_)]));
        assert_eq!(plan.audit[0].action, AuditAction::ConflictOfInterestRecorded);
    }
}

#[test]
fn a_refused_adjustment_names_its_index_in_both_languages() {
    let cat = crate::catalogue::Catalogue::embedded().unwrap();
    let err =
        adjust(&round(), &[], &[], &[], vec![Adjustment { request: RequestId(404), amount: 1 }], &cat).unwrap_err();
    let Refusal::Invalid(f) = err else { panic!() };
    let e = f.get("adjustments").unwrap();
    assert!(e.message_ko.contains("404") && e.message_en.contains("Adjustment 1: request R-404"));
    assert_ne!(e.message_ko, e.message_en);
}

#[test]
fn a_refused_adjustment_names_pools_and_amounts_as_people_read_them() {
    let cat = crate::catalogue::Catalogue::embedded().unwrap();
    let r = under_review(3);
    let reviews = scored(r.id, 5);
    let too_much = Adjustment { request: r.id, amount: r.amount + 1 };
    let err = adjust(&in_review(), std::slice::from_ref(&r), &reviews, &[], vec![too_much], &cat).unwrap_err();
    let Refusal::Invalid(f) = err else { panic!() };
    let e = f.get("adjustments").unwrap();
    let unit = in_review().pool(&r.pool).unwrap().unit;
    let (asked_ko, asked_en) =
        (unit.amount(crate::i18n::Locale::Ko, r.amount), unit.amount(crate::i18n::Locale::En, r.amount));
    assert!(e.message_ko.starts_with("조정 1번: ") && e.message_ko.contains(&asked_ko), "{}", e.message_ko);
    assert!(e.message_en.starts_with("Adjustment 1: ") && e.message_en.contains(&asked_en), "{}", e.message_en);
}

#[test]
fn requests_are_taken_only_while_the_round_is_open() {
    let applicant = user("researcher1", "부산대학교", Role::Researcher);
    for stage in RoundStage::ALL {
        let mut r = round();
        r.stage = stage;
        let result = submit(&r, &applicant, facts(None, 0), &input(), RequestId(9), at());
        match stage {
            RoundStage::Open => assert!(result.is_ok(), "{result:?}"),
            _ => assert!(matches!(result, Err(Refusal::Conflict { code: "round_not_open", .. })), "{stage:?}"),
        }
    }
}

#[test]
fn reviews_close_when_the_round_is_decided() {
    let reviewer = user("rev", "KAIST", Role::Reviewer);
    let mut r = in_review();
    r.stage = RoundStage::Decided;
    let err =
        review(&r, &under_review(3), &RequestRecords::default(), &reviewer, &ReviewInput::default(), at()).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "round_not_in_review", .. }));
}

#[test]
fn decisions_wait_for_the_review_stage_enough_reviews_and_the_end_of_the_review_window() {
    let committee = user("c1", "NIPA", Role::Committee);
    let r = under_review(3);
    // Not while the call is open, nor after the round is decided.
    for stage in [RoundStage::Draft, RoundStage::Open, RoundStage::Decided, RoundStage::Published] {
        let mut round = in_review();
        round.stage = stage;
        let err = decide(ctx(&round, &r, &[], &committee), &approve(None)).unwrap_err();
        assert!(matches!(err, Refusal::Conflict { code: "round_not_in_review", .. }), "{stage:?}");
    }
    // Not with fewer reviews than the policy asks.
    let round = in_review();
    let mut c = ctx(&round, &r, &[], &committee);
    c.reviews = 1;
    let err = decide(c, &approve(None)).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "too_few_reviews", .. }), "{err:?}");
    // Not while the review window is open…
    let mut c = ctx(&round, &r, &[], &committee);
    c.now = at();
    let err = decide(c, &approve(None)).unwrap_err();
    assert!(matches!(err, Refusal::Conflict { code: "review_window_open", .. }), "{err:?}");
    // …unless an admin overrides it with a reason, which is audited before the decision.
    let admin = user("a1", "NIPA", Role::Admin);
    let mut c = ctx(&round, &r, &[], &admin);
    c.now = at();
    let err = decide(c, &approve(None)).unwrap_err();
    let Refusal::Invalid(f) = err else { panic!("{err:?}") };
    assert!(f.get("override_reason").is_some());
    let mut body = approve(None);
    body.override_reason = "  긴급 연구 지원 (위원회 의결 2026-01-05)  ".into();
    let plan = decide(c, &body).unwrap();
    assert!(matches!(plan.outcome, Outcome::Done(_)));
    assert_eq!(plan.audit[0].action, AuditAction::ReviewWindowOverridden);
    assert_eq!(plan.audit[0].after.as_ref().unwrap()["reason"], "긴급 연구 지원 (위원회 의결 2026-01-05)");
    assert_eq!(plan.audit[1].action, AuditAction::DecisionRecorded);
    // After the window no reason is needed and none is audited.
    let plan = decide(ctx(&round, &r, &[], &admin), &approve(None)).unwrap();
    assert!(plan.audit.iter().all(|e| e.action != AuditAction::ReviewWindowOverridden));
}

/// Two reviews of `request` scoring `score` each criterion.
fn scored(request: RequestId, score: u8) -> Vec<Review> {
    let s = crate::allocation::Score::new(score).unwrap();
    ["r1", "r2"]
        .iter()
        .map(|who| Review {
            request,
            reviewer: (*who).into(),
            reviewer_organisation: "X".into(),
            reviewer_organisation_id: None,
            rubric: crate::allocation::Rubric { technical_merit: s, impact: s, ecosystem: s, team_readiness: s },
            comment: "c".into(),
            at: at(),
        })
        .collect()
}

#[test]
fn adopting_the_proposal_decides_every_open_line_once_and_skips_what_the_member_may_not_decide() {
    let round = in_review();
    // 1 and 2 are well scored, 3 is below the minimum score, 4 has one review, 5 is the member's organisation's.
    let mut requests: Vec<Request> = (1..=5).map(under_review).collect();
    requests[4].organisation = "NIPA".into();
    let mut reviews: Vec<Review> =
        [(1, 5), (2, 4), (3, 2), (5, 4)].iter().flat_map(|(id, s)| scored(RequestId(*id), *s)).collect();
    reviews.extend(scored(RequestId(4), 4).into_iter().take(1));
    let member = user("c1", "NIPA", Role::Committee);
    let ids: Vec<AllocationId> = (100..110).map(AllocationId).collect();
    let cat = crate::catalogue::Catalogue::embedded().unwrap();
    let facts = AdoptFacts {
        round: &round,
        requests: &requests,
        reviews: &reviews,
        allocations: &[],
        allocation_ids: &ids,
        decider: &member,
        now: after_reviews(),
        catalogue: &cat,
    };
    let no_reason = AdoptInput { rationale: " ".into(), ..Default::default() };
    assert!(matches!(adopt(facts, &no_reason), Err(Refusal::Invalid(_))));
    // A decided request's amount cannot be adjusted by the batch either.
    let input = AdoptInput {
        rationale: "배분안 채택".into(),
        adjustments: vec![Adjustment { request: RequestId(2), amount: 1 }],
        ..Default::default()
    };
    let plan = adopt(facts, &input).unwrap();
    assert_eq!(plan.outcome.awarded, vec![RequestId(1), RequestId(2)]);
    assert_eq!(plan.outcome.rejected, vec![RequestId(3)]);
    let skipped: Vec<(u64, &str)> = plan.outcome.skipped.iter().map(|s| (s.request.0, s.code.as_str())).collect();
    assert_eq!(skipped, vec![(4, "too_few_reviews"), (5, "conflict_of_interest")]);
    let allocations: Vec<&Allocation> = plan
        .writes
        .iter()
        .filter_map(|w| match w {
            Write::InsertAllocation(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(
        allocations.iter().map(|a| (a.request.0, a.amount)).collect::<Vec<_>>(),
        vec![(1, 4), (2, 1)],
        "the adjustment holds"
    );
    let ids: Vec<u64> = allocations.iter().map(|a| a.id.0).collect();
    assert_eq!(ids, vec![100, 101], "distinct reserved ids");
    assert!(plan.writes.iter().any(|w| matches!(w, Write::DeleteDraft(_))));
    let decisions = plan.audit.iter().filter(|a| a.action == AuditAction::DecisionRecorded).count();
    assert_eq!(decisions, 3);
    assert_eq!(plan.audit.last().map(|a| a.action), Some(AuditAction::ProposalAdopted));
    // Before the review window closes a committee member cannot adopt.
    let early = AdoptFacts { now: at(), ..facts };
    assert!(matches!(adopt(early, &input), Err(Refusal::Conflict { code: "review_window_open", .. })));
}

#[test]
fn a_reviewer_changes_their_review_until_the_window_closes() {
    let r = under_review(3);
    let reviewer = user("r1", "KAIST", Role::Reviewer);
    let mine = scored(r.id, 3).remove(0);
    let records = RequestRecords { reviews: vec![mine.clone()], ..Default::default() };
    let better = ReviewInput {
        technical_merit: Some(5),
        impact: Some(5),
        ecosystem: Some(4),
        team_readiness: Some(4),
        comment: "다시 읽고 고침".into(),
    };
    let plan = edit_review(&round(), &r, &records, &reviewer, &better, at()).unwrap();
    assert_eq!(plan.outcome.rubric.mean(), 4.5);
    assert_eq!(plan.writes, vec![Write::UpdateReview { review: plan.outcome.clone(), expected: mine.clone() }]);
    assert_eq!(plan.audit[0].action, AuditAction::ReviewChanged);
    assert!(plan.audit[0].before.is_some());
    let code = |e: Result<Plan<Review>, Refusal>| match e {
        Err(Refusal::Conflict { code, .. }) => code,
        other => panic!("{other:?}"),
    };
    // Someone without a review, or after the window, cannot.
    assert_eq!(code(edit_review(&round(), &r, &RequestRecords::default(), &reviewer, &better, at())), "no_review");
    assert_eq!(
        code(edit_review(&in_review(), &r, &records, &reviewer, &better, after_reviews())),
        "review_window_closed"
    );
}

fn facts(organisation: Option<&Organisation>, requests_in_round: usize) -> ApplicantFacts<'_> {
    ApplicantFacts { organisation, requests_in_round, accounts: &[] }
}

fn records_with(assignments: Vec<crate::allocation::assignment::Assignment>) -> RequestRecords {
    RequestRecords { assignments, conflicts: Vec::new(), reviews: Vec::new() }
}

fn place(reviewer: &str, declined: bool) -> crate::allocation::assignment::Assignment {
    crate::allocation::assignment::Assignment {
        request: RequestId(3),
        round: round().id,
        reviewer: reviewer.into(),
        assigned_by: "chair".into(),
        at: at(),
        declined: declined.then(|| crate::allocation::assignment::Declined { reason: "same lab".into(), at: at() }),
    }
}

#[test]
fn the_applicant_edits_before_the_deadline_keeping_organisation_id_and_time() {
    let r = request(3);
    let applicant = user("researcher1", "KAIST", Role::Researcher);
    let later = at() + chrono::Duration::days(3);
    let changed = RequestInput { amount: Some(9), co_investigators: vec!["coi1".into()], ..input() };
    let plan = edit_request(&round(), &r, &applicant, &["coi1".to_owned()], &changed, later).unwrap();
    let edited = &plan.outcome;
    assert_eq!((edited.amount, edited.co_investigators.clone()), (9, vec!["coi1".to_owned()]));
    assert_eq!((edited.id, edited.submitted_at, &edited.organisation), (r.id, r.submitted_at, &r.organisation));
    assert_eq!(plan.writes, vec![Write::UpdateRequest { request: edited.clone(), expected: RequestState::Submitted }]);
    assert_eq!(plan.audit[0].action, AuditAction::RequestEdited);
    assert!(plan.audit[0].before.is_some() && plan.audit[0].after.is_some());
    // Sending the same form again writes nothing.
    let same = edit_request(&round(), edited, &applicant, &["coi1".to_owned()], &changed, later).unwrap();
    assert!(same.writes.is_empty() && same.audit.is_empty());
}

#[test]
fn nobody_else_and_nothing_after_the_deadline_or_review_may_change_a_request() {
    let r = request(3);
    let applicant = user("researcher1", "KAIST", Role::Researcher);
    let code = |res: Result<Plan<Request>, Refusal>| match res {
        Err(Refusal::Conflict { code, .. }) => code,
        other => panic!("{other:?}"),
    };
    let coi = user("coi1", "KAIST", Role::Researcher);
    assert_eq!(code(edit_request(&round(), &r, &coi, &[], &input(), at())), "not_applicant");
    // The last day (KST) is still open; the day after is not.
    let last_day =
        crate::time::utc(crate::time::kst_midnight(chrono::NaiveDate::from_ymd_opt(2026, 1, 28).unwrap()) + 86_399);
    assert!(edit_request(&round(), &r, &applicant, &[], &input(), last_day).is_ok());
    let closed = last_day + chrono::Duration::seconds(1);
    assert_eq!(code(edit_request(&round(), &r, &applicant, &[], &input(), closed)), "submission_closed");
    assert_eq!(code(withdraw_request(&round(), &r, &records_with(vec![]), &applicant, closed)), "submission_closed");
    let mut reviewed = r.clone();
    reviewed.transition(RequestState::UnderReview).unwrap();
    assert_eq!(code(edit_request(&round(), &reviewed, &applicant, &[], &input(), at())), "request_not_editable");
    assert_eq!(
        code(withdraw_request(&round(), &reviewed, &records_with(vec![]), &applicant, at())),
        "request_not_editable"
    );
    assert_eq!(code(edit_request(&in_review(), &r, &applicant, &[], &input(), at())), "submission_closed");
}

#[test]
fn withdrawing_frees_the_active_review_places_and_is_audited() {
    let r = request(3);
    let applicant = user("researcher1", "KAIST", Role::Researcher);
    let records = records_with(vec![place("rev1", false), place("rev2", true)]);
    let plan = withdraw_request(&round(), &r, &records, &applicant, at()).unwrap();
    assert_eq!(plan.outcome.state, RequestState::Withdrawn);
    assert_eq!(
        plan.writes,
        vec![
            Write::UpdateRequest { request: plan.outcome.clone(), expected: RequestState::Submitted },
            Write::DeleteAssignment { request: RequestId(3), reviewer: "rev1".into() },
        ]
    );
    assert_eq!(plan.audit[0].action, AuditAction::RequestWithdrawn);
}

#[test]
fn a_co_investigator_is_in_conflict_with_the_request() {
    let mut r = request(3);
    r.co_investigators = vec!["coi1".into()];
    let coi = user("coi1", "다른대학교", Role::Reviewer);
    assert!(conflict_of_interest(&r, &coi, at()).is_some());
}

#[test]
fn a_pool_over_capacity_is_named_as_people_know_it() {
    let cat = crate::catalogue::Catalogue::embedded().unwrap();
    let round = in_review();
    let words = AdjustmentWords { round: &round, cat: &cat, pool: None };
    let e = AdjustmentError::ExceedsCapacity { pool: "nhn-b200".into(), capacity: 100, total: 120 };
    let (name_ko, name_en) = cat.pool_names("nhn-b200").unwrap();
    let (ko, en) = (words.ko(&e), words.en(&e));
    assert_eq!(ko, format!("{name_ko}에 용량 서버 100대 중 서버 120대가 배분됩니다."));
    assert_eq!(en, format!("{name_en} would hold 120 servers of its 100 servers"));
}
