//! Turning recorded status samples into uptime bars and load series.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::api::{DailyUptime, SeriesPoint};
use crate::catalogue::StatusPolicy;
use crate::status::Status;
use crate::time::{kst_day, utc};

/// Number of days the uptime bars cover.
pub const UPTIME_DAYS: u32 = 90;

/// The `range` query parameter of the history endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryRange {
    Day,
    Week,
    Quarter,
}

/// `range` was not one of `24h`, `7d`, `90d`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("range must be one of 24h, 7d, 90d (got {0:?})")]
pub struct RangeError(pub String);

impl FromStr for HistoryRange {
    type Err = RangeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "24h" => Ok(HistoryRange::Day),
            "7d" => Ok(HistoryRange::Week),
            "90d" => Ok(HistoryRange::Quarter),
            other => Err(RangeError(other.chars().take(40).collect())),
        }
    }
}

impl HistoryRange {
    /// Every range the API and the status page offer.
    pub const ALL: [HistoryRange; 3] = [HistoryRange::Day, HistoryRange::Week, HistoryRange::Quarter];

    /// The query-string spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryRange::Day => "24h",
            HistoryRange::Week => "7d",
            HistoryRange::Quarter => "90d",
        }
    }

    /// Length of the range in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            HistoryRange::Day => 86_400,
            HistoryRange::Week => 7 * 86_400,
            HistoryRange::Quarter => i64::from(UPTIME_DAYS) * 86_400,
        }
    }

    /// Width of one series bucket in seconds (96, 168 and 90 points).
    pub fn bucket_seconds(self) -> u32 {
        match self {
            HistoryRange::Day => 900,
            HistoryRange::Week => 3_600,
            HistoryRange::Quarter => 86_400,
        }
    }
}

/// One recorded sample of a whole system (its pools already combined).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SystemSample {
    /// Unix seconds.
    pub ts: i64,
    /// Worst pool status at that instant.
    pub status: Status,
    pub gpus_allocated: u32,
    pub gpus_total: u32,
    pub running_jobs: u32,
    pub pending_jobs: u32,
}

/// Daily uptime for the `UPTIME_DAYS` KST days ending with the day of `now`.
///
/// Each sample stands for `sample_seconds` of time. A day's uptime is
/// `1 - (major + w·partial) / recorded`, with `w` from the policy, as
/// Statuspage weighs partial outages; days without samples have `None`.
pub fn daily_uptime(
    samples: &[SystemSample],
    now: i64,
    sample_seconds: u32,
    policy: &StatusPolicy,
) -> Vec<DailyUptime> {
    let counts: Vec<StatusCount> =
        samples.iter().map(|s| StatusCount { day: kst_day(s.ts), status: s.status, samples: 1 }).collect();
    daily_uptime_from_counts(&counts, now, sample_seconds, policy)
}

/// How many samples of one KST day were in one status (what the database
/// aggregates, so history need not move every sample).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCount {
    pub day: NaiveDate,
    pub status: Status,
    pub samples: u32,
}

/// [`daily_uptime`] from per-day status counts.
pub fn daily_uptime_from_counts(
    counts: &[StatusCount],
    now: i64,
    sample_seconds: u32,
    policy: &StatusPolicy,
) -> Vec<DailyUptime> {
    let today = kst_day(now);
    let first = today - chrono::Days::new(u64::from(UPTIME_DAYS - 1));
    let mut minutes: BTreeMap<NaiveDate, [f64; 5]> = BTreeMap::new();
    let per_sample = f64::from(sample_seconds) / 60.0;
    for c in counts.iter().filter(|c| c.day >= first && c.day <= today) {
        minutes.entry(c.day).or_insert([0.0; 5])[usize::from(c.status.severity())] += per_sample * f64::from(c.samples);
    }
    first.iter_days().take(UPTIME_DAYS as usize).map(|date| day_uptime(date, minutes.get(&date), policy)).collect()
}

fn day_uptime(date: NaiveDate, minutes: Option<&[f64; 5]>, policy: &StatusPolicy) -> DailyUptime {
    let Some(m) = minutes else {
        return DailyUptime {
            date,
            uptime: None,
            worst: None,
            minutes_major_outage: 0,
            minutes_partial_outage: 0,
            minutes_degraded: 0,
            minutes_maintenance: 0,
        };
    };
    let recorded: f64 = m.iter().sum();
    let [_, maintenance, degraded, partial, major] = *m;
    let down = major + policy.partial_outage_downtime_weight * partial;
    let worst = Status::ALL.iter().rev().find(|s| m[usize::from(s.severity())] > 0.0).copied();
    DailyUptime {
        date,
        uptime: (recorded > 0.0).then(|| (1.0 - down / recorded).clamp(0.0, 1.0)),
        worst,
        minutes_major_outage: major.round() as u32,
        minutes_partial_outage: partial.round() as u32,
        minutes_degraded: degraded.round() as u32,
        minutes_maintenance: maintenance.round() as u32,
    }
}

/// Mean uptime over the days that have data.
pub fn overall_uptime(days: &[DailyUptime]) -> Option<f64> {
    let known: Vec<f64> = days.iter().filter_map(|d| d.uptime).collect();
    (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
}

/// The sums of one series bucket, which [`series_from_sums`] averages: the
/// server has the database add them up (`Storage::system_series`), so a
/// range's few hundred buckets cross from it rather than every sample
/// (129,600 a system over 90 days); [`bucket_sums`] is the same rule over
/// samples in memory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BucketSums {
    /// Unix seconds of the bucket's start (a multiple of its width).
    pub start: i64,
    /// Sum over the bucket's sample times of allocated ÷ total GPUs (0 where none in service).
    pub utilisation: f64,
    pub running_jobs: f64,
    pub pending_jobs: f64,
    /// Sample times in the bucket.
    pub samples: u32,
}

