//! `/committee` (committee members and admins): the round's pools, awarded
//! against target shares by sector and region, the allocation timeline, the
//! fairness figures, the proposal, the CSV export and the request queue.
//! Anonymous visitors are asked to sign in; other roles are told they are
//! not permitted.

use kairr_shared::api::DataSource;
use kairr_shared::auth::Action;
use leptos::prelude::*;

use crate::common::address::PageQuery;

use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::date;
use crate::common::i18n::{tr, trf};
use crate::programme::api::EXPORTS;
use crate::programme::components::access::RequireRole;
use crate::programme::components::fairness::FairnessPanel;
use crate::programme::components::idle::IdleEvidence;
use crate::programme::components::pool_table::PoolTable;
use crate::programme::components::proposal::ProposalView;
use crate::programme::components::queue::RequestQueue;
use crate::programme::components::shares::ShareBreakdown;
use crate::programme::components::shell::Shell;
use crate::programme::components::timeline::Timeline;
use crate::programme::data::{use_committee_data, use_programme_changes, ProgrammeChanges, SelectedRound};
use crate::programme::labels::pick as pick_title;

/// The committee page.
#[component]
pub fn CommitteePage() -> impl IntoView {
    // Demo until the overview says which round it shows.
    let demo = RwSignal::new(crate::programme::session::use_session().demo());
    view! {
        <Shell page=SitePage::Other class="committee" demo=demo>
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("programme.committee.title")}</h2>
                <p>{move || tr("programme.committee.intro")}</p>
            </div>
            <RequireRole action=Action::ViewCommittee>
                <CommitteeOverview demo=demo/>
            </RequireRole>
        </Shell>
    }
}

