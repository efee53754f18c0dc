//! Requests and awards by sector or by region on the public page: a bar
//! chart (requests, awards) and its table alternative with acceptance rates
//! and awarded GPU-hours.

use kairr_shared::allocation::PublicGroup;
use leptos::prelude::*;

use crate::common::format::{fixed, percent, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::charts::BarGroup;
use crate::programme::components::bar_chart::BarChart;
use crate::programme::labels::pick;

fn count_label(x: f64) -> String {
    thousands(x.max(0.0).round() as u64)
}

/// One breakdown (sectors or regions).
#[component]
pub fn PublicGroups(
    /// The rows.
    #[prop(into)]
    rows: Signal<Vec<PublicGroup>>,
    /// Section title.
    #[prop(into)]
    title: Signal<String>,
    /// For element ids and test ids (`sector`, `region`).
    id: &'static str,
) -> impl IntoView {
    let groups = Signal::derive(move || {
        rows.with(|rs| {
            rs.iter()
                .map(|g| BarGroup {
                    label: pick(&g.label_ko, &g.label_en),
                    values: vec![Some(f64::from(g.requests)), Some(f64::from(g.awards))],
                })
                .collect::<Vec<_>>()
        })
    });
    let max = Signal::derive(move || rows.with(|rs| rs.iter().map(|g| f64::from(g.requests)).fold(1.0, f64::max)));
    let legend = Signal::derive(|| vec![tr("programme.public.requests"), tr("programme.public.awards")]);
    let label = Signal::derive(move || trf("programme.public.chart_label", &[("title", title.get())]));
    let title_id = format!("groups-{id}-title");
    let labelled_by = title_id.clone();
    let table_label = title_id.clone();
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h3 id=title_id>{move || title.get()}</h3>
            <BarChart groups=groups max=max counts=true format=count_label legend=legend label=label testid="public-chart"/>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=table_label>
                <table class="data-table" data-testid=format!("public-{id}-table")>
                    <caption class="sr-only">{move || title.get()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || tr("programme.public.group")}</th>
                            <th scope="col" class="num">{move || tr("programme.public.requests")}</th>
                            <th scope="col" class="num">{move || tr("programme.public.awards")}</th>
                            <th scope="col" class="num">{move || tr("programme.public.acceptance")}</th>
                            <th scope="col" class="num">{move || tr("programme.public.gpu_hours")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows.get().into_iter().map(|g| view! {
                            <tr>
                                <th scope="row">{pick(&g.label_ko, &g.label_en)}</th>
                                <td class="num">{thousands(u64::from(g.requests))}</td>
                                <td class="num">{thousands(u64::from(g.awards))}</td>
                                <td class="num">{percent(g.acceptance_rate, 1)}</td>
                                <td class="num">{fixed(g.awarded_gpu_hours, 0)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
