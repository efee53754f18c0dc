//! One request as the committee sees it on its page: the request with the
//! placement advisor's result attached, its reviews and their mean score,
//! conflicts of interest (admins only), the decision and allocation if any,
//! the allocation's use so far, and what the pool still has in the round.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::FieldErrors;

use super::decision::{Decision, DecisionRequest};
use super::grant::Allocation;
use super::queue::capacity_left;
use super::request::Request;
use super::review::{mean_score, CoiRecord, Review};
use super::round::Round;
use super::state::RequestState;
use super::unit::PoolCapacity;
use super::usage::DailyUsage;

/// `GET /api/v1/committee/requests/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDetail {
    /// The request; `advisor_draft` is the wizard's export (`AllocationDraft`) when one was attached.
    pub request: Request,
    /// The round's offer in the request's pool (unit and capacity); `None` if the round does not offer it.
    pub pool: Option<PoolCapacity>,
    /// The round's allocation period (first and last day, inclusive).
    pub round_period_start: chrono::NaiveDate,
    pub round_period_end: chrono::NaiveDate,
    /// The last day of the round's review window (KST): until it has passed,
    /// only an admin decides, with a reason.
    pub review_closes: chrono::NaiveDate,
    /// Every review of the request, oldest first.
    pub reviews: Vec<Review>,
    /// Mean rubric score over the reviews, 1..=5.
    pub mean_score: Option<f64>,
    /// Refused reviews (conflict of interest); present for admins only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<CoiRecord>>,
    pub decision: Option<Decision>,
    pub allocation: Option<Allocation>,
    /// GPU-hours the allocation used so far.
    pub used_gpu_hours: f64,
    /// What the pool has left in the round, in the pool's unit (capacity − awarded).
    pub capacity_left: u64,
    /// Whether a decision may be recorded now (the request is under review).
    pub decidable: bool,
    /// Whether the round is at the stage where decisions are made (under review).
    #[serde(default)]
    pub round_accepts_decisions: bool,
    /// Reviews the round asks of each request before it is decided.
    #[serde(default)]
    pub min_reviews: u32,
    /// Whether the asker may change the allocation's period (an admin, a
    /// real allocation: demo allocations are the demo loader's).
    #[serde(default)]
    pub period_changeable: bool,
    /// The display names of the accounts the page names (reviewers, the
    /// decider, conflicts), by account name; an account not in it (removed
    /// since) is shown by its account name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub names: std::collections::BTreeMap<String, String>,
}

/// The records [`RequestDetail::build`] reads (a round's records and the request's conflicts).
#[derive(Debug, Clone, Copy)]
pub struct DetailInput<'a> {
    pub round: &'a Round,
    pub reviews: &'a [Review],
    pub decisions: &'a [Decision],
    pub allocations: &'a [Allocation],
    pub usage: &'a [DailyUsage],
    /// `None` hides conflicts (callers who are not admins).
    pub conflicts: Option<&'a [CoiRecord]>,
}

impl RequestDetail {
    /// The page of `request` from its round's records (records of other requests are ignored).
    pub fn build(request: Request, input: &DetailInput<'_>) -> RequestDetail {
        let id = request.id;
        let mut reviews: Vec<Review> = input.reviews.iter().filter(|r| r.request == id).cloned().collect();
        reviews.sort_by_key(|r| r.at);
        let allocation = input.allocations.iter().find(|a| a.request == id).cloned();
        let used_gpu_hours = allocation
            .as_ref()
            .map_or(0.0, |a| input.usage.iter().filter(|u| u.allocation == a.id).map(|u| u.gpu_hours).sum());
        RequestDetail {
            pool: input.round.pool(&request.pool).cloned(),
            round_period_start: input.round.period_start,
            round_period_end: input.round.period_end,
            review_closes: input.round.review_closes(),
            mean_score: mean_score(id, &reviews),
            conflicts: input.conflicts.map(|c| c.iter().filter(|c| c.request == id).cloned().collect()),
            decision: input.decisions.iter().find(|d| d.request == id).cloned(),
            allocation,
            used_gpu_hours,
            capacity_left: capacity_left(input.round, input.allocations, &request.pool),
            decidable: request.state == RequestState::UnderReview,
            round_accepts_decisions: input.round.stage.accepts_decisions(),
            min_reviews: input.round.policy.min_reviews,
            period_changeable: false,
            names: std::collections::BTreeMap::new(),
            reviews,
            request,
        }
    }
}

impl RequestDetail {
    /// Every account the page names: reviewers, the decider and refused reviewers.
    pub fn named_accounts(&self) -> std::collections::BTreeSet<&str> {
        let reviewers = self.reviews.iter().map(|r| r.reviewer.as_str());
        let decider = self.decision.iter().map(|d| d.decided_by.as_str());
        let refused = self.conflicts.iter().flatten().map(|c| c.reviewer.as_str());
        reviewers.chain(decider).chain(refused).collect()
    }

