//! Reviewer assignment (issue 10 §1): the committee assigns each request of a
//! round its `reviewers_per_request` reviewers, by hand or automatically
//! (balanced load, nobody from the applicant's organisation, declared
//! expertise matched to the request where given); a reviewer can declare a
//! conflict on a request themselves, which frees their place. Pure use cases
//! like the others: each returns the rows to write and the audit entries.
//!
//! Once a request has assignments, only its assigned reviewers may review it
//! (rounds run without assignment, such as the demo's, stay open to every
//! reviewer without a conflict).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::audit::{AuditAction, AuditSubject};
use super::ids::{RequestId, RoundId};
use super::request::Request;
use super::review::{CoiRecord, Review};
use super::round::Round;
use super::state::RequestState;
use super::usecase::{AuditRecord, Plan, Refusal, Write};
use crate::auth::UserInfo;
use crate::organisations::OrgRef;

/// One reviewer's place on one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    pub request: RequestId,
    pub round: RoundId,
    pub reviewer: String,
    /// Who assigned (`auto` is recorded as the committee member who ran it).
    pub assigned_by: String,
    pub at: DateTime<Utc>,
    /// The reviewer declared a conflict of interest (their place is free again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declined: Option<Declined>,
}

impl Assignment {
    /// Holds a place: not declined.
    pub fn active(&self) -> bool {
        self.declined.is_none()
    }
}

/// A declared conflict of interest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Declined {
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// A reviewer who can be assigned (an enabled account with the reviewer role).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewerProfile {
    pub username: String,
    pub display_name: String,
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    /// Declared fields of expertise (keywords such as "의료 영상", "weather").
    #[serde(default)]
    pub expertise: Vec<String>,
}

impl ReviewerProfile {
    pub fn org(&self) -> OrgRef<'_> {
        OrgRef::new(self.organisation_id.as_deref(), &self.organisation)
    }

    /// Whether one of the reviewer's fields appears in the request's titles or abstract.
    pub fn knows(&self, request: &Request) -> bool {
        let text = format!("{} {} {}", request.title_ko, request.title_en, request.abstract_text).to_lowercase();
        self.expertise.iter().map(|e| e.trim().to_lowercase()).any(|e| !e.is_empty() && text.contains(&e))
    }
}

/// A round's records the assignment use cases read inside their transaction.
#[derive(Debug, Clone, Copy)]
pub struct AssignmentFacts<'a> {
    pub round: &'a Round,
    pub requests: &'a [Request],
    pub reviewers: &'a [ReviewerProfile],
    pub assignments: &'a [Assignment],
    pub reviews: &'a [Review],
    pub conflicts: &'a [CoiRecord],
}

/// Why a reviewer cannot take a place on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    /// The reviewer applied, or belongs to the applicant's organisation.
    Conflict,
    /// Declared a conflict on it before.
    Declared,
    /// Holds a place already.
    Assigned,
    /// Reviewed it already.
    Reviewed,
}

impl AssignmentFacts<'_> {
    fn active_on(&self, request: RequestId) -> impl Iterator<Item = &Assignment> {
        self.assignments.iter().filter(move |a| a.request == request && a.active())
    }

    /// Places a reviewer holds in this round (their load).
    pub fn load(&self, reviewer: &str) -> usize {
        self.assignments.iter().filter(|a| a.reviewer == reviewer && a.active()).count()
    }

    /// Whether `reviewer` may take a place on `request`.
    pub fn eligible(&self, request: &Request, reviewer: &ReviewerProfile) -> Result<(), Ineligible> {
        if request.involves(&reviewer.username) || request.org().same(reviewer.org()) {
            return Err(Ineligible::Conflict);
        }
        if self.conflicts.iter().any(|c| c.request == request.id && c.reviewer == reviewer.username) {
            return Err(Ineligible::Declared);
        }
        if self.assignments.iter().any(|a| a.request == request.id && a.reviewer == reviewer.username) {
            return Err(Ineligible::Assigned);
        }
        if self.reviews.iter().any(|r| r.request == request.id && r.reviewer == reviewer.username) {
            return Err(Ineligible::Reviewed);
        }
        Ok(())
    }
}

