//! "Which systems are up?" at a glance: one line per pool, leading the
//! status page (as Statuspage's component list does): the system and pool,
//! its status and its idle GPUs, linking to the pool's card below.
//! Mirrored by the server's first view (`server/src/first_view/status.rs`).

use kairr_shared::api::StatusSummary;
use kairr_shared::display::labels::pool_line;
use leptos::prelude::*;

use crate::common::i18n::{current_locale, tr};
use crate::status::components::status_badge::StatusBadge;

/// The list, empty until the first snapshot.
#[component]
pub fn ComponentList(
    /// The live summary.
    #[prop(into)]
    summary: Signal<Option<StatusSummary>>,
) -> impl IntoView {
    let rows = move || {
        let loc = current_locale();
        summary.with(|s| {
            s.as_ref().map(|s| {
                s.systems
                    .iter()
                    .flat_map(|sys| sys.pools.iter().map(move |p| (sys, p)))
                    .map(|(sys, p)| {
                        let line = pool_line(loc, sys, p);
                        view! {
                            <li class="component" data-testid="component" data-pool-id=p.id.clone()>
                                <a href=format!("#pool-{}-name", p.id)>{line.name}</a>
                                <span class="component-free">{line.free}</span>
                                <StatusBadge status=p.status testid="component-status"/>
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <section class="panel components" aria-labelledby="components-title" data-testid="component-list">
            <h2 id="components-title">{move || tr("components.title")}</h2>
            <ul class="component-list">{rows}</ul>
        </section>
    }
}
