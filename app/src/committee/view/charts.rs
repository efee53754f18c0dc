//! The overview's charts as markup: a `<canvas>` each (drawn after the
//! render by `programme::charts`, with plotters, once per data and width),
//! its HTML legend and its table alternative. The share breakdowns by
//! sector and region, and the allocation timeline of one pool.

use chrono::NaiveDate;
use kairr_shared::advisor::Sector;
use kairr_shared::allocation::overview::{HeldSeries, HeldUnit};
use kairr_shared::allocation::{ShareRow, TimelineRow};
use kairr_shared::display::format::{period, thousands};
use maud::{html, Markup};

use super::overview::shares_table;
use super::queue::pager;
use super::{dated, Text};
use crate::programme::charts::{bar_chart_height, BarGroup};
use crate::programme::paging::{page_count, page_range, PER_PAGE};

/// Height of the timeline's canvas, CSS px.
pub const TIMELINE_HEIGHT_PX: f64 = 320.0;

/// The bars of a share breakdown: awarded, target and requested share per group.
pub fn share_groups(x: &Text, rows: &[ShareRow]) -> Vec<BarGroup> {
    rows.iter()
        .map(|r| BarGroup {
            label: x.pick(&r.label_ko, &r.label_en),
            values: vec![Some(r.awarded_share), r.target_share, Some(r.requested_share)],
        })
        .collect()
}

/// Where a share chart's axis ends: a little past the largest share, at most 100 %.
pub fn share_max(rows: &[ShareRow]) -> f64 {
    let top = rows.iter().flat_map(|r| [r.awarded_share, r.requested_share, r.target_share.unwrap_or(0.0)]);
    (top.fold(0.0, f64::max) * 1.1).clamp(0.1, 1.0)
}

/// A share breakdown (`id` `sector` or `region`): the chart, its legend, the table.
pub fn shares(x: &Text, rows: &[ShareRow], id: &str, title: &str) -> Markup {
    let groups = share_groups(x, rows);
    let legend = [x.t("programme.shares.awarded"), x.t("programme.shares.target"), x.t("programme.shares.requested")];
    // A series no group has a value of (the regions have no targets) is not listed.
    let drawn = |series: usize| groups.iter().any(|g| g.values.get(series).is_some_and(Option::is_some));
    html! {
        section.panel aria-labelledby=(format!("shares-{id}-title")) {
            h3 id=(format!("shares-{id}-title")) { (title) }
            div.chart-box {
                canvas role="img" data-testid="share-chart" data-chart=(format!("shares-{id}"))
                    aria-label=(x.f("programme.shares.chart_label", &[("title", title.to_owned())]))
                    style=(format!("height: {}px", bar_chart_height(groups.len()))) {}
            }
            ul.legend {
                @for (i, name) in legend.iter().enumerate() {
                    @if drawn(i) { li class=(format!("legend-series-{i}")) { (name) } }
                }
            }
            (shares_table(x, rows, id, title))
        }
    }
}

/// A held figure as the axis and the legend write it: whole numbers with
/// thousands separators, one decimal below 10 (an average of GPUs or nodes).
pub fn held_figure(v: f64) -> String {
    if v > 0.0 && v < 10.0 && v.fract().abs() > f64::EPSILON {
        let tenths = (v * 10.0).round() as u64;
        format!("{}.{}", tenths / 10, tenths % 10)
    } else {
        thousands(v.round().max(0.0) as u64)
    }
}

fn axis_key(unit: HeldUnit) -> &'static str {
    match unit {
        HeldUnit::Servers => "programme.timeline.axis_servers",
        HeldUnit::Gpus => "programme.timeline.axis_gpus",
        HeldUnit::Nodes => "programme.timeline.axis_nodes",
    }
}

/// The pools of the timeline (in its order) and the one shown: `chosen` when
/// it is one of them, else the first.
pub fn timeline_pool(rows: &[TimelineRow], chosen: &str) -> (Vec<String>, String) {
    let mut pools: Vec<String> = rows.iter().map(|r| r.pool.clone()).collect();
    pools.dedup();
    let shown =
        if pools.iter().any(|p| p == chosen) { chosen.to_owned() } else { pools.first().cloned().unwrap_or_default() };
    (pools, shown)
}

