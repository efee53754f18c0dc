//! The systems' histories on the status page: the charts' range links, each
//! system's 90 uptime days and its load chart over the range asked, drawn
//! from the history the API serves (`handlers::history::load`).

use std::sync::Arc;

use kairr_shared::api::{DailyUptime, StatusHistory, SystemStatus};
use kairr_shared::display::format::{date, fixed, iso, kst_minute, percent, thousands};
use kairr_shared::display::labels;
use kairr_shared::display::load_chart::{load_chart, VIEW_HEIGHT, VIEW_WIDTH};
use kairr_shared::display::status_query::{StatusQuery, CHART_RANGES};
use kairr_shared::history::HistoryRange;
use kairr_shared::i18n::{tfs as tf, ts as t, Locale};
use maud::{html, Markup};

/// What the page shows of the systems' histories.
#[derive(Debug, Clone, Copy)]
pub enum Histories<'a> {
    /// Drawn from these (a system without one: its frames say it could not be read).
    Drawn(&'a [Arc<StatusHistory>]),
    /// Left out: the page refreshes the live figures of a page the browser
    /// shows, which keeps its own (they change once a recording interval;
    /// the minute's full refresh brings them).
    Kept,
}

/// A system's uptime bars and load chart, or the place the browser keeps
/// its own in ([`Histories::Kept`]).
pub fn system_history(loc: Locale, s: &SystemStatus, histories: Histories<'_>) -> Markup {
    match histories {
        Histories::Drawn(all) => {
            let history = all.iter().find(|h| h.system == s.id).map(|h| h.as_ref());
            html! {
                div.system-history data-system-id=(s.id) {
                    (uptime(loc, &s.id, history))
                    (load(loc, s, history))
                }
            }
        }
        Histories::Kept => html! { div.system-history data-system-id=(s.id) data-kept {} },
    }
}

/// The range control of every load chart: links (`?range=`) that work
/// without the wasm; with it, the page follows them without a reload.
pub fn range_toggle(loc: Locale, query: StatusQuery) -> Markup {
    let tr = |key: &str| t(loc, key);
    html! {
        div.chart-range {
            span #chart-range-label { (tr("chart.range_label")) }
            div.range-toggle role="group" aria-labelledby="chart-range-label" {
                @for r in CHART_RANGES {
                    @let key = if r == HistoryRange::Day { "chart.range_24h" } else { "chart.range_7d" };
                    a.toggle href={ "/" (query.with_range(r).to_query()) } data-testid={ "range-" (r.as_str()) } data-range=(r.as_str())
                        aria-current=[(r == query.range).then_some("true")] { (tr(key)) }
                }
            }
        }
    }
}

