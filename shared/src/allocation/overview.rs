//! The committee overview of a round: per pool capacity, requested, awarded,
//! used and idle allocated (flagged for reclaim) with the oversubscription
//! ratio; awarded against target shares by sector and by region; the
//! allocation timeline (who holds what, when); and the fairness figures.

mod held;
mod shares;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::advisor::Sector;

use super::fairness::{FairnessFigures, Tally};
use super::grant::Allocation;
use super::ids::{AllocationId, RequestId, RoundId};
use super::request::Request;
use super::round::Round;
use super::unit::PoolUnit;
use super::usage::{idle_check, DailyUsage, IdleCheck, IdlePolicy};

pub use held::{held_series, HeldSeries, HeldStep, HeldUnit};
pub use shares::ShareRow;

/// What the overview is built from. Requests and allocations of other rounds are ignored.
#[derive(Debug, Clone, Copy)]
pub struct OverviewInput<'a> {
    pub round: &'a Round,
    pub requests: &'a [Request],
    pub allocations: &'a [Allocation],
    /// Daily usage rows (any allocations, any order).
    pub usage: &'a [DailyUsage],
    /// Today's KST day; the idle window ends yesterday.
    pub today: NaiveDate,
    pub idle: IdlePolicy,
    /// How each pool's usage is metered (source, complete since).
    pub metering: &'a super::usage::Metering,
}

/// One pool of the round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolOverview {
    pub pool: String,
    pub unit: PoolUnit,
    /// Offered, in `unit`.
    pub capacity: u64,
    /// Asked by every request, in `unit`.
    pub requested: u64,
    /// Held by allocations, in `unit`.
    pub awarded: u64,
    /// GPUs held by allocations (server pools only).
    pub awarded_gpus: Option<u64>,
    /// GPU-hours the allocations entitle their holders to over their periods.
    pub awarded_gpu_hours: f64,
    /// GPU-hours used so far.
    pub used_gpu_hours: f64,
    /// Allocations flagged for reclaim (idle over the window).
    pub idle_allocations: u32,
    /// Amount held by flagged allocations, in `unit`.
    pub idle_allocated: u64,
    /// GPU-hours allocated but unused over the idle window (all allocations).
    pub idle_gpu_hours: f64,
    /// requested ÷ capacity (above 1 = oversubscribed).
    pub oversubscription: f64,
}

/// One allocation on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineRow {
    pub allocation: AllocationId,
    pub request: RequestId,
    pub organisation: String,
    pub sector: Sector,
    /// Project title (Korean, else English).
    pub title: String,
    pub pool: String,
    pub unit: PoolUnit,
    pub amount: u64,
    pub gpus: Option<u64>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Flagged for reclaim today.
    pub idle: bool,
}

/// The committee overview of one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundOverview {
    pub round: RoundId,
    pub today: NaiveDate,
    /// The round's allocation period (its first and last day).
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub pools: Vec<PoolOverview>,
    /// By sector, with the round's targets.
    pub sectors: Vec<ShareRow>,
    pub regions: Vec<ShareRow>,
    /// Sorted by pool, then start, then allocation id.
    pub timeline: Vec<TimelineRow>,
    /// The idle check of every allocation running in the window (flagged ones first).
    pub idle: Vec<IdleCheck>,
    pub fairness: FairnessFigures,
    /// `demo` for the seeded demo rounds; absent for real rounds (set by the server, which knows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::api::DataSource>,
    /// Every round past its draft, newest first, for switching rounds (set by the server).
    #[serde(default)]
    pub rounds: Vec<crate::api::RoundListing>,
}

impl RoundOverview {
    /// What the allocations of `pool` hold at once over the round's period,
    /// against its offer (the timeline's chart); `None` for a pool not in the round.
    pub fn held(&self, pool: &str) -> Option<HeldSeries> {
        let p = self.pools.iter().find(|p| p.pool == pool)?;
        let rows: Vec<&TimelineRow> = self.timeline.iter().filter(|r| r.pool == pool).collect();
        Some(held_series(p.unit, p.capacity, (self.period_start, self.period_end), &rows))
    }

    /// Builds the overview. Cost O(requests + allocations + usage rows).
    pub fn build(input: &OverviewInput<'_>) -> RoundOverview {
        let round = input.round;
        let requests: Vec<&Request> = input.requests.iter().filter(|r| r.round == round.id).collect();
        let by_id: HashMap<RequestId, &Request> = requests.iter().map(|r| (r.id, *r)).collect();
        let allocations: Vec<(&Allocation, &Request)> = input
            .allocations
            .iter()
            .filter(|a| a.round == round.id)
            .filter_map(|a| by_id.get(&a.request).map(|r| (a, *r)))
            .collect();
        let idle = idle_checks(input, &allocations);
        let flagged: HashMap<AllocationId, bool> = idle.iter().map(|c| (c.allocation, c.flagged)).collect();
        let is_idle = |id: AllocationId| flagged.get(&id).copied().unwrap_or(false);
        let timeline = timeline(&allocations, &is_idle);
        RoundOverview {
            round: round.id.clone(),
            today: input.today,
            period_start: round.period_start,
            period_end: round.period_end,
            pools: pools(input, &requests, &allocations, &idle, &is_idle),
            sectors: shares::by_sector(round, &requests, &allocations),
            regions: shares::by_region(round, &requests, &allocations),
            timeline,
            idle,
            fairness: fairness(round, &requests, &allocations),
            source: None,
            rounds: Vec::new(),
        }
    }
}

