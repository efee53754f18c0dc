//! The committee's request queue: filters (sector, state, text), sorting and
//! pages, all answered by the server. Until the server offers the queue
//! endpoint (404) a plain message says so.

use crate::common::components::dated::{short_name, ORGANISATION_WHOLE};
use kairr_shared::advisor::Sector;
use kairr_shared::allocation::RequestState;
use leptos::prelude::*;

use crate::common::components::fetch_error::FetchErrorView;
use crate::common::format::{fixed, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::api::QueueQuery;
use crate::programme::components::pager::Pager;
use crate::programme::data::use_queue;
use crate::programme::data::SelectedRound;
use crate::programme::labels::{self, pick};
use crate::programme::paging::page_count;

/// Rows per page of the queue.
const QUEUE_PER_PAGE: u32 = 25;

/// The queue block.
#[component]
pub fn RequestQueue() -> impl IntoView {
    let sector = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let sort = RwSignal::new("id".to_owned());
    let page = RwSignal::new(1usize);
    let round = use_context::<SelectedRound>();
    let query = Signal::derive(move || QueueQuery {
        round: round.and_then(|SelectedRound(r)| r.get()),
        sector: sector.get(),
        state: state.get(),
        q: text.get(),
        sort: sort.get(),
        page: page.get() as u32,
        per_page: QUEUE_PER_PAGE,
    });
    let queue = use_queue(query);
    let units = use_context::<labels::PoolUnits>();
    let pages = Signal::derive(move || {
        queue.data.with(|d| d.as_ref().map_or(1, |d| page_count(d.total as usize, QUEUE_PER_PAGE as usize)))
    });
    let other_error = Signal::derive(move || if queue.missing() { None } else { queue.error.get() });
    let reset = move || page.set(1);
    let sorts = [
        ("id", "programme.queue.sort_id"),
        ("score", "programme.queue.sort_score"),
        ("amount", "programme.queue.sort_amount"),
        ("organisation", "programme.queue.sort_organisation"),
    ];
    view! {
        <section class="panel" aria-labelledby="queue-title" data-testid="queue">
            <h3 id="queue-title">{move || tr("programme.queue.title")}</h3>
            <Show when=move || queue.missing()>
                <p class="notice" data-testid="queue-unavailable">{move || tr("programme.queue.unavailable")}</p>
            </Show>
            <FetchErrorView error=other_error message=Signal::derive(|| tr("programme.queue.error"))/>
            <Show when=move || !queue.missing()>
                <div class="filters">
                    <div class="filter-row">
                        <label for="queue-sector">{move || tr("programme.queue.sector")}</label>
                        <select id="queue-sector" on:change=move |ev| { sector.set(event_target_value(&ev)); reset(); }>
                            <option value="">{move || tr("programme.queue.any")}</option>
                            {move || Sector::ALL.iter().map(|s| view! { <option value=s.as_str()>{labels::sector(*s)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="filter-row">
                        <label for="queue-state">{move || tr("programme.queue.state")}</label>
                        <select id="queue-state" on:change=move |ev| { state.set(event_target_value(&ev)); reset(); }>
                            <option value="">{move || tr("programme.queue.any")}</option>
                            {move || RequestState::ALL.iter().map(|s| view! { <option value=s.as_str()>{labels::state(*s)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="filter-row">
                        <label for="queue-q">{move || tr("programme.queue.text")}</label>
                        <input id="queue-q" type="search" on:change=move |ev| { text.set(event_target_value(&ev)); reset(); }/>
                    </div>
                    <div class="filter-row">
                        <label for="queue-sort">{move || tr("programme.queue.sort")}</label>
                        <select id="queue-sort" on:change=move |ev| { sort.set(event_target_value(&ev)); reset(); }>
                            {sorts.into_iter().map(|(value, key)| view! { <option value=value>{move || tr(key)}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <p role="status">{move || queue.data.with(|d| d.as_ref().map(|d| trf("programme.queue.count", &[("n", thousands(u64::from(d.total)))])).unwrap_or_default())}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="queue-title">
                    <table class="data-table" data-testid="queue-table" aria-labelledby="queue-title">
                        <thead>
                            <tr>
                                <th scope="col">{move || tr("programme.proposal.col_request")}</th>
                                <th scope="col">{move || tr("programme.projects.col_title")}</th>
                                <th scope="col">{move || tr("programme.projects.col_organisation")}</th>
                                <th scope="col">{move || tr("programme.projects.col_pool")}</th>
                                <th scope="col" class="num">{move || tr("programme.proposal.col_asked")}</th>
                                <th scope="col">{move || tr("programme.queue.state")}</th>
                                <th scope="col" class="num">{move || tr("programme.proposal.col_score")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || queue.data.get().map(|d| d.items).unwrap_or_default().into_iter().map(|i| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/committee/requests/{}", i.request.id.0) data-testid="queue-open">{format!("#{}", i.request.id.0)}</a></th>
                                    <td>{pick(&i.request.title_ko, &i.request.title_en)}</td>
                                    <td>{short_name(i.request.organisation.clone(), ORGANISATION_WHOLE)}<br/><span class="muted">{labels::sector(i.request.sector)}</span></td>
                                    <td>{labels::pool_with_unit(&i.request.pool, units.and_then(|u| u.of(&i.request.pool)))}</td>
                                    <td class="num">{thousands(i.request.amount)}</td>
                                    <td>{labels::state(i.request.state)}</td>
                                    <td class="num">{i.mean_score.map_or_else(|| "—".to_owned(), |s| fixed(s, 2))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=page pages=pages name="queue"/>
            </Show>
        </section>
    }
}