fn open_for_review(r: &Request) -> bool {
    r.state.is_open()
}

fn check_stage(round: &Round) -> Result<(), Refusal> {
    if round.stage.accepts_reviews() {
        Ok(())
    } else {
        Err(Refusal::Conflict {
            code: "round_not_in_review",
            field: None,
            message: format!("round {} is {}: reviews are closed", round.id.0, round.stage.as_str()),
        })
    }
}

fn new_assignment(
    request: &Request,
    reviewer: &str,
    actor: &UserInfo,
    now: DateTime<Utc>,
) -> (Assignment, AuditRecord) {
    let a = Assignment {
        request: request.id,
        round: request.round.clone(),
        reviewer: reviewer.to_owned(),
        assigned_by: actor.username.clone(),
        at: now,
        declined: None,
    };
    let audit = AuditRecord::new::<(), _>(
        &actor.username,
        AuditAction::ReviewerAssigned,
        AuditSubject::Request(request.id),
        None,
        Some(&a),
        now,
    );
    (a, audit)
}

/// What an automatic assignment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutoAssigned {
    /// Places filled.
    pub assigned: usize,
    /// Requests still short of reviewers (too few eligible reviewers).
    pub short: Vec<RequestId>,
}

/// Fills every open request's free places: for each place, the eligible
/// reviewer whose expertise matches the request, then with the fewest places
/// so far, then by username (so the result does not depend on read order).
pub fn auto_assign(
    facts: AssignmentFacts<'_>,
    actor: &UserInfo,
    now: DateTime<Utc>,
) -> Result<Plan<AutoAssigned>, Refusal> {
    check_stage(facts.round)?;
    let per_request = facts.round.policy.reviewers_per_request as usize;
    let mut load: Vec<usize> = facts.reviewers.iter().map(|r| facts.load(&r.username)).collect();
    let mut requests: Vec<&Request> = facts.requests.iter().filter(|r| open_for_review(r)).collect();
    requests.sort_by_key(|r| r.id);
    let (mut writes, mut audit, mut short) = (Vec::new(), Vec::new(), Vec::new());
    for request in requests {
        let mut taken: Vec<usize> = Vec::new();
        for _ in facts.active_on(request.id).count()..per_request {
            let best = facts
                .reviewers
                .iter()
                .enumerate()
                .filter(|(i, r)| !taken.contains(i) && facts.eligible(request, r).is_ok())
                .min_by(|(i, a), (j, b)| {
                    (!a.knows(request), load[*i], &a.username).cmp(&(!b.knows(request), load[*j], &b.username))
                })
                .map(|(i, _)| i);
            let Some(i) = best else {
                short.push(request.id);
                break;
            };
            taken.push(i);
            load[i] += 1;
            let (assignment, entry) = new_assignment(request, &facts.reviewers[i].username, actor, now);
            writes.push(Write::InsertAssignment(assignment));
            audit.push(entry);
        }
    }
    let outcome = AutoAssigned { assigned: writes.len(), short };
    Ok(Plan { outcome, writes, audit })
}

fn find<'a>(facts: &AssignmentFacts<'a>, request: RequestId) -> Result<&'a Request, Refusal> {
    facts.requests.iter().find(|r| r.id == request).ok_or_else(|| Refusal::Conflict {
        code: "not_in_round",
        field: Some("request"),
        message: format!("request {} is not in round {}", request.0, facts.round.id.0),
    })
}

