//! Building the fill problem of a proposal (pools as shared resources,
//! organisation caps as limits, one claimant per candidate), the sector
//! factor correction, and the proposal's lines and pool totals.

use std::collections::{BTreeMap, HashMap};

use crate::advisor::{Region, Sector};
use crate::allocation::fill::{progressive_fill, Claimant, FillProblem, Resource, Use};
use crate::allocation::round::{OrgCap, Round};
use crate::allocation::unit::PoolCapacity;

use super::{Candidate, Exclusion, PoolTotals, ProposalConfig, ProposalLine};

/// Why `c` is excluded, if it is.
pub(super) fn exclusion(round: &Round, c: &Candidate) -> Option<Exclusion> {
    match c.score {
        _ if round.pool(&c.pool).is_none() => Some(Exclusion::UnknownPool),
        None => Some(Exclusion::NotReviewed),
        Some(s) if s < round.policy.min_score => Some(Exclusion::BelowMinimumScore),
        Some(_) => None,
    }
}

/// The filling weight of `c` (0 when excluded).
fn weight(round: &Round, c: &Candidate, factors: &BTreeMap<Sector, f64>) -> f64 {
    let (Some(score), None) = (c.score, exclusion(round, c)) else { return 0.0 };
    let region = if c.region == Region::NonCapital { 1.0 + round.policy.non_capital_preference } else { 1.0 };
    score * region * factors.get(&c.sector).copied().unwrap_or(1.0)
}

/// The organisation cap on `pool` as a limit capacity, in the pool's unit (`None` when it does not apply).
pub(super) fn cap_on(round: &Round, pool: &PoolCapacity) -> Option<f64> {
    match round.policy.org_cap? {
        OrgCap::Servers(n) => pool.unit.is_whole_servers().then_some(n as f64),
        OrgCap::Share(s) if pool.unit.is_whole_servers() => Some((s * pool.capacity as f64).floor()),
        OrgCap::Share(s) => Some(s * pool.capacity as f64),
    }
}

/// Units proposed per candidate (aligned with `candidates`).
pub(super) fn fill(
    round: &Round,
    candidates: &[Candidate],
    factors: &BTreeMap<Sector, f64>,
    config: &ProposalConfig,
) -> Vec<u64> {
    let mut resources: Vec<Resource> =
        round.pools.iter().map(|p| Resource { capacity: p.capacity as f64, shared: true }).collect();
    let mut limits: HashMap<(String, &str), usize> = HashMap::new();
    let per_pool_cap = matches!(round.policy.org_cap, Some(OrgCap::Share(_)));
    let mut limit_of = |c: &Candidate, pool: &PoolCapacity, resources: &mut Vec<Resource>| {
        let cap = cap_on(round, pool)?;
        let key = (
            c.org().key(),
            if per_pool_cap { round.pools.iter().find(|p| p.pool == pool.pool)?.pool.as_str() } else { "" },
        );
        Some(*limits.entry(key).or_insert_with(|| {
            resources.push(Resource { capacity: cap, shared: false });
            resources.len() - 1
        }))
    };
    // Decided requests hold what they were awarded: taken from their pool and their organisation's cap first.
    for c in candidates {
        let (Some(held), Some(index)) = (c.fixed, round.pools.iter().position(|p| p.pool == c.pool)) else { continue };
        resources[index].capacity = (resources[index].capacity - held as f64).max(0.0);
        if let Some(limit) = limit_of(c, &round.pools[index], &mut resources) {
            resources[limit].capacity = (resources[limit].capacity - held as f64).max(0.0);
        }
    }
    let claimants = candidates
        .iter()
        .map(|c| {
            let Some(index) = round.pools.iter().position(|p| p.pool == c.pool) else { return idle() };
            if c.fixed.is_some() {
                return idle();
            }
            let pool = &round.pools[index];
            let mut uses = vec![Use { resource: index, per_unit: 1.0 }];
            if let Some(limit) = limit_of(c, pool, &mut resources) {
                uses.push(Use { resource: limit, per_unit: 1.0 });
            }
            let whole = pool.unit.is_whole_servers();
            let step = if whole { 1.0 } else { (pool.capacity as f64 / f64::from(config.hour_steps.max(1))).max(1.0) };
            Claimant { weight: weight(round, c, factors), max_units: c.requested as f64, step, integral: whole, uses }
        })
        .collect();
    let granted = progressive_fill(&FillProblem { resources, claimants });
    // Whole steps are exact integers; partial steps are rounded down so no capacity is exceeded.
    granted.iter().zip(candidates).map(|(g, c)| c.fixed.unwrap_or((g + 1e-9).floor() as u64)).collect()
}

fn idle() -> Claimant {
    Claimant { weight: 0.0, max_units: 0.0, step: 1.0, integral: true, uses: Vec::new() }
}

/// GPU-hours of `units` of `c`, 0 for an unknown pool.
fn gpu_hours(round: &Round, c: &Candidate, units: u64) -> f64 {
    round.pool(&c.pool).map_or(0.0, |p| p.gpu_hours(units, c.days))
}

/// Multiplies each targeted sector's factor by √(target ÷ awarded share), within [1/max, max].
pub(super) fn correct_factors(
    round: &Round,
    candidates: &[Candidate],
    amounts: &[u64],
    factors: &mut BTreeMap<Sector, f64>,
    max: f64,
) {
    let mut awarded: BTreeMap<Sector, f64> = BTreeMap::new();
    for (c, a) in candidates.iter().zip(amounts) {
        *awarded.entry(c.sector).or_default() += gpu_hours(round, c, *a);
    }
    let total: f64 = awarded.values().sum();
    if total <= 0.0 {
        return;
    }
    let max = max.max(1.0);
    for (sector, target) in &round.sector_targets {
        let share = awarded.get(sector).copied().unwrap_or(0.0) / total;
        let step = if share > 0.0 { (target / share).sqrt() } else { max };
        if let Some(f) = factors.get_mut(sector) {
            *f = (*f * step).clamp(1.0 / max, max);
        }
    }
}

/// The proposal's lines (aligned with `candidates`).
pub(super) fn lines(
    round: &Round,
    candidates: &[Candidate],
    amounts: &[u64],
    factors: &BTreeMap<Sector, f64>,
) -> Vec<ProposalLine> {
    candidates
        .iter()
        .zip(amounts)
        .map(|(c, a)| ProposalLine {
            request: c.request,
            organisation: c.organisation.clone(),
            organisation_id: c.organisation_id.clone(),
            sector: c.sector,
            region: c.region,
            pool: c.pool.clone(),
            score: c.score,
            weight: weight(round, c, factors),
            requested: c.requested,
            proposed: *a,
            gpu_hours_per_unit: gpu_hours(round, c, 1),
            excluded: if c.fixed.is_some() { None } else { exclusion(round, c) },
            decided: c.fixed.is_some(),
        })
        .collect()
}

/// Requested and proposed totals per pool of the round.
pub(super) fn pool_totals(round: &Round, lines: &[ProposalLine]) -> Vec<PoolTotals> {
    round
        .pools
        .iter()
        .map(|p| {
            let mine = lines.iter().filter(|l| l.pool == p.pool);
            let (requested, proposed) = mine.fold((0, 0), |(r, a), l| (r + l.requested, a + l.proposed));
            PoolTotals { pool: p.pool.clone(), unit: p.unit, capacity: p.capacity, requested, proposed }
        })
        .collect()
}
