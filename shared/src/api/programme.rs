//! Wire types of the allocation programme's endpoints that are not domain
//! records themselves: one definition for the server and the app.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::allocation::usecase::RoundFacts;
use crate::allocation::{Adjustment, Allocation, Decision, FairnessChange, Proposal, Request, Round};
use crate::api::DataSource;

/// `GET /api/v1/requests/mine`: one of the signed-in researcher's requests, with what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRequest {
    pub request: Request,
    pub decision: Option<Decision>,
    pub allocation: Option<Allocation>,
    /// GPU-hours used so far by the allocation.
    #[serde(default)]
    pub used_gpu_hours: f64,
    /// GPU-hours the allocation entitles its holder to over its whole period (0 without one).
    #[serde(default)]
    pub awarded_gpu_hours: f64,
    /// The unit of the request's pool in its round (the amount asked is in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<crate::allocation::PoolUnit>,
}

/// `GET /api/v1/requests/{id}`: one request as its applicant or a
/// co-investigator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRequestDetail {
    pub mine: MyRequest,
    /// The request's round (its pools, windows and policy).
    pub round: Round,
    /// What happened to it, oldest first.
    pub history: Vec<crate::allocation::HistoryEvent>,
    /// Whether the signed-in user applied (co-investigators follow it only).
    pub applicant: bool,
    /// Whether the signed-in user may still change or withdraw it (until the submission deadline).
    pub editable: bool,
}

/// `POST /api/v1/committee/proposal/adjust` body: the committee's changes, applied in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustBody {
    pub round: Option<String>,
    pub adjustments: Vec<Adjustment>,
}

/// The adjusted proposal and how each change moved the fairness figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjusted {
    pub proposal: Proposal,
    pub changes: Vec<FairnessChange>,
}

/// What changed in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeChange {
    /// A request was submitted.
    Request,
    /// A review (or a refused, conflicted one) was recorded.
    Review,
    /// The committee decided a request (an award also creates an allocation).
    Decision,
    /// An admin created a round, changed it or moved it to its next stage.
    Round,
    /// Reviewers were assigned or unassigned, or one declared a conflict.
    Assignment,
    /// An admin changed an allocation's period.
    Allocation,
}

/// The data of an SSE `programme` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeEvent {
    /// Round id, e.g. `2026-1`.
    pub round: String,
    pub change: ProgrammeChange,
    /// When it was stored (UTC).
    pub at: chrono::DateTime<chrono::Utc>,
}

/// `GET /api/v1/admin/rounds`: one round as its administrators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminRound {
    pub round: Round,
    /// `demo` for the seeded demo rounds; absent for real rounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DataSource>,
    /// Requests submitted to it.
    pub requests: usize,
    /// Requests submitted or under review (a round is decided when none is).
    pub undecided: usize,
    /// Awarded so far per pool, in each pool's unit (capacity cannot drop below it).
    pub awarded: BTreeMap<String, u64>,
}

impl AdminRound {
    /// The summary of `round` from its requests and allocations.
    pub fn new(round: Round, demo: bool, requests: &[Request], allocations: &[Allocation]) -> AdminRound {
        let facts = RoundFacts { round: &round, requests, allocations };
        let awarded = facts.awarded().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let undecided = facts.undecided();
        AdminRound { source: demo.then_some(DataSource::Demo), requests: requests.len(), undecided, awarded, round }
    }
}

/// `GET /api/v1/rounds`: a round as anyone may list it (drafts are not listed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundListing {
    pub id: String,
    pub title_ko: String,
    pub title_en: String,
    pub stage: crate::allocation::RoundStage,
    pub opens: chrono::NaiveDate,
    pub closes: chrono::NaiveDate,
    pub review_closes: chrono::NaiveDate,
    /// `demo` for the seeded demo rounds; absent for real rounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DataSource>,
}

impl RoundListing {
    /// The listing of `round`.
    pub fn new(round: &Round, demo: bool) -> RoundListing {
        RoundListing {
            id: round.id.0.clone(),
            title_ko: round.title_ko.clone(),
            title_en: round.title_en.clone(),
            stage: round.stage,
            opens: round.opens,
            closes: round.closes,
            review_closes: round.review_closes(),
            source: demo.then_some(DataSource::Demo),
        }
    }
}
