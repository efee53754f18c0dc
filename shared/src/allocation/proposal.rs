//! The proposed allocation of a round, computed on demand: weighted max-min /
//! DRF progressive filling ([`progressive_fill`](super::fill::progressive_fill))
//! under each pool's capacity, whole servers for server pools, requests below
//! the minimum score (or unreviewed) excluded, organisation caps as limits.
//!
//! Weights: mean review score (1–5) × (1 + the round's non-capital
//! preference, for applicants outside the capital region) × a sector factor.
//! **Sector targets** are met by correcting the sector factors: after a fill,
//! each sector with a target whose awarded share of GPU-hours is below
//! (above) it has its factor multiplied by √(target ÷ share), bounded by
//! [`ProposalConfig::max_target_boost`], and the fill is run again, for
//! [`ProposalConfig::target_passes`] corrections. Targets steer, they do not
//! bind: a sector that asked for less than its target keeps what it asked.
//!
//! The committee then changes single amounts with
//! [`Proposal::apply_adjustment`], which checks the same limits and updates
//! the fairness figures from running sums, without filling again.

mod adjust;
mod build;
mod moves;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::advisor::{Region, Sector};

use super::fairness::{FairnessFigures, Tally};
use super::grant::Allocation;
use super::ids::{RequestId, RoundId};
use super::request::Request;
use super::review::{mean_score, Review};
use super::round::Round;
use super::unit::PoolUnit;

pub use adjust::{Adjustment, AdjustmentError, FairnessChange};
pub use moves::{Direction, FigureMove, MovedFigure};

/// A request as the proposal sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub request: RequestId,
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    pub sector: Sector,
    pub region: Region,
    pub pool: String,
    /// Amount asked, in the pool's unit.
    pub requested: u64,
    /// Days of the requested period (for GPU-hour conversions).
    pub days: u32,
    /// Mean review score 1..=5; `None` when not reviewed yet.
    pub score: Option<f64>,
    /// Decided: the amount awarded (0 when rejected), which the proposal keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<u64>,
}

impl Candidate {
    /// The applicant's organisation, to group by for the cap.
    pub fn org(&self) -> crate::organisations::OrgRef<'_> {
        crate::organisations::OrgRef::new(self.organisation_id.as_deref(), &self.organisation)
    }

    /// The candidate of `request` with mean review score `score`.
    pub fn new(request: &Request, score: Option<f64>) -> Candidate {
        Candidate {
            request: request.id,
            organisation: request.organisation.clone(),
            organisation_id: request.organisation_id.clone(),
            sector: request.sector,
            region: request.region,
            pool: request.pool.clone(),
            requested: request.amount,
            days: request.days(),
            score,
            fixed: None,
        }
    }

    /// Candidates of every request, scored from `reviews` (any order; O(requests + reviews));
    /// a decided request is fixed at what `allocations` award it (0 when rejected).
    pub fn all(requests: &[Request], reviews: &[Review], allocations: &[Allocation]) -> Vec<Candidate> {
        let mut by_request: HashMap<RequestId, Vec<&Review>> = HashMap::new();
        for r in reviews {
            by_request.entry(r.request).or_default().push(r);
        }
        let mut awarded: HashMap<RequestId, u64> = HashMap::new();
        for a in allocations {
            *awarded.entry(a.request).or_default() += a.amount;
        }
        let score = |id: RequestId| by_request.get(&id).and_then(|rs| mean_score(id, rs.iter().copied()));
        requests
            .iter()
            .map(|r| {
                let decided = !r.state.is_open();
                Candidate {
                    fixed: decided.then(|| awarded.get(&r.id).copied().unwrap_or(0)),
                    ..Candidate::new(r, score(r.id))
                }
            })
            .collect()
    }
}

/// Tuning of the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalConfig {
    /// Pools counted in hours are filled in steps of capacity ÷ this (at least one unit).
    pub hour_steps: u32,
    /// Sector-factor corrections towards the targets (0 = ignore targets).
    pub target_passes: u32,
    /// Bound on a sector factor: within [1 ÷ this, this].
    pub max_target_boost: f64,
}

impl Default for ProposalConfig {
    fn default() -> ProposalConfig {
        ProposalConfig { hour_steps: 4_096, target_passes: 3, max_target_boost: 2.0 }
    }
}

