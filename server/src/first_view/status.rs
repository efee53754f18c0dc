//! The status page (`/`) as HTML, from the same snapshot and incidents the API
//! serves and with the same words ([`kairr_shared::display`]): the page's only
//! rendering. The browser keeps it live by fetching it again and swapping
//! its header, main and footer (`app/src/status/live_page.rs`), keeping
//! the GPU input and each system's `.system-history`, where it mounts the
//! uptime bars and load chart (Leptos islands) on placeholders drawn here
//! at their final size. `e2e/status.test.mjs` and `first-view.test.mjs`
//! check the page before and after the wasm starts.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kairr_shared::api::{DailyUptime, StatusHistory, StatusSummary, SystemStatus};
use kairr_shared::api::{Incident, IncidentsResponse, Maintenance, PoolStatus};
use kairr_shared::display::format::{
    ago, date, duration, fixed, iso, kilowatts, kst_minute, percent, thousands, AgeUnit,
};
use kairr_shared::display::icons::status_icon_path;
use kairr_shared::display::labels;
use kairr_shared::display::load_chart::{load_chart, VIEW_HEIGHT, VIEW_WIDTH};
use kairr_shared::display::status_query::{StatusQuery, CHART_RANGES};
use kairr_shared::history::HistoryRange;
// The status page's own strings, then the common ones (header, footer, errors).
use kairr_shared::i18n::{tfs as tf, ts as t, Locale};
use kairr_shared::start_now::start_now;
use kairr_shared::status::Status;
use maud::{html, Markup};

use super::frame::{self, NavPage};

/// Everything `<body>` shows before the app starts: skip link, header with
/// the overall banner, the GPU input, incidents and maintenance, every
/// system and pool, past incidents, footer. `incidents` is `None` when they
/// could not be read (the next refresh tries again). Every pool answers
/// whether a job of `gpus` GPUs would start now (the page's `?gpus=`).
pub fn status_page(
    loc: Locale,
    summary: &StatusSummary,
    incidents: Option<&IncidentsResponse>,
    histories: Histories<'_>,
    now: DateTime<Utc>,
    query: StatusQuery,
) -> Markup {
    let tr = |key: &str| t(loc, key);
    html! {
        (frame::skip_link(loc))
        (frame::header(loc, NavPage::Status, Some(summary.source), banner(loc, summary, now)))
        main #main tabindex="-1" {
            (component_list(loc, summary))
            (gpu_panel(loc, query))
            div.notices {
                section.panel.incidents data-testid="incidents" aria-labelledby="incidents-title" {
                    h2 #incidents-title { (tr("incident.active_title")) }
                    @match incidents {
                        None => p.muted { (tr("common.loading")) },
                        Some(d) if d.active.is_empty() => p.none data-testid="no-incidents" { (tr("incident.none_active")) },
                        Some(d) => @for i in &d.active { (incident(loc, summary, i, true)) },
                    }
                }
                section.panel.maintenance data-testid="maintenance" aria-labelledby="maintenance-title" {
                    h2 #maintenance-title { (tr("maintenance.title")) }
                    @match incidents {
                        None => p.muted { (tr("common.loading")) },
                        Some(d) if d.maintenance.is_empty() => p.none data-testid="no-maintenance" { (tr("maintenance.none")) },
                        Some(d) => ul.windows { @for m in &d.maintenance { (window(loc, summary, m)) } },
                    }
                }
            }
            section.systems aria-labelledby="systems-title" {
                h2 #systems-title { (tr("system.section_title")) }
                (uptime_key(loc, summary.partial_outage_weight))
                (range_toggle(loc, query))
                @for s in &summary.systems {
                    (system(loc, s, query.gpus, histories))
                }
            }
            section.panel.past data-testid="past-incidents" aria-labelledby="past-title" {
                h2 #past-title { (tr("incident.past_title")) }
                @match incidents {
                    Some(d) if !d.past.is_empty() || !d.past_maintenance.is_empty() => details.past-list {
                        summary { (tf(loc, "incident.past_summary", &[("n", d.past.len().to_string()), ("m", d.past_maintenance.len().to_string())])) }
                        @for i in &d.past { (incident(loc, summary, i, false)) }
                        @if !d.past_maintenance.is_empty() {
                            ul.windows.past-windows { @for m in &d.past_maintenance { (window(loc, summary, m)) } }
                        }
                    },
                    _ => p.none { (tr("incident.none_past")) },
                }
            }
        }
        (frame::footer(loc, Some(summary.source), false))
    }
}