/// The sums of `range`'s buckets ending at `now` (samples after `now - range`
/// up to `now`), oldest first; buckets without samples are left out.
pub fn bucket_sums(samples: &[SystemSample], range: HistoryRange, now: i64) -> Vec<BucketSums> {
    let width = i64::from(range.bucket_seconds());
    let from = now - range.seconds();
    let mut buckets: BTreeMap<i64, BucketSums> = BTreeMap::new();
    for s in samples.iter().filter(|s| s.ts > from && s.ts <= now) {
        let start = s.ts.div_euclid(width) * width;
        let b = buckets.entry(start).or_insert(BucketSums {
            start,
            utilisation: 0.0,
            running_jobs: 0.0,
            pending_jobs: 0.0,
            samples: 0,
        });
        if s.gpus_total > 0 {
            b.utilisation += f64::from(s.gpus_allocated) / f64::from(s.gpus_total);
        }
        b.running_jobs += f64::from(s.running_jobs);
        b.pending_jobs += f64::from(s.pending_jobs);
        b.samples += 1;
    }
    buckets.into_values().collect()
}

/// The chart's points: each bucket's sums averaged over its sample times.
/// Buckets without samples are not there (a gap in the chart).
pub fn series_from_sums(sums: &[BucketSums]) -> Vec<SeriesPoint> {
    sums.iter()
        .map(|b| {
            let n = f64::from(b.samples.max(1));
            SeriesPoint {
                t: utc(b.start),
                utilisation: b.utilisation / n,
                running_jobs: b.running_jobs / n,
                pending_jobs: b.pending_jobs / n,
            }
        })
        .collect()
}

/// Averages samples into `range`'s buckets ending at `now`, oldest first.
/// Buckets without samples are left out (a gap in the chart).
pub fn series(samples: &[SystemSample], range: HistoryRange, now: i64) -> Vec<SeriesPoint> {
    series_from_sums(&bucket_sums(samples, range, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::kst_midnight;

    fn policy() -> StatusPolicy {
        StatusPolicy {
            degraded_down_fraction: 0.03,
            partial_outage_down_fraction: 0.1,
            major_outage_down_fraction: 0.5,
            partial_outage_downtime_weight: 0.3,
        }
    }

    fn sample(ts: i64, status: Status) -> SystemSample {
        SystemSample { ts, status, gpus_allocated: 50, gpus_total: 100, running_jobs: 3, pending_jobs: 1 }
    }

    #[test]
    fn range_parses_only_the_three_spellings() {
        assert_eq!("24h".parse::<HistoryRange>(), Ok(HistoryRange::Day));
        assert_eq!("7d".parse::<HistoryRange>(), Ok(HistoryRange::Week));
        assert_eq!("90d".parse::<HistoryRange>(), Ok(HistoryRange::Quarter));
        assert!("30d".parse::<HistoryRange>().is_err());
        assert!("".parse::<HistoryRange>().is_err());
    }

    #[test]
    fn a_day_with_an_hour_of_major_outage_has_23_of_24_uptime() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let start = kst_midnight(day);
        let samples: Vec<_> = (0..1440)
            .map(|m| sample(start + m * 60, if m < 60 { Status::MajorOutage } else { Status::Operational }))
            .collect();
        let days = daily_uptime(&samples, start + 86_399, 60, &policy());
        assert_eq!(days.len(), 90);
        let last = days.last().unwrap();
        assert_eq!(last.date, day);
        assert!((last.uptime.unwrap() - 23.0 / 24.0).abs() < 1e-9);
        assert_eq!(last.worst, Some(Status::MajorOutage));
        assert_eq!(last.minutes_major_outage, 60);
        assert_eq!(days[0].uptime, None, "days without samples have no uptime");
    }

    #[test]
    fn partial_outage_counts_at_its_weight_and_maintenance_not_at_all() {
        let start = kst_midnight(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        let samples: Vec<_> = (0..100)
            .map(|m| {
                let s = match m {
                    0..=9 => Status::PartialOutage,
                    10..=29 => Status::Maintenance,
                    _ => Status::Operational,
                };
                sample(start + m * 60, s)
            })
            .collect();
        let days = daily_uptime(&samples, start + 6000, 60, &policy());
        let u = days.last().unwrap().uptime.unwrap();
        assert!((u - (1.0 - 0.3 * 10.0 / 100.0)).abs() < 1e-9, "uptime {u}");
    }

    #[test]
    fn series_averages_within_buckets() {
        let now: i64 = 1_800_000_000; // a whole hour (500,000 h)
        let samples = vec![
            SystemSample {
                ts: now - 3000,
                status: Status::Operational,
                gpus_allocated: 20,
                gpus_total: 100,
                running_jobs: 2,
                pending_jobs: 0,
            },
            SystemSample {
                ts: now - 2900,
                status: Status::Operational,
                gpus_allocated: 40,
                gpus_total: 100,
                running_jobs: 4,
                pending_jobs: 2,
            },
        ];
        let s = series(&samples, HistoryRange::Week, now);
        assert_eq!(s.len(), 1);
        assert!((s[0].utilisation - 0.3).abs() < 1e-9);
        assert!((s[0].running_jobs - 3.0).abs() < 1e-9);
        assert!((s[0].pending_jobs - 1.0).abs() < 1e-9);
    }
}
