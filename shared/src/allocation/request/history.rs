//! A request's history as its applicant and co-investigators see it: what
//! happened to it and when, read from the audit log. Reviewers and
//! committee members are not named (reviews are confidential); only the
//! request's own team is.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::allocation::audit::AuditAction;
use crate::allocation::decision::{Decision, DecisionKind};
use crate::allocation::usecase::AuditRecord;

use super::Request;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    Submitted,
    /// The applicant changed it (`fields` says which).
    Edited,
    Withdrawn,
    /// The first review arrived: the request is under review.
    ReviewStarted,
    /// The committee decided (`decision`, `amount`).
    Decided,
}

impl HistoryKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Submitted => "submitted",
            HistoryKind::Edited => "edited",
            HistoryKind::Withdrawn => "withdrawn",
            HistoryKind::ReviewStarted => "review_started",
            HistoryKind::Decided => "decided",
        }
    }
}

/// One step of a request's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEvent {
    pub at: DateTime<Utc>,
    pub kind: HistoryKind,
    /// Who did it, when it is the applicant or a co-investigator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Fields an edit changed (their form names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionKind>,
    /// Awarded amount in the pool's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
}

impl HistoryEvent {
    fn new(at: DateTime<Utc>, kind: HistoryKind) -> HistoryEvent {
        HistoryEvent { at, kind, by: None, fields: Vec::new(), decision: None, amount: None }
    }
}

/// The history of `request` from `entries` (the audit entries about it, any
/// order); the submission and the decision are taken from the records when
/// the log has no entry for them (records older than the log).
pub fn history(request: &Request, decision: Option<&Decision>, entries: &[AuditRecord]) -> Vec<HistoryEvent> {
    let team = |actor: &str| request.involves(actor).then(|| actor.to_owned());
    let mut out: Vec<HistoryEvent> = Vec::new();
    let mut entries: Vec<&AuditRecord> = entries.iter().collect();
    entries.sort_by_key(|e| e.at);
    for e in entries {
        let event = match e.action {
            AuditAction::RequestSubmitted => {
                HistoryEvent { by: team(&e.actor), ..HistoryEvent::new(e.at, HistoryKind::Submitted) }
            }
            AuditAction::RequestEdited => HistoryEvent {
                by: team(&e.actor),
                fields: changed_fields(e.before.as_ref(), e.after.as_ref()),
                ..HistoryEvent::new(e.at, HistoryKind::Edited)
            },
            AuditAction::RequestWithdrawn => {
                HistoryEvent { by: team(&e.actor), ..HistoryEvent::new(e.at, HistoryKind::Withdrawn) }
            }
            AuditAction::ReviewSubmitted if !out.iter().any(|h| h.kind == HistoryKind::ReviewStarted) => {
                HistoryEvent::new(e.at, HistoryKind::ReviewStarted)
            }
            AuditAction::DecisionRecorded => {
                let Some(d) = e.after.clone().and_then(|a| serde_json::from_value::<Decision>(a).ok()) else {
                    continue;
                };
                decided(&d)
            }
            _ => continue,
        };
        out.push(event);
    }
    if !out.iter().any(|h| h.kind == HistoryKind::Submitted) {
        let by = Some(request.applicant.clone());
        out.insert(0, HistoryEvent { by, ..HistoryEvent::new(request.submitted_at, HistoryKind::Submitted) });
    }
    if let Some(d) = decision.filter(|_| !out.iter().any(|h| h.kind == HistoryKind::Decided)) {
        out.push(decided(d));
    }
    out.sort_by_key(|h| h.at);
    out
}

fn decided(d: &Decision) -> HistoryEvent {
    HistoryEvent { decision: Some(d.kind), amount: Some(d.amount), ..HistoryEvent::new(d.at, HistoryKind::Decided) }
}

/// The top-level fields whose values differ between two JSON objects
/// (the state and bookkeeping fields left out), in name order.
fn changed_fields(before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) -> Vec<String> {
    const IGNORED: [&str; 4] = ["state", "submitted_at", "id", "round"];
    let (Some(serde_json::Value::Object(b)), Some(serde_json::Value::Object(a))) = (before, after) else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))).collect();
    keys.retain(|k| !IGNORED.contains(&k.as_str()) && b.get(*k) != a.get(*k));
    keys.into_iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::audit::AuditSubject;
    use crate::allocation::request::tests::{input, round, submission};
    use crate::allocation::RequestState;

    fn at(s: i64) -> DateTime<Utc> {
        crate::time::utc(1_767_000_000 + s)
    }

    fn entry(
        actor: &str,
        action: AuditAction,
        before: Option<&Request>,
        after: Option<serde_json::Value>,
        s: i64,
    ) -> AuditRecord {
        AuditRecord {
            actor: actor.into(),
            action,
            subject: AuditSubject::Request(crate::allocation::RequestId(1)),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after,
            at: at(s),
        }
    }

    #[test]
    fn the_team_is_named_reviewers_and_the_committee_are_not() {
        let mut request = input().parse(&round(), submission(1)).unwrap();
        request.co_investigators = vec!["coi1".into()];
        let mut edited = request.clone();
        edited.amount += 8;
        edited.title_en = "Changed".into();
        let decision = Decision {
            request: request.id,
            kind: DecisionKind::ApprovePartially,
            amount: 4,
            rationale: "r".into(),
            decided_by: "chair".into(),
            at: at(50),
        };
        let entries = vec![
            entry("chair", AuditAction::DecisionRecorded, None, serde_json::to_value(&decision).ok(), 50),
            entry("researcher1", AuditAction::RequestSubmitted, None, serde_json::to_value(&request).ok(), 0),
            entry("coi1", AuditAction::RequestEdited, Some(&request), serde_json::to_value(&edited).ok(), 10),
            entry("rev1", AuditAction::ReviewSubmitted, None, None, 20),
            entry("rev2", AuditAction::ReviewSubmitted, None, None, 30),
            entry("rev2", AuditAction::ConflictOfInterestRecorded, None, None, 31),
        ];
        let h = history(&request, Some(&decision), &entries);
        let kinds: Vec<HistoryKind> = h.iter().map(|e| e.kind).collect();
        use HistoryKind::*;
        assert_eq!(kinds, vec![Submitted, Edited, ReviewStarted, Decided]);
        assert_eq!(h[0].by.as_deref(), Some("researcher1"));
        assert_eq!(h[1].by.as_deref(), Some("coi1"));
        assert_eq!(h[1].fields, vec!["amount".to_owned(), "title_en".to_owned()]);
        assert_eq!((h[2].by.as_ref(), h[3].by.as_ref()), (None, None), "reviewers and deciders stay anonymous");
        assert_eq!((h[3].decision, h[3].amount), (Some(DecisionKind::ApprovePartially), Some(4)));
        let text = serde_json::to_string(&h).unwrap();
        assert!(!text.contains("rev1") && !text.contains("chair"), "{text}");
    }

    #[test]
    fn records_older_than_the_log_still_show_their_submission_and_decision() {
        let mut request = input().parse(&round(), submission(1)).unwrap();
        request.state = RequestState::Rejected;
        let decision = Decision {
            request: request.id,
            kind: DecisionKind::Reject,
            amount: 0,
            rationale: String::new(),
            decided_by: "chair".into(),
            at: at(100),
        };
        let h = history(&request, Some(&decision), &[]);
        assert_eq!(h.iter().map(|e| e.kind).collect::<Vec<_>>(), vec![HistoryKind::Submitted, HistoryKind::Decided]);
        assert_eq!(h[0].at, request.submitted_at);
    }
}
