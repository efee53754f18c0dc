//! The programme's use cases (submit, review, decide, adjust) as pure
//! functions: each takes the current records, as re-read inside the write
//! transaction, and the command, and returns a [`Plan`]: what to answer, the
//! rows to write (with the state each update expects to find) and the audit
//! entries. The server runs each plan as one transaction; nothing here does
//! IO or reads a clock.
//!
//! Refusals are values: a rule broken by the input is [`Refusal::Invalid`]
//! (400, every field named); a clash with what is recorded (the request was
//! decided meanwhile, the pool is full, a conflict of interest) is
//! [`Refusal::Conflict`] (409) with a stable code. A conflict of interest is
//! also written down: its plan carries the [`CoiRecord`] and its audit entry,
//! and the server commits them before answering 409.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::advisor::field_error::{FieldErrorCode, FieldErrors};
use crate::auth::UserInfo;

use super::audit::{AuditAction, AuditSubject};
use super::decision::{DecisionError, DecisionRequest};
use super::grant::Allocation;
use super::ids::{AllocationId, RequestId};
use super::lifecycle::RoundStage;
use super::proposal::{propose, Adjustment, AdjustmentError, Candidate, FairnessChange, Proposal, ProposalConfig};
use super::queue::capacity_left;
use super::request::Request;

use super::review::{CoiRecord, Review, ReviewError, ReviewInput, Reviewer};
use super::round::Round;
use super::state::RequestState;
use super::{Decision, DecisionKind};

/// Most requests one applicant may have in one round (withdrawn or not).
pub const MAX_REQUESTS_PER_APPLICANT: usize = 20;

/// One audit entry to append (the log numbers it).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct AuditRecord {
    pub actor: String,
    pub action: AuditAction,
    pub subject: AuditSubject,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub at: DateTime<Utc>,
}

impl AuditRecord {
    pub(crate) fn new<B: Serialize, A: Serialize>(
        actor: &str,
        action: AuditAction,
        subject: AuditSubject,
        before: Option<&B>,
        after: Option<&A>,
        at: DateTime<Utc>,
    ) -> AuditRecord {
        AuditRecord {
            actor: actor.to_owned(),
            action,
            subject,
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: after.and_then(|a| serde_json::to_value(a).ok()),
            at,
        }
    }
}

/// One row to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// A new request (its id was reserved inside the same transaction).
    InsertRequest(Request),
    /// The request moves from `expected` to the state it carries; finding
    /// another state means someone else changed it first (409).
    UpdateRequest {
        request: Request,
        expected: RequestState,
    },
    /// A review; a second one by the same reviewer is a 409.
    InsertReview(Review),
    /// The reviewer's review becomes `review` if it is still `expected`.
    UpdateReview {
        review: Review,
        expected: Review,
    },
    InsertConflict(CoiRecord),
    /// The decision; a second one on the same request is a 409.
    InsertDecision(Decision),
    /// A new allocation (its id was reserved inside the same transaction).
    InsertAllocation(Allocation),
    /// The allocation's period changes (an admin ended, shortened or moved
    /// it). Allocations are only written under their round's lock, so the
    /// record is still the one the use case read; `previous` (first and last
    /// day), `request` (its holders and title) and `reason` are for the notice.
    UpdateAllocation {
        allocation: Allocation,
        previous: (chrono::NaiveDate, chrono::NaiveDate),
        request: Box<Request>,
        reason: String,
        at: DateTime<Utc>,
    },
    /// A new round; an existing id is a 409.
    InsertRound(Round),
    /// The round changes if it is still in stage `expected`.
    UpdateRound {
        round: Round,
        expected: RoundStage,
    },
    /// A reviewer's place; a second one for the same reviewer and request is a 409.
    InsertAssignment(super::assignment::Assignment),
    /// Removes the reviewer's place (it must still be there, not declined).
    DeleteAssignment {
        request: RequestId,
        reviewer: String,
    },
    /// Saves (replaces) the round's proposal adjustment draft.
    SaveDraft {
        round: super::ids::RoundId,
        draft: ProposalDraft,
    },
    /// Removes the round's draft (it was adopted).
    DeleteDraft(super::ids::RoundId),
    /// The reviewer's place is declined (it must still be active).
    DeclineAssignment {
        request: RequestId,
        reviewer: String,
        declined: super::assignment::Declined,
    },
}

