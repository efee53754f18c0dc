//! Assignment rules: balanced, no one from the applicant's organisation,
//! expertise first, declared conflicts free the place and bar the reviewer.

use super::*;
use crate::allocation::request::tests::{request, round};
use crate::auth::Role;

fn at() -> DateTime<Utc> {
    crate::time::utc(1_767_100_000)
}

fn chair() -> UserInfo {
    UserInfo {
        username: "chair".into(),
        display_name: "위원장".into(),
        organisation: "KISTI".into(),
        organisation_id: Some("kisti".into()),
        role: Role::Committee,
    }
}

fn reviewer(name: &str, org: &str, expertise: &[&str]) -> ReviewerProfile {
    ReviewerProfile {
        username: name.into(),
        display_name: name.to_uppercase(),
        organisation: org.into(),
        organisation_id: Some(org.to_lowercase()),
        expertise: expertise.iter().map(|e| (*e).to_owned()).collect(),
    }
}

/// Requests 1..=n of 부산대학교 (pnu); request 2 is about weather.
fn requests(n: u64) -> Vec<Request> {
    (1..=n)
        .map(|i| {
            let mut r = request(i);
            r.organisation_id = Some("pnu".into());
            if i == 2 {
                r.title_en = "Weather forecasting with transformers".into();
            }
            r
        })
        .collect()
}

fn facts<'a>(
    round: &'a Round,
    requests: &'a [Request],
    reviewers: &'a [ReviewerProfile],
    assignments: &'a [Assignment],
) -> AssignmentFacts<'a> {
    AssignmentFacts { round, requests, reviewers, assignments, reviews: &[], conflicts: &[] }
}

