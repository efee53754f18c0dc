//! Per pool of the round: capacity, requested, awarded (GPUs for server
//! pools), used, idle allocated (flagged for reclaim) and oversubscription.

use kairr_shared::allocation::PoolOverview;
use leptos::prelude::*;

use crate::common::components::dated::dated;

use crate::common::format::{fixed, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::labels;

/// The pool table.
#[component]
pub fn PoolTable(
    /// The pools.
    #[prop(into)]
    pools: Signal<Vec<PoolOverview>>,
) -> impl IntoView {
    let total_gpus = move || pools.with(|ps| ps.iter().filter_map(|p| p.awarded_gpus).sum::<u64>());
    view! {
        <section class="panel" aria-labelledby="pools-title">
            <h3 id="pools-title">{move || tr("programme.pools.title")}</h3>
            <p data-testid="awarded-gpus">{move || trf("programme.pools.awarded_gpus", &[("gpus", thousands(total_gpus()))])}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="pools-title">
                <table class="data-table" data-testid="pool-table">
                    <caption class="sr-only">{move || tr("programme.pools.title")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || tr("programme.pools.col_pool")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_capacity")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_requested")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_awarded")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_used")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_idle")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_oversubscription")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || pools.get().into_iter().map(|p| {
                            let awarded = match p.awarded_gpus {
                                Some(g) => trf("programme.pools.awarded_with_gpus", &[
                                    ("amount", labels::amount(p.awarded, p.unit)),
                                    ("gpus", thousands(g)),
                                ]),
                                None => labels::amount(p.awarded, p.unit),
                            };
                            let used = if p.awarded_gpu_hours > 0.0 { p.used_gpu_hours / p.awarded_gpu_hours } else { 0.0 };
                            let flagged = p.idle_allocations > 0;
                            view! {
                                <tr>
                                    <th scope="row">{labels::pool(&p.pool)}<br/><span class="muted">{labels::unit(p.unit)}</span></th>
                                    <td class="num">{thousands(p.capacity)}</td>
                                    <td class="num">{thousands(p.requested)}</td>
                                    <td class="num">{awarded}</td>
                                    <td class="num">{dated(trf("programme.pools.used", &[
                                        ("hours", fixed(p.used_gpu_hours, 0)),
                                        ("share", crate::common::format::percent(used, 1)),
                                    ]))}</td>
                                    <td class="num" class:flagged=flagged>
                                        {if flagged {
                                            trf("programme.pools.idle_flagged", &[
                                                ("n", p.idle_allocations.to_string()),
                                                ("amount", labels::amount(p.idle_allocated, p.unit)),
                                            ])
                                        } else {
                                            tr("programme.pools.idle_none")
                                        }}
                                    </td>
                                    <td class="num">{format!("{}×", fixed(p.oversubscription, 2))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