    /// How the page names `account`: its display name, else the account name.
    pub fn name_of<'a>(&'a self, account: &'a str) -> &'a str {
        self.names.get(account).map_or(account, String::as_str)
    }
}

/// What the round's lifecycle lets a decider do with a request under review
/// now: the one rule the server's gate enforces and the committee's page
/// follows (it offers the form only when the gate would let it through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionAccess {
    /// The round is not under review (still receiving, or past decisions).
    RoundNotInReview,
    /// The request has `have` of the `need` reviews the round asks.
    TooFewReviews { have: usize, need: usize },
    /// The review window is open until `closes` (KST, inclusive): only an admin decides before.
    AfterReviewWindow { closes: NaiveDate },
    /// A decision may be recorded; `reason_until` is the window's last day when
    /// an admin decides inside it (the override then needs a reason).
    Open { reason_until: Option<NaiveDate> },
}

/// The lifecycle's rule: the round under review, `reviews` of the `needed`
/// reviews in, and the review window (last day `closes`) past at `now`,
/// unless the decider is an `admin`, who may override it with a reason.
pub fn decision_access(
    round_accepts: bool,
    reviews: usize,
    needed: usize,
    closes: NaiveDate,
    admin: bool,
    now: DateTime<Utc>,
) -> DecisionAccess {
    if !round_accepts {
        DecisionAccess::RoundNotInReview
    } else if reviews < needed {
        DecisionAccess::TooFewReviews { have: reviews, need: needed }
    } else if !super::round::review_window_open(closes, now) {
        DecisionAccess::Open { reason_until: None }
    } else if admin {
        DecisionAccess::Open { reason_until: Some(closes) }
    } else {
        DecisionAccess::AfterReviewWindow { closes }
    }
}

impl RequestDetail {
    /// What [`decision_access`] allows on this request for an `admin` (or a
    /// committee member) at `now`; `None` when it is not under review at all.
    pub fn decision_access(&self, admin: bool, now: DateTime<Utc>) -> Option<DecisionAccess> {
        let needed = usize::try_from(self.min_reviews).unwrap_or(usize::MAX);
        self.decidable.then(|| {
            decision_access(self.round_accepts_decisions, self.reviews.len(), needed, self.review_closes, admin, now)
        })
    }

