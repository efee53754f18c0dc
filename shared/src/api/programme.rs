//! Wire types of the allocation programme's endpoints that are not domain
//! records themselves: one definition for the server and the app.

use serde::{Deserialize, Serialize};

use crate::allocation::{Adjustment, Allocation, Decision, FairnessChange, Proposal, Request};

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