/// Assigns `reviewer` to `request` by hand (beyond the round's number if the committee wants).
pub fn assign(
    facts: AssignmentFacts<'_>,
    request: RequestId,
    reviewer: &str,
    actor: &UserInfo,
    now: DateTime<Utc>,
) -> Result<Plan<Assignment>, Refusal> {
    check_stage(facts.round)?;
    let request = find(&facts, request)?;
    if !open_for_review(request) {
        return Err(Refusal::Conflict {
            code: "not_open_for_review",
            field: None,
            message: format!("request {} is {}", request.id.0, request.state.as_str()),
        });
    }
    let profile = facts.reviewers.iter().find(|r| r.username == reviewer).ok_or_else(|| Refusal::Conflict {
        code: "not_a_reviewer",
        field: Some("reviewer"),
        message: format!("{reviewer} is not an enabled reviewer"),
    })?;
    let (code, message) = match facts.eligible(request, profile) {
        Ok(()) => {
            let (assignment, entry) = new_assignment(request, reviewer, actor, now);
            return Ok(Plan {
                writes: vec![Write::InsertAssignment(assignment.clone())],
                audit: vec![entry],
                outcome: assignment,
            });
        }
        Err(Ineligible::Conflict) => ("reviewer_conflict", "belongs to the applicant's organisation"),
        Err(Ineligible::Declared) => ("reviewer_conflict", "declared a conflict on this request"),
        Err(Ineligible::Assigned) => ("already_assigned", "is assigned already"),
        Err(Ineligible::Reviewed) => ("already_reviewed", "reviewed it already"),
    };
    Err(Refusal::Conflict { code, field: Some("reviewer"), message: format!("{reviewer} {message}") })
}

/// Takes `reviewer`'s place on `request` away (not once they reviewed it).
pub fn unassign(
    facts: AssignmentFacts<'_>,
    request: RequestId,
    reviewer: &str,
    actor: &UserInfo,
    now: DateTime<Utc>,
) -> Result<Plan<()>, Refusal> {
    check_stage(facts.round)?;
    let found = facts.assignments.iter().find(|a| a.request == request && a.reviewer == reviewer && a.active());
    let Some(assignment) = found else {
        return Err(Refusal::Conflict {
            code: "not_assigned",
            field: Some("reviewer"),
            message: format!("{reviewer} holds no place on request {}", request.0),
        });
    };
    if facts.reviews.iter().any(|r| r.request == request && r.reviewer == reviewer) {
        return Err(Refusal::Conflict {
            code: "already_reviewed",
            field: Some("reviewer"),
            message: format!("{reviewer} reviewed request {} already", request.0),
        });
    }
    let audit = AuditRecord::new::<_, ()>(
        &actor.username,
        AuditAction::ReviewerUnassigned,
        AuditSubject::Request(request),
        Some(assignment),
        None,
        now,
    );
    Ok(Plan {
        outcome: (),
        writes: vec![Write::DeleteAssignment { request, reviewer: reviewer.to_owned() }],
        audit: vec![audit],
    })
}

/// `POST /api/v1/requests/{id}/conflict`: the reviewer's reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ConflictDeclaration {
    /// Required, at most 500 characters (e.g. "co-author of the PI in the last three years").
    pub reason: String,
}

/// `reviewer` declares a conflict of interest on `request` (assigned or
/// not): recorded, their place (if any) freed, and they may not review it.
pub fn declare_conflict(
    round: &Round,
    request: &Request,
    assignment: Option<&Assignment>,
    reviewed: bool,
    reviewer: &UserInfo,
    input: &ConflictDeclaration,
    now: DateTime<Utc>,
) -> Result<Plan<CoiRecord>, Refusal> {
    check_stage(round)?;
    if reviewed {
        return Err(Refusal::Conflict {
            code: "already_reviewed",
            field: None,
            message: "a review was given already; ask the committee to set it aside".into(),
        });
    }
    let mut f = super::form::Form::default();
    let reason = f.text("reason", &input.reason, 500);
    let reason = f.finish(reason).map_err(Refusal::Invalid)?;
    let record = CoiRecord {
        request: request.id,
        reviewer: reviewer.username.clone(),
        organisation: request.organisation.clone(),
        declared: Some(reason.clone()),
        at: now,
    };
    let mut writes = vec![Write::InsertConflict(record.clone())];
    if let Some(a) = assignment.filter(|a| a.active()) {
        writes.push(Write::DeclineAssignment {
            request: request.id,
            reviewer: a.reviewer.clone(),
            declined: Declined { reason, at: now },
        });
    }
    let audit = AuditRecord::new::<(), _>(
        &reviewer.username,
        AuditAction::ConflictOfInterestRecorded,
        AuditSubject::Request(request.id),
        None,
        Some(&record),
        now,
    );
    Ok(Plan { outcome: record, writes, audit: vec![audit] })
}

