//! The status page's load chart as geometry: a system's utilisation and
//! queue series turned into SVG paths in a fixed view box and the labels of
//! its axes, placed as fractions of the plot so the page can stretch the
//! drawing to any width while its text keeps its size. The server writes it
//! as an inline SVG (`server/src/first_view/status.rs`); no canvas and no
//! drawing library reach the status page's wasm.

use chrono::{DateTime, Duration, Timelike, Utc};

use crate::api::SeriesPoint;
use crate::display::format::{fixed, kst_axis_label, thousands};
use crate::time::kst;

/// Width of the view box the paths are drawn in.
pub const VIEW_WIDTH: f64 = 1000.0;
/// Height of the view box (100 = the top of both axes).
pub const VIEW_HEIGHT: f64 = 100.0;

/// A label on an axis at `at` (0..=1: from the left on the time axis, from
/// the bottom on the value axes). A `minor` label is left out where the
/// chart is narrow (a phone), so the labels never overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Where along the axis, 0..=1.
    pub at: f64,
    /// What it says.
    pub label: String,
    /// Shown only on wide charts.
    pub minor: bool,
}

/// What the chart shows, in numbers (for its accessible name).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartSummary {
    /// Mean utilisation over the range, 0..=1.
    pub mean_utilisation: f64,
    /// Utilisation of the newest bucket, 0..=1.
    pub last_utilisation: f64,
    /// Largest mean number of pending jobs in any bucket.
    pub max_pending_jobs: f64,
}

/// The chart of one series, ready to be written as SVG and HTML.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadChart {
    /// Utilisation (left axis, 0–100 %) as an SVG path, empty without data.
    pub utilisation_line: String,
    /// The area under the utilisation line (closed path).
    pub utilisation_area: String,
    /// Pending jobs (right axis, 0..[`LoadChart::pending_top`]).
    pub pending_line: String,
    /// The right axis's top: a round number of jobs.
    pub pending_top: f64,
    /// Utilisation labels, 0 % to 100 %.
    pub left_ticks: Vec<Tick>,
    /// Pending-job labels, 0 to the top.
    pub right_ticks: Vec<Tick>,
    /// Time labels on round KST hours (or KST midnights for long ranges).
    pub time_ticks: Vec<Tick>,
    /// The key numbers; `None` without data.
    pub summary: Option<ChartSummary>,
}

/// Lays out `series` (buckets of `bucket_seconds`, oldest first) over the
/// `range_seconds` that end with its newest bucket, so a system recorded for
/// only part of the range fills only that part; `long_range` for ranges of
/// days (time labels then show dates). Buckets with nothing recorded (a gap
/// longer than one and a half buckets) break the lines; a lone bucket is
/// drawn one bucket wide.
pub fn load_chart(series: &[SeriesPoint], bucket_seconds: u32, range_seconds: i64, long_range: bool) -> LoadChart {
    let pending_max = series.iter().map(|p| p.pending_jobs).fold(0.0, f64::max);
    let pending_top = nice_ceiling(pending_max);
    let value_ticks = |top: f64, label: &dyn Fn(f64) -> String| -> Vec<Tick> {
        (0..=5).map(|i| f64::from(i) / 5.0).map(|at| Tick { at, label: label(at * top), minor: false }).collect()
    };
    let left_ticks = value_ticks(100.0, &|v| format!("{}%", fixed(v, 0)));
    let right_ticks = value_ticks(pending_top, &|v| thousands(v.max(0.0).round() as u64));
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        return LoadChart { pending_top, left_ticks, right_ticks, ..LoadChart::default() };
    };
    let bucket = i64::from(bucket_seconds.max(1));
    let to = last.t + Duration::seconds(bucket);
    let from = (to - Duration::seconds(range_seconds.max(bucket))).min(first.t);
    let span = ((to - from).num_seconds() as f64).max(1.0);
    let x = |t: DateTime<Utc>| (t - from).num_seconds() as f64 / span * VIEW_WIDTH;
    let y = |share: f64| (1.0 - share.clamp(0.0, 1.0)) * VIEW_HEIGHT;
    let bucket_width = bucket as f64 / span * VIEW_WIDTH;
    let mut utilisation = Vec::new();
    let mut pending = Vec::new();
    for run in runs(series, bucket) {
        let mut u: Vec<(f64, f64)> = run.iter().map(|p| (x(p.t), y(p.utilisation))).collect();
        let mut q: Vec<(f64, f64)> = run.iter().map(|p| (x(p.t), y(p.pending_jobs / pending_top))).collect();
        if let ([(x0, uy)], [(_, qy)]) = (&u[..], &q[..]) {
            let (x1, uy, qy) = (x0 + bucket_width, *uy, *qy);
            u.push((x1, uy));
            q.push((x1, qy));
        }
        utilisation.push(u);
        pending.push(q);
    }
    let utilisation_area = utilisation
        .iter()
        .filter_map(|run| {
            let (first, last) = (run.first()?, run.last()?);
            Some(format!(
                "M{},{}{}L{},{}Z",
                coord(first.0),
                coord(VIEW_HEIGHT),
                path(run).replacen('M', "L", 1),
                coord(last.0),
                coord(VIEW_HEIGHT)
            ))
        })
        .collect();
    let time_ticks = time_ticks(from, to, long_range)
        .into_iter()
        .enumerate()
        .map(|(i, t)| Tick { at: x(t) / VIEW_WIDTH, label: kst_axis_label(t, long_range), minor: i % 2 == 1 })
        .collect();
    LoadChart {
        utilisation_line: utilisation.iter().map(|run| path(run)).collect(),
        utilisation_area,
        pending_line: pending.iter().map(|run| path(run)).collect(),
        pending_top,
        left_ticks,
        right_ticks,
        time_ticks,
        summary: summarise(series),
    }
}

