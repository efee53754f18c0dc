//! The programme's charts, drawn once per data change on a `<canvas>` with
//! plotters: grouped horizontal bars (requests and awards by sector or
//! region; awarded, requested and target shares) and the allocation timeline
//! (what a pool's allocations hold at once, stacked by sector, against the
//! round's offer). Each chart has a table
//! alternative next to it; these functions only draw.

use chrono::{Datelike, Days, NaiveDate};
use kairr_shared::allocation::overview::HeldSeries;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use crate::common::chart::{canvas_area, AXIS_RGB, GRID_RGB};

pub use crate::common::chart::SERIES_RGB;
/// Colours of the sectors on the timeline, in `Sector::ALL` order.
pub const SECTOR_RGB: [RGBColor; 5] =
    [RGBColor(29, 78, 216), RGBColor(4, 120, 87), RGBColor(180, 83, 9), RGBColor(126, 34, 206), RGBColor(75, 85, 99)];
/// Colour of allocations flagged for reclaim.
pub const IDLE_RGB: RGBColor = RGBColor(185, 28, 28);
const TEXT_RGB: RGBColor = RGBColor(17, 24, 39);

/// Canvas size in CSS pixels and the device pixel ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CanvasSpec {
    pub css_width: f64,
    pub css_height: f64,
    pub dpr: f64,
}

/// One group of bars: its label and one value per series (`None` = no bar).
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

fn backend(canvas: &HtmlCanvasElement, spec: CanvasSpec) -> Result<DrawingArea<CanvasBackend, Shift>, String> {
    canvas_area(canvas, spec.css_width, spec.css_height, spec.dpr)
}

/// Height (CSS px) a bar chart of `groups` groups needs.
pub fn bar_chart_height(groups: usize) -> f64 {
    40.0 + 56.0 * groups as f64
}

/// Draws `groups` as horizontal bars from 0 to `max` (each group a band:
/// label on top, one bar per series below), x labels from `format`.
pub fn draw_bars(
    canvas: &HtmlCanvasElement,
    groups: &[BarGroup],
    axis: Axis,
    format: &dyn Fn(f64) -> String,
    spec: CanvasSpec,
) -> Result<(), String> {
    let root = backend(canvas, spec)?;
    bars(&root, groups, axis, format, spec.dpr.max(1.0)).map_err(|e| e.to_string())
}

/// A bar chart's value axis: where it ends and how many labels it has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub max: f64,
    pub labels: usize,
}

impl Axis {
    /// An axis up to `max` with about five labels where the chart chooses them.
    pub fn up_to(max: f64) -> Axis {
        Axis { max: max.max(f64::EPSILON), labels: 5 }
    }

    /// An axis of whole counts reaching `max`: it ends at a multiple of a
    /// 1-2-5 step of at least 1 (at most five steps), labelled at 0 and each
    /// step, so no two labels read the same.
    pub fn whole(max: f64) -> Axis {
        let max = if max.is_finite() { max.max(1.0) } else { 1.0 };
        let mut magnitude = 1.0_f64;
        loop {
            for m in [1.0, 2.0, 5.0] {
                let step = m * magnitude;
                let steps = (max / step).ceil();
                if steps <= 5.0 {
                    return Axis { max: steps * step, labels: steps as usize + 1 };
                }
            }
            magnitude *= 10.0;
        }
    }
}

fn bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    groups: &[BarGroup],
    Axis { max, labels }: Axis,
    format: &dyn Fn(f64) -> String,
    dpr: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * dpr).round() as u32;
    let n = groups.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .margin(px(10.0))
        .margin_right(px(24.0))
        .x_label_area_size(px(24.0))
        .build_cartesian_2d(0.0..max, 0.0..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(labels)
        .x_label_formatter(&|x| format(*x))
        .label_style(("sans-serif", 12.0 * dpr).into_font().color(&AXIS_RGB))
        .axis_style(AXIS_RGB.stroke_width(px(1.0)))
        .bold_line_style(GRID_RGB.stroke_width(px(1.0)))
        .light_line_style(TRANSPARENT)
        .draw()?;
    let font = ("sans-serif", 13.0 * dpr).into_font().color(&TEXT_RGB);
    for (i, g) in groups.iter().enumerate() {
        let top = n - i as f64;
        chart.draw_series(std::iter::once(Text::new(g.label.clone(), (0.0, top - 0.04), font.clone())))?;
        let k = g.values.len().max(1) as f64;
        let band = 0.55 / k;
        for (j, v) in g.values.iter().enumerate() {
            let Some(v) = v else { continue };
            let y1 = top - 0.38 - band * j as f64;
            let colour = SERIES_RGB[j % SERIES_RGB.len()];
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y1 - band * 0.85), (v.clamp(0.0, max), y1)],
                colour.filled(),
            )))?;
        }
    }
    root.present()
}

