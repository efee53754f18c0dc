//! The health of one source: consecutive failures, the last good answer, the
//! last error; when it counts as stale, and how long to wait before retrying.

use serde::{Deserialize, Serialize};

/// Retry timing after failures: capped exponential backoff with "equal
/// jitter" (half the step fixed, half random), so many replicas or sources
/// that failed together do not retry in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backoff {
    /// Step after the first failure, milliseconds.
    pub base_ms: u64,
    /// Largest step, milliseconds.
    pub max_ms: u64,
}

impl Backoff {
    /// Milliseconds to wait after `failures` consecutive failures (≥ 1):
    /// step = min(max, base × 2^(failures−1)), delay = step/2 + jitter × step/2.
    /// `jitter` is a uniform random number in [0, 1) supplied by the caller.
    pub fn delay_ms(&self, failures: u32, jitter: f64) -> u64 {
        let doublings = failures.saturating_sub(1).min(32);
        let step = self.base_ms.saturating_mul(1u64 << doublings).min(self.max_ms);
        let half = step / 2;
        half + (jitter.clamp(0.0, 1.0) * (step - half) as f64) as u64
    }
}

/// What is known about a source's recent answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceHealth {
    /// Failures since the last good answer.
    pub failures: u32,
    /// Unix seconds of the last good answer.
    pub last_good_at: Option<i64>,
    /// Why the latest poll failed (cleared by a good answer).
    pub last_error: Option<String>,
}

impl SourceHealth {
    /// Records a good answer at `now` (Unix seconds).
    pub fn succeeded(&mut self, now: i64) {
        self.failures = 0;
        self.last_good_at = Some(now);
        self.last_error = None;
    }

    /// Records a failed poll and its reason.
    pub fn failed(&mut self, reason: impl Into<String>) {
        self.failures = self.failures.saturating_add(1);
        self.last_error = Some(reason.into());
    }

    /// Stale when the latest poll failed, when nothing good ever came, or when
    /// the last good answer is older than `stale_after_s` at `now`.
    pub fn is_stale(&self, now: i64, stale_after_s: u32) -> bool {
        self.failures > 0 || self.last_good_at.is_none_or(|t| now - t > i64::from(stale_after_s))
    }

    /// Why the source is stale, prefixed with its `name`; `None` when fresh.
    pub fn stale_reason(&self, name: &str, now: i64, stale_after_s: u32) -> Option<String> {
        if !self.is_stale(now, stale_after_s) {
            return None;
        }
        Some(match (&self.last_error, self.last_good_at) {
            (Some(e), _) => format!("{name}: {e}"),
            (None, None) => format!("{name}: no answer yet"),
            (None, Some(t)) => format!("{name}: no answer for {} s", now - t),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Backoff = Backoff { base_ms: 1_000, max_ms: 60_000 };

    #[test]
    fn backoff_doubles_per_failure_up_to_the_cap() {
        let cases = [(1, 1_000), (2, 2_000), (3, 4_000), (6, 32_000), (7, 60_000), (40, 60_000), (u32::MAX, 60_000)];
        for (failures, step) in cases {
            assert_eq!(B.delay_ms(failures, 0.0), step / 2, "lowest delay after {failures}");
            assert_eq!(B.delay_ms(failures, 0.999_999), step - 1, "highest delay after {failures}");
        }
    }

    #[test]
    fn jitter_spreads_delays_over_the_upper_half_of_the_step() {
        assert_eq!(B.delay_ms(3, 0.5), 3_000);
        assert_eq!(B.delay_ms(3, 7.0), 4_000, "out-of-range jitter is clamped");
        assert_eq!(B.delay_ms(3, -1.0), 2_000);
    }

    #[test]
    fn health_turns_stale_on_failure_and_fresh_on_success() {
        let mut h = SourceHealth::default();
        assert!(h.is_stale(100, 30), "nothing good yet");
        assert_eq!(h.stale_reason("prometheus", 100, 30).as_deref(), Some("prometheus: no answer yet"));
        h.succeeded(100);
        assert!(!h.is_stale(120, 30));
        assert_eq!(h.stale_reason("prometheus", 120, 30), None);
        assert!(h.is_stale(131, 30), "too old");
        assert_eq!(h.stale_reason("prometheus", 131, 30).as_deref(), Some("prometheus: no answer for 31 s"));
        h.failed("connection refused");
        h.failed("connection refused");
        assert_eq!(h.failures, 2);
        assert!(h.is_stale(101, 30), "a failed poll is stale at once");
        assert_eq!(h.stale_reason("prometheus", 101, 30).as_deref(), Some("prometheus: connection refused"));
        assert_eq!(h.last_good_at, Some(100), "the last good time survives failures");
        h.succeeded(140);
        assert_eq!((h.failures, h.last_error.clone(), h.is_stale(140, 30)), (0, None, false));
    }
}
