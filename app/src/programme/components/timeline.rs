//! The allocation timeline of one pool (who holds what, when): what its
//! allocations hold at once, stacked by sector (flagged ones in red on top),
//! on a y-axis in the pool's held unit, against the round's offer (a dashed
//! line), with a line at today, a pool picker, and a paged table alternative.

use chrono::NaiveDate;
use kairr_shared::advisor::Sector;
use kairr_shared::allocation::overview::{HeldSeries, HeldUnit};
use kairr_shared::allocation::TimelineRow;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;

use crate::common::components::dated::dated;
use crate::common::format::{period, thousands};
use crate::common::i18n::{current_locale, tr, trf};
use crate::programme::charts::{self, CanvasSpec};
use crate::programme::components::pager::Pager;
use crate::programme::labels;
use crate::programme::paging::{page_count, page_range, PER_PAGE};

const HEIGHT_PX: f64 = 320.0;

/// A held figure as the axis and the legend write it: whole numbers with
/// thousands separators, one decimal below 10 (an average of GPUs or nodes).
fn held_figure(v: f64) -> String {
    if v > 0.0 && v < 10.0 && v.fract().abs() > f64::EPSILON {
        // Integer formatting only: `{:.1}` would link the float formatter.
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

/// The timeline block.
#[component]
pub fn Timeline(
    /// Every allocation of the round, sorted by pool then start.
    #[prop(into)]
    rows: Signal<Vec<TimelineRow>>,
    /// What the allocations of a pool hold at once (from the round's overview).
    held_of: Callback<String, Option<HeldSeries>>,
    /// Today (KST), marked on the chart.
    #[prop(into)]
    today: Signal<Option<NaiveDate>>,
) -> impl IntoView {
    let pools = Memo::new(move |_| {
        rows.with(|rs| {
            let mut ps: Vec<String> = rs.iter().map(|r| r.pool.clone()).collect();
            ps.dedup();
            ps
        })
    });
    let chosen = RwSignal::new(String::new());
    let pool = Memo::new(move |_| {
        let c = chosen.get();
        pools.with(|ps| if ps.contains(&c) { c } else { ps.first().cloned().unwrap_or_default() })
    });
    let of_pool = Memo::new(move |_| {
        let p = pool.get();
        rows.with(|rs| rs.iter().filter(|r| r.pool == p).cloned().collect::<Vec<_>>())
    });
    // Computed where read (the chart and three texts): cheap, and no memo of its own type.
    let held = move || held_of.run(pool.get());
    let page = RwSignal::new(1usize);
    let canvas = NodeRef::<Canvas>::new();
    let container = NodeRef::<Div>::new();
    let resized = crate::common::chart::use_resize();
    Effect::new(move |_| {
        resized.track();
        let (Some(canvas), Some(container)) = (canvas.get(), container.get()) else { return };
        let spec = CanvasSpec {
            css_width: f64::from(container.client_width()).max(1.0),
            css_height: HEIGHT_PX,
            dpr: window().device_pixel_ratio(),
        };
        let today = today.get();
        if let Some(h) = held() {
            let today = today.unwrap_or(h.period_start);
            if let Err(e) = charts::draw_held(&canvas, &h, today, &held_figure, spec) {
                leptos::logging::error!("cannot draw the timeline: {e}");
            }
        }
    });
    let axis_note = move || held().map(|h| tr(axis_key(h.unit))).unwrap_or_default();
    let capacity_note = move || {
        held().map(|h| trf("programme.timeline.capacity", &[("n", held_figure(h.capacity))])).unwrap_or_default()
    };
    let label = move || {
        current_locale();
        let held = held();
        of_pool.with(|rs| {
            let idle = rs.iter().filter(|r| r.idle).count();
            trf(
                "programme.timeline.chart_label",
                &[
                    ("pool", labels::pool(&pool.get())),
                    ("n", thousands(rs.len() as u64)),
                    ("idle", thousands(idle as u64)),
                    ("peak", held.as_ref().map(|h| held_figure(h.peak())).unwrap_or_default()),
                    ("capacity", held.as_ref().map(|h| held_figure(h.capacity)).unwrap_or_default()),
                    ("unit", held.as_ref().map(|h| tr(axis_key(h.unit))).unwrap_or_default()),
                ],
            )
        })
    };
    let pages = Signal::derive(move || page_count(of_pool.with(Vec::len), PER_PAGE));
    let table_rows = move || of_pool.with(|rs| rs[page_range(rs.len(), page.get(), PER_PAGE)].to_vec());
    view! {
        <section class="panel" aria-labelledby="timeline-title">
            <h3 id="timeline-title">{move || tr("programme.timeline.title")}</h3>
            // A round without allocations (yet) says so rather than drawing an empty chart.
            <Show when=move || rows.with(|rs| !rs.is_empty())
                fallback=|| view! { <p class="muted" data-testid="timeline-empty">{move || tr("programme.timeline.empty")}</p> }>
            <div class="filter-row">
                <label for="timeline-pool">{move || tr("programme.timeline.pool")}</label>
                <select id="timeline-pool" data-testid="timeline-pool"
                    on:change=move |ev| { chosen.set(event_target_value(&ev)); page.set(1); }>
                    {move || pools.get().into_iter().map(|p| {
                        let selected = p == pool.get_untracked();
                        let text = labels::pool(&p);
                        view! { <option value=p selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <p class="muted chart-note" data-testid="timeline-axis">{axis_note}</p>
            <div class="chart-box" node_ref=container>
                <canvas role="img" data-testid="timeline-chart" aria-label=label node_ref=canvas
                    style=format!("height: {HEIGHT_PX}px")></canvas>
            </div>
            <ul class="legend">
                {move || Sector::ALL.iter().enumerate().map(|(i, s)| view! {
                    <li class=format!("legend-sector-{i}")>{labels::sector(*s)}</li>
                }).collect_view()}
                <li class="legend-idle">{move || tr("programme.timeline.idle")}</li>
                <li class="legend-capacity" data-testid="timeline-capacity">{capacity_note}</li>
            </ul>
            <details class="alt-table">
                <summary>{move || tr("programme.timeline.table_summary")}</summary>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="timeline-title">
                    <table class="data-table" data-testid="timeline-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || tr("programme.projects.col_organisation")}</th>
                                <th scope="col">{move || tr("programme.projects.col_title")}</th>
                                <th scope="col" class="num">{move || tr("programme.projects.col_amount")}</th>
                                <th scope="col">{move || tr("programme.projects.col_period")}</th>
                                <th scope="col">{move || tr("programme.timeline.col_idle")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || table_rows().into_iter().map(|r| view! {
                                <tr class:flagged=r.idle>
                                    <th scope="row">{r.organisation.clone()}<br/><span class="muted">{labels::sector(r.sector)}</span></th>
                                    <td>{r.title.clone()}</td>
                                    <td class="num">{labels::amount(r.amount, r.unit)}</td>
                                    <td>{dated(period(r.start, r.end))}</td>
                                    <td>{if r.idle { tr("programme.timeline.idle") } else { String::new() }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=page pages=pages name="timeline"/>
            </details>
            </Show>
        </section>
    }
}
