//! The lifecycle's gate on a decision: what the round's stage, its review
//! minimum and its review window allow, and an admin's audited override.

use chrono::{DateTime, Utc};

use crate::allocation::decision::DecisionRequest;
use crate::allocation::detail::{decision_access, DecisionAccess};
use crate::allocation::round::Round;
use crate::auth::UserInfo;

use super::Refusal;

/// What the round's lifecycle allows a decision: the round under review, the
/// request reviewed enough, and the review window closed, unless an admin
/// overrides it with a reason (returned, to be audited).
pub(super) fn decision_gate(
    round: &Round,
    reviews: usize,
    decider: &UserInfo,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, Refusal> {
    let needed = usize::try_from(round.policy.min_reviews).unwrap_or(usize::MAX);
    let admin = decider.role == crate::auth::Role::Admin;
    let closes = round.review_closes();
    match decision_access(round.stage.accepts_decisions(), reviews, needed, closes, admin, now) {
        DecisionAccess::RoundNotInReview => Err(Refusal::conflict(
            "round_not_in_review",
            None,
            format!("round {} is {}: decisions are made while it is under review", round.id.0, round.stage.as_str()),
        )),
        DecisionAccess::TooFewReviews { have, need } => Err(Refusal::conflict(
            "too_few_reviews",
            None,
            format!("the request has {have} of the {need} reviews the round requires"),
        )),
        DecisionAccess::AfterReviewWindow { closes } => Err(Refusal::conflict(
            "review_window_open",
            None,
            format!("the review window is open until {closes}; an administrator may override it"),
        )),
        DecisionAccess::Open { reason_until: None } => Ok(None),
        DecisionAccess::Open { reason_until: Some(closes) } => {
            DecisionRequest::check_override_reason(reason, closes).map(Some).map_err(Refusal::Invalid)
        }
    }
}
