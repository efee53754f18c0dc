//! Project accounts: each allocation has a Slurm-style account code, derived
//! from its round and request (`r2026-1-0042`), under which its holders run
//! jobs. Status sources report usage per account; this maps it back to
//! allocations and KST days.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::grant::Allocation;
use super::ids::{AllocationId, RequestId, RoundId};
use super::usage::DailyUsage;
use crate::accounting::{split_by_kst_day, UsageDelta};

/// The account code of request `request` of round `round`: `r` + round id +
/// `-` + the request number on four digits, e.g. `r2026-1-0042`. Stable:
/// the same round and request always give the same code.
pub fn account_code(round: &RoundId, request: RequestId) -> String {
    format!("r{}-{:04}", round.0, request.0)
}

/// Which allocation each (pool, account) belongs to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountMap {
    by_account: HashMap<(String, String), AllocationId>,
}

impl AccountMap {
    /// The map of `allocations` (an allocation's usage counts only in its own pool).
    pub fn new(allocations: &[Allocation]) -> AccountMap {
        let by_account =
            allocations.iter().map(|a| ((a.pool.clone(), a.account_code()), a.id)).collect::<HashMap<_, _>>();
        AccountMap { by_account }
    }

    /// The allocation of `account` in `pool`, if any.
    pub fn allocation(&self, pool: &str, account: &str) -> Option<AllocationId> {
        self.by_account.get(&(pool.to_owned(), account.to_owned())).copied()
    }

    /// Whether any allocation is mapped.
    pub fn is_empty(&self) -> bool {
        self.by_account.is_empty()
    }

    /// GPU-hours per allocation per KST day of `deltas` (accounts of no
    /// allocation, such as users outside the programme, are left out), one
    /// row per (allocation, day), in that order.
    pub fn daily_usage(&self, deltas: &[UsageDelta]) -> Vec<DailyUsage> {
        let mut sums: BTreeMap<(AllocationId, NaiveDate), f64> = BTreeMap::new();
        for d in deltas {
            let Some(id) = self.allocation(&d.pool_id, &d.account) else { continue };
            for (day, gpu_seconds) in split_by_kst_day(d.from, d.to, d.gpu_seconds) {
                *sums.entry((id, day)).or_insert(0.0) += gpu_seconds / 3_600.0;
            }
        }
        sums.into_iter().map(|((allocation, day), gpu_hours)| DailyUsage { allocation, day, gpu_hours }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::unit::PoolUnit;
    use crate::time::kst_midnight;

    fn allocation(id: u64, request: u64, pool: &str) -> Allocation {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        Allocation {
            id: AllocationId(id),
            request: RequestId(request),
            round: RoundId("2026-1".into()),
            account: account_code(&RoundId("2026-1".into()), RequestId(request)),
            pool: pool.into(),
            unit: PoolUnit::Servers,
            amount: 1,
            gpus: Some(8),
            start: day,
            end: day,
        }
    }

    fn delta(pool: &str, account: &str, from: i64, to: i64, gpu_seconds: u64) -> UsageDelta {
        UsageDelta { pool_id: pool.into(), account: account.into(), from, to, gpu_seconds }
    }

    #[test]
    fn account_codes_are_slurm_style_and_stable() {
        assert_eq!(account_code(&RoundId("2026-1".into()), RequestId(42)), "r2026-1-0042");
        assert_eq!(allocation(1, 7, "nhn-b200").account_code(), "r2026-1-0007");
    }

    #[test]
    fn usage_goes_to_the_allocation_of_its_account_and_pool_by_kst_day() {
        let map = AccountMap::new(&[allocation(1, 7, "nhn-b200"), allocation(2, 9, "kakao-h200")]);
        let midnight = kst_midnight(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        let rows = map.daily_usage(&[
            delta("nhn-b200", "r2026-1-0007", midnight - 1_800, midnight + 1_800, 7_200),
            delta("nhn-b200", "r2026-1-0007", midnight + 1_800, midnight + 3_600, 3_600),
            delta("nhn-b200", "r2026-1-0009", midnight, midnight + 60, 480), // wrong pool
            delta("kakao-h200", "someone-else", midnight, midnight + 60, 480),
        ]);
        let got: Vec<(u64, String, f64)> =
            rows.iter().map(|r| (r.allocation.0, r.day.to_string(), r.gpu_hours)).collect();
        assert_eq!(got, vec![(1, "2026-03-01".into(), 1.0), (1, "2026-03-02".into(), 2.0)]);
    }
}
