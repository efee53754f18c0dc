//! Drawing the utilisation/queue chart on a `<canvas>` with plotters, and the
//! numbers its text alternative summarises. Time runs along x in KST.

use chrono::{DateTime, Duration, Timelike, Utc};
use kairr_shared::api::SeriesPoint;
use kairr_shared::time::{kst, utc};
use plotters::coord::Shift;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::common::chart::{canvas_area, AXIS_RGB, GRID_RGB, SERIES_RGB};
use crate::common::format::{fixed, kst_axis_label, thousands};

/// Colour of the utilisation line (also used by the HTML legend in CSS).
pub const UTILISATION_RGB: RGBColor = SERIES_RGB[0];
/// Colour of the pending-jobs line.
pub const PENDING_RGB: RGBColor = SERIES_RGB[1];

/// How to draw: canvas size in CSS pixels, device pixel ratio, and whether
/// the range spans days (axis labels then show dates instead of clock times).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartSpec {
    /// Width of the canvas box, CSS px.
    pub css_width: f64,
    /// Height of the canvas box, CSS px.
    pub css_height: f64,
    /// `window.devicePixelRatio` (≥ 1).
    pub dpr: f64,
    /// True for ranges of several days.
    pub long_range: bool,
}

/// What the chart shows, in numbers (for its `aria-label`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartSummary {
    /// Mean utilisation over the range, 0..=1.
    pub mean_utilisation: f64,
    /// Utilisation of the newest bucket, 0..=1.
    pub last_utilisation: f64,
    /// Largest mean number of pending jobs in any bucket.
    pub max_pending_jobs: f64,
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

/// Sizes the canvas backing store for `spec` and draws `series` on it
/// (utilisation % solid on the left axis, pending jobs dashed on the right).
pub fn draw(
    canvas: &HtmlCanvasElement,
    series: &[SeriesPoint],
    bucket_seconds: u32,
    spec: ChartSpec,
) -> Result<(), String> {
    let dpr = spec.dpr.max(1.0);
    let root = canvas_area(canvas, spec.css_width, spec.css_height, dpr)?;
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        return Ok(());
    };
    let x0 = first.t.timestamp() as f64;
    let x1 = (last.t.timestamp() + i64::from(bucket_seconds.max(1))) as f64;
    let ticks = axis_ticks(first.t, last.t + Duration::seconds(i64::from(bucket_seconds)), spec);
    plot(&root, series, (x0, x1), ticks, spec, dpr).map_err(|e| e.to_string())
}

fn plot<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[SeriesPoint],
    (x0, x1): (f64, f64),
    ticks: Vec<f64>,
    spec: ChartSpec,
    dpr: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * dpr).round() as u32;
    let font = ("sans-serif", 12.0 * dpr).into_font().color(&AXIS_RGB);
    let pending_max = series.iter().map(|p| p.pending_jobs).fold(0.0, f64::max);
    let pending_top = nice_ceiling(pending_max);
    let mut chart = ChartBuilder::on(root)
        .margin(px(10.0))
        .x_label_area_size(px(26.0))
        .y_label_area_size(px(44.0))
        .right_y_label_area_size(px(44.0))
        .build_cartesian_2d(TimeAxis { from: x0, to: x1, ticks: ticks.clone() }, 0.0..100.0)?
        .set_secondary_coord(TimeAxis { from: x0, to: x1, ticks }, 0.0..pending_top);
    let long = spec.long_range;
    chart
        .configure_mesh()
        .x_label_formatter(&|x| kst_axis_label(utc(*x as i64), long))
        .y_label_formatter(&|y| format!("{}%", fixed(*y, 0)))
        .y_labels(6)
        .label_style(font.clone())
        .axis_style(AXIS_RGB.stroke_width(px(1.0)))
        .bold_line_style(GRID_RGB.stroke_width(px(1.0)))
        .light_line_style(TRANSPARENT)
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_label_formatter(&|y| thousands(y.max(0.0).round() as u64))
        .y_labels(6)
        .label_style(font)
        .axis_style(AXIS_RGB.stroke_width(px(1.0)))
        .draw()?;
    let utilisation = series.iter().map(|p| (p.t.timestamp() as f64, p.utilisation * 100.0));
    chart.draw_series(AreaSeries::new(utilisation.clone(), 0.0, UTILISATION_RGB.mix(0.08)))?;
    chart.draw_series(LineSeries::new(utilisation, UTILISATION_RGB.stroke_width(px(2.0))))?;
    let pending = series.iter().map(|p| (p.t.timestamp() as f64, p.pending_jobs));
    chart.draw_secondary_series(DashedLineSeries::new(pending, px(6.0), px(4.0), PENDING_RGB.stroke_width(px(2.0))))?;
    root.present()
}

/// A time axis in Unix seconds whose key points are the given KST-aligned ticks.
#[derive(Debug, Clone)]
struct TimeAxis {
    from: f64,
    to: f64,
    ticks: Vec<f64>,
}

impl Ranged for TimeAxis {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = (self.to - self.from).max(f64::EPSILON);
        let share = (value - self.from) / span;
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let max = hint.max_num_points().max(1);
        let every = self.ticks.len().div_ceil(max).max(1);
        self.ticks.iter().step_by(every).copied().collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.from..self.to
    }
}

/// Tick positions (Unix seconds) on round KST hours or KST midnights, spaced
/// so labels fit the canvas width.
fn axis_ticks(from: DateTime<Utc>, to: DateTime<Utc>, spec: ChartSpec) -> Vec<f64> {
    let narrow = spec.css_width < 520.0;
    let step_hours: i64 = match (spec.long_range, narrow) {
        (false, false) => 3,
        (false, true) => 6,
        (true, false) => 24,
        (true, true) => 48,
    };
    let k = from.with_timezone(&kst());
    // Back up to the previous KST boundary of the step, then walk forward.
    let hours_into_day = i64::from(k.hour());
    let back = if spec.long_range { hours_into_day } else { hours_into_day % step_hours };
    let start = from
        - Duration::hours(back)
        - Duration::minutes(i64::from(k.minute()))
        - Duration::seconds(i64::from(k.second()));
    let mut out = Vec::new();
    let mut t = start;
    while t <= to {
        if t >= from {
            out.push(t.timestamp() as f64);
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
    fn day_ticks_fall_on_kst_midnight() {
        let spec = ChartSpec { css_width: 800.0, css_height: 240.0, dpr: 1.0, long_range: true };
        // 2026-11-20 03:00 UTC = 12:00 KST; next KST midnight is 15:00 UTC.
        let from = DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z").unwrap().with_timezone(&Utc);
        let ticks = axis_ticks(from, from + Duration::days(2), spec);
        let first = utc(ticks[0] as i64);
        assert_eq!(first.to_rfc3339(), "2026-11-20T15:00:00+00:00");
        assert_eq!(ticks.len(), 2);
    }
}
