//! The awarded projects of a round (title, organisation, pool, amount,
//! period), filtered by text and shown one page at a time.

use kairr_shared::allocation::AwardedProject;
use leptos::prelude::*;

use crate::common::components::dated::{dated, short_name, ORGANISATION_WHOLE};
use crate::common::format::{period, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::components::pager::Pager;
use crate::programme::labels::{self, pick};
use crate::programme::paging::{matches, page_count, page_range, PER_PAGE};

/// What the filter searches in a project: its title, organisation and pool (id and name).
fn project_matches(f: &str, p: &AwardedProject) -> bool {
    matches(f, &[&p.title_ko, &p.title_en, &p.organisation, &p.pool, &labels::pool(&p.pool)])
}

/// The list with its filter box and pager.
#[component]
pub fn AwardedProjects(
    /// Every awarded project of the round.
    #[prop(into)]
    projects: Signal<Vec<AwardedProject>>,
) -> impl IntoView {
    // The filter and the page are in the address (`?q=…&page=2`), so a link
    // (or a reload, or the back button after opening a project's page) shows
    // the same rows; the round (`?round=`) is kept beside them.
    let query = crate::common::address::query();
    let param = |name| crate::common::address::query_param(&query, name);
    let filter = RwSignal::new(param("q").unwrap_or_default());
    let page = RwSignal::new(param("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1));
    Effect::new(move |_| {
        use crate::common::address::{replace_query, with_param};
        let (f, p) = (filter.get(), page.get());
        let search = with_param(&crate::common::address::query(), "q", f.trim());
        let search = with_param(&search, "page", &if p > 1 { p.to_string() } else { String::new() });
        if search != crate::common::address::query() {
            replace_query(&search);
        }
    });
    let shown = Memo::new(move |_| {
        let f = filter.get();
        projects.with(|ps| ps.iter().filter(|p| project_matches(&f, p)).cloned().collect::<Vec<_>>())
    });
    let pages = Signal::derive(move || page_count(shown.with(Vec::len), PER_PAGE));
    // A page past the last (an old link) is the last.
    Effect::new(move |_| {
        let last = pages.get();
        if projects.with(|ps| !ps.is_empty()) && page.get_untracked() > last {
            page.set(last);
        }
    });
    let rows = move || {
        shown.with(|s| {
            let range = page_range(s.len(), page.get(), PER_PAGE);
            s[range].to_vec()
        })
    };
    let count = move || {
        let f = filter.get();
        if shown.with(Vec::is_empty) && !f.trim().is_empty() {
            return trf("programme.projects.none_match", &[("filter", f.trim().to_owned())]);
        }
        trf(
            "programme.projects.count",
            &[("shown", thousands(shown.with(Vec::len) as u64)), ("total", thousands(projects.with(Vec::len) as u64))],
        )
    };
    view! {
        <section class="panel" aria-labelledby="projects-title">
            <h3 id="projects-title">{move || tr("programme.projects.title")}</h3>
            <div class="filter-row">
                <label for="projects-filter">{move || tr("programme.projects.filter")}</label>
                <input id="projects-filter" type="search" data-testid="projects-filter" prop:value=move || filter.get()
                    on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(1); }/>
            </div>
            <p role="status" data-testid="projects-count">{count}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="projects-title">
                <table class="data-table" data-testid="projects-table">
                    <caption class="sr-only">{move || tr("programme.projects.title")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || tr("programme.projects.col_title")}</th>
                            <th scope="col">{move || tr("programme.projects.col_organisation")}</th>
                            <th scope="col">{move || tr("programme.projects.col_pool")}</th>
                            <th scope="col" class="num">{move || tr("programme.projects.col_amount")}</th>
                            <th scope="col">{move || tr("programme.projects.col_period")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows().into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{pick(&p.title_ko, &p.title_en)}</th>
                                <td>{short_name(p.organisation.clone(), ORGANISATION_WHOLE)}</td>
                                <td>{labels::pool(&p.pool)}</td>
                                <td class="num">{labels::amount(p.amount, p.unit)}</td>
                                <td>{dated(period(p.start, p.end))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=page pages=pages name="projects"/>
        </section>
    }
}