/// What a use case decided: the answer, the rows to write, the audit entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan<T> {
    pub outcome: T,
    pub writes: Vec<Write>,
    pub audit: Vec<AuditRecord>,
}

/// Why a command is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    /// The input breaks a rule (400, every field named).
    #[error(transparent)]
    Invalid(FieldErrors),
    /// The command clashes with what is recorded (409).
    #[error("{message}")]
    Conflict {
        /// Stable, machine-readable reason (translated by the app).
        code: &'static str,
        field: Option<&'static str>,
        message: String,
    },
}

impl Refusal {
    fn conflict(code: &'static str, field: Option<&'static str>, message: impl Into<String>) -> Refusal {
        Refusal::Conflict { code, field, message: message.into() }
    }
}

/// What became of a review or a decision: done, or refused as a conflict of
/// interest (recorded, answered 409).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    Done(T),
    ConflictOfInterest(CoiRecord),
}

/// The conflict of interest of `user` on `request`: they applied, or belong
/// to the applicant's organisation.
pub fn conflict_of_interest(request: &Request, user: &UserInfo, at: DateTime<Utc>) -> Option<CoiRecord> {
    (request.involves(&user.username) || request.org().same(user.org())).then(|| CoiRecord {
        request: request.id,
        reviewer: user.username.clone(),
        organisation: request.organisation.clone(),
        declared: None,
        at,
    })
}

fn coi_plan<T>(coi: CoiRecord, actor: &str, now: DateTime<Utc>) -> Plan<Outcome<T>> {
    let audit = AuditRecord::new::<(), _>(
        actor,
        AuditAction::ConflictOfInterestRecorded,
        AuditSubject::Request(coi.request),
        None,
        Some(&coi),
        now,
    );
    Plan {
        writes: vec![Write::InsertConflict(coi.clone())],
        audit: vec![audit],
        outcome: Outcome::ConflictOfInterest(coi),
    }
}

/// `reviewer` changes their review of `request` while the round takes
/// reviews and its review window is open (the last day included, KST).
pub fn edit_review(
    round: &Round,
    request: &Request,
    records: &RequestRecords,
    reviewer: &UserInfo,
    input: &ReviewInput,
    now: DateTime<Utc>,
) -> Result<Plan<Review>, Refusal> {
    if !round.stage.accepts_reviews() || crate::time::kst_day(now.timestamp()) > round.review_closes() {
        return Err(Refusal::conflict(
            "review_window_closed",
            Some("id"),
            format!("reviews of round {} can no longer change", round.id.0),
        ));
    }
    let Some(mine) = records.reviews.iter().find(|r| r.reviewer == reviewer.username) else {
        return Err(Refusal::conflict("no_review", Some("id"), "there is no review of yours to change"));
    };
    let who = Reviewer::of(reviewer);
    let review = match input.parse(request, &who, now) {
        Ok(r) => r,
        Err(ReviewError::Invalid(f)) => return Err(Refusal::Invalid(f)),
        Err(ReviewError::NotOpenForReview(s)) => {
            return Err(Refusal::conflict(
                "not_open_for_review",
                Some("id"),
                format!("request is {}, not open for review", s.as_str()),
            ))
        }
        Err(ReviewError::ConflictOfInterest(_)) => {
            return Err(Refusal::conflict("conflict_of_interest", Some("id"), "a conflict of interest"))
        }
    };
    let audit = AuditRecord::new(
        &reviewer.username,
        AuditAction::ReviewChanged,
        AuditSubject::Request(request.id),
        Some(mine),
        Some(&review),
        now,
    );
    Ok(Plan {
        writes: vec![Write::UpdateReview { review: review.clone(), expected: mine.clone() }],
        audit: vec![audit],
        outcome: review,
    })
}

/// A request's reviewing records, read with it inside the transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestRecords {
    /// Reviewers' places on it (active and declined).
    pub assignments: Vec<super::assignment::Assignment>,
    /// Conflicts of interest recorded on it (found or declared).
    pub conflicts: Vec<CoiRecord>,
    /// Its reviews.
    pub reviews: Vec<Review>,
}