/// One line per pool: name (to its card), idle GPUs, status.
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

fn component_list(loc: Locale, summary: &StatusSummary) -> Markup {
    html! {
        section.panel.components aria-labelledby="components-title" data-testid="component-list" {
            h2 #components-title { (t(loc, "components.title")) }
            ul.component-list {
                @for sys in &summary.systems {
                    @for p in &sys.pools {
                        @let line = labels::pool_line(loc, sys, p);
                        li.component data-testid="component" data-pool-id=(p.id) {
                            a href={ "#pool-" (p.id) "-name" } { (line.name) }
                            span.component-free { (line.free) }
                            (frame::badge(loc, p.status, "component-status"))
                        }
                    }
                }
            }
        }
    }
}

fn gpu_panel(loc: Locale, query: StatusQuery) -> Markup {
    let tr = |key: &str| t(loc, key);
    html! {
        section.gpu-panel aria-labelledby="gpu-panel-title" {
            h2 #gpu-panel-title { (tr("gpu.title")) }
            // A form: without the wasm, Enter asks the server (`?gpus=`); with it, the answers follow each keystroke.
            form.gpu-field method="get" action="/" {
                label for="gpu-input" { (tr("gpu.label")) }
                div.gpu-input-row {
                    input #gpu-input name="gpus" data-testid="gpu-input" type="text" inputmode="numeric" autocomplete="off"
                        spellcheck="false" value=(query.gpus) aria-invalid="false" aria-describedby="gpu-input-hint";
                    span.gpu-unit aria-hidden="true" { "GPU" }
                }
                // The words the page says of a count that is not one, for the wasm to show as it is typed.
                p #gpu-input-hint .hint data-error-empty=(tr("gpu.error_empty")) data-error-zero=(tr("gpu.error_zero"))
                    data-error-not-a-number=(tr("gpu.error_not_a_number")) { (tr("gpu.hint")) }
                @if query.range != HistoryRange::Day { input type="hidden" name="range" value=(query.range.as_str()); }
            }
        }
    }
}

fn system_name(summary: &StatusSummary, id: &str, loc: Locale) -> String {
    summary
        .systems
        .iter()
        .find(|x| x.id == id)
        .map_or_else(|| id.to_owned(), |s| loc.pick(&s.name_ko, &s.name_en).to_owned())
}

fn incident(loc: Locale, summary: &StatusSummary, i: &Incident, active: bool) -> Markup {
    html! {
        article class={ "incident impact-" (i.impact.as_str()) } data-testid=(if active { "incident" } else { "past-incident" })
            data-incident-id=(i.id) data-state=(i.state.as_str()) {
            h3 { a href={ "/incidents/" (i.id) } { (loc.pick(&i.title_ko, &i.title_en)) } }
            p.incident-meta {
                (frame::badge(loc, i.impact, "incident-impact"))
                span { (system_name(summary, &i.system_id, loc)) }
                span { (t(loc, "incident.started")) " " (frame::time(i.started_at)) }
                @if let Some(r) = i.resolved_at { span { (t(loc, "incident.resolved")) " " (frame::time(r)) } }
            }
            ol.updates {
                // A past incident shows its last word; its page has every update.
                @for u in i.updates.iter().rev().take(if active { usize::MAX } else { 1 }) {
                    li.update data-testid="incident-update" data-state=(u.state.as_str()) {
                        p.update-head { strong { (labels::incident_state(loc, u.state)) } " · " (frame::time(u.at)) }
                        p { (loc.pick(&u.body_ko, &u.body_en)) }
                    }
                }
            }
        }
    }
}

fn window(loc: Locale, summary: &StatusSummary, m: &Maintenance) -> Markup {
    let state = m.state.as_str();
    html! {
        li class={ "window window-" (state) } data-testid="maintenance-window" data-state=(state) data-maintenance-id=(m.id) {
            p.window-head {
                span class={ "pill pill-" (state) } { (labels::maintenance_state(loc, m.state)) }
                strong { a href={ "/maintenance/" (m.id) } { (loc.pick(&m.title_ko, &m.title_en)) } }
            }
            p.window-meta {
                span { (system_name(summary, &m.system_id, loc)) }
                span { (frame::time(m.starts_at)) " – " (frame::time(m.ends_at)) }
                @if m.nodes_affected > 0 {
                    span { (tf(loc, "maintenance.nodes", &[("n", thousands(u64::from(m.nodes_affected)))])) }
                }
            }
        }
    }
}

