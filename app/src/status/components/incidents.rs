//! Active incidents with their timed updates, and the collapsible list of
//! resolved incidents and completed maintenance of the last 90 days, each
//! linking to its permalink page (`/incidents/{id}`, `/maintenance/{id}`).

use kairr_shared::api::{Incident, StatusSummary};
use kairr_shared::i18n::Locale;
use leptos::prelude::*;

use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::kst_time::KstTime;
use crate::common::i18n::{current_locale, tr, trf};
use crate::common::live::Incidents;
use crate::status::components::maintenance::window_view;
use crate::status::components::status_badge::StatusBadge;
use crate::status::labels;

/// The name of system `id` in `locale`, from the summary (the id if unknown).
pub fn system_name(summary: &Option<StatusSummary>, id: &str, locale: Locale) -> String {
    summary
        .as_ref()
        .and_then(|s| s.systems.iter().find(|x| x.id == id))
        .map_or_else(|| id.to_owned(), |s| locale.pick(&s.name_ko, &s.name_en).to_owned())
}

/// `<section data-testid="incidents">`: unresolved incidents, or a calm "none" line.
#[component]
pub fn ActiveIncidents(
    /// Incidents state (data and last error).
    incidents: Incidents,
    /// The live summary, for system names.
    #[prop(into)]
    summary: Signal<Option<StatusSummary>>,
) -> impl IntoView {
    view! {
        <section class="panel incidents" data-testid="incidents" aria-labelledby="incidents-title">
            <h2 id="incidents-title">{move || tr("incident.active_title")}</h2>
            <FetchErrorView error=incidents.error message=Signal::derive(|| tr("error.incidents"))/>
            {move || {
                incidents.data.with(|d| match d {
                    None => view! { <p class="muted">{tr("common.loading")}</p> }.into_any(),
                    Some(d) if d.active.is_empty() => {
                        view! { <p class="none" data-testid="no-incidents">{tr("incident.none_active")}</p> }.into_any()
                    }
                    Some(d) => {
                        let loc = current_locale();
                        summary.with(|s| {
                            d.active.iter().map(|i| incident_view(i, &system_name(s, &i.system_id, loc), loc, true)).collect_view()
                        })
                        .into_any()
                    }
                })
            }}
        </section>
    }
}

/// `<section data-testid="past-incidents">` with the resolved incidents in a `<details>`.
#[component]
pub fn PastIncidents(
    /// Incidents state.
    incidents: Incidents,
    /// The live summary, for system names.
    #[prop(into)]
    summary: Signal<Option<StatusSummary>>,
) -> impl IntoView {
    let counts =
        move || incidents.data.with(|d| d.as_ref().map_or((0, 0), |d| (d.past.len(), d.past_maintenance.len())));
    view! {
        <section class="panel past" data-testid="past-incidents" aria-labelledby="past-title">
            <h2 id="past-title">{move || tr("incident.past_title")}</h2>
            <Show
                when=move || counts() != (0, 0)
                fallback=|| view! { <p class="none">{move || tr("incident.none_past")}</p> }
            >
                <details class="past-list">
                    <summary>
                        {move || {
                            let (n, m) = counts();
                            trf("incident.past_summary", &[("n", n.to_string()), ("m", m.to_string())])
                        }}
                    </summary>
                    {move || {
                        let loc = current_locale();
                        incidents.data.with(|d| {
                            summary.with(|s| {
                                d.as_ref().map(|d| {
                                    let incidents = d
                                        .past
                                        .iter()
                                        .map(|i| incident_view(i, &system_name(s, &i.system_id, loc), loc, false))
                                        .collect_view();
                                    let windows = (!d.past_maintenance.is_empty()).then(|| {
                                        let items = d
                                            .past_maintenance
                                            .iter()
                                            .map(|m| window_view(m, &system_name(s, &m.system_id, loc), loc))
                                            .collect_view();
                                        view! { <ul class="windows past-windows">{items}</ul> }
                                    });
                                    (incidents, windows)
                                })
                            })
                        })
                    }}
                </details>
            </Show>
        </section>
    }
}

/// One incident: title, impact, system, times and its updates newest first.
fn incident_view(i: &Incident, system: &str, loc: Locale, active: bool) -> impl IntoView {
    let updates = i
        .updates
        .iter()
        .rev()
        // A past incident shows its last word; its page (`/incidents/{id}`) has every update.
        .take(if active { usize::MAX } else { 1 })
        .map(|u| {
            view! {
                <li class="update" data-testid="incident-update" data-state=u.state.as_str()>
                    <p class="update-head">
                        <strong>{labels::incident_state(u.state)}</strong>
                        " · "
                        <KstTime at=u.at/>
                    </p>
                    <p>{loc.pick(&u.body_ko, &u.body_en).to_owned()}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <article
            class=format!("incident impact-{}", i.impact.as_str())
            data-testid=if active { "incident" } else { "past-incident" }
            data-incident-id=i.id.clone()
            data-state=i.state.as_str()
        >
            <h3><a href=format!("/incidents/{}", i.id)>{loc.pick(&i.title_ko, &i.title_en).to_owned()}</a></h3>
            <p class="incident-meta">
                <StatusBadge status=i.impact testid="incident-impact"/>
                <span>{system.to_owned()}</span>
                <span>{tr("incident.started")}" "<KstTime at=i.started_at/></span>
                {i.resolved_at.map(|r| view! { <span>{tr("incident.resolved")}" "<KstTime at=r/></span> })}
            </p>
            <ol class="updates">{updates}</ol>
        </article>
    }
}
