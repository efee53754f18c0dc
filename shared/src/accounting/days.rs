//! Spreading GPU-seconds used over an interval across the KST days it covers.

use chrono::NaiveDate;

use crate::time::{kst_day, kst_midnight};

/// `gpu_seconds` used evenly over `[from, to)` (Unix seconds), split by KST
/// day: (day, GPU-seconds) in day order, summing to `gpu_seconds`. An empty
/// interval puts everything on the day of `to`'s last second.
pub fn split_by_kst_day(from: i64, to: i64, gpu_seconds: u64) -> Vec<(NaiveDate, f64)> {
    let total = gpu_seconds as f64;
    if to <= from {
        return vec![(kst_day(to - 1), total)];
    }
    let span = (to - from) as f64;
    let mut out = Vec::new();
    let mut t = from;
    while t < to {
        let day = kst_day(t);
        let Some(next_day) = day.succ_opt() else { break };
        let end = kst_midnight(next_day).min(to);
        out.push((day, total * (end - t) as f64 / span));
        t = end.max(t + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
    }

    #[test]
    fn usage_within_one_day_stays_on_that_day() {
        let noon = kst_midnight(day(3)) + 12 * 3_600;
        assert_eq!(split_by_kst_day(noon, noon + 60, 480), vec![(day(3), 480.0)]);
        // A reading exactly at midnight closes the day before.
        let midnight = kst_midnight(day(4));
        assert_eq!(split_by_kst_day(midnight - 60, midnight, 60), vec![(day(3), 60.0)]);
    }

    #[test]
    fn usage_across_midnight_is_split_in_proportion_to_time() {
        let midnight = kst_midnight(day(4));
        let split = split_by_kst_day(midnight - 3_600, midnight + 3 * 3_600, 8_000);
        assert_eq!(split, vec![(day(3), 2_000.0), (day(4), 6_000.0)]);
        let long = split_by_kst_day(kst_midnight(day(1)), kst_midnight(day(4)), 3_000);
        assert_eq!(long, vec![(day(1), 1_000.0), (day(2), 1_000.0), (day(3), 1_000.0)]);
    }
}