/// One request's reviewing as the committee follows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestReviewing {
    pub request: RequestId,
    pub title: String,
    pub organisation: String,
    pub state: RequestState,
    /// Every place, active or declined.
    pub places: Vec<Place>,
    /// Reviews given (by anyone).
    pub reviews: usize,
    /// Places the round asks for.
    pub wanted: u32,
}

/// A reviewer's place on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub reviewer: String,
    pub display_name: String,
    pub reviewed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declined: Option<Declined>,
}

/// A reviewer's load in the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewerLoad {
    pub reviewer: ReviewerProfile,
    /// Places held.
    pub assigned: usize,
    /// Of those, reviewed.
    pub reviewed: usize,
}

/// `GET /api/v1/committee/assignments?round=`: who reviews what in a round, and how far they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundReviewing {
    pub round: RoundId,
    pub stage: super::lifecycle::RoundStage,
    /// The review window's last day (KST): the reviewers' due date.
    pub due: NaiveDate,
    pub wanted: u32,
    pub reviewers: Vec<ReviewerLoad>,
    /// Every request of the round, by id.
    pub requests: Vec<RequestReviewing>,
}

impl RoundReviewing {
    /// The view of `facts`.
    pub fn build(facts: AssignmentFacts<'_>) -> RoundReviewing {
        let reviewed = |req: RequestId, who: &str| facts.reviews.iter().any(|r| r.request == req && r.reviewer == who);
        let name = |who: &str| {
            facts
                .reviewers
                .iter()
                .find(|r| r.username == who)
                .map_or_else(|| who.to_owned(), |r| r.display_name.clone())
        };
        let mut requests: Vec<RequestReviewing> = facts
            .requests
            .iter()
            .map(|r| RequestReviewing {
                request: r.id,
                title: r.title().to_owned(),
                organisation: r.organisation.clone(),
                state: r.state,
                places: facts
                    .assignments
                    .iter()
                    .filter(|a| a.request == r.id)
                    .map(|a| Place {
                        reviewer: a.reviewer.clone(),
                        display_name: name(&a.reviewer),
                        reviewed: reviewed(r.id, &a.reviewer),
                        declined: a.declined.clone(),
                    })
                    .collect(),
                reviews: facts.reviews.iter().filter(|v| v.request == r.id).count(),
                wanted: facts.round.policy.reviewers_per_request,
            })
            .collect();
        requests.sort_by_key(|r| r.request);
        let reviewers = facts
            .reviewers
            .iter()
            .map(|p| ReviewerLoad {
                reviewer: p.clone(),
                assigned: facts.load(&p.username),
                reviewed: facts
                    .assignments
                    .iter()
                    .filter(|a| a.reviewer == p.username && a.active() && reviewed(a.request, &p.username))
                    .count(),
            })
            .collect();
        RoundReviewing {
            round: facts.round.id.clone(),
            stage: facts.round.stage,
            due: facts.round.review_closes(),
            wanted: facts.round.policy.reviewers_per_request,
            reviewers,
            requests,
        }
    }
}

#[cfg(test)]
mod tests;
