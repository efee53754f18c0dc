//! The proposed allocation of the round: per pool capacity, asked and
//! proposed; the proposal's fairness figures; and per request the proposed
//! amount against the amount asked (paged, filterable).

use kairr_shared::allocation::{Exclusion, Proposal, ProposalLine};
use leptos::prelude::*;

use crate::components::programme::fairness::FairnessPanel;
use crate::components::programme::pager::Pager;
use crate::format::{fixed, thousands};
use crate::i18n::{tr, trf};
use crate::programme::labels;
use crate::programme::paging::{matches, page_count, page_range, PER_PAGE};

fn exclusion(e: Option<Exclusion>) -> String {
    match e {
        None => String::new(),
        Some(Exclusion::NotReviewed) => tr("programme.proposal.not_reviewed"),
        Some(Exclusion::BelowMinimumScore) => tr("programme.proposal.below_minimum"),
        Some(Exclusion::UnknownPool) => tr("programme.proposal.unknown_pool"),
    }
}

fn line_text(l: &ProposalLine) -> [&str; 2] {
    [&l.organisation, &l.pool]
}

/// The proposal block.
#[component]
pub fn ProposalView(
    /// The proposal (`None` while loading).
    #[prop(into)]
    proposal: Signal<Option<Proposal>>,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(1usize);
    let shown = Memo::new(move |_| {
        let f = filter.get();
        proposal.with(|p| {
            p.as_ref()
                .map(|p| p.lines.iter().filter(|l| matches(&f, &line_text(l))).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let pages = Signal::derive(move || page_count(shown.with(Vec::len), PER_PAGE));
    let rows = move || shown.with(|s| s[page_range(s.len(), page.get(), PER_PAGE)].to_vec());
    let figures = Signal::derive(move || proposal.with(|p| p.as_ref().map(|p| p.fairness.clone())));
    let pools = move || proposal.with(|p| p.as_ref().map(|p| p.pools.clone()).unwrap_or_default());
    view! {
        <section class="panel" aria-labelledby="proposal-title" data-testid="proposal">
            <h3 id="proposal-title">{move || tr("programme.proposal.title")}</h3>
            <p>{move || tr("programme.proposal.intro")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="proposal-title">
                <table class="data-table" data-testid="proposal-pools">
                    <caption class="sr-only">{move || tr("programme.proposal.pools_caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || tr("programme.pools.col_pool")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_capacity")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_requested")}</th>
                            <th scope="col" class="num">{move || tr("programme.proposal.col_proposed")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || pools().into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{p.pool.clone()}<br/><span class="muted">{labels::unit(p.unit)}</span></th>
                                <td class="num">{thousands(p.capacity)}</td>
                                <td class="num">{thousands(p.requested)}</td>
                                <td class="num">{thousands(p.proposed)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h4>{move || tr("programme.proposal.fairness")}</h4>
            <FairnessPanel figures=figures prefix="proposal"/>
            <h4 id="proposal-lines-title">{move || tr("programme.proposal.lines")}</h4>
            <div class="filter-row">
                <label for="proposal-filter">{move || tr("programme.proposal.filter")}</label>
                <input id="proposal-filter" type="search" prop:value=move || filter.get()
                    on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(1); }/>
            </div>
            <p role="status">{move || trf("programme.proposal.count", &[("n", thousands(shown.with(Vec::len) as u64))])}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="proposal-lines-title">
                <table class="data-table" data-testid="proposal-lines" aria-labelledby="proposal-lines-title">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr("programme.proposal.col_request")}</th>
                            <th scope="col">{move || tr("programme.projects.col_organisation")}</th>
                            <th scope="col">{move || tr("programme.projects.col_pool")}</th>
                            <th scope="col" class="num">{move || tr("programme.proposal.col_score")}</th>
                            <th scope="col" class="num">{move || tr("programme.proposal.col_asked")}</th>
                            <th scope="col" class="num">{move || tr("programme.proposal.col_proposed")}</th>
                            <th scope="col">{move || tr("programme.proposal.col_note")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows().into_iter().map(|l| view! {
                            <tr>
                                <th scope="row">{format!("#{}", l.request.0)}</th>
                                <td>{l.organisation.clone()}<br/><span class="muted">{labels::sector(l.sector)}</span></td>
                                <td>{l.pool.clone()}</td>
                                <td class="num">{l.score.map_or_else(|| "—".to_owned(), |s| fixed(s, 2))}</td>
                                <td class="num">{thousands(l.requested)}</td>
                                <td class="num">{thousands(l.proposed)}</td>
                                <td>{exclusion(l.excluded)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=page pages=pages name="proposal"/>
        </section>
    }
}
