//! The utilisation/queue chart of one system over 24 h or 7 d: a canvas drawn
//! by [`crate::status::chart`] that follows its container's width, a range toggle,
//! an HTML legend and a table alternative.

use kairr_shared::api::StatusHistory;
use kairr_shared::history::HistoryRange;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;

use crate::common::components::kst_time::KstTime;
use crate::common::format::{fixed, percent, thousands};
use crate::common::i18n::{current_locale, tr, trf};
use crate::common::live::History;
use crate::status::chart::{self, ChartSpec};

/// Canvas height in CSS pixels (the width follows the container).
const CHART_HEIGHT_PX: f64 = 240.0;

/// Chart block for one system.
#[component]
pub fn LoadChart(
    /// The system id (for element ids).
    system_id: String,
    /// The system's name in the current language.
    #[prop(into)]
    system_name: Signal<String>,
    /// The system's history for `range`.
    history: History,
    /// The selected range (24 h or 7 d).
    range: RwSignal<HistoryRange>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let container = NodeRef::<Div>::new();
    let resized = crate::common::chart::use_resize();

    Effect::new(move |_| {
        resized.track();
        current_locale();
        let (Some(canvas), Some(container)) = (canvas.get(), container.get()) else {
            return;
        };
        let width = f64::from(container.client_width());
        history.data.with(|h| {
            let Some(h) = h else { return };
            let spec = ChartSpec {
                css_width: width.max(1.0),
                css_height: CHART_HEIGHT_PX,
                dpr: window().device_pixel_ratio(),
                long_range: is_long(h),
            };
            if let Err(e) = chart::draw(&canvas, &h.series, h.bucket_seconds, spec) {
                leptos::logging::error!("cannot draw the load chart: {e}");
            }
        });
    });

    let title_id = format!("chart-{system_id}-title");
    let label = move || history.data.with(|h| h.as_ref().map(|h| chart_label(h, &system_name.get())));
    view! {
        <div class="load">
            <div class="load-head">
                <h4 id=title_id.clone()>{move || tr("chart.title")}</h4>
                <div class="range-toggle" role="group" aria-labelledby=title_id>
                    <RangeButton range=range value=HistoryRange::Day/>
                    <RangeButton range=range value=HistoryRange::Week/>
                </div>
            </div>
            <div class="chart-box" node_ref=container aria-busy=move || if history.loading.get() { "true" } else { "false" }>
                <canvas
                    data-testid="load-chart"
                    role="img"
                    aria-label=move || label().unwrap_or_else(|| tr("chart.loading"))
                    node_ref=canvas
                ></canvas>
            </div>
            <ul class="legend">
                <li class="legend-utilisation">{move || tr("chart.legend_utilisation")}</li>
                <li class="legend-pending">{move || tr("chart.legend_pending")}</li>
            </ul>
            <details class="alt-table">
                <summary>{move || tr("chart.table_summary")}</summary>
                <LoadTable history=history/>
            </details>
        </div>
    }
}

/// A toggle button with `aria-pressed` for one range.
#[component]
fn RangeButton(
    /// The selected range.
    range: RwSignal<HistoryRange>,
    /// The range this button selects.
    value: HistoryRange,
) -> impl IntoView {
    let text = move || match value {
        HistoryRange::Day => tr("chart.range_24h"),
        HistoryRange::Week => tr("chart.range_7d"),
        HistoryRange::Quarter => tr("chart.range_90d"),
    };
    view! {
        <button
            type="button"
            class="toggle"
            data-testid=format!("range-{}", value.as_str())
            data-range=value.as_str()
            aria-pressed=move || if range.get() == value { "true" } else { "false" }
            on:click=move |_| range.set(value)
        >
            {text}
        </button>
    }
}

fn is_long(h: &StatusHistory) -> bool {
    h.range != HistoryRange::Day.as_str()
}

/// The canvas's accessible name: what it shows and its key numbers.
fn chart_label(h: &StatusHistory, system: &str) -> String {
    let range = if is_long(h) { tr("chart.range_7d") } else { tr("chart.range_24h") };
    let Some(s) = chart::summarise(&h.series) else {
        let args = [("system", system.to_owned()), ("range", range)];
        return trf("chart.empty", &args);
    };
    let pending = thousands(s.max_pending_jobs.round().max(0.0) as u64);
    let args = [
        ("system", system.to_owned()),
        ("range", range),
        ("mean", percent(s.mean_utilisation, 0)),
        ("last", percent(s.last_utilisation, 0)),
        ("pending", pending),
    ];
    trf("chart.summary", &args)
}

/// The series as a table, newest first.
#[component]
fn LoadTable(
    /// The history whose series is listed.
    history: History,
) -> impl IntoView {
    view! {
        <table class="data-table" data-testid="load-table">
            <thead>
                <tr>
                    <th scope="col">{move || tr("chart.col_time")}</th>
                    <th scope="col">{move || tr("chart.col_utilisation")}</th>
                    <th scope="col">{move || tr("chart.col_running")}</th>
                    <th scope="col">{move || tr("chart.col_pending")}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    history.data.with(|h| {
                        h.as_ref()
                            .map(|h| {
                                h.series
                                    .iter()
                                    .rev()
                                    .map(|p| {
                                        view! {
                                            <tr>
                                                <th scope="row"><KstTime at=p.t/></th>
                                                <td>{percent(p.utilisation, 1)}</td>
                                                <td>{fixed(p.running_jobs, 0)}</td>
                                                <td>{fixed(p.pending_jobs, 0)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            })
                    })
                }}
            </tbody>
        </table>
    }
}
