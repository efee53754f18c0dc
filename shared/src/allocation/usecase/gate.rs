//! The lifecycle's gate on a decision: what the round's stage, its review
//! minimum and its review window allow, and an admin's audited override.

use chrono::{DateTime, Utc};

use crate::allocation::decision::DecisionRequest;
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
    if !round.stage.accepts_decisions() {
        return Err(Refusal::conflict(
            "round_not_in_review",
            None,
            format!("round {} is {}: decisions are made while it is under review", round.id.0, round.stage.as_str()),
        ));
    }
    let needed = usize::try_from(round.policy.min_reviews).unwrap_or(usize::MAX);
    if reviews < needed {
        return Err(Refusal::conflict(
            "too_few_reviews",
            None,
            format!("the request has {reviews} of the {needed} reviews the round requires"),
        ));
    }
    if !round.review_window_open(now) {
        return Ok(None);
    }
    if decider.role != crate::auth::Role::Admin {
        return Err(Refusal::conflict(
            "review_window_open",
            None,
            format!("the review window is open until {}; an administrator may override it", round.review_closes()),
        ));
    }
    DecisionRequest::check_override_reason(reason, round.review_closes()).map(Some).map_err(Refusal::Invalid)
}