/// `series` cut where buckets are missing (consecutive points more than
/// one and a half buckets apart).
fn runs(series: &[SeriesPoint], bucket: i64) -> Vec<&[SeriesPoint]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..series.len() {
        if (series[i].t - series[i - 1].t).num_seconds() * 2 > bucket * 3 {
            out.push(&series[start..i]);
            start = i;
        }
    }
    if start < series.len() {
        out.push(&series[start..]);
    }
    out
}

/// Summarises `series`; `None` when it is empty.
pub fn summarise(series: &[SeriesPoint]) -> Option<ChartSummary> {
    let last = series.last()?;
    let n = series.len() as f64;
    Some(ChartSummary {
        mean_utilisation: series.iter().map(|p| p.utilisation).sum::<f64>() / n,
        last_utilisation: last.utilisation,
        max_pending_jobs: series.iter().map(|p| p.pending_jobs).fold(0.0, f64::max),
    })
}

/// `M x,y L x,y …` through `points`.
fn path(points: &[(f64, f64)]) -> String {
    let mut out = String::with_capacity(points.len() * 12);
    for (i, (x, y)) in points.iter().enumerate() {
        out.push(if i == 0 { 'M' } else { 'L' });
        out.push_str(&coord(*x));
        out.push(',');
        out.push_str(&coord(*y));
    }
    out
}

/// A coordinate to a tenth of a view-box unit, without a trailing `.0`.
fn coord(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}{}.{}", if tenths < 0 { "-" } else { "" }, (tenths / 10).abs(), (tenths % 10).abs())
    }
}

/// Instants on round KST hours (every 3 h) or KST midnights (long ranges)
/// within `from..=to`; every other one is minor.
fn time_ticks(from: DateTime<Utc>, to: DateTime<Utc>, long_range: bool) -> Vec<DateTime<Utc>> {
    let step_hours: i64 = if long_range { 24 } else { 3 };
    let k = from.with_timezone(&kst());
    // Back up to the previous KST boundary of the step, then walk forward.
    let hours_into_day = i64::from(k.hour());
    let back = if long_range { hours_into_day } else { hours_into_day % step_hours };
    let start = from
        - Duration::hours(back)
        - Duration::minutes(i64::from(k.minute()))
        - Duration::seconds(i64::from(k.second()));
    let mut out = Vec::new();
    let mut t = start;
    while t <= to {
        if t >= from {
            out.push(t);
        }
        t += Duration::hours(step_hours);
    }
    out
}

