//! The demo round's reviews (three per request, conflicts of interest
//! recorded and skipped), decisions as planned, allocations, request states
//! as of today, and the audit log of all of it.

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;

use crate::allocation::audit::{AuditAction, AuditEntry, AuditLog, AuditSubject};
use crate::allocation::decision::{Decision, DecisionInput};
use crate::allocation::grant::Allocation;
use crate::allocation::ids::AllocationId;
use crate::allocation::request::Request;
use crate::allocation::review::{CoiRecord, Review, ReviewError, ReviewInput, Reviewer};
use crate::allocation::round::Round;
use crate::allocation::state::RequestState;

use super::names;
use super::plan::Planned;
use super::{DemoError, DemoSpec};

/// Reviews per request.
const REVIEWS_PER_REQUEST: usize = 3;
/// The committee member who records demo decisions.
const DECIDER: &str = "committee1";

/// Everything decided in the demo round.
pub(super) struct Outcomes {
    pub reviews: Vec<Review>,
    pub conflicts: Vec<CoiRecord>,
    pub decisions: Vec<Decision>,
    pub allocations: Vec<Allocation>,
    pub audit: Vec<AuditEntry>,
}

/// One event for the audit log, before ordering by time.
type Event = (DateTime<Utc>, String, AuditAction, AuditSubject, Option<serde_json::Value>, Option<serde_json::Value>);

fn invalid(e: impl std::fmt::Display) -> DemoError {
    DemoError::Invalid(e.to_string())
}

fn json(v: &impl serde::Serialize) -> Result<Option<serde_json::Value>, DemoError> {
    serde_json::to_value(v).map(Some).map_err(invalid)
}

/// Reviews, decides and allocates every request (aligned with `planned`) and moves them to today's state.
pub(super) fn decide(
    spec: &DemoSpec,
    round: &Round,
    requests: &mut [Request],
    planned: &[Planned],
    today: NaiveDate,
    rng: &mut impl Rng,
) -> Result<Outcomes, DemoError> {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(invalid);
    let review_from = crate::time::kst_midnight(round.closes) + 86_400;
    let decided = crate::time::kst_midnight(day(spec.decided_on)?) + 10 * 3_600;
    let mut out = Outcomes {
        reviews: Vec::new(),
        conflicts: Vec::new(),
        decisions: Vec::new(),
        allocations: Vec::new(),
        audit: Vec::new(),
    };
    let mut events: Vec<Event> = Vec::new();
    for (i, (request, plan)) in requests.iter_mut().zip(planned).enumerate() {
        request.transition(RequestState::UnderReview).map_err(invalid)?;
        let window = (decided - review_from).max(1);
        review(request, plan, review_from, window, rng, &mut out, &mut events)?;
        let at = crate::time::utc(decided + 2 * i as i64);
        let decision = decision_input(plan).parse(request, DECIDER, at).map_err(invalid)?;
        request.transition(decision.state()).map_err(invalid)?;
        events.push((
            at,
            DECIDER.into(),
            AuditAction::DecisionRecorded,
            AuditSubject::Request(request.id),
            None,
            json(&decision)?,
        ));
        if decision.state().is_awarded() {
            let id = AllocationId(out.allocations.len() as u64 + 1);
            let a = Allocation::from_decision(id, request, &decision, round).map_err(invalid)?;
            let at = crate::time::utc(decided + 2 * i as i64 + 1);
            events.push((
                at,
                DECIDER.into(),
                AuditAction::AllocationCreated,
                AuditSubject::Allocation(id),
                None,
                json(&a)?,
            ));
            advance(request, &a, today)?;
            out.allocations.push(a);
        }
        out.decisions.push(decision);
    }
    out.audit = log(events)?;
    Ok(out)
}

/// Three reviews of `request` by reviewers in turn from a random start; conflicts are recorded and skipped.
fn review(
    request: &Request,
    plan: &Planned,
    from: i64,
    window: i64,
    rng: &mut impl Rng,
    out: &mut Outcomes,
    events: &mut Vec<Event>,
) -> Result<(), DemoError> {
    let start = rng.gen_range(0..names::REVIEWERS.len());
    let base = if plan.awarded > 0 { rng.gen_range(3.5..4.8) } else { rng.gen_range(1.8..3.9) };
    let mut done = 0;
    for k in 0..names::REVIEWERS.len() {
        if done == REVIEWS_PER_REQUEST {
            break;
        }
        let (username, organisation) = names::REVIEWERS[(start + k) % names::REVIEWERS.len()];
        let reviewer = Reviewer {
            username: username.into(),
            organisation: organisation.into(),
            organisation_id: super::org_id(organisation),
        };
        let mut score = || Some((base + rng.gen_range(-0.6..0.6f64)).round().clamp(1.0, 5.0) as u8);
        let input = ReviewInput {
            technical_merit: score(),
            impact: score(),
            ecosystem: score(),
            team_readiness: score(),
            comment: if plan.awarded > 0 {
                "목표와 계획이 구체적임. (데모)".into()
            } else {
                "자원 규모 대비 계획이 미흡함. (데모)".into()
            },
        };
        let at = crate::time::utc(from + rng.gen_range(0..window));
        match input.parse(request, &reviewer, at) {
            Ok(r) => {
                out.reviews.push(r);
                done += 1;
            }
            Err(ReviewError::ConflictOfInterest(c)) => {
                events.push((
                    at,
                    username.into(),
                    AuditAction::ConflictOfInterestRecorded,
                    AuditSubject::Request(request.id),
                    None,
                    json(&c)?,
                ));
                out.conflicts.push(c);
            }
            Err(e) => return Err(invalid(e)),
        }
    }
    Ok(())
}

fn decision_input(plan: &Planned) -> DecisionInput {
    let (kind, rationale) = match plan.awarded {
        0 => ("reject", "평가 점수와 가용 자원을 고려하여 미선정. (데모)"),
        a if a == plan.requested => ("approve", "평가 우수, 신청 규모 전액 배분. (데모)"),
        _ => ("approve_partially", "평가 우수하나 기관 간 형평과 가용 자원을 고려하여 일부 배분. (데모)"),
    };
    DecisionInput { kind: kind.into(), amount: (plan.awarded > 0).then_some(plan.awarded), rationale: rationale.into() }
}

/// Moves an awarded request to active or expired as of `today`.
fn advance(request: &mut Request, a: &Allocation, today: NaiveDate) -> Result<(), DemoError> {
    if today >= a.start {
        request.transition(RequestState::Active).map_err(invalid)?;
    }
    if today > a.end {
        request.transition(RequestState::Expired).map_err(invalid)?;
    }
    Ok(())
}

fn log(mut events: Vec<Event>) -> Result<Vec<AuditEntry>, DemoError> {
    events.sort_by_key(|e| e.0);
    let mut log = AuditLog::new();
    for (at, actor, action, subject, before, after) in events {
        log.append(&actor, action, subject, (before.as_ref(), after.as_ref()), at).map_err(invalid)?;
    }
    Ok(log.into_entries())
}
