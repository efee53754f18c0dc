//! What a reviewer may review in the round being reviewed: the requests
//! assigned to them (once the round has assignments), else every request open
//! for review (submitted or under review); each with the reviewer's own review
//! if they gave one, the request's progress ("2 of 3 reviewed"), and a
//! conflict-of-interest warning when the reviewer belongs to the applicant's
//! organisation or declared a conflict (the server refuses such a review).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::assignment::Assignment;
use super::request::Request;
use super::review::{CoiRecord, Review, Reviewer};
use super::round::Round;

/// One request on a reviewer's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub request: Request,
    /// The reviewer's organisation is the applicant's, or they declared a
    /// conflict: a review will be refused (409).
    pub conflict: bool,
    /// The reviewer declared a conflict on it.
    #[serde(default)]
    pub declared: bool,
    /// The reviewer's own review, if already given.
    pub mine: Option<Review>,
    /// When the request was assigned to the reviewer (`None` in a round without assignment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_at: Option<DateTime<Utc>>,
    /// Reviews the request has (by anyone).
    #[serde(default)]
    pub reviews: usize,
    /// Reviewers assigned to it (active places; 0 in a round without assignment).
    #[serde(default)]
    pub places: usize,
}

/// `GET /api/v1/reviews/assigned`: the round being reviewed and the reviewer's requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewAssignments {
    /// The round open or under review; `None` when there is none (then `items` is empty).
    pub round: Option<Round>,
    /// The last day reviews are taken (KST), the reviewers' due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// The round assigns reviewers: `items` are the reviewer's assignments only.
    #[serde(default)]
    pub assigned_only: bool,
    /// Oldest first.
    pub items: Vec<ReviewItem>,
}

/// A round's reviewing records, as the reviewer's list reads them.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReviewRecords<'a> {
    pub requests: &'a [Request],
    pub reviews: &'a [Review],
    pub assignments: &'a [Assignment],
    pub conflicts: &'a [CoiRecord],
}

impl ReviewAssignments {
    /// The list of `reviewer` for `round` (records of other rounds are ignored).
    pub fn build(round: Option<Round>, records: ReviewRecords<'_>, reviewer: &Reviewer) -> Self {
        let Some(round) = round else {
            return ReviewAssignments { round: None, due: None, assigned_only: false, items: Vec::new() };
        };
        let in_round = |r: &Request| r.round == round.id;
        let active = |a: &&Assignment| a.active() && records.requests.iter().any(|r| r.id == a.request && in_round(r));
        let assigned_only = records.assignments.iter().any(|a| active(&a));
        let place = |r: &Request| {
            records.assignments.iter().find(|a| a.request == r.id && a.reviewer == reviewer.username && a.active())
        };
        // A place the reviewer declined stays on their list, marked declared.
        let had_place =
            |r: &Request| records.assignments.iter().any(|a| a.request == r.id && a.reviewer == reviewer.username);
        let open = |r: &Request| r.state.is_open();
        let mut items: Vec<ReviewItem> = records
            .requests
            .iter()
            .filter(|r| in_round(r) && if assigned_only { had_place(r) } else { open(r) })
            .map(|r| {
                let declared = records
                    .conflicts
                    .iter()
                    .any(|c| c.request == r.id && c.reviewer == reviewer.username && c.declared.is_some());
                ReviewItem {
                    conflict: declared || r.applicant == reviewer.username || r.org().same(reviewer.org()),
                    declared,
                    mine: records
                        .reviews
                        .iter()
                        .find(|v| v.request == r.id && v.reviewer == reviewer.username)
                        .cloned(),
                    assigned_at: place(r).map(|a| a.at),
                    reviews: records.reviews.iter().filter(|v| v.request == r.id).count(),
                    places: records.assignments.iter().filter(|a| a.request == r.id && a.active()).count(),
                    request: r.clone(),
                }
            })
            .collect();
        items.sort_by_key(|i| i.request.id);
        let due = Some(round.review_closes());
        ReviewAssignments { round: Some(round), due, assigned_only, items }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::request::tests::{request, round};
    use crate::allocation::review::{Rubric, Score};
    use crate::allocation::RequestState;

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
        let records = ReviewRecords { requests: &requests, reviews: std::slice::from_ref(&mine), ..Default::default() };
        let list = ReviewAssignments::build(Some(round.clone()), records, &reviewer(&open.organisation));
        assert!(!list.assigned_only);
        let ids: Vec<u64> = list.items.iter().map(|i| i.request.id.0).collect();
        assert_eq!(ids, vec![1, 3]);
        assert!(list.items.iter().all(|i| i.conflict), "same organisation as the applicant");
        assert_eq!(list.items[1].mine.as_ref(), Some(&mine));
        assert!(list.items[0].mine.is_none());
        let bare = ReviewRecords { requests: &requests, ..Default::default() };
        let other = ReviewAssignments::build(Some(round.clone()), bare, &reviewer("Elsewhere Univ"));
        assert!(other.items.iter().all(|i| !i.conflict));
        assert!(ReviewAssignments::build(None, bare, &reviewer("x")).items.is_empty());
        // Once the round assigns reviewers, the list is the reviewer's places, with progress.
        let place = |id: u64, who: &str| Assignment {
            request: crate::allocation::RequestId(id),
            round: round.id.clone(),
            reviewer: who.into(),
            assigned_by: "chair".into(),
            at: open.submitted_at,
            declined: None,
        };
        let places = [place(3, "rev"), place(3, "other"), place(1, "other")];
        let records = ReviewRecords { assignments: &places, ..records };
        let mine = ReviewAssignments::build(Some(round.clone()), records, &reviewer("Elsewhere Univ"));
        assert!(mine.assigned_only);
        assert_eq!(mine.due, Some(round.review_closes()));
        let got: Vec<(u64, usize, usize)> = mine.items.iter().map(|i| (i.request.id.0, i.reviews, i.places)).collect();
        assert_eq!(got, vec![(3, 1, 2)], "only request 3 is the reviewer's: 1 of 2 reviewed");
    }
}