/// The allocation timeline of one pool: the pool picker (`data-bind`
/// `timeline-pool`), the canvas, its legend and the paged table (`page`).
pub fn timeline(x: &Text, rows: &[TimelineRow], held: Option<&HeldSeries>, pool: &str, page: usize) -> Markup {
    let (pools, _) = timeline_pool(rows, pool);
    let of_pool: Vec<&TimelineRow> = rows.iter().filter(|r| r.pool == pool).collect();
    let idle = of_pool.iter().filter(|r| r.idle).count();
    let label = x.f(
        "programme.timeline.chart_label",
        &[
            ("pool", x.pool(pool)),
            ("n", thousands(of_pool.len() as u64)),
            ("idle", thousands(idle as u64)),
            ("peak", held.map(|h| held_figure(h.peak())).unwrap_or_default()),
            ("capacity", held.map(|h| held_figure(h.capacity)).unwrap_or_default()),
            ("unit", held.map(|h| x.t(axis_key(h.unit))).unwrap_or_default()),
        ],
    );
    let pages = page_count(of_pool.len(), PER_PAGE);
    let shown = &of_pool[page_range(of_pool.len(), page, PER_PAGE)];
    html! {
        section #c-timeline .panel aria-labelledby="timeline-title" {
            h3 #timeline-title { (x.t("programme.timeline.title")) }
            @if rows.is_empty() {
                p.muted data-testid="timeline-empty" { (x.t("programme.timeline.empty")) }
            } @else {
                div.filter-row {
                    label for="timeline-pool" { (x.t("programme.timeline.pool")) }
                    select #timeline-pool data-testid="timeline-pool" data-bind="timeline-pool" {
                        @for p in &pools { option value=(p) selected[p == pool] { (x.pool(p)) } }
                    }
                }
                p.muted.chart-note data-testid="timeline-axis" { @if let Some(h) = held { (x.t(axis_key(h.unit))) } }
                div.chart-box {
                    canvas role="img" data-testid="timeline-chart" data-chart="timeline" aria-label=(label)
                        style=(format!("height: {TIMELINE_HEIGHT_PX}px")) {}
                }
                ul.legend {
                    @for (i, s) in Sector::ALL.iter().enumerate() { li class=(format!("legend-sector-{i}")) { (x.sector(*s)) } }
                    li.legend-idle { (x.t("programme.timeline.idle")) }
                    li.legend-capacity data-testid="timeline-capacity" {
                        @if let Some(h) = held { (x.f("programme.timeline.capacity", &[("n", held_figure(h.capacity))])) }
                    }
                }
                details.alt-table {
                    summary { (x.t("programme.timeline.table_summary")) }
                    div.table-scroll tabindex="0" role="region" aria-labelledby="timeline-title" {
                        table.data-table data-testid="timeline-table" {
                            thead { tr {
                                th scope="col" { (x.t("programme.projects.col_organisation")) }
                                th scope="col" { (x.t("programme.projects.col_title")) }
                                th.num scope="col" { (x.t("programme.projects.col_amount")) }
                                th scope="col" { (x.t("programme.projects.col_period")) }
                                th scope="col" { (x.t("programme.timeline.col_idle")) }
                            } }
                            tbody {
                                @for r in shown {
                                    tr.flagged[r.idle] {
                                        th scope="row" { (r.organisation) br; span.muted { (x.sector(r.sector)) } }
                                        td { (r.title) }
                                        td.num { (x.amount(r.amount, r.unit)) }
                                        td { (dated(&period(r.start, r.end))) }
                                        td { @if r.idle { (x.t("programme.timeline.idle")) } }
                                    }
                                }
                            }
                        }
                    }
                    (pager(x, "timeline", page, pages))
                }
            }
        }
    }
}

/// Today, or the period's start when the overview has no day.
pub fn timeline_today(today: Option<NaiveDate>, held: &HeldSeries) -> NaiveDate {
    today.unwrap_or(held.period_start)
}
