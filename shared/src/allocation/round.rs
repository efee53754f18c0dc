//! A call round: when it is open, what it offers per pool, the sector targets
//! and the committee's policy (minimum score, cap per organisation,
//! preference for applicants outside the capital region).

pub mod input;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::advisor::Sector;

use super::ids::RoundId;
use super::lifecycle::RoundStage;
use super::unit::PoolCapacity;

pub use input::{PoolCapacityInput, RoundInput};

/// The most one organisation may be awarded in a round.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgCap {
    /// Whole servers summed over the round's server pools (pools counted in hours are not capped by it).
    Servers(u64),
    /// Share of each pool's capacity, 0..=1 (applied pool by pool, in the pool's unit, rounded down).
    Share(f64),
}

/// The committee's rules for a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundPolicy {
    /// Requests whose mean review score (1..=5) is below this are not proposed.
    pub min_score: f64,
    /// Limit on concentration in one organisation; `None` = no cap.
    pub org_cap: Option<OrgCap>,
    /// Extra weight for applicants outside the capital region: weight × (1 + this), 0..=1.
    pub non_capital_preference: f64,
    /// Reviews a request needs before the committee may decide it.
    #[serde(default = "one")]
    pub min_reviews: u32,
    /// Reviewers assigned to each request.
    #[serde(default = "three")]
    pub reviewers_per_request: u32,
}

fn one() -> u32 {
    1
}

fn three() -> u32 {
    3
}

/// A call round, parsed from [`RoundInput`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Round {
    pub id: RoundId,
    pub title_ko: String,
    pub title_en: String,
    /// First KST day proposals are accepted.
    pub opens: NaiveDate,
    /// Last KST day proposals are accepted (inclusive).
    pub closes: NaiveDate,
    /// Last KST day of the review window (inclusive); the committee decides
    /// after it. Absent on rounds stored before review windows: `closes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_closes: Option<NaiveDate>,
    /// Where the round is in its lifecycle (see [`RoundStage`]).
    #[serde(default)]
    pub stage: RoundStage,
    /// First day allocations of this round may run.
    pub period_start: NaiveDate,
    /// Last day allocations of this round may run (inclusive).
    pub period_end: NaiveDate,
    /// What is offered, one entry per catalogue pool.
    pub pools: Vec<PoolCapacity>,
    /// Target share of awarded GPU-hours per sector, 0..=1, summing to at most 1; sectors absent have no target.
    pub sector_targets: BTreeMap<Sector, f64>,
    pub policy: RoundPolicy,
}

/// Whether a review window whose last day (KST) is `closes` is still open at `now`.
pub fn review_window_open(closes: NaiveDate, now: chrono::DateTime<chrono::Utc>) -> bool {
    crate::time::kst_day(now.timestamp()) <= closes
}

impl Round {
    /// The capacity offered in `pool`, if the round offers it.
    pub fn pool(&self, pool: &str) -> Option<&PoolCapacity> {
        self.pools.iter().find(|p| p.pool == pool)
    }

    /// Whether proposals are accepted on KST day `day`.
    pub fn is_open_on(&self, day: NaiveDate) -> bool {
        (self.opens..=self.closes).contains(&day)
    }

    /// Last KST day of the review window.
    pub fn review_closes(&self) -> NaiveDate {
        self.review_closes.unwrap_or(self.closes)
    }

    /// Whether the review window is still open at `now` (its last day, in KST, not past).
    pub fn review_window_open(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        review_window_open(self.review_closes(), now)
    }

    /// Days in the allocation period (inclusive of both ends).
    pub fn period_days(&self) -> u32 {
        days_between(self.period_start, self.period_end)
    }

    /// The target share of `sector`, if one is set.
    pub fn target(&self, sector: Sector) -> Option<f64> {
        self.sector_targets.get(&sector).copied()
    }
}

/// Days from `start` to `end`, both inclusive (0 when `end` precedes `start`).
pub fn days_between(start: NaiveDate, end: NaiveDate) -> u32 {
    u32::try_from((end - start).num_days() + 1).unwrap_or(0)
}