/// A round axis top for pending jobs: 10, 20, 50, 100, 200, … (at least 10).
fn nice_ceiling(max: f64) -> f64 {
    let mut top = 10.0;
    while top < max * 1.1 {
        top *= if (top / 10f64.powf(top.log10().floor()) - 2.0).abs() < f64::EPSILON { 2.5 } else { 2.0 };
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::utc;

    fn point(t: i64, u: f64, pending: f64) -> SeriesPoint {
        SeriesPoint { t: utc(t), utilisation: u, running_jobs: 0.0, pending_jobs: pending }
    }

    #[test]
    fn the_summary_averages_utilisation_and_takes_the_worst_queue() {
        let s = summarise(&[point(0, 0.5, 3.0), point(900, 1.0, 7.0)]).unwrap();
        assert_eq!(s.mean_utilisation, 0.75);
        assert_eq!(s.last_utilisation, 1.0);
        assert_eq!(s.max_pending_jobs, 7.0);
        assert!(summarise(&[]).is_none());
    }

    #[test]
    fn the_pending_axis_ends_on_a_round_number() {
        for (max, top) in [(0.0, 10.0), (9.0, 10.0), (12.0, 20.0), (30.0, 50.0), (60.0, 100.0), (150.0, 200.0)] {
            assert_eq!(nice_ceiling(max), top, "max={max}");
        }
    }

    #[test]
    fn day_ticks_fall_on_kst_midnight_and_hour_ticks_on_every_third_hour() {
        // 2026-11-20 03:00 UTC = 12:00 KST; next KST midnight is 15:00 UTC.
        let from = DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z").unwrap().with_timezone(&Utc);
        let days = time_ticks(from, from + Duration::days(2), true);
        assert_eq!(
            days.iter().map(|t| t.to_rfc3339()).collect::<Vec<_>>(),
            ["2026-11-20T15:00:00+00:00", "2026-11-21T15:00:00+00:00"]
        );
        let hours = time_ticks(from + Duration::minutes(20), from + Duration::hours(7), false);
        let labels: Vec<String> = hours.iter().map(|t| kst_axis_label(*t, false)).collect();
        assert_eq!(labels, ["15:00", "18:00"]);
    }

    #[test]
    fn the_paths_span_the_view_box_and_follow_the_values() {
        let series = [point(0, 0.0, 0.0), point(900, 0.5, 10.0), point(1800, 1.0, 20.0)];
        let c = load_chart(&series, 900, 2_700, false);
        // Three buckets of 900 s over 2,700 s: x = 0, 333.3, 666.7; 100 % is the top (y = 0).
        assert_eq!(c.utilisation_line, "M0,100L333.3,50L666.7,0");
        assert_eq!(c.utilisation_area, "M0,100L0,100L333.3,50L666.7,0L666.7,100Z");
        // Pending 20 → axis top 50 (20 × 1.1 > 20).
        assert_eq!(c.pending_top, 50.0);
        assert_eq!(c.pending_line, "M0,100L333.3,80L666.7,60");
        assert_eq!(c.left_ticks.first().map(|t| t.label.as_str()), Some("0%"));
        assert_eq!(c.left_ticks.last().map(|t| (t.at, t.label.as_str())), Some((1.0, "100%")));
        assert_eq!(
            c.right_ticks.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
            ["0", "10", "20", "30", "40", "50"]
        );
        assert!(c.summary.is_some());
    }

    #[test]
    fn time_labels_sit_where_their_instant_is_and_alternate_minor() {
        // 24 h of 15-minute buckets starting on a KST midnight.
        let start = DateTime::parse_from_rfc3339("2026-11-19T15:00:00Z").unwrap().with_timezone(&Utc).timestamp();
        let series: Vec<SeriesPoint> = (0..96).map(|i| point(start + i * 900, 0.5, 1.0)).collect();
        let c = load_chart(&series, 900, 86_400, false);
        let labels: Vec<&str> = c.time_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "00:00"]);
        assert_eq!(c.time_ticks[1].at, 0.125);
        assert_eq!(c.time_ticks[8].at, 1.0);
        assert!(c.time_ticks.iter().enumerate().all(|(i, t)| t.minor == (i % 2 == 1)));
    }

    #[test]
    fn an_empty_series_draws_nothing_but_keeps_its_axes() {
        let c = load_chart(&[], 900, 86_400, false);
        assert!(c.utilisation_line.is_empty() && c.pending_line.is_empty() && c.time_ticks.is_empty());
        assert_eq!(c.left_ticks.len(), 6);
        assert!(c.summary.is_none());
    }

    #[test]
    fn a_short_record_fills_only_its_part_of_the_range_and_gaps_break_the_lines() {
        // Two buckets, then one missing, then one: over a range of eight buckets.
        let series = [point(0, 1.0, 0.0), point(900, 1.0, 0.0), point(2_700, 0.5, 0.0)];
        let c = load_chart(&series, 900, 8 * 900, false);
        // The range ends with the newest bucket (3,600 s): it starts at -3,600, so the record starts half-way.
        assert_eq!(
            c.utilisation_line, "M500,0L625,0M875,50L1000,50",
            "a gap breaks the line; a lone bucket is a bucket wide"
        );
        assert_eq!(c.utilisation_area.matches('Z').count(), 2);
        assert_eq!(c.pending_line.matches('M').count(), 2);
    }

    #[test]
    fn coordinates_are_written_to_a_tenth() {
        assert_eq!(coord(0.0), "0");
        assert_eq!(coord(12.04), "12");
        assert_eq!(coord(12.06), "12.1");
        assert_eq!(coord(-0.25), "-0.3");
        assert_eq!(coord(999.95), "1000");
    }
}
