//! The lifecycle's gate on a decision: what the round's stage, its review
//! minimum and its review window allow, and an admin's audited override.

use chrono::{DateTime, Utc};

use crate::advisor::field_error::{FieldErrorCode, FieldErrors};
use crate::allocation::round::Round;
use crate::auth::UserInfo;

use super::Refusal;

/// Longest override reason accepted.
const MAX_REASON_CHARS: usize = 1_000;

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
    let reason = reason.trim();
    if crate::time::kst_day(now.timestamp()) > round.review_closes() {
        return Ok(None);
    }
    if decider.role != crate::auth::Role::Admin {
        return Err(Refusal::conflict(
            "review_window_open",
            None,
            format!("the review window is open until {}; an administrator may override it", round.review_closes()),
        ));
    }
    if reason.is_empty()
        || reason.chars().count() > MAX_REASON_CHARS
        || reason.chars().any(crate::allocation::form::forbidden_char)
    {
        let mut f = FieldErrors::default();
        f.push(
            "override_reason",
            FieldErrorCode::Required,
            format!("심사 기간({}까지) 중 결정하려면 사유를 {MAX_REASON_CHARS}자 이내로 적으세요.", round.review_closes()),
            format!(
                "Deciding before the review window closes ({}) needs a reason of at most {MAX_REASON_CHARS} characters.",
                round.review_closes()
            ),
        );
        return Err(Refusal::Invalid(f));
    }
    Ok(Some(reason.to_owned()))
}
