//! The status page (`/`): wires the live summary, incidents, history refresh
//! and the GPU input to the components, in reading order.

use kairr_shared::api::{InitialStatus, StatusSummary};
use kairr_shared::start_now::{gpus_in_query, gpus_query, parse_gpu_count, DEFAULT_GPUS};
use leptos::prelude::*;

use crate::common::address;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::footer::Footer;
use crate::common::components::header::{Header, SkipLink, MAIN_ID};
use crate::common::i18n::tr;
use crate::common::live::{now_ms, use_clock, use_incidents, use_live_status, use_refresh_tick, REFRESH_SECONDS};
use crate::status::components::component_list::ComponentList;
use crate::status::components::gpu_input::GpuInput;
use crate::status::components::incidents::{ActiveIncidents, PastIncidents};
use crate::status::components::maintenance::MaintenanceList;
use crate::status::components::status_banner::StatusBanner;
use crate::status::components::system_section::SystemSection;
use crate::status::components::uptime_bars::UptimeKey;

/// The public status page.
#[component]
pub fn StatusPage() -> impl IntoView {
    let initial = crate::common::first_view::take_initial::<InitialStatus>();
    let (initial_summary, initial_incidents) = initial.map_or((None, None), |i| (Some(i.status), i.incidents));
    // A page opened in a background tab mounts only when shown: incidents
    // embedded long ago are fetched again rather than shown as current.
    let fresh = initial_summary
        .as_ref()
        .is_some_and(|s| now_ms() - s.updated_at.timestamp_millis() as f64 <= (REFRESH_SECONDS * 1000) as f64);
    let initial_incidents = initial_incidents.filter(|_| fresh);
    let live = use_live_status(initial_summary);
    let now = use_clock();
    let refresh = use_refresh_tick(REFRESH_SECONDS);
    let incidents = use_incidents(refresh, initial_incidents);
    // The count asked about is kept in the address (`?gpus=128`), so a link shares it.
    let asked = gpus_in_query(&address::query()).unwrap_or(DEFAULT_GPUS);
    let gpu_raw = RwSignal::new(asked.to_string());
    let gpus = Memo::new(move |_| gpu_raw.with(|r| parse_gpu_count(r)));
    Effect::new(move |previous: Option<u32>| {
        let shown = gpus.get().unwrap_or(previous.unwrap_or(asked));
        if previous.is_some_and(|p| p != shown) {
            address::replace_query(&gpus_query(shown));
        }
        shown
    });
    let summary: Signal<Option<StatusSummary>> = live.summary.into();
    let source = Signal::derive(move || live.summary.with(|s| s.as_ref().map(|s| s.source)));
    let system_ids = move || {
        live.summary.with(|s| {
            s.as_ref().map(|s| s.systems.iter().map(|x| x.id.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    view! {
        <SkipLink/>
        <Header source=source>
            <StatusBanner live=live now=now/>
        </Header>
        <main id=MAIN_ID tabindex="-1">
            <FetchErrorView error=live.error message=Signal::derive(|| tr("error.status"))/>
            <ComponentList summary=summary/>
            <GpuInput raw=gpu_raw parsed=gpus/>
            <div class="notices">
                <ActiveIncidents incidents=incidents summary=summary/>
                <MaintenanceList incidents=incidents summary=summary/>
            </div>
            <section class="systems" aria-labelledby="systems-title">
                <h2 id="systems-title">{move || tr("system.section_title")}</h2>
                <UptimeKey partial_outage_weight=Signal::derive(move || live.summary.with(|s| s.as_ref().and_then(|s| s.partial_outage_weight)))/>
                <Show when=move || live.summary.with(Option::is_none)>
                    <p class="muted">{move || tr("common.loading")}</p>
                </Show>
                <For each=system_ids key=|id| id.clone() let:id>
                    <SystemSection id=id summary=summary gpus=gpus refresh=refresh/>
                </For>
            </section>
            <PastIncidents incidents=incidents summary=summary/>
        </main>
        <Footer source=source/>
    }
}
