//! Daily usage of an allocation (GPU-hours per KST day, from the status
//! source) and the idle check: an allocation that used less than a threshold
//! of what it could have over the last days is flagged for reclaim.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::grant::Allocation;
use super::ids::AllocationId;
use super::unit::PoolCapacity;

/// GPU-hours one allocation used on one KST day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyUsage {
    pub allocation: AllocationId,
    pub day: NaiveDate,
    /// GPU-hours used that day.
    pub gpu_hours: f64,
}

/// Where an allocation's usage figures come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UsageSource {
    /// The scheduler's accounting (`sacct`): every job, exactly.
    Accounting,
    /// The running jobs a status source sees at each poll (jobs shorter than a poll can be missed).
    #[default]
    RunningJobs,
    /// The demo simulator's jobs.
    Demo,
}

/// How one pool's usage is metered: its source, and since when it is
/// complete (an allocation is not judged idle on days before that).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolMetering {
    pub source: UsageSource,
    /// First KST day the source metered in full; `None`: as long as the allocation has run.
    pub since: Option<NaiveDate>,
}

/// How every pool is metered (pools not named: [`PoolMetering::default`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metering {
    pub by_pool: std::collections::BTreeMap<String, PoolMetering>,
    /// For pools not named (demo rounds: [`UsageSource::Demo`]).
    pub otherwise: PoolMetering,
}

impl Metering {
    /// A demo round's: every figure is the demo's own.
    pub fn demo() -> Metering {
        Metering { otherwise: PoolMetering { source: UsageSource::Demo, since: None }, ..Metering::default() }
    }

    pub fn of(&self, pool: &str) -> PoolMetering {
        self.by_pool.get(pool).copied().unwrap_or(self.otherwise)
    }
}

/// When an allocation counts as idle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdlePolicy {
    /// Days looked back, ending yesterday (today is incomplete).
    pub window_days: u32,
    /// Flag for reclaim when used ÷ entitled GPU-hours over the window is below this (0..=1).
    pub reclaim_below: f64,
}

impl Default for IdlePolicy {
    /// The last 7 days, flagged under 10 % use.
    fn default() -> IdlePolicy {
        IdlePolicy { window_days: 7, reclaim_below: 0.1 }
    }
}

/// An allocation's use over the idle window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdleCheck {
    pub allocation: AllocationId,
    pub pool: String,
    /// GPU-hours the allocation could have used over the window's days inside its period.
    pub entitled_gpu_hours: f64,
    pub used_gpu_hours: f64,
    /// used ÷ entitled, 0..=1 (more than 1 is capped).
    pub usage_ratio: f64,
    /// Entitled minus used GPU-hours (never negative).
    pub idle_gpu_hours: f64,
    /// Below the threshold over a whole window: a reclaim candidate. An
    /// allocation younger than the window, or a window not wholly metered by
    /// its source, is never flagged.
    pub flagged: bool,
    /// Where the used figure comes from.
    #[serde(default)]
    pub source: UsageSource,
    /// Last KST day (up to yesterday) with any use: the evidence's "last job seen".
    #[serde(default)]
    pub last_used: Option<NaiveDate>,
    /// First day of full metering, when it began inside the window (no flag until a whole window is metered).
    #[serde(default)]
    pub metered_since: Option<NaiveDate>,
}