fn system(loc: Locale, s: &SystemStatus, gpus: u32, histories: Histories<'_>) -> Markup {
    let tr = |key: &str| t(loc, key);
    let title_id = format!("system-{}-name", s.id);
    let args = [
        ("kind", labels::kind(loc, s.kind)),
        ("operator", s.operator_in(loc).to_owned()),
        ("source", labels::source(loc, s.source)),
    ];
    html! {
        section.system data-testid="system" data-system-id=(s.id) aria-labelledby=(title_id) {
            div.system-head {
                div {
                    h3 id=(title_id) { (loc.pick(&s.name_ko, &s.name_en)) }
                    p.system-meta { span.sr-only { (tr("system.meta_label")) } (tf(loc, "system.meta", &args)) }
                }
                (frame::badge(loc, s.status, "system-status"))
            }
            @if let Some(reason) = &s.stale_reason {
                p.stale-warning role="status" data-testid="system-stale" {
                    (frame::icon(status_icon_path(Status::Degraded)))
                    span {
                        (tf(loc, "system.stale", &[("time", s.last_good_at.map_or_else(|| "—".to_owned(), kst_minute))]))
                        " " small { (reason) }
                    }
                }
            }
            div.pool-grid { @for p in &s.pools { (pool(loc, p, s.pue, gpus)) } }
            @match histories {
                Histories::Drawn(all) => {
                    @let history = all.iter().find(|h| h.system == s.id).map(|h| h.as_ref());
                    div.system-history data-system-id=(s.id) {
                        (uptime(loc, &s.id, history))
                        (load(loc, s, history))
                    }
                }
                Histories::Kept => div.system-history data-system-id=(s.id) data-kept {},
            }
        }
    }
}

fn pool(loc: Locale, p: &PoolStatus, pue: f64, gpus: u32) -> Markup {
    let tr = |key: &str| t(loc, key);
    let n = |v: u32| thousands(u64::from(v));
    let title_id = format!("pool-{}-name", p.id);
    let nodes = [
        ("up", n(p.nodes.up)),
        ("down", n(p.nodes.down)),
        ("drained", n(p.nodes.drained)),
        ("total", n(p.nodes.total)),
    ];
    let jobs = [("running", n(p.running_jobs)), ("pending", n(p.pending_jobs))];
    let answer = start_now(p, gpus);
    let kind = labels::answer_kind(&answer);
    let rounded = labels::answer_gpus(&answer).filter(|g| *g != gpus);
    html! {
        article.pool-card data-testid="pool-card" data-pool-id=(p.id) aria-labelledby=(title_id) {
            div.pool-head {
                h4 id=(title_id) { (loc.pick(&p.name_ko, &p.name_en)) }
                (frame::badge(loc, p.status, "pool-status"))
            }
            ul.free-gpus data-testid="free-gpus" {
                @for g in &p.gpus {
                    li { (tf(loc, "pool.free_gpus", &[("model", g.model.clone()), ("free", n(g.free)), ("total", n(g.total))])) }
                }
            }
            div.free-bar aria-hidden="true" { span style={ "width:" (percent(p.free_share(), 1)) } {} }
            dl.metrics {
                div.metric data-testid="utilisation" { dt { (tr("pool.utilisation")) } dd { (percent(p.utilisation, 0)) } }
                div.metric data-testid="jobs" { dt { (tr("pool.jobs")) } dd { (tf(loc, "pool.jobs_value", &jobs)) } }
                div.metric data-testid="median-wait" {
                    dt { (tr("pool.median_wait")) }
                    dd { (p.median_wait_seconds.map_or_else(|| "—".to_owned(), |s| duration(loc, s))) }
                }
                div.metric data-testid="nodes" { dt { (tr("pool.nodes")) } dd { (tf(loc, "pool.nodes_value", &nodes)) } }
                div.metric data-testid="power" {
                    dt { (tr("pool.power")) }
                    dd { (tf(loc, "pool.power_value", &[("kw", kilowatts(p.power_kw)), ("pue", fixed(pue, 2))])) }
                }
                @if let Some(h) = p.walltime_limit_hours {
                    div.metric data-testid="walltime" { dt { (tr("pool.walltime")) } dd { (duration(loc, u64::from(h) * 3600)) } }
                }
            }
            div class={ "start-answer answer-" (kind) } data-testid="start-answer" data-answer=(kind) {
                p.start-answer-label { (tf(loc, "start.question", &[("n", thousands(u64::from(gpus)))])) }
                p.start-answer-text { (labels::answer_text(loc, &answer)) }
                @if let Some(g) = rounded {
                    p.start-answer-note { (tf(loc, "start.rounded", &[("gpus", thousands(u64::from(g)))])) }
                }
            }
        }
    }
}

