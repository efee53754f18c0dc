//! Usage from a gauge of GPUs held (issue 13 §3): a GPU-cloud pool's
//! Prometheus reports, at each poll, how many GPUs each project's pods hold;
//! held GPUs × time between readings become cumulative GPU-seconds per
//! account, the counters the usage step turns into daily usage.

use std::collections::BTreeMap;

use super::AccountUsage;

/// Longest interval between two readings that is counted (a gap in the
/// readings is not assumed to have been busy).
pub const MAX_GAP_S: i64 = 300;

/// GPUs (or GPU-seconds) per (pool id, account).
pub type PerAccount = BTreeMap<(String, String), f64>;

/// Integrates GPUs held per (pool, account) over successive readings.
#[derive(Debug, Clone, Default)]
pub struct GaugeIntegrator {
    last: Option<(i64, PerAccount)>,
    totals: PerAccount,
}

impl GaugeIntegrator {
    /// Adds what the previous reading held up to `at` (Unix seconds; at
    /// most [`MAX_GAP_S`]) and keeps `held` ((pool, account) → GPUs) for the
    /// next; every counter so far.
    pub fn observe(&mut self, at: i64, held: PerAccount) -> Vec<AccountUsage> {
        if let Some((before, previous)) = &self.last {
            let span = (at - before).clamp(0, MAX_GAP_S) as f64;
            for (key, gpus) in previous {
                *self.totals.entry(key.clone()).or_default() += gpus * span;
            }
        }
        for key in held.keys() {
            self.totals.entry(key.clone()).or_default();
        }
        self.last = Some((at, held));
        self.totals
            .iter()
            .map(|((pool_id, account), s)| AccountUsage {
                pool_id: pool_id.clone(),
                account: account.clone(),
                gpu_seconds_total: s.round() as u64,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(pairs: &[(&str, f64)]) -> BTreeMap<(String, String), f64> {
        pairs.iter().map(|(a, g)| (("kakao-b200".to_owned(), (*a).to_owned()), *g)).collect()
    }

    fn totals(u: &[AccountUsage]) -> Vec<(String, u64)> {
        u.iter().map(|c| (c.account.clone(), c.gpu_seconds_total)).collect()
    }

    #[test]
    fn gpus_held_between_readings_become_gpu_seconds() {
        let mut g = GaugeIntegrator::default();
        assert_eq!(
            totals(&g.observe(1_000, held(&[("a", 4.0)]))),
            [("a".to_owned(), 0)],
            "a first reading is a baseline"
        );
        assert_eq!(
            totals(&g.observe(1_060, held(&[("a", 8.0), ("b", 1.0)]))),
            [("a".to_owned(), 240), ("b".to_owned(), 0)]
        );
        // a held 8 for 30 s, b 1; then a is gone: it stops growing.
        let u = g.observe(1_090, held(&[("b", 1.0)]));
        assert_eq!(totals(&u), [("a".to_owned(), 480), ("b".to_owned(), 30)]);
        let u = g.observe(1_150, held(&[]));
        assert_eq!(totals(&u), [("a".to_owned(), 480), ("b".to_owned(), 90)]);
    }

    #[test]
    fn a_gap_in_the_readings_counts_at_most_five_minutes() {
        let mut g = GaugeIntegrator::default();
        g.observe(0, held(&[("a", 2.0)]));
        assert_eq!(totals(&g.observe(3_600, held(&[("a", 2.0)]))), [("a".to_owned(), 600)]);
        // Time going backwards counts nothing.
        assert_eq!(totals(&g.observe(3_000, held(&[("a", 2.0)]))), [("a".to_owned(), 600)]);
    }
}