fn inserted(plan: &Plan<impl std::fmt::Debug>) -> Vec<Assignment> {
    plan.writes
        .iter()
        .filter_map(|w| match w {
            Write::InsertAssignment(a) => Some(a.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn automatic_assignment_fills_every_place_with_balanced_loads_and_no_one_from_the_applicants_organisation() {
    let round = round();
    let reqs = requests(10);
    let pool = [
        reviewer("a", "KAIST", &[]),
        reviewer("b", "POSTECH", &[]),
        reviewer("c", "PNU", &[]), // the applicants' organisation
        reviewer("d", "SNU", &[]),
        reviewer("e", "GIST", &[]),
    ];
    let plan = auto_assign(facts(&round, &reqs, &pool, &[]), &chair(), at()).unwrap();
    let made = inserted(&plan);
    assert_eq!((plan.outcome.assigned, plan.outcome.short.len()), (30, 0));
    assert!(made.iter().all(|a| a.reviewer != "c"), "no one from 부산대학교");
    for r in &reqs {
        let mut on: Vec<&str> = made.iter().filter(|a| a.request == r.id).map(|a| a.reviewer.as_str()).collect();
        on.sort_unstable();
        on.dedup();
        assert_eq!(on.len(), 3, "three different reviewers on {}", r.id.0);
    }
    let loads: Vec<usize> =
        ["a", "b", "d", "e"].iter().map(|n| made.iter().filter(|a| a.reviewer == *n).count()).collect();
    assert!(loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1, "balanced: {loads:?}");
    assert_eq!(plan.audit.len(), 30);
    assert!(plan.audit.iter().all(|e| e.action == AuditAction::ReviewerAssigned));
}

#[test]
fn expertise_comes_first_and_existing_places_count() {
    let round = round();
    let reqs = requests(2);
    let pool = [reviewer("a", "KAIST", &[]), reviewer("b", "SNU", &[]), reviewer("w", "GIST", &["weather"])];
    // Request 1 has one place already (b).
    let existing = [Assignment {
        request: RequestId(1),
        round: round.id.clone(),
        reviewer: "b".into(),
        assigned_by: "chair".into(),
        at: at(),
        declined: None,
    }];
    let mut round1 = round.clone();
    round1.policy.reviewers_per_request = 2;
    let plan = auto_assign(facts(&round1, &reqs, &pool, &existing), &chair(), at()).unwrap();
    let made = inserted(&plan);
    let on = |id: u64| -> Vec<&str> {
        made.iter().filter(|a| a.request == RequestId(id)).map(|a| a.reviewer.as_str()).collect()
    };
    assert_eq!(on(1).len(), 1, "one place was taken: {made:?}");
    assert_eq!(on(2)[0], "w", "the weather expert first on the weather request");
    // Three reviewers cannot fill four places per request: the shortfall is named.
    round1.policy.reviewers_per_request = 4;
    let plan = auto_assign(facts(&round1, &reqs, &pool, &existing), &chair(), at()).unwrap();
    assert_eq!(plan.outcome.short, vec![RequestId(1), RequestId(2)]);
}

#[test]
fn hand_assignment_refuses_conflicts_duplicates_and_closed_rounds() {
    let round = round();
    let reqs = requests(1);
    let pool = [reviewer("a", "KAIST", &[]), reviewer("c", "PNU", &[])];
    let f = facts(&round, &reqs, &pool, &[]);
    let code = |r: Result<Plan<Assignment>, Refusal>| match r {
        Err(Refusal::Conflict { code, .. }) => code,
        other => panic!("{other:?}"),
    };
    assert_eq!(code(assign(f, RequestId(1), "c", &chair(), at())), "reviewer_conflict");
    assert_eq!(code(assign(f, RequestId(1), "nobody", &chair(), at())), "not_a_reviewer");
    assert_eq!(code(assign(f, RequestId(9), "a", &chair(), at())), "not_in_round");
    let plan = assign(f, RequestId(1), "a", &chair(), at()).unwrap();
    let held = [plan.outcome.clone()];
    assert_eq!(code(assign(facts(&round, &reqs, &pool, &held), RequestId(1), "a", &chair(), at())), "already_assigned");
    let mut decided = round.clone();
    decided.stage = crate::allocation::RoundStage::Decided;
    assert_eq!(
        code(assign(facts(&decided, &reqs, &pool, &[]), RequestId(1), "a", &chair(), at())),
        "round_not_in_review"
    );
}

#[test]
fn a_declared_conflict_frees_the_place_and_bars_the_reviewer_from_it() {
    let round = round();
    let reqs = requests(1);
    let pool = [reviewer("a", "KAIST", &[]), reviewer("b", "SNU", &[])];
    let place = assign(facts(&round, &reqs, &pool, &[]), RequestId(1), "a", &chair(), at()).unwrap().outcome;
    let a_user = UserInfo { username: "a".into(), role: Role::Reviewer, ..chair() };
    let empty = ConflictDeclaration { reason: " ".into() };
    assert!(matches!(
        declare_conflict(&round, &reqs[0], Some(&place), false, &a_user, &empty, at()),
        Err(Refusal::Invalid(_))
    ));
    let why = ConflictDeclaration { reason: "PI와 최근 3년 공동 저자".into() };
    assert!(declare_conflict(&round, &reqs[0], Some(&place), true, &a_user, &why, at()).is_err(), "reviewed already");
    let plan = declare_conflict(&round, &reqs[0], Some(&place), false, &a_user, &why, at()).unwrap();
    assert_eq!(plan.outcome.declared.as_deref(), Some("PI와 최근 3년 공동 저자"));
    assert!(matches!(&plan.writes[..], [Write::InsertConflict(_), Write::DeclineAssignment { .. }]));
    // Afterwards the place is free and the reviewer is not eligible again.
    let declined = [Assignment { declined: Some(Declined { reason: "x".into(), at: at() }), ..place }];
    let conflicts = [plan.outcome.clone()];
    let f = AssignmentFacts { conflicts: &conflicts, ..facts(&round, &reqs, &pool, &declined) };
    assert_eq!(f.eligible(&reqs[0], &pool[0]), Err(Ineligible::Declared));
    let refill = auto_assign(f, &chair(), at()).unwrap();
    assert_eq!(inserted(&refill).iter().map(|a| a.reviewer.as_str()).collect::<Vec<_>>(), ["b"]);
    assert_eq!(refill.outcome.short, vec![RequestId(1)], "only b is left for three places");
}

#[test]
fn the_committee_view_counts_places_and_reviews() {
    let round = round();
    let reqs = requests(2);
    let pool = [reviewer("a", "KAIST", &[])];
    let places = [Assignment {
        request: RequestId(2),
        round: round.id.clone(),
        reviewer: "a".into(),
        assigned_by: "chair".into(),
        at: at(),
        declined: None,
    }];
    let view = RoundReviewing::build(facts(&round, &reqs, &pool, &places));
    assert_eq!(view.due, round.review_closes());
    assert_eq!(view.requests.len(), 2);
    assert_eq!(view.requests[1].places[0].display_name, "A");
    assert_eq!((view.reviewers[0].assigned, view.reviewers[0].reviewed), (1, 0));
}
