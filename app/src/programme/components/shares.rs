//! Awarded against target (and requested) shares of GPU-hours by sector or
//! by region: a bar chart and its table alternative.

use kairr_shared::allocation::ShareRow;
use leptos::prelude::*;

use crate::common::format::{fixed, percent, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::charts::BarGroup;
use crate::programme::components::bar_chart::BarChart;
use crate::programme::labels::pick;

fn share_label(x: f64) -> String {
    percent(x, 0)
}

/// One breakdown of the overview.
#[component]
pub fn ShareBreakdown(
    /// The rows.
    #[prop(into)]
    rows: Signal<Vec<ShareRow>>,
    /// Section title.
    #[prop(into)]
    title: Signal<String>,
    /// For ids (`sector`, `region`).
    id: &'static str,
) -> impl IntoView {
    let groups = Signal::derive(move || {
        rows.with(|rs| {
            rs.iter()
                .map(|r| BarGroup {
                    label: pick(&r.label_ko, &r.label_en),
                    values: vec![Some(r.awarded_share), r.target_share, Some(r.requested_share)],
                })
                .collect::<Vec<_>>()
        })
    });
    let max = Signal::derive(move || {
        rows.with(|rs| {
            let top = rs.iter().flat_map(|r| [r.awarded_share, r.requested_share, r.target_share.unwrap_or(0.0)]);
            (top.fold(0.0, f64::max) * 1.1).clamp(0.1, 1.0)
        })
    });
    let legend = Signal::derive(|| {
        vec![tr("programme.shares.awarded"), tr("programme.shares.target"), tr("programme.shares.requested")]
    });
    let label = Signal::derive(move || trf("programme.shares.chart_label", &[("title", title.get())]));
    let title_id = format!("shares-{id}-title");
    let labelled_by = title_id.clone();
    let table_label = title_id.clone();
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h3 id=title_id>{move || title.get()}</h3>
            <BarChart groups=groups max=max format=share_label legend=legend label=label testid="share-chart"/>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=table_label>
                <table class="data-table" data-testid=format!("shares-{id}-table")>
                    <caption class="sr-only">{move || title.get()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || tr("programme.public.group")}</th>
                            <th scope="col" class="num">{move || tr("programme.shares.awarded")}</th>
                            <th scope="col" class="num">{move || tr("programme.shares.target")}</th>
                            <th scope="col" class="num">{move || tr("programme.shares.requested")}</th>
                            <th scope="col" class="num">{move || tr("programme.shares.awards")}</th>
                            <th scope="col" class="num">{move || tr("programme.public.gpu_hours")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows.get().into_iter().map(|r| view! {
                            <tr>
                                <th scope="row">{pick(&r.label_ko, &r.label_en)}</th>
                                <td class="num">{percent(r.awarded_share, 1)}</td>
                                <td class="num">{r.target_share.map_or_else(|| "—".to_owned(), |t| percent(t, 1))}</td>
                                <td class="num">{percent(r.requested_share, 1)}</td>
                                <td class="num">{format!("{} / {}", thousands(u64::from(r.awards)), thousands(u64::from(r.requests)))}</td>
                                <td class="num">{fixed(r.awarded_gpu_hours, 0)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
