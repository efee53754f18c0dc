//! Notifications (issue 10 §3): people are told what concerns them, in the
//! portal and by e-mail. Pure: [`of_plan`] derives the notices a use case's
//! writes imply (a submission received, a review place given, a decision
//! made), so the server stores them in the same transaction as the change
//! itself and no use case can forget one; [`due_notices`] finds the timed
//! ones (a review due, an allocation about to end); [`render`] is the text,
//! in Korean or English, for the notifications list and for the e-mail
//! alike.
//!
//! Each notice has a key unique per recipient (`decision:42`), so the same
//! event never makes two notices, however often it is derived.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::allocation::decision::DecisionKind;
use crate::allocation::usecase::Write;
use crate::allocation::{PoolUnit, RequestState};
use crate::display::format::thousands;
use crate::i18n::Locale;

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// To the applicant: their request arrived (with its receipt number).
    SubmissionReceived,
    /// To a reviewer: a request was assigned to them.
    ReviewAssigned,
    /// To a reviewer: the review window closes soon and their review is missing.
    ReviewDue,
    /// To the applicant: the committee decided (with the award).
    DecisionMade,
    /// To the applicant: their allocation ends soon.
    AllocationExpiring,
    /// To the applicant: their allocation was flagged idle.
    AllocationIdle,
    /// To the applicant and co-investigators: an admin changed the
    /// allocation's period (ended, shortened, extended or moved it).
    AllocationChanged,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 7] = [
        NoticeKind::SubmissionReceived,
        NoticeKind::ReviewAssigned,
        NoticeKind::ReviewDue,
        NoticeKind::DecisionMade,
        NoticeKind::AllocationExpiring,
        NoticeKind::AllocationIdle,
        NoticeKind::AllocationChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::SubmissionReceived => "submission_received",
            NoticeKind::ReviewAssigned => "review_assigned",
            NoticeKind::ReviewDue => "review_due",
            NoticeKind::DecisionMade => "decision_made",
            NoticeKind::AllocationExpiring => "allocation_expiring",
            NoticeKind::AllocationIdle => "allocation_idle",
            NoticeKind::AllocationChanged => "allocation_changed",
        }
    }
}

/// The facts a notice's text needs (only those of its kind are set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NoticeFacts {
    pub request: Option<u64>,
    pub round: Option<String>,
    pub title_ko: Option<String>,
    pub title_en: Option<String>,
    /// Pool id (the text shows its name).
    pub pool: Option<String>,
    pub decision: Option<DecisionKind>,
    pub amount: Option<u64>,
    pub unit: Option<PoolUnit>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// The review window's last day, or the allocation's.
    pub due: Option<NaiveDate>,
    /// Why it changed (an allocation's new period).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One notice for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    /// Username of who is told.
    pub recipient: String,
    pub kind: NoticeKind,
    /// Unique per recipient: the same event never makes two notices.
    pub key: String,
    pub facts: NoticeFacts,
    pub at: DateTime<Utc>,
}

fn titled(r: &crate::allocation::Request) -> NoticeFacts {
    NoticeFacts {
        request: Some(r.id.0),
        round: Some(r.round.0.clone()),
        title_ko: Some(r.title_ko.clone()),
        title_en: Some(r.title_en.clone()),
        pool: Some(r.pool.clone()),
        ..NoticeFacts::default()
    }
}