/// The idle check of `allocation` on `today` from its `usage` rows (rows of
/// other allocations are ignored); `None` when no day of the window falls in its period.
pub fn idle_check(
    allocation: &Allocation,
    pool: &PoolCapacity,
    usage: &[DailyUsage],
    today: NaiveDate,
    policy: &IdlePolicy,
    metering: PoolMetering,
) -> Option<IdleCheck> {
    let last = today.checked_sub_days(Days::new(1))?;
    let first = today.checked_sub_days(Days::new(u64::from(policy.window_days.max(1))))?;
    let (from, to) = (first.max(allocation.start), last.min(allocation.end));
    if from > to {
        return None;
    }
    let days = (to - from).num_days() + 1;
    let entitled = allocation.gpu_hours_per_day(pool) * days as f64;
    let used: f64 = usage
        .iter()
        .filter(|u| u.allocation == allocation.id && (from..=to).contains(&u.day))
        .map(|u| u.gpu_hours)
        .sum();
    let ratio = if entitled > 0.0 { (used / entitled).min(1.0) } else { 1.0 };
    let metered_since = metering.since.filter(|s| *s > first);
    let full_window = from == first && metered_since.is_none();
    let last_used = usage
        .iter()
        .filter(|u| u.allocation == allocation.id && u.day <= last && u.gpu_hours > 0.0)
        .map(|u| u.day)
        .max();
    Some(IdleCheck {
        allocation: allocation.id,
        pool: allocation.pool.clone(),
        entitled_gpu_hours: entitled,
        used_gpu_hours: used,
        usage_ratio: ratio,
        idle_gpu_hours: (entitled - used).max(0.0),
        flagged: full_window && ratio < policy.reclaim_below,
        source: metering.source,
        last_used,
        metered_since,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::ids::{RequestId, RoundId};
    use crate::allocation::unit::PoolUnit;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, d).unwrap()
    }

    fn fixture(start: u32) -> (Allocation, PoolCapacity) {
        let pool = PoolCapacity {
            pool: "nhn-b200".into(),
            gpu_model: "B200".into(),
            gpus_per_node: 8,
            unit: PoolUnit::Servers,
            capacity: 10,
        };
        let a = Allocation {
            id: AllocationId(1),
            request: RequestId(1),
            round: RoundId("r".into()),
            account: "rr-0001".into(),
            pool: pool.pool.clone(),
            unit: PoolUnit::Servers,
            amount: 1,
            gpus: Some(8),
            start: day(start),
            end: day(30),
        };
        (a, pool)
    }

    fn usage(per_day: f64, days: std::ops::Range<u32>) -> Vec<DailyUsage> {
        days.map(|d| DailyUsage { allocation: AllocationId(1), day: day(d), gpu_hours: per_day }).collect()
    }

    #[test]
    fn an_allocation_barely_used_for_a_week_is_flagged() {
        let (a, pool) = fixture(1);
        let check =
            idle_check(&a, &pool, &usage(10.0, 1..20), day(20), &IdlePolicy::default(), PoolMetering::default())
                .unwrap();
        assert_eq!(check.entitled_gpu_hours, 7.0 * 192.0);
        assert_eq!(check.used_gpu_hours, 70.0);
        assert!(check.flagged);
    }

    #[test]
    fn evidence_names_the_source_and_the_last_day_used_and_a_window_not_wholly_metered_is_not_judged() {
        let (a, pool) = fixture(1);
        let accounting = |since: Option<NaiveDate>| PoolMetering { source: UsageSource::Accounting, since };
        // Used until the 15th, nothing after: idle over the last week, last used on the 15th.
        let check =
            idle_check(&a, &pool, &usage(10.0, 1..16), day(20), &IdlePolicy::default(), accounting(None)).unwrap();
        assert!(check.flagged);
        assert_eq!(
            (check.source, check.last_used, check.metered_since),
            (UsageSource::Accounting, Some(day(15)), None)
        );
        // Accounting complete only since the 16th (inside the window 13th..19th): not judged yet.
        let check =
            idle_check(&a, &pool, &usage(10.0, 1..16), day(20), &IdlePolicy::default(), accounting(Some(day(16))))
                .unwrap();
        assert!(!check.flagged);
        assert_eq!(check.metered_since, Some(day(16)));
        // Complete since before the window: judged.
        let since = Some(day(13));
        assert!(
            idle_check(&a, &pool, &usage(10.0, 1..16), day(20), &IdlePolicy::default(), accounting(since))
                .unwrap()
                .flagged
        );
        // Today's partial use is not yesterday's evidence.
        let check =
            idle_check(&a, &pool, &usage(10.0, 20..21), day(20), &IdlePolicy::default(), accounting(None)).unwrap();
        assert_eq!(check.last_used, None);
    }

    #[test]
    fn a_busy_or_brand_new_allocation_is_not_flagged() {
        let (a, pool) = fixture(1);
        assert!(
            !idle_check(&a, &pool, &usage(150.0, 1..20), day(20), &IdlePolicy::default(), PoolMetering::default())
                .unwrap()
                .flagged
        );
        let (young, pool) = fixture(17);
        let check = idle_check(&young, &pool, &[], day(20), &IdlePolicy::default(), PoolMetering::default()).unwrap();
        assert_eq!((check.entitled_gpu_hours, check.flagged), (3.0 * 192.0, false));
        assert_eq!(idle_check(&young, &pool, &[], day(17), &IdlePolicy::default(), PoolMetering::default()), None);
    }
}