fn idle_checks(input: &OverviewInput<'_>, allocations: &[(&Allocation, &Request)]) -> Vec<IdleCheck> {
    let mut usage: HashMap<AllocationId, Vec<DailyUsage>> = HashMap::new();
    for u in input.usage {
        usage.entry(u.allocation).or_default().push(*u);
    }
    let mut checks: Vec<IdleCheck> = allocations
        .iter()
        .filter_map(|(a, _)| {
            let pool = input.round.pool(&a.pool)?;
            let rows = usage.get(&a.id).map_or(&[][..], Vec::as_slice);
            idle_check(a, pool, rows, input.today, &input.idle, input.metering.of(&a.pool))
        })
        .collect();
    checks.sort_by(|a, b| {
        b.flagged.cmp(&a.flagged).then(a.usage_ratio.total_cmp(&b.usage_ratio)).then(a.allocation.cmp(&b.allocation))
    });
    checks
}

fn pools(
    input: &OverviewInput<'_>,
    requests: &[&Request],
    allocations: &[(&Allocation, &Request)],
    idle: &[IdleCheck],
    is_idle: &dyn Fn(AllocationId) -> bool,
) -> Vec<PoolOverview> {
    let used = used_by_allocation(input.usage);
    input
        .round
        .pools
        .iter()
        .map(|p| {
            let requested: u64 = requests.iter().filter(|r| r.pool == p.pool).map(|r| r.amount).sum();
            let mine: Vec<&Allocation> = allocations.iter().map(|(a, _)| *a).filter(|a| a.pool == p.pool).collect();
            let awarded: u64 = mine.iter().map(|a| a.amount).sum();
            PoolOverview {
                pool: p.pool.clone(),
                unit: p.unit,
                capacity: p.capacity,
                requested,
                awarded,
                awarded_gpus: p.gpus(awarded),
                awarded_gpu_hours: mine.iter().map(|a| a.gpu_hours(p)).sum(),
                used_gpu_hours: mine.iter().map(|a| used.get(&a.id).copied().unwrap_or(0.0)).sum(),
                idle_allocations: mine.iter().filter(|a| is_idle(a.id)).count() as u32,
                idle_allocated: mine.iter().filter(|a| is_idle(a.id)).map(|a| a.amount).sum(),
                idle_gpu_hours: idle.iter().filter(|c| c.pool == p.pool).map(|c| c.idle_gpu_hours).sum(),
                oversubscription: if p.capacity > 0 { requested as f64 / p.capacity as f64 } else { 0.0 },
            }
        })
        .collect()
}

fn used_by_allocation(usage: &[DailyUsage]) -> HashMap<AllocationId, f64> {
    let mut used = HashMap::new();
    for u in usage {
        *used.entry(u.allocation).or_insert(0.0) += u.gpu_hours;
    }
    used
}

fn timeline(allocations: &[(&Allocation, &Request)], is_idle: &dyn Fn(AllocationId) -> bool) -> Vec<TimelineRow> {
    let mut rows: Vec<TimelineRow> = allocations
        .iter()
        .map(|(a, r)| TimelineRow {
            allocation: a.id,
            request: r.id,
            organisation: r.organisation.clone(),
            sector: r.sector,
            title: r.title().to_string(),
            pool: a.pool.clone(),
            unit: a.unit,
            amount: a.amount,
            gpus: a.gpus,
            start: a.start,
            end: a.end,
            idle: is_idle(a.id),
        })
        .collect();
    rows.sort_by(|a, b| a.pool.cmp(&b.pool).then(a.start.cmp(&b.start)).then(a.allocation.cmp(&b.allocation)));
    rows
}

fn fairness(round: &Round, requests: &[&Request], allocations: &[(&Allocation, &Request)]) -> FairnessFigures {
    let mut tally = Tally::new(round);
    for r in requests {
        if let Some(p) = round.pool(&r.pool) {
            tally.request(r.sector, &r.org().key(), r.gpu_hours(p, r.amount));
        }
    }
    for (a, r) in allocations {
        if let Some(p) = round.pool(&a.pool) {
            tally.award(r.sector, &r.org().key(), &p.gpu_model, a.gpu_hours(p));
        }
    }
    tally.figures()
}

#[cfg(test)]
mod tests;
