//! The committee's decision on a request: approve (the amount asked),
//! approve partially (less than asked) or reject, always with a written
//! rationale. A decision moves the request out of review.

mod period;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};

use super::form::Form;
use super::ids::RequestId;
use super::request::Request;
use super::state::{RequestState, TransitionError};

pub use period::{DecisionRequest, PeriodInput};

/// What the committee decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Approve,
    ApprovePartially,
    Reject,
}

impl DecisionKind {
    /// Every kind.
    pub const ALL: &'static [DecisionKind] =
        &[DecisionKind::Approve, DecisionKind::ApprovePartially, DecisionKind::Reject];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Approve => "approve",
            DecisionKind::ApprovePartially => "approve_partially",
            DecisionKind::Reject => "reject",
        }
    }

    /// Parses [`Self::as_str`] back.
    pub fn parse(text: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.iter().copied().find(|k| k.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// The request state the decision leads to.
    pub fn state(self) -> RequestState {
        match self {
            DecisionKind::Approve => RequestState::Approved,
            DecisionKind::ApprovePartially => RequestState::PartiallyApproved,
            DecisionKind::Reject => RequestState::Rejected,
        }
    }

    /// The kind that awards `amount` of the `asked`: everything → approve, none → reject, else partial.
    pub fn for_amount(amount: u64, asked: u64) -> DecisionKind {
        match amount {
            0 => DecisionKind::Reject,
            a if a >= asked => DecisionKind::Approve,
            _ => DecisionKind::ApprovePartially,
        }
    }
}

/// The decision form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DecisionInput {
    /// A [`DecisionKind`] name.
    pub kind: String,
    /// Awarded amount in the pool's unit: the amount asked for `approve` (may be omitted),
    /// 1..amount asked for `approve_partially`, omitted or 0 for `reject`.
    pub amount: Option<u64>,
    /// Required written rationale (at most 4,000 characters).
    pub rationale: String,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub request: RequestId,
    pub kind: DecisionKind,
    /// Awarded amount in the pool's unit (0 when rejected).
    pub amount: u64,
    pub rationale: String,
    /// Username of the committee member who recorded it.
    pub decided_by: String,
    pub at: DateTime<Utc>,
}

/// Why a decision is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecisionError {
    /// Only a request under review can be decided.
    #[error(transparent)]
    NotUnderReview(#[from] TransitionError),
    #[error(transparent)]
    Invalid(#[from] FieldErrors),
}

impl DecisionInput {
    /// Parses a decision on `request` by `decided_by` at `at`.
    pub fn parse(&self, request: &Request, decided_by: &str, at: DateTime<Utc>) -> Result<Decision, DecisionError> {
        let mut f = Form::default();
        let (kind, amount, rationale) = self.read_fields(&mut f, request.amount);
        if let Some(k) = kind {
            request.state.transition(k.state())?;
        }
        let decision = (|| {
            Some(Decision {
                request: request.id,
                kind: kind?,
                amount: amount?,
                rationale: rationale?,
                decided_by: decided_by.to_string(),
                at,
            })
        })();
        Ok(f.finish(decision)?)
    }

    /// What [`DecisionInput::parse`] would refuse in the fields themselves,
    /// for a request of `asked` units: the form checks this before sending.
    pub fn field_problems(&self, asked: u64) -> FieldErrors {
        let mut f = Form::default();
        self.read_fields(&mut f, asked);
        f.errors
    }

    fn read_fields(&self, f: &mut Form, asked: u64) -> (Option<DecisionKind>, Option<u64>, Option<String>) {
        let names: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.as_str()).collect();
        let kind = f.choice("kind", &self.kind, DecisionKind::parse, &names);
        let amount = kind.and_then(|k| self.amount(f, k, asked));
        let rationale = f.text("rationale", &self.rationale, 4_000);
        (kind, amount, rationale)
    }

    fn amount(&self, f: &mut Form, kind: DecisionKind, asked: u64) -> Option<u64> {
        match kind {
            DecisionKind::Approve => match self.amount {
                None => Some(asked),
                Some(a) if a == asked => Some(a),
                Some(_) => {
                    let (ko, en) = ("전액 승인은 신청량과 같아야 합니다.", "Full approval awards the amount asked.");
                    f.fail("amount", Code::Conflict, ko, en);
                    None
                }
            },
            DecisionKind::ApprovePartially if asked < 2 => {
                let (ko, en) = ("1단위 신청은 부분 승인할 수 없습니다.", "A request for one unit cannot be cut.");
                f.fail("kind", Code::Conflict, ko, en);
                None
            }
            DecisionKind::ApprovePartially => f.whole("amount", self.amount, 1, asked - 1),
            DecisionKind::Reject if self.amount.unwrap_or(0) > 0 => {
                f.fail("amount", Code::Conflict, "미선정에는 배분량이 없습니다.", "A rejection awards nothing.");
                None
            }
            DecisionKind::Reject => Some(0),
        }
    }
}