/// The capacity line's colour and dash (drawn in segments).
const CAPACITY_RGB: RGBColor = RGBColor(17, 24, 39);

/// Draws what a pool's allocations hold at once: one stacked step per change
/// (sectors in [`SECTOR_RGB`], flagged ones in [`IDLE_RGB`] on top), the
/// round's offer as a dashed line, a line at `today`; x labels are months,
/// y labels from `format` on a whole axis reaching the peak or the offer.
pub fn draw_held(
    canvas: &HtmlCanvasElement,
    series: &HeldSeries,
    today: NaiveDate,
    format: &dyn Fn(f64) -> String,
    spec: CanvasSpec,
) -> Result<(), String> {
    let root = backend(canvas, spec)?;
    held(&root, series, today, format, spec.dpr.max(1.0)).map_err(|e| e.to_string())
}

fn day_number(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// The days the chart of `series` spans: the round's period and every step.
pub fn held_range(series: &HeldSeries) -> (NaiveDate, NaiveDate) {
    let from = series.steps.iter().map(|s| s.from).fold(series.period_start, NaiveDate::min);
    let to = series.steps.iter().map(|s| s.to).fold(series.period_end, NaiveDate::max);
    (from, to.max(from.checked_add_days(Days::new(1)).unwrap_or(from)))
}

fn held<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &HeldSeries,
    today: NaiveDate,
    format: &dyn Fn(f64) -> String,
    dpr: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * dpr).round() as u32;
    let (from, to) = held_range(series);
    let (x0, x1) = (day_number(from), day_number(to) + 1.0);
    let axis = Axis::whole(series.peak().max(series.capacity) * 1.05);
    let mut chart = ChartBuilder::on(root)
        .margin(px(10.0))
        .margin_right(px(24.0))
        .x_label_area_size(px(24.0))
        .y_label_area_size(px(52.0))
        .build_cartesian_2d(x0..x1, 0.0..axis.max)?;
    // The month labels and lines are drawn below, one per month, not by the mesh's day numbers.
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(axis.labels)
        .y_label_formatter(&|y| format(*y))
        .label_style(("sans-serif", 12.0 * dpr).into_font().color(&AXIS_RGB))
        .axis_style(AXIS_RGB.stroke_width(px(1.0)))
        .bold_line_style(GRID_RGB.stroke_width(px(1.0)))
        .light_line_style(TRANSPARENT)
        .draw()?;
    let label_style = TextStyle::from(("sans-serif", 12.0 * dpr).into_font()).color(&AXIS_RGB).pos(
        plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        ),
    );
    // A month label is "2026-03": about 72 CSS px with its gap, so a phone shows fewer.
    let plot_css_px = f64::from(root.dim_in_pixel().0) / dpr - 86.0;
    let most = ((plot_css_px / 72.0).floor() as usize).clamp(2, 6);
    for month in month_ticks(from, to, most) {
        let x = day_number(month);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, 0.0), (x, axis.max)],
            GRID_RGB.stroke_width(px(1.0)),
        )))?;
        let (left, bottom) = chart.backend_coord(&(x, 0.0));
        let inset = i32::try_from(px(6.0)).unwrap_or(6);
        root.draw(&Text::new(month_label(x), (left, bottom + inset), label_style.clone()))?;
    }
    for step in &series.steps {
        let (left, right) = (day_number(step.from), day_number(step.to) + 1.0);
        let mut base = 0.0;
        let layers = step.sectors.iter().enumerate().map(|(i, v)| (*v, SECTOR_RGB[i % SECTOR_RGB.len()]));
        for (value, colour) in layers.chain(std::iter::once((step.idle, IDLE_RGB))) {
            if value > 0.0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(left, base), (right, base + value)],
                    colour.filled(),
                )))?;
                base += value;
            }
        }
    }
    // The offer, dashed: ten-day dashes with five-day gaps at any zoom would
    // vanish on a long period, so the dash is a fixed share of the width.
    let dash = ((x1 - x0) / 60.0).max(0.5);
    let mut x = x0;
    while x < x1 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, series.capacity), ((x + dash).min(x1), series.capacity)],
            CAPACITY_RGB.stroke_width(px(2.0)),
        )))?;
        x += dash * 1.6;
    }
    let t = day_number(today);
    if (x0..x1).contains(&t) {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(t, 0.0), (t, axis.max)],
            TEXT_RGB.stroke_width(px(2.0)),
        )))?;
    }
    root.present()
}