/// `reviewer` scores `request` of `round`; a submitted request moves under
/// review. Once a request has reviewers assigned, only they may review it;
/// a reviewer who declared a conflict on it never may.
pub fn review(
    round: &Round,
    request: &Request,
    records: &RequestRecords,
    reviewer: &UserInfo,
    input: &ReviewInput,
    now: DateTime<Utc>,
) -> Result<Plan<Outcome<Review>>, Refusal> {
    if !round.stage.accepts_reviews() {
        return Err(Refusal::conflict(
            "round_not_in_review",
            Some("id"),
            format!("round {} is {}: reviews are closed", round.id.0, round.stage.as_str()),
        ));
    }
    if records.conflicts.iter().any(|c| c.reviewer == reviewer.username && c.declared.is_some()) {
        return Err(Refusal::conflict(
            "conflict_declared",
            Some("id"),
            format!("{} declared a conflict of interest on request {}", reviewer.username, request.id.0),
        ));
    }
    let mut active = records.assignments.iter().filter(|a| a.active()).peekable();
    if active.peek().is_some() && !active.any(|a| a.reviewer == reviewer.username) {
        return Err(Refusal::conflict(
            "not_assigned",
            Some("id"),
            format!("request {} has assigned reviewers; {} is not one of them", request.id.0, reviewer.username),
        ));
    }
    let who = Reviewer::of(reviewer);
    let review = match input.parse(request, &who, now) {
        Ok(r) => r,
        Err(ReviewError::ConflictOfInterest(coi)) => return Ok(coi_plan(coi, &reviewer.username, now)),
        Err(ReviewError::NotOpenForReview(s)) => {
            return Err(Refusal::conflict(
                "not_open_for_review",
                Some("id"),
                format!("request is {}, not open for review", s.as_str()),
            ))
        }
        Err(ReviewError::Invalid(f)) => return Err(Refusal::Invalid(f)),
    };
    let mut writes = vec![Write::InsertReview(review.clone())];
    if request.state == RequestState::Submitted {
        let mut moved = request.clone();
        moved
            .transition(RequestState::UnderReview)
            .map_err(|t| Refusal::conflict("not_open_for_review", Some("id"), t.to_string()))?;
        writes.push(Write::UpdateRequest { request: moved, expected: RequestState::Submitted });
    } else {
        // Under review already: the state must still be that when the review lands.
        writes.push(Write::UpdateRequest { request: request.clone(), expected: RequestState::UnderReview });
    }
    let audit = AuditRecord::new(
        &reviewer.username,
        AuditAction::ReviewSubmitted,
        AuditSubject::Request(request.id),
        Some(request),
        Some(&review),
        now,
    );
    Ok(Plan { writes, audit: vec![audit], outcome: Outcome::Done(review) })
}

/// The records a decision depends on, read inside its transaction.
#[derive(Debug, Clone, Copy)]
pub struct DecisionContext<'a> {
    pub round: &'a Round,
    pub request: &'a Request,
    /// How many reviews the request has.
    pub reviews: usize,
    /// Every allocation of the round (for the capacity left).
    pub allocations: &'a [Allocation],
    pub decider: &'a UserInfo,
    /// The id the storage reserved for an allocation, used only when one is awarded.
    pub allocation_id: AllocationId,
    pub now: DateTime<Utc>,
}