/// Why a request gets nothing in the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    NotReviewed,
    BelowMinimumScore,
    /// The round does not offer the pool.
    UnknownPool,
}

impl ProposalLine {
    /// The applicant's organisation, to group by for the cap and fairness.
    pub fn org(&self) -> crate::organisations::OrgRef<'_> {
        crate::organisations::OrgRef::new(self.organisation_id.as_deref(), &self.organisation)
    }
}

/// One request's line in the proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalLine {
    pub request: RequestId,
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    pub sector: Sector,
    pub region: Region,
    pub pool: String,
    pub score: Option<f64>,
    /// Filling weight (0 when excluded).
    pub weight: f64,
    /// Amount asked, in the pool's unit.
    pub requested: u64,
    /// Amount proposed, in the pool's unit (whole servers for server pools).
    pub proposed: u64,
    /// GPU-hours of one unit over the request's period.
    pub gpu_hours_per_unit: f64,
    pub excluded: Option<Exclusion>,
    /// Decided already: `proposed` is what was awarded (0 when rejected); not adjustable.
    #[serde(default)]
    pub decided: bool,
}

/// One pool's totals in the proposal, in its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolTotals {
    pub pool: String,
    pub unit: PoolUnit,
    pub capacity: u64,
    pub requested: u64,
    pub proposed: u64,
}

/// A proposed allocation of a round. Equality ignores the running sums.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub round: RoundId,
    /// One line per candidate, sorted by request id.
    pub lines: Vec<ProposalLine>,
    pub pools: Vec<PoolTotals>,
    pub fairness: FairnessFigures,
    /// The final sector factors of the weights (1 = no correction).
    pub sector_factors: BTreeMap<Sector, f64>,
    /// Running sums behind `fairness`; rebuilt from `lines` after deserialising.
    #[serde(skip)]
    tally: Option<Tally>,
}

/// The proposal for `round` over `candidates` (see the module documentation).
/// Cost: a few fills of O((steps + n) log n); 10,000 requests take milliseconds.
pub fn propose(round: &Round, candidates: &[Candidate], config: &ProposalConfig) -> Proposal {
    let mut factors: BTreeMap<Sector, f64> = Sector::ALL.iter().map(|s| (*s, 1.0)).collect();
    let passes = if round.sector_targets.is_empty() { 0 } else { config.target_passes };
    let mut amounts = build::fill(round, candidates, &factors, config);
    for _ in 0..passes {
        build::correct_factors(round, candidates, &amounts, &mut factors, config.max_target_boost);
        amounts = build::fill(round, candidates, &factors, config);
    }
    let mut lines = build::lines(round, candidates, &amounts, &factors);
    lines.sort_by_key(|l| l.request);
    let mut proposal = Proposal {
        round: round.id.clone(),
        lines,
        pools: Vec::new(),
        fairness: FairnessFigures::default(),
        sector_factors: factors,
        tally: None,
    };
    proposal.pools = build::pool_totals(round, &proposal.lines);
    proposal.refresh(round);
    proposal
}

impl PartialEq for Proposal {
    fn eq(&self, other: &Proposal) -> bool {
        (&self.round, &self.lines, &self.pools, &self.fairness, &self.sector_factors)
            == (&other.round, &other.lines, &other.pools, &other.fairness, &other.sector_factors)
    }
}

impl Proposal {
    /// Rebuilds the running sums and fairness figures from the lines.
    fn refresh(&mut self, round: &Round) {
        let mut tally = Tally::new(round);
        for l in &self.lines {
            tally.request(l.sector, &l.org().key(), l.requested as f64 * l.gpu_hours_per_unit);
            if let Some(pool) = round.pool(&l.pool) {
                tally.award(l.sector, &l.org().key(), &pool.gpu_model, l.proposed as f64 * l.gpu_hours_per_unit);
            }
        }
        self.fairness = tally.figures();
        self.tally = Some(tally);
    }

    /// The line of `request`.
    pub fn line(&self, request: RequestId) -> Option<&ProposalLine> {
        self.lines.binary_search_by_key(&request, |l| l.request).ok().map(|i| &self.lines[i])
    }
}