/// Where the timeline from `from` to `to` is labelled: the first day of each
/// month inside it (every second, third … month when there are more than
/// `most`), or `from` alone when no month starts inside; never one month twice.
fn month_ticks(from: NaiveDate, to: NaiveDate, most: usize) -> Vec<NaiveDate> {
    let mut starts = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(from.year(), from.month(), 1);
    while let Some(d) = m {
        if d > to {
            break;
        }
        if d >= from {
            starts.push(d);
        }
        m = d.checked_add_months(chrono::Months::new(1));
    }
    if starts.is_empty() {
        return vec![from];
    }
    let every = starts.len().div_ceil(most.max(1));
    starts.into_iter().step_by(every.max(1)).collect()
}

/// `2026-03` for the day number `x` (days from the common era).
fn month_label(x: f64) -> String {
    let Some(d) = NaiveDate::from_num_days_from_ce_opt(x.round() as i32) else { return String::new() };
    format!("{:04}-{:02}", d.year(), d.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn the_timeline_spans_the_round_and_any_allocation_outside_it() {
        use kairr_shared::allocation::overview::{HeldStep, HeldUnit};
        let step = |a, b| HeldStep { from: a, to: b, sectors: vec![1.0], idle: 0.0 };
        let mut s = HeldSeries {
            unit: HeldUnit::Servers,
            capacity: 4.0,
            period_start: day(3, 1),
            period_end: day(8, 31),
            steps: vec![],
        };
        assert_eq!(held_range(&s), (day(3, 1), day(8, 31)));
        s.steps = vec![step(day(2, 23), day(4, 1)), step(day(4, 2), day(9, 15))];
        assert_eq!(held_range(&s), (day(2, 23), day(9, 15)));
        assert_eq!(month_label(day_number(day(3, 15))), "2026-03");
    }

    #[test]
    fn the_timeline_labels_each_month_once_and_at_most_six() {
        let y = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            month_ticks(y(2026, 3, 5), y(2026, 3, 20), 6),
            vec![y(2026, 3, 5)],
            "inside one month: its first day shown"
        );
        assert_eq!(month_ticks(y(2026, 2, 23), y(2026, 5, 1), 6), vec![y(2026, 3, 1), y(2026, 4, 1), y(2026, 5, 1)]);
        assert_eq!(month_ticks(y(2026, 3, 1), y(2026, 3, 31), 6), vec![y(2026, 3, 1)]);
        let two_years = month_ticks(y(2026, 1, 1), y(2027, 12, 31), 6);
        assert_eq!(two_years.len(), 6);
        assert_eq!(two_years[1], y(2026, 5, 1), "every fourth month");
        let on_a_phone = month_ticks(y(2026, 3, 1), y(2026, 12, 31), 3);
        assert_eq!(on_a_phone, vec![y(2026, 3, 1), y(2026, 7, 1), y(2026, 11, 1)], "every fourth month of ten");
        for (from, to) in
            [(y(2025, 12, 15), y(2026, 1, 14)), (y(2026, 1, 1), y(2026, 12, 31)), (y(2026, 6, 2), y(2030, 6, 1))]
        {
            let ticks = month_ticks(from, to, 6);
            let labels: Vec<String> = ticks.iter().map(|d| month_label(day_number(*d))).collect();
            let mut unique = labels.clone();
            unique.dedup();
            assert_eq!(labels, unique, "{from}..{to}");
            assert!(!ticks.is_empty() && ticks.len() <= 6 && ticks.iter().all(|d| *d >= from && *d <= to));
        }
    }

    #[test]
    fn a_count_axis_ends_on_a_whole_step_and_never_repeats_a_label() {
        let axis = |max: f64| {
            let a = Axis::whole(max);
            (a.max, a.labels)
        };
        assert_eq!(axis(2.0), (2.0, 3), "0, 1, 2");
        assert_eq!(axis(0.0), (1.0, 2));
        assert_eq!(axis(1.0), (1.0, 2));
        assert_eq!(axis(7.0), (8.0, 5), "0, 2, 4, 6, 8");
        assert_eq!(axis(17.0), (20.0, 5));
        assert_eq!(axis(282.0), (300.0, 4));
        assert_eq!(axis(f64::NAN), (1.0, 2));
        for max in 1..2_000 {
            let a = Axis::whole(f64::from(max));
            assert!(a.max >= f64::from(max) && a.labels <= 6, "{max}: {a:?}");
            let step = a.max / (a.labels - 1) as f64;
            assert!(step >= 1.0 && step.fract() == 0.0, "{max}: whole steps, {a:?}");
        }
    }

    #[test]
    fn bar_charts_grow_with_their_groups() {
        assert!(bar_chart_height(5) > bar_chart_height(2));
    }
}