/// Records the committee's decision: the request leaves review, an award
/// becomes an allocation over the granted period within the pool's capacity
/// left. Deciding one's own (or one's organisation's) request is refused.
pub fn decide(ctx: DecisionContext<'_>, body: &DecisionRequest) -> Result<Plan<Outcome<Decision>>, Refusal> {
    let DecisionContext { round, request, reviews, allocations, decider, allocation_id, now } = ctx;
    if let Some(coi) = conflict_of_interest(request, decider, now) {
        return Ok(coi_plan(coi, &decider.username, now));
    }
    // A missing override reason is a field error like the form's others, reported with them.
    let (overridden, reason_errors) = match decision_gate(round, reviews, decider, &body.override_reason, now) {
        Ok(o) => (o, FieldErrors::default()),
        Err(Refusal::Invalid(f)) => (None, f),
        Err(e) => return Err(e),
    };
    let granted = body.period.parse(request, round);
    let decision = match (body.decision.parse(request, &decider.username, now), granted.clone()) {
        (Ok(d), Ok(_)) if reason_errors.is_empty() => d,
        (Ok(_), Ok(_)) => return Err(Refusal::Invalid(reason_errors)),
        (Err(DecisionError::NotUnderReview(t)), _) => {
            return Err(Refusal::conflict("not_under_review", Some("kind"), t.to_string()))
        }
        (Err(DecisionError::Invalid(mut f)), p) => {
            if let Err(p) = p {
                f.extend(p);
            }
            f.extend(reason_errors);
            return Err(Refusal::Invalid(f));
        }
        (Ok(_), Err(mut p)) => {
            p.extend(reason_errors);
            return Err(Refusal::Invalid(p));
        }
    };
    let (start, end) = granted.map_err(Refusal::Invalid)?;
    let left = capacity_left(round, allocations, &request.pool);
    if decision.amount > left {
        return Err(Refusal::conflict(
            "over_capacity",
            Some("amount"),
            format!("more than the pool has left in this round ({left})"),
        ));
    }
    let mut decided = request.clone();
    decided
        .transition(decision.kind.state())
        .map_err(|t| Refusal::conflict("not_under_review", Some("kind"), t.to_string()))?;
    let mut writes = vec![
        Write::InsertDecision(decision.clone()),
        Write::UpdateRequest { request: decided, expected: request.state },
    ];
    let mut audit = Vec::new();
    if let Some(reason) = overridden {
        audit.push(AuditRecord::new::<(), _>(
            &decider.username,
            AuditAction::ReviewWindowOverridden,
            AuditSubject::Request(request.id),
            None,
            Some(&serde_json::json!({ "reason": reason, "review_closes": round.review_closes() })),
            now,
        ));
    }
    audit.push(AuditRecord::new(
        &decider.username,
        AuditAction::DecisionRecorded,
        AuditSubject::Request(request.id),
        Some(request),
        Some(&decision),
        now,
    ));
    if decision.amount > 0 && decision.kind != DecisionKind::Reject {
        let allocation = Allocation::from_decision(allocation_id, request, &decision, round)
            .map_err(|e| Refusal::conflict("not_awarded", Some("kind"), e.to_string()))?
            .over(start, end);
        audit.push(AuditRecord::new::<(), _>(
            &decider.username,
            AuditAction::AllocationCreated,
            AuditSubject::Allocation(allocation.id),
            None,
            Some(&allocation),
            now,
        ));
        writes.push(Write::InsertAllocation(allocation));
    }
    Ok(Plan { outcome: Outcome::Done(decision), writes, audit })
}

/// Most adjustments one call may carry.
pub const MAX_ADJUSTMENTS: usize = 2_000;

/// The committee's adjustments applied in order to the round's proposal
/// (nothing is written: a proposal is a draft until decided). A refused
/// adjustment is a 400 on `adjustments` whose message names the adjustment
/// by its number, pools by the names people know them by (`cat`) and
/// amounts with their unit, in both languages.
pub fn adjust(
    round: &Round,
    requests: &[Request],
    reviews: &[Review],
    allocations: &[Allocation],
    adjustments: Vec<Adjustment>,
    cat: &crate::catalogue::Catalogue,
) -> Result<(Proposal, Vec<FairnessChange>), Refusal> {
    if adjustments.len() > MAX_ADJUSTMENTS {
        let mut f = FieldErrors::default();
        f.push(
            "adjustments",
            FieldErrorCode::OutOfRange,
            format!("조정은 한 번에 {MAX_ADJUSTMENTS}건까지입니다."),
            format!("At most {MAX_ADJUSTMENTS} adjustments at once."),
        );
        return Err(Refusal::Invalid(f));
    }
    let mut proposal = propose(round, &Candidate::all(requests, reviews, allocations), &ProposalConfig::default());
    let mut changes = Vec::with_capacity(adjustments.len());
    for (i, adj) in adjustments.into_iter().enumerate() {
        let pool = requests.iter().find(|r| r.id == adj.request).map(|r| r.pool.clone());
        let change = proposal.apply_adjustment(round, adj).map_err(|e| {
            let mut f = FieldErrors::default();
            let words = AdjustmentWords { round, cat, pool: pool.as_deref() };
            let n = i + 1;
            let (ko, en) = (format!("조정 {n}번: {}", words.ko(&e)), format!("Adjustment {n}: {}", words.en(&e)));
            f.push("adjustments", FieldErrorCode::Conflict, ko, en);
            Refusal::Invalid(f)
        })?;
        changes.push(change);
    }
    Ok((proposal, changes))
}