/// What the uptime bars' colours mean and how uptime is counted (the rule
/// when the summary states its partial-outage weight), as the app's `UptimeKey`.
fn uptime_key(loc: Locale, partial_outage_weight: Option<f64>) -> Markup {
    let tr = |key: &str| t(loc, key);
    html! {
        div.uptime-key data-testid="uptime-key" {
            ul.uptime-legend aria-label=(tr("uptime.legend_label")) {
                @for s in Status::ALL {
                    li { span class={ "uptime-swatch " (s.as_str()) } aria-hidden="true" {} (labels::status(loc, s)) }
                }
                li { span.uptime-swatch.nodata aria-hidden="true" {} (tr("uptime.no_data")) }
            }
            @if let Some(w) = partial_outage_weight {
                p.uptime-rule data-testid="uptime-rule" { (tf(loc, "uptime.rule", &[("w", w.to_string())])) }
            }
        }
    }
}

/// The range control of every load chart: links (`?range=`) that work
/// without the wasm; with it, the page follows them without a reload.
fn range_toggle(loc: Locale, query: StatusQuery) -> Markup {
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
    let detail_id = format!("uptime-{system_id}-detail");
    let days = history.map_or(&[][..], |h| &h.uptime_days[..]);
    let last = days.len().saturating_sub(1);
    html! {
        div.uptime {
            div.uptime-head {
                h4 { (tr("uptime.title")) }
                p.uptime-percent data-testid="uptime-percent" {
                    @match history.and_then(|h| h.uptime_fraction) {
                        Some(f) => (tf(loc, "uptime.overall", &[("pct", percent(f, 2))])),
                        None => (tr("uptime.overall_none")),
                    }
                }
            }
            div.uptime-bars data-testid="uptime-bars" role="group" aria-label=(tr("uptime.group_label")) aria-describedby=(detail_id) {
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
            p.uptime-detail id=(detail_id) data-testid="uptime-detail" aria-live="polite" data-hint=(tr("uptime.hint")) { (tr("uptime.hint")) }
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
    let long = history.is_some_and(|h| h.range != HistoryRange::Day.as_str());
    let chart = history.map(|h| load_chart(&h.series, h.bucket_seconds, long)).unwrap_or_default();
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

/// The overall banner: one sentence for the fleet, the snapshot's age, the stale warning.
fn banner(loc: Locale, summary: &StatusSummary, now: DateTime<Utc>) -> Markup {
    let stamp = iso(summary.updated_at);
    let age_s = (now - summary.updated_at).num_seconds();
    html! {
        div class={ "banner status-" (summary.status.as_str()) } data-testid="overall-status" data-status=(summary.status.as_str()) {
            (frame::icon(status_icon_path(summary.status)))
            p.banner-title { (labels::overall(loc, summary.status)) }
            // The snapshot's time and the words of its age, for the wasm to keep "N s ago" true.
            p.updated-ago data-testid="updated-ago" data-updated-at=(stamp)
                data-ago-seconds=(t(loc, AgeUnit::Seconds.key())) data-ago-minutes=(t(loc, AgeUnit::Minutes.key()))
                data-ago-hours=(t(loc, AgeUnit::Hours.key())) {
                time datetime=(stamp) title=(stamp) { (ago(loc, age_s)) }
            }
        }
        // Shown by the wasm while the event stream is down.
        div #stream-down .stale-warning role="alert" data-testid="stale-warning" hidden {
            (frame::icon(status_icon_path(Status::Degraded)))
            span { (tf(loc, "live.disconnected", &[("time", kst_minute(summary.updated_at))])) }
        }
        @if summary.stale {
            div.stale-warning role="alert" data-testid="stale-warning" {
                (frame::icon(status_icon_path(Status::Degraded)))
                span { (tf(loc, "live.stale", &[("time", kst_minute(summary.updated_at))])) }
            }
        }
    }
}
