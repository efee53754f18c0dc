//! Counter readings → increases, as Prometheus' `increase()` treats counters:
//! the first reading is a baseline, a series that appears later starts from
//! zero, and a value lower than the last one is a reset (the source restarted).

use std::collections::HashMap;

use super::AccountUsage;

/// GPU-seconds one account used in one pool between two readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageDelta {
    pub pool_id: String,
    pub account: String,
    /// Previous reading, Unix seconds.
    pub from: i64,
    /// This reading, Unix seconds.
    pub to: i64,
    pub gpu_seconds: u64,
}

/// Remembers the last reading of each (pool, account) counter of one source.
#[derive(Debug, Clone, Default)]
pub struct UsageMeter {
    last: HashMap<(String, String), u64>,
    last_at: Option<i64>,
}

impl UsageMeter {
    /// A meter that has seen nothing yet.
    pub fn new() -> UsageMeter {
        UsageMeter::default()
    }

    /// Time of the last reading taken, Unix seconds.
    pub fn last_at(&self) -> Option<i64> {
        self.last_at
    }

    /// Takes the counters read at `at` and returns what grew since the last
    /// reading (nothing for the first one, which is the baseline; nothing
    /// for a reading older than the last).
    pub fn observe(&mut self, at: i64, counters: &[AccountUsage]) -> Vec<UsageDelta> {
        let previous = self.last_at;
        if previous.is_some_and(|p| at < p) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in counters {
            let key = (c.pool_id.clone(), c.account.clone());
            let grew = match self.last.get(&key) {
                Some(last) if c.gpu_seconds_total >= *last => c.gpu_seconds_total - last,
                // A reset, or a series first seen after the baseline: it started at zero.
                _ => c.gpu_seconds_total,
            };
            if let Some(from) = previous {
                if grew > 0 {
                    out.push(UsageDelta {
                        pool_id: c.pool_id.clone(),
                        account: c.account.clone(),
                        from,
                        to: at,
                        gpu_seconds: grew,
                    });
                }
            }
            self.last.insert(key, c.gpu_seconds_total);
        }
        self.last_at = Some(at);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(account: &str, total: u64) -> AccountUsage {
        AccountUsage { pool_id: "nhn-b200".into(), account: account.into(), gpu_seconds_total: total }
    }

    #[test]
    fn the_first_reading_is_a_baseline_and_later_ones_give_increases() {
        let mut m = UsageMeter::new();
        assert!(m.observe(100, &[reading("a", 5_000)]).is_empty());
        let d = m.observe(160, &[reading("a", 5_480), reading("b", 0)]);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].from, d[0].to, d[0].gpu_seconds, d[0].account.as_str()), (100, 160, 480, "a"));
        assert!(m.observe(220, &[reading("a", 5_480)]).is_empty(), "no growth, no delta");
    }

    #[test]
    fn a_new_series_starts_from_zero_and_a_lower_value_is_a_reset() {
        let mut m = UsageMeter::new();
        m.observe(0, &[reading("a", 100)]);
        let d = m.observe(60, &[reading("a", 40), reading("b", 70)]);
        let got: Vec<(String, u64)> = d.into_iter().map(|d| (d.account, d.gpu_seconds)).collect();
        assert_eq!(got, vec![("a".into(), 40), ("b".into(), 70)]);
        assert!(m.observe(30, &[reading("a", 1_000)]).is_empty(), "a reading from the past is ignored");
        assert_eq!(m.last_at(), Some(60));
    }
}