impl Decision {
    /// The request state this decision leads to.
    pub fn state(&self) -> RequestState {
        self.kind.state()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::request::tests::request;

    fn under_review() -> Request {
        let mut r = request(3);
        r.transition(RequestState::UnderReview).unwrap();
        r
    }

    fn decide(kind: &str, amount: Option<u64>, rationale: &str) -> Result<Decision, DecisionError> {
        let input = DecisionInput { kind: kind.into(), amount, rationale: rationale.into() };
        input.parse(&under_review(), "committee1", crate::time::utc(0))
    }

    #[test]
    fn approval_awards_the_amount_asked_and_partial_approval_less() {
        assert_eq!(decide("approve", None, "우수").unwrap().amount, 4);
        let partial = decide("approve_partially", Some(2), "예산 제약").unwrap();
        assert_eq!((partial.amount, partial.state()), (2, RequestState::PartiallyApproved));
        assert_eq!(decide("reject", None, "범위 밖").unwrap().amount, 0);
    }

    #[test]
    fn a_rationale_is_required_and_amounts_must_fit_the_kind() {
        let Err(DecisionError::Invalid(e)) = decide("approve_partially", Some(4), "") else { panic!() };
        assert!(e.get("amount").is_some() && e.get("rationale").is_some());
        assert!(matches!(decide("approve", Some(3), "x"), Err(DecisionError::Invalid(_))));
        assert!(matches!(decide("reject", Some(1), "x"), Err(DecisionError::Invalid(_))));
    }

    #[test]
    fn the_forms_own_check_finds_what_parsing_refuses_in_the_fields() {
        let input = |kind: &str, amount, rationale: &str| DecisionInput {
            kind: kind.into(),
            amount,
            rationale: rationale.into(),
        };
        for bad in [
            input("approve_partially", Some(4), ""),
            input("approve_partially", None, "x"),
            input("approve", Some(3), "x"),
            input("reject", Some(1), "x"),
            input("maybe", None, "x"),
        ] {
            let Err(DecisionError::Invalid(e)) = bad.parse(&under_review(), "committee1", crate::time::utc(0)) else {
                panic!("{bad:?} parsed")
            };
            assert_eq!(bad.field_problems(4), e, "{bad:?}");
        }
        assert!(input("approve_partially", Some(3), "x").field_problems(4).is_empty());
        assert!(input("approve_partially", Some(1), "x").field_problems(1).get("kind").is_some());
    }

    #[test]
    fn a_proposed_amount_names_the_kind_of_decision() {
        assert_eq!(DecisionKind::for_amount(4, 4), DecisionKind::Approve);
        assert_eq!(DecisionKind::for_amount(3, 4), DecisionKind::ApprovePartially);
        assert_eq!(DecisionKind::for_amount(0, 4), DecisionKind::Reject);
    }

    #[test]
    fn a_request_not_under_review_cannot_be_decided() {
        let input = DecisionInput { kind: "approve".into(), amount: None, rationale: "x".into() };
        let err = input.parse(&request(3), "c", crate::time::utc(0)).unwrap_err();
        assert!(matches!(err, DecisionError::NotUnderReview(TransitionError { from: RequestState::Submitted, .. })));
    }
}
