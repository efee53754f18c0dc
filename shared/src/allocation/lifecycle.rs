//! A round's lifecycle: draft → open → under review → decided → published.
//! Each step is a deliberate action (an admin's, audited); the stage gates
//! what may happen to the round's requests:
//!
//! | stage        | submissions            | reviews | decisions                                  | public page |
//! |--------------|------------------------|---------|--------------------------------------------|-------------|
//! | draft        | no                     | no      | no                                         | no          |
//! | open         | within `opens..=closes` | yes     | no                                         | no          |
//! | under review | no                     | yes     | after `review_closes` (or admin override)  | no          |
//! | decided      | no                     | no      | no                                         | no          |
//! | published    | no                     | no      | no                                         | yes         |

use serde::{Deserialize, Serialize};

/// Where a round is in its lifecycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundStage {
    /// Being prepared: invisible to applicants, everything may change.
    Draft,
    /// Accepting requests within its submission window (rounds stored before
    /// stages existed were all accepting requests, hence the default).
    #[default]
    Open,
    /// Submissions closed; reviews are written; decisions once the review window closed.
    UnderReview,
    /// Every request decided; awards not yet public.
    Decided,
    /// Awards on the public page.
    Published,
}

impl RoundStage {
    /// Every stage, in lifecycle order.
    pub const ALL: [RoundStage; 5] =
        [RoundStage::Draft, RoundStage::Open, RoundStage::UnderReview, RoundStage::Decided, RoundStage::Published];

    /// Stable snake_case name (database and API).
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStage::Draft => "draft",
            RoundStage::Open => "open",
            RoundStage::UnderReview => "under_review",
            RoundStage::Decided => "decided",
            RoundStage::Published => "published",
        }
    }

    /// Parses [`RoundStage::as_str`].
    pub fn parse(s: &str) -> Option<RoundStage> {
        RoundStage::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The one stage a round may move to from this one (none after publication).
    pub fn next(self) -> Option<RoundStage> {
        match self {
            RoundStage::Draft => Some(RoundStage::Open),
            RoundStage::Open => Some(RoundStage::UnderReview),
            RoundStage::UnderReview => Some(RoundStage::Decided),
            RoundStage::Decided => Some(RoundStage::Published),
            RoundStage::Published => None,
        }
    }

    /// Whether requests may be submitted (the round's dates decide the rest).
    pub fn accepts_requests(self) -> bool {
        self == RoundStage::Open
    }

    /// Whether reviewers may score the round's requests.
    pub fn accepts_reviews(self) -> bool {
        matches!(self, RoundStage::Open | RoundStage::UnderReview)
    }

    /// Whether the committee may decide (the review window decides the rest).
    pub fn accepts_decisions(self) -> bool {
        self == RoundStage::UnderReview
    }

    /// Whether applicants and the public see the round at all.
    pub fn is_visible(self) -> bool {
        self != RoundStage::Draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_move_forward_one_step_at_a_time_and_end_at_publication() {
        let mut s = RoundStage::Draft;
        let mut seen = vec![s];
        while let Some(n) = s.next() {
            assert!(n > s);
            s = n;
            seen.push(s);
        }
        assert_eq!(seen, RoundStage::ALL);
        for st in RoundStage::ALL {
            assert_eq!(RoundStage::parse(st.as_str()), Some(st));
        }
        assert_eq!(RoundStage::parse("closed"), None);
    }

    #[test]
    fn only_one_stage_takes_requests_and_only_one_takes_decisions() {
        let takes = |f: fn(RoundStage) -> bool| RoundStage::ALL.into_iter().filter(|s| f(*s)).collect::<Vec<_>>();
        assert_eq!(takes(RoundStage::accepts_requests), [RoundStage::Open]);
        assert_eq!(takes(RoundStage::accepts_decisions), [RoundStage::UnderReview]);
        assert_eq!(takes(RoundStage::accepts_reviews), [RoundStage::Open, RoundStage::UnderReview]);
        assert!(!RoundStage::Draft.is_visible());
    }
}
