//! "What if": the workload as entered beside its key trade-offs (twice or
//! half the GPUs, checkpointing switched, the data moved first), each with
//! the top pick and its figures under the same queue conditions.

use kairr_shared::advisor::what_if::{apply, WhatIf};
use leptos::prelude::*;

use crate::advisor::engine::Engine;
use crate::advisor::labels::{gpu_hours, hours, krw, pool_name, reason_text, what_if};
use crate::advisor::state::Wizard;
use crate::common::i18n::{current_locale, tr};

/// Puts the variant `change` into the form (the result follows).
fn apply_to_form(wizard: Wizard, engine: Engine, change: &WhatIf) {
    let Some(Ok(w)) = engine.parsed.get_untracked() else { return };
    wizard.edit(|i| *i = apply(i, &w, change));
}

fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "–".to_owned())
}

/// The what-if table (hidden while the form does not parse).
#[component]
pub fn WhatIfPanel(wizard: Wizard, engine: Engine) -> impl IntoView {
    let rows = move || {
        engine.catalogue.with(|cat| {
            let cat = cat.as_ref();
            engine.what_ifs.with(|outcomes| {
                let base_top = outcomes.first().and_then(|o| o.top.clone());
                outcomes
                    .iter()
                    .map(|o| {
                        let changed = o.change.is_some() && o.top != base_top;
                        let top = match (o.top.as_deref(), o.why_none) {
                            (Some(t), _) => pool_name(cat, t),
                            (None, Some(why)) => {
                                format!("{}: {}", tr("advisor.result.none_short"), reason_text(current_locale(), &why))
                            }
                            (None, None) => tr("advisor.result.none_short"),
                        };
                        let change = o.change.clone();
                        let label = what_if(cat, o.change.as_ref(), o.gpus);
                        view! {
                            <tr data-testid="what-if-row" class:changed=changed>
                                <th scope="row">
                                    {label.clone()}
                                    {change.map(|c| {
                                        let aria = format!("{}: {}", tr("advisor.whatif.apply"), label);
                                        view! {
                                            " "
                                            <button type="button" class="link-button" data-testid="what-if-apply"
                                                aria-label=aria
                                                on:click=move |_| apply_to_form(wizard, engine, &c)>
                                                {tr("advisor.whatif.apply")}
                                            </button>
                                        }
                                    })}
                                </th>
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
                    <table class="data-table" aria-describedby="what-if-note">
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