/// Everything the committee sees, once allowed.
#[component]
fn CommitteeOverview(
    /// Set to whether the round shown is demo data (the frame's label follows).
    demo: RwSignal<bool>,
) -> impl IntoView {
    // Another member's decision, a review or a request re-fetches what is shown, without a reload.
    let changes = use_programme_changes();
    provide_context(ProgrammeChanges(changes));
    let query = PageQuery::use_context();
    let selected = Signal::derive(move || query.get("round").filter(|r| !r.trim().is_empty()));
    provide_context(SelectedRound(selected));
    let data = use_committee_data(changes, selected);
    let overview = data.overview;
    Effect::new(move |_| {
        if let Some(d) = overview.data.with(|o| o.as_ref().map(|o| o.source == Some(DataSource::Demo))) {
            demo.set(d);
        }
    });
    let pick = move |f: fn(&kairr_shared::allocation::RoundOverview) -> Vec<_>| {
        Signal::derive(move || overview.data.with(|o| o.as_ref().map(f).unwrap_or_default()))
    };
    let pools = Signal::derive(move || overview.data.with(|o| o.as_ref().map(|o| o.pools.clone()).unwrap_or_default()));
    // The queue and the proposal show each amount's unit with its pool.
    provide_context(crate::programme::labels::PoolUnits(Signal::derive(move || {
        pools.with(|ps| ps.iter().map(|p| (p.pool.clone(), p.unit)).collect())
    })));
    let sectors = pick(|o| o.sectors.clone());
    let regions = pick(|o| o.regions.clone());
    let timeline =
        Signal::derive(move || overview.data.with(|o| o.as_ref().map(|o| o.timeline.clone()).unwrap_or_default()));
    let today = Signal::derive(move || overview.data.with(|o| o.as_ref().map(|o| o.today)));
    let held_of = Callback::new(move |pool: String| overview.data.with(|o| o.as_ref().and_then(|o| o.held(&pool))));
    let idle = Signal::derive(move || overview.data.with(|o| o.as_ref().map(|o| o.idle.clone()).unwrap_or_default()));
    let figures = Signal::derive(move || overview.data.with(|o| o.as_ref().map(|o| o.fairness.clone())));
    let round = move || overview.data.with(|o| o.as_ref().map(|o| o.round.0.clone()).unwrap_or_default());
    // Each export as plain UTF-8 CSV and as CSV with a byte-order mark, which Korean Excel reads as UTF-8.
    let exports = move || {
        let round = String::from(js_sys::encode_uri_component(&round()));
        EXPORTS
            .iter()
            .map(|(what, path)| {
                let csv = format!("{path}?round={round}");
                let excel = format!("{csv}&excel=true");
                let (file, file_excel) = (format!("kairr-{what}.csv"), format!("kairr-{what}-excel.csv"));
                let (id, id_excel) = if *what == "requests" {
                    ("export-csv".to_owned(), "export-excel".to_owned())
                } else {
                    (format!("export-{what}-csv"), format!("export-{what}-excel"))
                };
                view! {
                    <li>
                        {tr(&format!("programme.committee.export_{what}"))}": "
                        <a href=csv rel="external" download=file data-testid=id>"CSV"</a>" · "
                        <a href=excel rel="external" download=file_excel data-testid=id_excel>
                            {tr("programme.committee.export_for_excel")}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <FetchErrorView error=overview.error message=Signal::derive(|| tr("programme.committee.error"))/>
        <Show when=move || overview.loading()>
            <p class="muted" role="status">{move || tr("common.loading")}</p>
        </Show>
        <Show when=move || overview.data.with(Option::is_some)>
            <div class="committee-head" data-testid="committee-overview">
                <RoundSelect current=Signal::derive(round)
                    rounds=Signal::derive(move || overview.data.with(|o| o.as_ref().map(|o| o.rounds.clone()).unwrap_or_default()))/>
                <p>{move || trf("programme.committee.round", &[
                    ("round", round()),
                    ("today", today.get().map(date).unwrap_or_default()),
                ])}</p>
                <Show when=move || demo.get()>
                    <p class="demo-note" data-testid="demo-note">{move || tr("programme.committee.demo_note")}</p>
                </Show>
                <div class="exports" data-testid="exports">
                    <h3 id="exports-title">{move || tr("programme.committee.exports")}</h3>
                    <ul aria-labelledby="exports-title">{exports}</ul>
                </div>
            </div>
            <PoolTable pools=pools/>
            <section class="panel" aria-labelledby="fairness-title">
                <h3 id="fairness-title">{move || tr("programme.fairness.title")}</h3>
                <FairnessPanel figures=figures prefix="overview"/>
            </section>
            <div class="panel-grid">
                <ShareBreakdown rows=sectors title=Signal::derive(|| tr("programme.shares.by_sector")) id="sector"/>
                <ShareBreakdown rows=regions title=Signal::derive(|| tr("programme.shares.by_region")) id="region"/>
            </div>
            <IdleEvidence checks=idle rows=timeline/>
            <Timeline rows=timeline held_of=held_of today=today/>
        </Show>
        <FetchErrorView error=data.proposal.error message=Signal::derive(|| tr("programme.proposal.error"))/>
        <Show when=move || data.proposal.data.with(Option::is_some)>
            <ProposalView proposal=data.proposal.data/>
        </Show>
        // The queue comes after what loads above it, so it is never pushed down the page.
        <Show when=move || overview.data.with(Option::is_some) && data.proposal.data.with(Option::is_some)>
            <RequestQueue/>
        </Show>
    }
}

/// Which round the committee looks at: every round past its draft, with its stage.
#[component]
fn RoundSelect(
    /// The round shown.
    current: Signal<String>,
    /// Every round past its draft (from the overview).
    rounds: Signal<Vec<kairr_shared::api::RoundListing>>,
) -> impl IntoView {
    // A page load of `?round=`: the page's data hooks start over for that round.
    let change = move |ev: leptos::ev::Event| {
        let search = format!("?round={}", String::from(js_sys::encode_uri_component(&event_target_value(&ev))));
        if let Err(e) = window().location().set_search(&search) {
            leptos::logging::warn!("cannot switch rounds: {e:?}");
        }
    };
    view! {
        <div class="field round-select">
            <label for="committee-round">{move || tr("programme.committee.round_select")}</label>
            <select id="committee-round" data-testid="committee-round" on:change=change>
                {move || rounds.get().into_iter().map(|r| {
                    let id = r.id.clone();
                    let selected = move || current.get() == id;
                    let stage = r.stage;
                    let (ko, en) = (r.title_ko.clone(), r.title_en.clone());
                    view! {
                        <option value=r.id.clone() selected=selected>
                            {move || format!("{} — {}", pick_title(&ko, &en), tr(&format!("programme.stage.{}", stage.as_str())))}
                        </option>
                    }
                }).collect_view()}
            </select>
            // Reviewer assignment lives in the staff's app (a page load, hence `external`).
            <a rel="external" data-testid="committee-assignments"
                href=move || format!("/admin/assignments?round={}", String::from(js_sys::encode_uri_component(&current.get())))>
                {move || tr("programme.committee.assignments")}
            </a>
        </div>
    }
}
