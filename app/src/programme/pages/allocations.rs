//! `/allocations`, the public transparency page (anonymous): the round,
//! totals per pool, requests and awards by sector and by region with
//! acceptance rates, and the awarded projects. Labelled demo.

use kairr_shared::api::DataSource;
use leptos::prelude::*;

use crate::common::address::PageQuery;

use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::{date, percent, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::components::projects::AwardedProjects;
use crate::programme::components::public_groups::PublicGroups;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_public_round;
use crate::programme::labels::{self, pick};

/// The public allocations page.
#[component]
pub fn AllocationsPage() -> impl IntoView {
    let query = PageQuery::use_context();
    let chosen = Signal::derive(move || query.get("round"));
    let round = use_public_round(chosen);
    let show_round = Callback::new(move |id: String| query.navigate(&format!("/allocations?round={id}")));
    let published =
        Signal::derive(move || round.data.with(|r| r.as_ref().map(|r| r.published.clone()).unwrap_or_default()));
    let shown = Signal::derive(move || round.data.with(|r| r.as_ref().map(|r| r.round.0.clone()).unwrap_or_default()));
    let get = move |f: fn(&kairr_shared::allocation::PublicRound) -> String| {
        move || round.data.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let by_sector =
        Signal::derive(move || round.data.with(|r| r.as_ref().map(|r| r.by_sector.clone()).unwrap_or_default()));
    let by_region =
        Signal::derive(move || round.data.with(|r| r.as_ref().map(|r| r.by_region.clone()).unwrap_or_default()));
    let projects =
        Signal::derive(move || round.data.with(|r| r.as_ref().map(|r| r.projects.clone()).unwrap_or_default()));
    let demo =
        Signal::derive(move || round.data.with(|r| r.as_ref().is_some_and(|r| r.source == Some(DataSource::Demo))));
    view! {
        <Shell page=SitePage::Allocations class="allocations" demo=demo>
            <div class="programme-intro">
                <h2>{move || tr("programme.public.title")}</h2>
                <p>{move || tr("programme.public.intro")}</p>
            </div>
            <FetchErrorView error=round.error message=Signal::derive(|| tr("programme.public.error"))/>
            <Show when=move || round.loading()>
                <p class="muted" role="status">{move || tr("common.loading")}</p>
            </Show>
            <Show when=move || round.data.with(Option::is_some)>
                <Show when=move || published.with(|p| p.len() > 1)>
                    <div class="field round-select">
                        <label for="round-select">{move || tr("programme.public.round_select")}</label>
                        // `prop:value` as well as each option's `selected`: once the reader has
                        // chosen, the browser no longer follows `selected`, and the back and
                        // forward buttons change the round shown.
                        <select id="round-select" data-testid="round-select" prop:value=move || shown.get()
                            on:change=move |ev| show_round.run(event_target_value(&ev))>
                            {move || published.get().into_iter().map(|r| {
                                let selected = r.id.0 == shown.get();
                                view! { <option value=r.id.0.clone() selected=selected>{pick(&r.title_ko, &r.title_en)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
                <section class="panel" aria-labelledby="round-title" data-testid="public-round">
                    <h3 id="round-title" data-testid="round-title">{get(|r| pick(&r.title_ko, &r.title_en))}</h3>
                    <Show when=move || round.data.with(|r| r.as_ref().is_some_and(|r| r.source == Some(DataSource::Demo)))>
                        <p class="demo-note" data-testid="demo-note">{move || tr("programme.public.demo_note")}</p>
                    </Show>
                    <p>{get(|r| trf("programme.public.round_dates", &[("opens", date(r.opens)), ("closes", date(r.closes))]))}</p>
                    <p data-testid="public-totals">{get(|r| trf("programme.public.totals", &[
                        ("requests", thousands(u64::from(r.requests))),
                        ("awards", thousands(u64::from(r.awards))),
                        ("rate", percent(r.acceptance_rate, 1)),
                    ]))}</p>
                    <h4>{move || tr("programme.public.pools_title")}</h4>
                    <ul class="pool-totals" data-testid="pool-totals">
                        {move || round.data.with(|r| r.as_ref().map(|r| r.pools.clone()).unwrap_or_default()).into_iter().map(|p| {
                            let text = match p.awarded_gpus {
                                Some(g) => trf("programme.pools.awarded_with_gpus", &[
                                    ("amount", labels::amount(p.awarded, p.unit)),
                                    ("gpus", thousands(g)),
                                ]),
                                None => labels::amount(p.awarded, p.unit),
                            };
                            let used = p.used_30d.map(|u| format!(" · {}", trf("programme.pools.used_30d", &[("pct", percent(u, 0))]))).unwrap_or_default();
                            // One text node, as in the server's first view: the
                            // browser then measures the same paint and records
                            // no new largest contentful paint when the app takes over.
                            let line = format!(": {text}{used}");
                            view! { <li><strong>{labels::pool(&p.pool)}</strong>{line}</li> }
                        }).collect_view()}
                    </ul>
                </section>
                <div class="panel-grid">
                    <PublicGroups rows=by_sector title=Signal::derive(|| tr("programme.public.by_sector")) id="sector"/>
                    <PublicGroups rows=by_region title=Signal::derive(|| tr("programme.public.by_region")) id="region"/>
                </div>
                <AwardedProjects projects=projects/>
            </Show>
        </Shell>
    }
}