/// A system's 90 KST days as one bar each (30 on a phone), coloured by the
/// day's worst status, each named by its date and facts; keyboard and
/// pointer show a day's facts in the detail line (`live_page`). `None`
/// when the history could not be read: the frame stays, the next refresh
/// tries again.
fn uptime(loc: Locale, system_id: &str, history: Option<&StatusHistory>) -> Markup {
    let tr = |key: &str| t(loc, key);
    let hint_id = format!("uptime-{system_id}-hint");
    let days = history.map_or(&[][..], |h| &h.uptime_days[..]);
    let last = days.len().saturating_sub(1);
    html! {
        div.uptime {
            div.uptime-head {
                h4 { (tr("uptime.title")) }
                p.uptime-percent data-testid="uptime-percent" {
                    // No history read (late or failed) is not "no data": the page tries again.
                    @match history.map(|h| h.uptime_fraction) {
                        Some(Some(f)) => (tf(loc, "uptime.overall", &[("pct", percent(f, 2))])),
                        Some(None) => (tr("uptime.overall_none")),
                        None => (tr("uptime.unavailable")),
                    }
                }
            }
            div.uptime-bars data-testid="uptime-bars" role="group" aria-label=(tr("uptime.group_label")) aria-describedby=(hint_id) {
                @for (i, d) in days.iter().enumerate() {
                    span class={ "uptime-day " (day_class(d)) } data-testid="uptime-day" data-index=(i) data-date=(d.date)
                        data-status=(d.worst.map_or("none", |s| s.as_str())) role="img" tabindex=(if i == last { "0" } else { "-1" })
                        aria-label={ (date(d.date)) ": " (day_facts(loc, d)) } {}
                }
            }
            div.uptime-axis aria-hidden="true" {
                span.axis-90 { (tr("uptime.axis_past")) }
                span.axis-30 { (tr("uptime.axis_past_30")) }
                span { (tr("uptime.axis_today")) }
            }
            // What a screen reader hears: the hint once, on entering the
            // bar, then each focused day's own name. The detail line repeats
            // the day pointed at or focused for the eyes only (were it live,
            // every day would be read twice).
            span.sr-only id=(hint_id) { (tr("uptime.hint")) }
            p.uptime-detail data-testid="uptime-detail" aria-hidden="true" data-hint=(tr("uptime.hint")) { (tr("uptime.hint")) }
            details.alt-table {
                summary { (tr("uptime.table_summary")) }
                table.data-table data-testid="uptime-table" {
                    thead { tr {
                        @for key in ["uptime.col_date", "uptime.col_status", "uptime.col_uptime", "uptime.col_outage", "uptime.col_maintenance"] {
                            th scope="col" { (tr(key)) }
                        }
                    } }
                    tbody {
                        @for d in days.iter().rev() {
                            tr {
                                th scope="row" { time datetime=(d.date) { (date(d.date)) } }
                                td { (d.worst.map_or_else(|| tr("uptime.no_data"), |s| labels::status(loc, s))) }
                                td { (d.uptime.map_or_else(|| "—".to_owned(), |u| percent(u, 2))) }
                                td { (d.minutes_major_outage + d.minutes_partial_outage + d.minutes_degraded) }
                                td { (d.minutes_maintenance) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// CSS class of a day: its worst status, or `nodata`.
fn day_class(d: &DailyUptime) -> &'static str {
    match (d.uptime, d.worst) {
        (Some(_), Some(s)) => s.as_str(),
        _ => "nodata",
    }
}

/// "가동률 99.80% · 장애 12분 · 점검 30분", or "데이터 없음".
fn day_facts(loc: Locale, d: &DailyUptime) -> String {
    let Some(u) = d.uptime else {
        return t(loc, "uptime.no_data");
    };
    let mut parts = vec![tf(loc, "uptime.day_uptime", &[("pct", percent(u, 2))])];
    let outage = d.minutes_major_outage + d.minutes_partial_outage;
    let minutes = [
        ("uptime.day_outage", outage),
        ("uptime.day_degraded", d.minutes_degraded),
        ("uptime.day_maintenance", d.minutes_maintenance),
    ];
    for (key, min) in minutes.into_iter().filter(|(_, min)| *min > 0) {
        parts.push(tf(loc, key, &[("min", min.to_string())]));
    }
    if let Some(s) = d.worst {
        parts.push(labels::status(loc, s));
    }
    parts.join(" · ")
}

/// The utilisation and queue of a system over the page's range, as an
/// inline SVG stretched to the width of its box (the lines keep their
/// width) between HTML axis labels, with a legend and the numbers as a table.
fn load(loc: Locale, s: &SystemStatus, history: Option<&StatusHistory>) -> Markup {
    let tr = |key: &str| t(loc, key);
    let title_id = format!("chart-{}-title", s.id);
    let range_of = |h: &StatusHistory| h.range.parse::<HistoryRange>().unwrap_or(HistoryRange::Day);
    let long = history.is_some_and(|h| range_of(h) != HistoryRange::Day);
    let chart =
        history.map(|h| load_chart(&h.series, h.bucket_seconds, range_of(h).seconds(), long)).unwrap_or_default();
    let range = tr(if long { "chart.range_7d" } else { "chart.range_24h" });
    let system = loc.pick(&s.name_ko, &s.name_en).to_owned();
    let label = match (&chart.summary, history) {
        (_, None) => tf(loc, "error.history", &[("system", system)]),
        (None, Some(_)) => tf(loc, "chart.empty", &[("system", system), ("range", range)]),
        (Some(m), Some(_)) => tf(
            loc,
            "chart.summary",
            &[
                ("system", system),
                ("range", range),
                ("mean", percent(m.mean_utilisation, 0)),
                ("last", percent(m.last_utilisation, 0)),
                ("pending", thousands(m.max_pending_jobs.round().max(0.0) as u64)),
            ],
        ),
    };
    let at = |v: f64| format!("{:.2}%", v * 100.0);
    html! {
        div.load {
            div.load-head { h4 id=(title_id) { (tr("chart.title")) } }
            div.load-figure data-testid="load-chart" role="img" aria-label=(label) {
                div.chart-axis.chart-axis-left aria-hidden="true" {
                    @for tick in &chart.left_ticks { span style={ "bottom:" (at(tick.at)) } { (tick.label) } }
                }
                svg.chart-plot viewBox={ "0 0 " (VIEW_WIDTH) " " (VIEW_HEIGHT) } preserveAspectRatio="none" aria-hidden="true" focusable="false" {
                    @for tick in &chart.left_ticks {
                        line.chart-grid x1="0" x2=(VIEW_WIDTH) y1=((1.0 - tick.at) * VIEW_HEIGHT) y2=((1.0 - tick.at) * VIEW_HEIGHT) {}
                    }
                    @if !chart.utilisation_line.is_empty() {
                        path.chart-area d=(chart.utilisation_area) {}
                        path.chart-utilisation d=(chart.utilisation_line) {}
                        path.chart-pending d=(chart.pending_line) {}
                    }
                }
                @if history.is_none() {
                    // Said to screen readers by the figure's label.
                    p.chart-unavailable aria-hidden="true" { (label) }
                }
                div.chart-axis.chart-axis-right aria-hidden="true" {
                    @for tick in &chart.right_ticks { span style={ "bottom:" (at(tick.at)) } { (tick.label) } }
                }
                div.chart-axis.chart-axis-time aria-hidden="true" {
                    @for tick in &chart.time_ticks {
                        span class=[tick.minor.then_some("minor")] style={ "left:" (at(tick.at)) } { (tick.label) }
                    }
                }
            }
            ul.legend {
                li.legend-utilisation { (tr("chart.legend_utilisation")) }
                li.legend-pending { (tr("chart.legend_pending")) }
            }
            details.alt-table {
                summary { (tr("chart.table_summary")) }
                table.data-table data-testid="load-table" {
                    thead { tr {
                        @for key in ["chart.col_time", "chart.col_utilisation", "chart.col_running", "chart.col_pending"] {
                            th scope="col" { (tr(key)) }
                        }
                    } }
                    tbody {
                        @for p in history.map_or(&[][..], |h| &h.series[..]).iter().rev() {
                            tr {
                                // The column says KST: each row only its date and minute (96 to 168 rows a chart).
                                th scope="row" { time datetime=(iso(p.t)) { (kst_minute(p.t).trim_end_matches(" KST")) } }
                                td { (percent(p.utilisation, 1)) }
                                td { (fixed(p.running_jobs, 0)) }
                                td { (fixed(p.pending_jobs, 0)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
