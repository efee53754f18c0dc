//! The life of a request (ColdFront's request → approve → active → expire):
//! submitted → under review → approved / partially approved / rejected;
//! an awarded request becomes active when its allocation starts and expired
//! when it ends. [`RequestState::transition`] is the only way to move.

use serde::{Deserialize, Serialize};

/// Where a request is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Submitted,
    UnderReview,
    Approved,
    PartiallyApproved,
    Rejected,
    /// The allocation is running.
    Active,
    /// The allocation's period is over.
    Expired,
    /// The applicant took it back before the submission deadline; it is no
    /// longer part of the round (kept, with its history, for the record).
    Withdrawn,
}

/// A move the state machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("a request cannot go from {} to {}", .from.as_str(), .to.as_str())]
pub struct TransitionError {
    pub from: RequestState,
    pub to: RequestState,
}

impl RequestState {
    /// Every state, in life order.
    pub const ALL: &'static [RequestState] = &[
        RequestState::Submitted,
        RequestState::UnderReview,
        RequestState::Approved,
        RequestState::PartiallyApproved,
        RequestState::Rejected,
        RequestState::Active,
        RequestState::Expired,
        RequestState::Withdrawn,
    ];

    /// The states this one may move to.
    pub fn next_states(self) -> &'static [RequestState] {
        use RequestState::*;
        match self {
            Submitted => &[UnderReview, Withdrawn],
            UnderReview => &[Approved, PartiallyApproved, Rejected],
            Approved | PartiallyApproved => &[Active],
            Active => &[Expired],
            Rejected | Expired | Withdrawn => &[],
        }
    }

    /// `to` if the move is allowed, else a [`TransitionError`].
    pub fn transition(self, to: RequestState) -> Result<RequestState, TransitionError> {
        if self.next_states().contains(&to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    /// Whether the request was awarded resources (approved, fully or partly, and after).
    pub fn is_awarded(self) -> bool {
        matches!(
            self,
            RequestState::Approved | RequestState::PartiallyApproved | RequestState::Active | RequestState::Expired
        )
    }

    /// Whether the committee has decided it.
    pub fn is_decided(self) -> bool {
        self.is_awarded() || self == RequestState::Rejected
    }

    /// Whether the request still awaits its decision (submitted or under review).
    pub fn is_open(self) -> bool {
        matches!(self, RequestState::Submitted | RequestState::UnderReview)
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Submitted => "submitted",
            RequestState::UnderReview => "under_review",
            RequestState::Approved => "approved",
            RequestState::PartiallyApproved => "partially_approved",
            RequestState::Rejected => "rejected",
            RequestState::Active => "active",
            RequestState::Expired => "expired",
            RequestState::Withdrawn => "withdrawn",
        }
    }

    /// Korean label.
    pub fn label_ko(self) -> &'static str {
        match self {
            RequestState::Submitted => "접수",
            RequestState::UnderReview => "심사 중",
            RequestState::Approved => "승인",
            RequestState::PartiallyApproved => "부분 승인",
            RequestState::Rejected => "미선정",
            RequestState::Active => "사용 중",
            RequestState::Expired => "종료",
            RequestState::Withdrawn => "철회",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            RequestState::Submitted => "submitted",
            RequestState::UnderReview => "under review",
            RequestState::Approved => "approved",
            RequestState::PartiallyApproved => "partially approved",
            RequestState::Rejected => "rejected",
            RequestState::Active => "active",
            RequestState::Expired => "expired",
            RequestState::Withdrawn => "withdrawn",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RequestState::*;
    use super::*;

    #[test]
    fn the_happy_path_is_allowed_step_by_step() {
        let path = [Submitted, UnderReview, PartiallyApproved, Active, Expired];
        for w in path.windows(2) {
            assert_eq!(w[0].transition(w[1]), Ok(w[1]));
        }
    }

    #[test]
    fn skipping_review_or_reviving_a_rejection_is_refused() {
        for (from, to) in [(Submitted, Approved), (Rejected, Active), (Expired, Active), (Active, Approved)] {
            assert_eq!(from.transition(to), Err(TransitionError { from, to }));
        }
    }

    #[test]
    fn only_a_request_not_yet_reviewed_may_be_withdrawn() {
        assert_eq!(Submitted.transition(Withdrawn), Ok(Withdrawn));
        for from in [UnderReview, Approved, Rejected, Active, Expired, Withdrawn] {
            assert_eq!(from.transition(Withdrawn), Err(TransitionError { from, to: Withdrawn }));
        }
        assert!(!Withdrawn.is_open() && !Withdrawn.is_decided() && !Withdrawn.is_awarded());
        assert!(Submitted.is_open() && UnderReview.is_open() && !Approved.is_open());
    }

    #[test]
    fn every_allowed_move_goes_forward() {
        for s in RequestState::ALL {
            for n in s.next_states() {
                assert!(n > s, "{s:?} → {n:?}");
            }
        }
    }
}
