//! Usage from a gauge of GPUs held (issue 13 §3): a GPU-cloud pool's
//! Prometheus reports, at each poll, how many GPUs each project's pods hold;
//! held GPUs × time between readings become cumulative GPU-seconds per
//! account, the counters the usage step turns into daily usage.

use std::collections::BTreeMap;

use super::AccountUsage;

/// Longest interval between two readings that is counted (a gap in the
/// readings is not assumed to have been busy).
pub const MAX_GAP_S: i64 = 300;

/// A project that held nothing for this long is forgotten (its counter
/// stopped growing long ago and was read; should it come back, its counter
/// starts again from zero, which the usage step takes as a reset).
pub const FORGET_AFTER_S: i64 = 86_400;

/// GPUs (or GPU-seconds) per (pool id, account).
pub type PerAccount = BTreeMap<(String, String), f64>;

/// Integrates GPUs held per (pool, account) over successive readings.
#[derive(Debug, Clone, Default)]
pub struct GaugeIntegrator {
    last: Option<(i64, PerAccount)>,
    totals: PerAccount,
    /// When each (pool, account) was last seen holding GPUs.
    seen: BTreeMap<(String, String), i64>,
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
            self.seen.insert(key.clone(), at);
        }
        let gone: Vec<_> =
            self.seen.iter().filter(|(_, t)| at - **t > FORGET_AFTER_S).map(|(k, _)| k.clone()).collect();
        for key in gone {
            self.seen.remove(&key);
            self.totals.remove(&key);
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
    fn projects_that_held_nothing_for_a_day_are_forgotten_and_start_again_from_zero() {
        let mut g = GaugeIntegrator::default();
        g.observe(0, held(&[("a", 2.0), ("b", 1.0)]));
        g.observe(100, held(&[("b", 1.0)]));
        // a was last seen holding at 0; a day after that it is still counted, then forgotten.
        // (b's gap of a day counts as MAX_GAP_S: a gap in the readings is not assumed busy.)
        let day = FORGET_AFTER_S;
        let u = g.observe(day, held(&[("b", 1.0)]));
        assert_eq!(totals(&u), [("a".to_owned(), 200), ("b".to_owned(), 400)], "not yet");
        let u = g.observe(day + 1, held(&[("b", 1.0)]));
        assert_eq!(totals(&u), [("b".to_owned(), 401)]);
        // Back again: a new series from zero (the usage step reads it as a reset).
        let u = g.observe(day + 61, held(&[("a", 4.0), ("b", 1.0)]));
        assert_eq!(totals(&u), [("a".to_owned(), 0), ("b".to_owned(), 461)]);
    }
}
