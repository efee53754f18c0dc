//! How the demo allocations' users behave: most keep 55–95 % of their award
//! busy, some went idle in the last fortnight, and a few never really
//! started, so the overview has reclaim candidates. The simulator turns these
//! profiles into jobs under each allocation's account; the usage the portal
//! shows is what the status source then reports, not these numbers.

use chrono::{Days, NaiveDate};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::allocation::grant::Allocation;
use crate::allocation::ids::AllocationId;
use crate::allocation::round::Round;
use crate::allocation::unit::PoolUnit;
use crate::sim::SimAccount;
use crate::time::kst_midnight;

/// Share of allocations idle over their last 14 days.
const WENT_IDLE: f64 = 0.08;
/// Share of allocations barely used at all.
const NEVER_STARTED: f64 = 0.04;
/// Days before today an idle allocation stopped.
const IDLE_DAYS: u64 = 14;

/// How the users of one demo allocation behave.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UsageProfile {
    pub allocation: AllocationId,
    /// Share of the award its users keep busy while they work, 0..=1.
    pub busy_share: f64,
    /// KST day from which they stop submitting jobs, if they went idle.
    pub idle_from: Option<NaiveDate>,
}

/// The profile of every allocation, as of `today`.
pub(super) fn profiles(allocations: &[Allocation], today: NaiveDate, rng: &mut impl Rng) -> Vec<UsageProfile> {
    let idle_from = today.checked_sub_days(Days::new(IDLE_DAYS)).unwrap_or(today);
    allocations
        .iter()
        .map(|a| {
            let profile = rng.gen_range(0.0..1.0);
            let level = rng.gen_range(0.55..0.95);
            let (busy_share, idle_from) = if profile < NEVER_STARTED {
                (rng.gen_range(0.0..0.03), None)
            } else if profile < NEVER_STARTED + WENT_IDLE {
                (level, Some(idle_from))
            } else {
                (level, None)
            };
            UsageProfile { allocation: a.id, busy_share, idle_from }
        })
        .collect()
}

/// The simulator's view of each allocation: its account, award and profile.
pub(super) fn sim_accounts(round: &Round, allocations: &[Allocation], profiles: &[UsageProfile]) -> Vec<SimAccount> {
    allocations
        .iter()
        .zip(profiles)
        .filter(|(a, p)| a.id == p.allocation)
        .filter_map(|(a, p)| {
            let pool = round.pool(&a.pool)?;
            let max_job_nodes = match a.unit {
                PoolUnit::Servers => u32::try_from(a.amount).unwrap_or(u32::MAX),
                _ => u32::MAX,
            };
            Some(SimAccount {
                account: a.account_code(),
                pool_id: a.pool.clone(),
                awarded_gpus: a.gpu_hours_per_day(pool) / 24.0,
                max_job_nodes,
                active_from: kst_midnight(a.start),
                active_until: kst_midnight(a.end.succ_opt()?),
                busy_share: p.busy_share,
                idle_from: p.idle_from.map(kst_midnight),
            })
        })
        .collect()
}