/// The notices `writes` imply: a new request tells its applicant, a new
/// review place its reviewer, a decision the applicant and co-investigators
/// (with the award and the allocation's period when there is one), a
/// changed allocation period its holders (with the reason).
pub fn of_plan(writes: &[Write]) -> Vec<Notice> {
    let mut out = Vec::new();
    for w in writes {
        match w {
            Write::InsertRequest(r) => out.push(Notice {
                recipient: r.applicant.clone(),
                kind: NoticeKind::SubmissionReceived,
                key: format!("submitted:{}", r.id.0),
                facts: titled(r),
                at: r.submitted_at,
            }),
            Write::InsertAssignment(a) => out.push(Notice {
                recipient: a.reviewer.clone(),
                kind: NoticeKind::ReviewAssigned,
                key: format!("assigned:{}", a.request.0),
                facts: NoticeFacts {
                    request: Some(a.request.0),
                    round: Some(a.round.0.clone()),
                    ..NoticeFacts::default()
                },
                at: a.at,
            }),
            Write::UpdateRequest { request, expected: RequestState::UnderReview }
                if matches!(
                    request.state,
                    RequestState::Approved | RequestState::PartiallyApproved | RequestState::Rejected
                ) =>
            {
                let decision = writes.iter().find_map(|w| match w {
                    Write::InsertDecision(d) if d.request == request.id => Some(d),
                    _ => None,
                });
                let allocation = writes.iter().find_map(|w| match w {
                    Write::InsertAllocation(a) if a.request == request.id => Some(a),
                    _ => None,
                });
                let Some(decision) = decision else { continue };
                let facts = NoticeFacts {
                    decision: Some(decision.kind),
                    amount: Some(decision.amount),
                    unit: allocation.map(|a| a.unit),
                    start: allocation.map(|a| a.start),
                    end: allocation.map(|a| a.end),
                    ..titled(request)
                };
                // The applicant and every co-investigator hear of the decision.
                for recipient in std::iter::once(&request.applicant).chain(&request.co_investigators) {
                    out.push(Notice {
                        recipient: recipient.clone(),
                        kind: NoticeKind::DecisionMade,
                        key: format!("decision:{}", request.id.0),
                        facts: facts.clone(),
                        at: decision.at,
                    });
                }
            }
            Write::UpdateAllocation { allocation, previous, request, reason, at } => {
                let facts = NoticeFacts {
                    pool: Some(allocation.pool.clone()),
                    start: Some(allocation.start),
                    end: Some(allocation.end),
                    reason: Some(reason.clone()),
                    ..titled(request)
                };
                for recipient in std::iter::once(&request.applicant).chain(&request.co_investigators) {
                    out.push(Notice {
                        recipient: recipient.clone(),
                        kind: NoticeKind::AllocationChanged,
                        // One per change: the same period set twice is two changes.
                        key: format!("period:{}:{}:{}", allocation.id.0, previous.1, at.timestamp_millis()),
                        facts: facts.clone(),
                        at: *at,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// An open review place, as the timed check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPlace {
    pub reviewer: String,
    pub request: u64,
    pub round: String,
    /// The round's review window's last day.
    pub review_closes: NaiveDate,
}

/// An allocation, as the timed check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldAllocation {
    pub applicant: String,
    pub request: u64,
    pub pool: String,
    pub end: NaiveDate,
    /// Flagged idle by the committee's idle check.
    pub idle: bool,
}

/// Days before the review window closes that a missing review is recalled.
pub const REVIEW_DUE_DAYS: i64 = 3;
/// Days before an allocation ends that its holder is told.
pub const EXPIRING_DAYS: i64 = 14;

/// The timed notices on `today` (KST): reviews still missing
/// [`REVIEW_DUE_DAYS`] or fewer days before the window closes, allocations
/// ending within [`EXPIRING_DAYS`], allocations flagged idle. Their keys
/// make each one once (the idle notice once per allocation).
pub fn due_notices(
    places: &[OpenPlace],
    allocations: &[HeldAllocation],
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Vec<Notice> {
    let mut out = Vec::new();
    for p in places {
        let left = (p.review_closes - today).num_days();
        if (0..=REVIEW_DUE_DAYS).contains(&left) {
            out.push(Notice {
                recipient: p.reviewer.clone(),
                kind: NoticeKind::ReviewDue,
                key: format!("review-due:{}", p.request),
                facts: NoticeFacts {
                    request: Some(p.request),
                    round: Some(p.round.clone()),
                    due: Some(p.review_closes),
                    ..NoticeFacts::default()
                },
                at,
            });
        }
    }
    for a in allocations {
        let left = (a.end - today).num_days();
        let facts = NoticeFacts {
            request: Some(a.request),
            pool: Some(a.pool.clone()),
            due: Some(a.end),
            ..NoticeFacts::default()
        };
        if (0..=EXPIRING_DAYS).contains(&left) {
            out.push(Notice {
                recipient: a.applicant.clone(),
                kind: NoticeKind::AllocationExpiring,
                key: format!("expiring:{}", a.request),
                facts: facts.clone(),
                at,
            });
        }
        if a.idle && left >= 0 {
            out.push(Notice {
                recipient: a.applicant.clone(),
                kind: NoticeKind::AllocationIdle,
                key: format!("idle:{}", a.request),
                facts,
                at,
            });
        }
    }
    out
}

mod preferences;
mod render;
#[cfg(test)]
mod tests;

pub use preferences::*;
pub use render::*;
