//! The status page (`/`) as HTML, from the same snapshot, incidents and
//! histories the API serves and with the same words
//! ([`kairr_shared::display`]): the page's only rendering, uptime bars and
//! load charts included ([`history`]). The browser keeps it live by fetching
//! it again (each status event only its live part, [`Histories::Kept`]) and
//! swapping its header, main and footer (`app/src/status/live_page.rs`),
//! keeping the GPU input (and, for the live part, each system's
//! `.system-history`). `e2e/status.test.mjs` and `first-view.test.mjs`
//! check the page with and without the wasm.

use chrono::{DateTime, Utc};
use kairr_shared::api::{Incident, IncidentsResponse, Maintenance, PoolStatus};
use kairr_shared::api::{StatusSummary, SystemStatus};
use kairr_shared::display::format::{ago, duration, fixed, iso, kilowatts, kst_minute, percent, thousands, AgeUnit};
use kairr_shared::display::icons::status_icon_path;
use kairr_shared::display::labels;
use kairr_shared::display::status_query::StatusQuery;
use kairr_shared::history::HistoryRange;
// The status page's own strings, then the common ones (header, footer, errors).
use kairr_shared::i18n::{tfs as tf, ts as t, Locale};
use kairr_shared::start_now::start_now;
use kairr_shared::status::Status;
use maud::{html, Markup};

mod history;
#[cfg(test)]
mod tests;

pub use history::Histories;

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
                (history::range_toggle(loc, query))
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
                p #gpu-input-error .field-error data-testid="gpu-input-error" role="alert" hidden {}
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
            (history::system_history(loc, s, histories))
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
        div #stream-down .stale-warning role="alert" data-testid="stream-down" hidden {
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
