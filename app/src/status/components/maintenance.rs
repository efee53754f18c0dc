//! Maintenance windows in progress and upcoming, with start and end in KST.

use kairr_shared::api::{Maintenance, StatusSummary};
use kairr_shared::i18n::Locale;
use leptos::prelude::*;

use crate::common::components::kst_time::KstTime;
use crate::common::format::thousands;
use crate::common::i18n::{current_locale, tr, trf};
use crate::common::live::Incidents;
use crate::status::components::incidents::system_name;
use crate::status::labels;

/// `<section data-testid="maintenance">` listing windows soonest first.
#[component]
pub fn MaintenanceList(
    /// Incidents state (maintenance comes with it).
    incidents: Incidents,
    /// The live summary, for system names.
    #[prop(into)]
    summary: Signal<Option<StatusSummary>>,
) -> impl IntoView {
    view! {
        <section class="panel maintenance" data-testid="maintenance" aria-labelledby="maintenance-title">
            <h2 id="maintenance-title">{move || tr("maintenance.title")}</h2>
            {move || {
                incidents.data.with(|d| match d {
                    None => view! { <p class="muted">{tr("common.loading")}</p> }.into_any(),
                    Some(d) if d.maintenance.is_empty() => {
                        view! { <p class="none" data-testid="no-maintenance">{tr("maintenance.none")}</p> }.into_any()
                    }
                    Some(d) => {
                        let loc = current_locale();
                        let items = summary.with(|s| {
                            d.maintenance.iter().map(|m| window_view(m, &system_name(s, &m.system_id, loc), loc)).collect_view()
                        });
                        view! { <ul class="windows">{items}</ul> }.into_any()
                    }
                })
            }}
        </section>
    }
}

/// One window: state, title (linking to its page), system, times and nodes.
pub fn window_view(m: &Maintenance, system: &str, loc: Locale) -> impl IntoView {
    let state = m.state.as_str();
    view! {
        <li class=format!("window window-{state}") data-testid="maintenance-window" data-state=state data-maintenance-id=m.id.clone()>
            <p class="window-head">
                <span class=format!("pill pill-{state}")>{labels::maintenance_state(m.state)}</span>
                <strong><a href=format!("/maintenance/{}", m.id)>{loc.pick(&m.title_ko, &m.title_en).to_owned()}</a></strong>
            </p>
            <p class="window-meta">
                <span>{system.to_owned()}</span>
                <span><KstTime at=m.starts_at/>" – "<KstTime at=m.ends_at/></span>
                {(m.nodes_affected > 0).then(|| view! {
                    <span>{trf("maintenance.nodes", &[("n", thousands(u64::from(m.nodes_affected)))])}</span>
                })}
            </p>
        </li>
    }
}
