//! What a reviewer may review: the open round's requests that are open for
//! review (submitted or under review), each with the reviewer's own review if
//! they already gave one, and a conflict-of-interest warning when the
//! reviewer belongs to the applicant's organisation (the server refuses such
//! a review with 409 and records the conflict).

use serde::{Deserialize, Serialize};

use super::request::Request;
use super::review::{Review, Reviewer};
use super::round::Round;
use super::state::RequestState;

/// One request on a reviewer's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub request: Request,
    /// The reviewer's organisation is the applicant's: a review will be refused (409) and recorded.
    pub conflict: bool,
    /// The reviewer's own review, if already given.
    pub mine: Option<Review>,
}

/// `GET /api/v1/reviews/assigned`: the open round and its requests open for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewAssignments {
    /// The open round; `None` when no round is open (then `items` is empty).
    pub round: Option<Round>,
    /// Requests open for review, oldest first.
    pub items: Vec<ReviewItem>,
}

impl ReviewAssignments {
    /// The list of `reviewer` for `round` (requests and reviews of other rounds are ignored).
    pub fn build(round: Option<Round>, requests: &[Request], reviews: &[Review], reviewer: &Reviewer) -> Self {
        let Some(round) = round else { return ReviewAssignments { round: None, items: Vec::new() } };
        let open = |r: &&Request| {
            r.round == round.id && matches!(r.state, RequestState::Submitted | RequestState::UnderReview)
        };
        let mut items: Vec<ReviewItem> = requests
            .iter()
            .filter(open)
            .map(|r| ReviewItem {
                conflict: r.applicant == reviewer.username || r.org().same(reviewer.org()),
                mine: reviews.iter().find(|v| v.request == r.id && v.reviewer == reviewer.username).cloned(),
                request: r.clone(),
            })
            .collect();
        items.sort_by_key(|i| i.request.id);
        ReviewAssignments { round: Some(round), items }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::request::tests::{request, round};
    use crate::allocation::review::{Rubric, Score};

    fn reviewer(org: &str) -> Reviewer {
        Reviewer { username: "rev".into(), organisation: org.into(), organisation_id: None }
    }

    #[test]
    fn only_requests_open_for_review_are_listed_with_conflicts_and_own_reviews_marked() {
        let round = round();
        let open = request(1);
        let mut decided = request(2);
        decided.transition(RequestState::UnderReview).unwrap();
        decided.transition(RequestState::Rejected).unwrap();
        let mut reviewed = request(3);
        reviewed.transition(RequestState::UnderReview).unwrap();
        let mut elsewhere = request(4);
        elsewhere.round.0 = "other".into();
        let s = Score::new(4).unwrap();
        let mine = Review {
            request: reviewed.id,
            reviewer: "rev".into(),
            reviewer_organisation: "X".into(),
            reviewer_organisation_id: None,
            rubric: Rubric { technical_merit: s, impact: s, ecosystem: s, team_readiness: s },
            comment: "c".into(),
            at: reviewed.submitted_at,
        };
        let requests = [reviewed.clone(), decided, elsewhere, open.clone()];
        let list = ReviewAssignments::build(
            Some(round.clone()),
            &requests,
            std::slice::from_ref(&mine),
            &reviewer(&open.organisation),
        );
        let ids: Vec<u64> = list.items.iter().map(|i| i.request.id.0).collect();
        assert_eq!(ids, vec![1, 3]);
        assert!(list.items.iter().all(|i| i.conflict), "same organisation as the applicant");
        assert_eq!(list.items[1].mine.as_ref(), Some(&mine));
        assert!(list.items[0].mine.is_none());
        let other = ReviewAssignments::build(Some(round), &requests, &[], &reviewer("Elsewhere Univ"));
        assert!(other.items.iter().all(|i| !i.conflict));
        assert!(ReviewAssignments::build(None, &requests, &[], &reviewer("x")).items.is_empty());
    }
}