/// What a refused adjustment's message needs to name things as people do:
/// the round's units, the catalogue's pool names and the adjusted request's pool.
struct AdjustmentWords<'a> {
    round: &'a Round,
    cat: &'a crate::catalogue::Catalogue,
    pool: Option<&'a str>,
}

impl AdjustmentWords<'_> {
    /// `n` in `pool`'s unit ("서버 40대"), the bare figure when the round has no such pool.
    fn amount(&self, n: u64, pool: Option<&str>, loc: crate::i18n::Locale) -> String {
        match pool.and_then(|p| self.round.pool(p)) {
            Some(p) => p.unit.amount(loc, n),
            None => crate::display::format::thousands(n),
        }
    }

    fn pool_name(&self, pool: &str, loc: crate::i18n::Locale) -> String {
        self.cat.pool_names(pool).map_or_else(|| pool.to_owned(), |(ko, en)| loc.pick(&ko, &en).to_owned())
    }

    fn ko(&self, e: &AdjustmentError) -> String {
        use crate::i18n::Locale::Ko;
        let text = match e {
            AdjustmentError::UnknownRequest(r) => format!("신청 {r}은(는) 배분안에 없습니다."),
            AdjustmentError::Decided(r) => format!("신청 {r}은(는) 이미 결정되었습니다."),
            AdjustmentError::Excluded(r) => {
                format!("신청 {r}은(는) 제외되었습니다(미심사, 최저 점수 미달 또는 알 수 없는 풀).")
            }
            AdjustmentError::ExceedsRequest { requested, amount } => format!(
                "{}은(는) 신청량 {}보다 많습니다.",
                self.amount(*amount, self.pool, Ko),
                self.amount(*requested, self.pool, Ko)
            ),
            AdjustmentError::ExceedsCapacity { pool, capacity, total } => format!(
                "{}에 용량 {} 중 {}이(가) 배분됩니다.",
                self.pool_name(pool, Ko),
                self.amount(*capacity, Some(pool), Ko),
                self.amount(*total, Some(pool), Ko)
            ),
            AdjustmentError::ExceedsOrgCap { organisation, cap, total } => {
                format!("{organisation}의 합계 {total}이(가) 기관 상한 {cap}을(를) 넘습니다.")
            }
        };
        crate::i18n::settle_particles(&text)
    }

    fn en(&self, e: &AdjustmentError) -> String {
        use crate::i18n::Locale::En;
        match e {
            AdjustmentError::ExceedsRequest { requested, amount } => format!(
                "{} is more than the {} asked",
                self.amount(*amount, self.pool, En),
                self.amount(*requested, self.pool, En)
            ),
            AdjustmentError::ExceedsCapacity { pool, capacity, total } => format!(
                "{} would hold {} of its {}",
                self.pool_name(pool, En),
                self.amount(*total, Some(pool), En),
                self.amount(*capacity, Some(pool), En)
            ),
            other => other.to_string(),
        }
    }
}

mod adopt;
mod gate;
mod period;
mod researcher;
mod rounds;
pub use adopt::{adopt, save_draft, AdoptFacts, AdoptInput, Adopted, ProposalDraft, Skipped};
use gate::decision_gate;
pub use period::{change_period, PeriodChange, MAX_PERIOD_REASON_CHARS};
pub use researcher::{edit_request, may_change, submit, withdraw_request, ApplicantFacts};
pub use rounds::{advance_round, create_round, update_round, RoundFacts, StageChange};

#[cfg(test)]
mod tests;
