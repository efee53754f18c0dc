//! Adopting the proposal as a batch: the committee's saved adjustments are
//! applied to the round's proposal and every undecided line becomes a
//! decision through the same [`decide`](super::decide) as a single one (an
//! award for a proposed amount, a rejection for nothing proposed), each with
//! its own decision record and audit entry, plus one entry for the adoption.
//! Lines the committee member may not decide (a conflict of interest, too few
//! reviews) are skipped and reported; stage and review-window rules hold for
//! the whole batch. The adjustment draft is kept in the database until then.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{adjust, decide, decision_gate, AuditRecord, DecisionContext, Outcome, Plan, Refusal, Write};
use crate::allocation::audit::{AuditAction, AuditSubject};
use crate::allocation::decision::{DecisionInput, DecisionRequest};
use crate::allocation::form::Form;
use crate::allocation::grant::Allocation;
use crate::allocation::ids::{AllocationId, RequestId};
use crate::allocation::proposal::Adjustment;
use crate::allocation::request::Request;
use crate::allocation::review::Review;
use crate::allocation::round::Round;
use crate::auth::UserInfo;

/// `POST /api/v1/committee/proposal/adopt?round=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AdoptInput {
    /// The committee's changes to the proposal, applied in order.
    pub adjustments: Vec<Adjustment>,
    /// The rationale every decision of the batch records (required, at most 4,000 characters).
    pub rationale: String,
    /// Admins only, before the review window closes: why (audited).
    pub override_reason: String,
}

/// A line the batch did not decide, and why (an API error code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skipped {
    pub request: RequestId,
    pub code: String,
}

/// What the adoption decided.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adopted {
    /// Awards (in full or in part).
    pub awarded: Vec<RequestId>,
    pub rejected: Vec<RequestId>,
    pub skipped: Vec<Skipped>,
}

/// The saved adjustments of a round's proposal (`GET`/`PUT /api/v1/committee/proposal/draft?round=`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProposalDraft {
    pub adjustments: Vec<Adjustment>,
    /// Who saved it last, and when (absent before the first save).
    pub saved_by: Option<String>,
    pub saved_at: Option<DateTime<Utc>>,
}

/// A round's records read inside a proposal command's transaction (saving a draft, adopting).
#[derive(Debug, Clone, Copy)]
pub struct AdoptFacts<'a> {
    pub round: &'a Round,
    pub requests: &'a [Request],
    pub reviews: &'a [Review],
    pub allocations: &'a [Allocation],
    /// Allocation ids reserved for the batch (at least one per undecided request).
    pub allocation_ids: &'a [AllocationId],
    pub decider: &'a UserInfo,
    pub now: DateTime<Utc>,
    /// The catalogue, for the pools' names in a refusal.
    pub catalogue: &'a crate::catalogue::Catalogue,
}

/// Saves `adjustments` as the round's draft once they apply to its proposal
/// (`facts` as for an adoption; its allocation ids are not used).
pub fn save_draft(facts: AdoptFacts<'_>, adjustments: Vec<Adjustment>) -> Result<Plan<ProposalDraft>, Refusal> {
    let AdoptFacts { round, requests, reviews, allocations, decider: by, now, catalogue: cat, .. } = facts;
    adjust(round, requests, reviews, allocations, adjustments.clone(), cat)?;
    let draft = ProposalDraft { adjustments, saved_by: Some(by.username.clone()), saved_at: Some(now) };
    Ok(Plan {
        writes: vec![Write::SaveDraft { round: round.id.clone(), draft: draft.clone() }],
        audit: vec![],
        outcome: draft,
    })
}

/// Adopts the round's proposal with `input`'s adjustments (see the module documentation).
pub fn adopt(facts: AdoptFacts<'_>, input: &AdoptInput) -> Result<Plan<Adopted>, Refusal> {
    let AdoptFacts { round, requests, reviews, allocations, allocation_ids, decider, now, catalogue } = facts;
    let mut f = Form::default();
    let rationale = f.text("rationale", &input.rationale, 4_000);
    f.finish(rationale).map_err(Refusal::Invalid)?;
    // The stage, the review window and an admin's override hold for the whole batch.
    decision_gate(round, usize::MAX, decider, &input.override_reason, now)?;
    let (proposal, _) = adjust(round, requests, reviews, allocations, input.adjustments.clone(), catalogue)?;
    let mut held: Vec<Allocation> = allocations.to_vec();
    let mut ids = allocation_ids.iter().copied();
    let (mut writes, mut audit, mut out) = (Vec::new(), Vec::new(), Adopted::default());
    for line in proposal.lines.iter().filter(|l| !l.decided) {
        let Some(request) = requests.iter().find(|r| r.id == line.request) else { continue };
        if !request.state.is_open() {
            continue;
        }
        let Some(allocation_id) = ids.next() else {
            out.skipped.push(Skipped { request: line.request, code: "busy".into() });
            continue;
        };
        let (kind, amount) = match line.proposed {
            0 => ("reject", None),
            p if p >= line.requested => ("approve", Some(p)),
            p => ("approve_partially", Some(p)),
        };
        let body = DecisionRequest {
            decision: DecisionInput { kind: kind.into(), amount, rationale: input.rationale.clone() },
            override_reason: input.override_reason.clone(),
            ..Default::default()
        };
        let ctx = DecisionContext {
            round,
            request,
            reviews: reviews.iter().filter(|v| v.request == request.id).count(),
            allocations: &held,
            decider,
            allocation_id,
            now,
        };
        match decide(ctx, &body) {
            Ok(plan) => {
                if let Outcome::ConflictOfInterest(_) = plan.outcome {
                    out.skipped.push(Skipped { request: line.request, code: "conflict_of_interest".into() });
                } else if amount.is_some() {
                    out.awarded.push(line.request);
                } else {
                    out.rejected.push(line.request);
                }
                held.extend(plan.writes.iter().filter_map(|w| match w {
                    Write::InsertAllocation(a) => Some(a.clone()),
                    _ => None,
                }));
                writes.extend(plan.writes);
                audit.extend(plan.audit);
            }
            Err(Refusal::Conflict { code, .. }) => {
                out.skipped.push(Skipped { request: line.request, code: code.into() })
            }
            Err(e) => return Err(e),
        }
    }
    writes.push(Write::DeleteDraft(round.id.clone()));
    audit.push(AuditRecord::new::<(), _>(
        &decider.username,
        AuditAction::ProposalAdopted,
        AuditSubject::Round(round.id.clone()),
        None,
        Some(&serde_json::json!({
            "adjustments": input.adjustments,
            "awarded": out.awarded.len(),
            "rejected": out.rejected.len(),
            "skipped": out.skipped,
        })),
        now,
    ));
    Ok(Plan { writes, audit, outcome: out })
}
