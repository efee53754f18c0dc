//! "What if": the workload as entered beside its key trade-offs (twice or
//! half the GPUs, checkpointing switched, the data moved first), each with
//! the top pick and its figures under the same queue conditions.

use leptos::prelude::*;

use crate::advisor::engine::Engine;
use crate::advisor::labels::{gpu_hours, hours, krw, pool_name, what_if};
use crate::i18n::tr;

fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "–".to_owned())
}

/// The what-if table (hidden while the form does not parse).
#[component]
pub fn WhatIfPanel(engine: Engine) -> impl IntoView {
    let rows = move || {
        engine.catalogue.with(|cat| {
            let cat = cat.as_ref();
            engine.what_ifs.with(|outcomes| {
                let base_top = outcomes.first().and_then(|o| o.top.clone());
                outcomes
                    .iter()
                    .map(|o| {
                        let changed = o.change.is_some() && o.top != base_top;
                        let top = o.top.as_deref().map_or_else(|| tr("advisor.result.none_short"), |t| pool_name(cat, t));
                        view! {
                            <tr data-testid="what-if-row" class:changed=changed>
                                <th scope="row">{what_if(cat, o.change.as_ref(), o.gpus)}</th>
                                <td>
                                    {top}
                                    {changed.then(|| view! { <span class="changed-mark">" "{tr("advisor.whatif.changed")}</span> })}
                                </td>
                                <td>{or_dash(o.run_hours.map(hours))}</td>
                                <td>{or_dash(o.wait_hours.map(hours))}</td>
                                <td>{or_dash(o.transfer_hours.map(hours))}</td>
                                <td>{or_dash(o.gpu_hours.map(gpu_hours))}</td>
                                <td>{or_dash(o.cost_krw.map(krw))}</td>
                                <td>{or_dash(o.time_to_result_hours.map(hours))}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <Show when=move || { engine.what_ifs.with(|w| w.len() > 1) }>
            <section class="what-if" aria-labelledby="what-if-title" data-testid="what-if">
                <h3 id="what-if-title">{move || tr("advisor.whatif.title")}</h3>
                <p class="hint" id="what-if-note">{move || tr("advisor.whatif.note")}</p>
                <div class="table-scroll" role="region" tabindex="0" aria-labelledby="what-if-title">
                    <table aria-describedby="what-if-note">
                        <thead>
                            <tr>
                                <th scope="col">{move || tr("advisor.whatif.col_change")}</th>
                                <th scope="col">{move || tr("advisor.whatif.col_top")}</th>
                                <th scope="col">{move || tr("advisor.est.run")}</th>
                                <th scope="col">{move || tr("advisor.est.wait")}</th>
                                <th scope="col">{move || tr("advisor.est.transfer")}</th>
                                <th scope="col">{move || tr("advisor.est.gpu_hours")}</th>
                                <th scope="col">{move || tr("advisor.est.cost")}</th>
                                <th scope="col">{move || tr("advisor.est.total")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        </Show>
    }
}