    /// What the decision form can tell is wrong before sending `body`, as
    /// the server would: the fields of the decision and its period, and the
    /// override reason when an `admin` decides at `now` within the review window.
    pub fn decision_problems(&self, body: &DecisionRequest, admin: bool, now: DateTime<Utc>) -> FieldErrors {
        body.field_problems(
            self.request.amount,
            (self.request.period_start, self.request.period_end),
            (self.round_period_start, self.round_period_end),
            match self.decision_access(admin, now) {
                Some(DecisionAccess::Open { reason_until }) => reason_until,
                _ => None,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::demo::{demo_data, FIRST_CALL_2026};
    use crate::catalogue::Catalogue;

    /// The demo round's records, conflicts hidden.
    fn records(d: &crate::allocation::demo::DemoData) -> DetailInput<'_> {
        DetailInput {
            round: &d.round,
            reviews: &d.reviews,
            decisions: &d.decisions,
            allocations: &d.allocations,
            usage: &d.usage,
            conflicts: None,
        }
    }

    #[test]
    fn the_page_gathers_only_the_requests_own_records_and_hides_conflicts_unless_asked() {
        let cat = Catalogue::embedded().unwrap();
        let mut d = demo_data(&FIRST_CALL_2026, 7, "2026-11-21".parse().unwrap(), &cat).unwrap();
        let config = crate::sim::SimConfig { warm_up_seconds: 86_400, ..crate::sim::SimConfig::default() };
        d.simulate_usage(&cat, config, 3);
        // An allocation whose users ran jobs, so the used figure is a real sum.
        let a =
            d.allocations.iter().find(|a| d.usage.iter().any(|u| u.allocation == a.id && u.gpu_hours > 0.0)).unwrap();
        let request = d.requests.iter().find(|r| r.id == a.request).unwrap().clone();
        let input = records(&d);
        let page = RequestDetail::build(request.clone(), &input);
        assert!(!page.reviews.is_empty() && page.reviews.iter().all(|r| r.request == request.id));
        assert_eq!(page.mean_score, mean_score(request.id, &d.reviews));
        assert_eq!(page.allocation.as_ref().map(|x| x.id), Some(a.id));
        assert_eq!(page.decision.as_ref().map(|x| x.request), Some(request.id));
        let used: f64 = d.usage.iter().filter(|u| u.allocation == a.id).map(|u| u.gpu_hours).sum();
        assert!(used > 0.0 && (page.used_gpu_hours - used).abs() < 1e-9);
        assert_eq!(page.capacity_left, capacity_left(&d.round, &d.allocations, &request.pool));
        assert!(page.conflicts.is_none() && !page.decidable);
        assert_eq!(page.pool.as_ref().map(|p| p.pool.as_str()), Some(request.pool.as_str()));
        let coi = CoiRecord {
            request: request.id,
            reviewer: "r".into(),
            organisation: "o".into(),
            declared: None,
            at: request.submitted_at,
        };
        let other = CoiRecord { request: crate::allocation::RequestId(u64::MAX), ..coi.clone() };
        let all = [coi.clone(), other];
        let admin = RequestDetail::build(request, &DetailInput { conflicts: Some(&all), ..input });
        assert_eq!(admin.conflicts, Some(vec![coi]));
    }

    #[test]
    fn the_decision_forms_own_check_asks_an_admin_for_a_reason_only_within_the_review_window() {
        use crate::allocation::decision::{DecisionInput, PeriodInput};
        let cat = Catalogue::embedded().unwrap();
        let d = demo_data(&FIRST_CALL_2026, 7, "2026-11-21".parse().unwrap(), &cat).unwrap();
        let request = d.requests[0].clone();
        let input = records(&d);
        let mut page = RequestDetail::build(request.clone(), &input);
        assert_eq!(page.review_closes, d.round.review_closes());
        // The form is there: the request and its round under review, reviewed enough.
        (page.decidable, page.round_accepts_decisions, page.min_reviews) = (true, true, 0);
        let body = |rationale: &str, end: &str| DecisionRequest {
            decision: DecisionInput { kind: "approve".into(), amount: None, rationale: rationale.into() },
            period: PeriodInput { period_start: String::new(), period_end: end.into() },
            override_reason: String::new(),
        };
        // The last day of the window, late in the evening in Korea, and the day after.
        let within = crate::time::utc(crate::time::kst_midnight(page.review_closes) + 23 * 3600);
        let after = within + chrono::Duration::hours(2);
        let fields = |e: FieldErrors| e.0.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(page.decision_problems(&body("ok", ""), true, within)), ["override_reason"]);
        assert!(page.decision_problems(&body("ok", ""), true, after).is_empty());
        assert!(page.decision_problems(&body("ok", ""), false, within).is_empty());
        let late = (page.round_period_end + chrono::Duration::days(1)).to_string();
        assert_eq!(fields(page.decision_problems(&body("", &late), false, after)), ["rationale", "period_end"]);
        let mut with_reason = body("ok", "");
        with_reason.override_reason = "재난 대응".into();
        assert!(page.decision_problems(&with_reason, true, within).is_empty());
    }

    #[test]
    fn a_decision_waits_for_the_review_stage_the_reviews_and_for_a_committee_member_the_window() {
        let closes: NaiveDate = "2027-01-20".parse().unwrap();
        let within = crate::time::utc(crate::time::kst_midnight(closes) + 23 * 3600);
        let after = within + chrono::Duration::hours(2);
        let access = |accepts, reviews, admin, now| decision_access(accepts, reviews, 2, closes, admin, now);
        assert_eq!(access(false, 5, true, after), DecisionAccess::RoundNotInReview);
        assert_eq!(access(true, 1, true, after), DecisionAccess::TooFewReviews { have: 1, need: 2 });
        assert_eq!(access(true, 2, false, within), DecisionAccess::AfterReviewWindow { closes });
        assert_eq!(access(true, 2, true, within), DecisionAccess::Open { reason_until: Some(closes) });
        assert_eq!(access(true, 2, false, after), DecisionAccess::Open { reason_until: None });
        assert_eq!(access(true, 3, true, after), DecisionAccess::Open { reason_until: None });

        // The page reads it from its own records; nothing when not under review.
        let cat = Catalogue::embedded().unwrap();
        let d = demo_data(&FIRST_CALL_2026, 7, "2026-11-21".parse().unwrap(), &cat).unwrap();
        let mut page = RequestDetail::build(d.requests[0].clone(), &records(&d));
        page.decidable = false;
        assert_eq!(page.decision_access(true, after), None);
        (page.decidable, page.round_accepts_decisions, page.review_closes) = (true, true, closes);
        page.min_reviews = u32::try_from(page.reviews.len()).unwrap() + 1;
        let have = page.reviews.len();
        assert_eq!(page.decision_access(true, after), Some(DecisionAccess::TooFewReviews { have, need: have + 1 }));
        page.min_reviews -= 1;
        assert_eq!(page.decision_access(false, within), Some(DecisionAccess::AfterReviewWindow { closes }));
    }
}
