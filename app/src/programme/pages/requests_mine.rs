//! `/requests/mine`: the signed-in researcher's requests, their state, the
//! decision and the allocation's usage. Until the server offers the endpoint
//! (404) the page says so.

use kairr_shared::auth::Action;
use leptos::prelude::*;

use crate::common::address::PageQuery;

use crate::common::components::dated::dated;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::{date, fixed, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::components::access::RequireRole;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_my_requests;
use crate::programme::labels::{self, pick};

/// The page.
#[component]
pub fn RequestsMinePage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="requests-mine">
            <div class="programme-intro">
                <h2>{move || tr("programme.mine.title")}</h2>
                <p><a href="/requests/new" data-testid="new-request">{move || tr("programme.mine.new")}</a></p>
            </div>
            <RequireRole action=Action::SubmitRequest>
                <MyRequests/>
            </RequireRole>
        </Shell>
    }
}

#[component]
fn MyRequests() -> impl IntoView {
    let mine = use_my_requests();
    let other_error = Signal::derive(move || if mine.missing() { None } else { mine.error.get() });
    // Just submitted (`?submitted=<id>`): the receipt number, as the notice and e-mail give it.
    let query = PageQuery::use_context();
    let submitted = move || query.get("submitted").and_then(|s| s.parse::<u64>().ok());
    view! {
        {move || submitted().map(|id| view! {
            <p class="notice" role="status" data-testid="receipt">
                {trf("programme.mine.receipt", &[("id", format!("#{id}"))])}
            </p>
        })}
        <Show when=move || mine.missing()>
            <p class="notice" data-testid="endpoint-missing">{move || tr("programme.mine.unavailable")}</p>
        </Show>
        <FetchErrorView error=other_error message=Signal::derive(|| tr("programme.mine.error"))/>
        <Show when=move || mine.loading()>
            <p class="muted" role="status">{move || tr("common.loading")}</p>
        </Show>
        <Show when=move || mine.data.with(|d| d.as_ref().is_some_and(Vec::is_empty))>
            <p data-testid="mine-empty">{move || tr("programme.mine.empty")}</p>
        </Show>
        <ul class="my-requests" data-testid="my-requests">
            {move || mine.data.get().unwrap_or_default().into_iter().map(|m| {
                let r = m.request;
                let usage = m.allocation.as_ref().map(|a| {
                    let held = a.gpus.map_or_else(|| labels::amount(a.amount, a.unit), |g| trf("programme.pools.awarded_with_gpus", &[
                        ("amount", labels::amount(a.amount, a.unit)),
                        ("gpus", thousands(g)),
                    ]));
                    trf("programme.mine.allocation", &[("held", held), ("start", date(a.start)), ("end", date(a.end))])
                });
                let share = if m.awarded_gpu_hours > 0.0 { m.used_gpu_hours / m.awarded_gpu_hours } else { 0.0 };
                let used = m.allocation.is_some().then(|| trf("programme.mine.usage", &[
                    ("used", fixed(m.used_gpu_hours, 0)),
                    ("awarded", fixed(m.awarded_gpu_hours, 0)),
                    ("share", crate::common::format::percent(share, 1)),
                ]));
                let decision = m.decision.as_ref().map(|d| d.rationale.clone());
                view! {
                    <li class="panel" id=format!("request-{}", r.id.0)>
                        <h3><a href=format!("/requests/{}", r.id.0) data-testid="mine-open">{pick(&r.title_ko, &r.title_en)}</a></h3>
                        <p><span class="state-badge">{labels::state(r.state)}</span>" "
                            {dated(trf("programme.mine.asked", &[
                                ("pool", labels::pool(&r.pool)),
                                ("amount", m.unit.map_or_else(|| thousands(r.amount), |u| labels::amount(r.amount, u))),
                                ("submitted", date(r.submitted_at.date_naive())),
                            ]))}</p>
                        {usage.map(|u| view! { <p>{dated(u)}</p> })}
                        {used.map(|u| view! {
                            <p data-testid="mine-usage">{u}</p>
                            <meter min="0" max="1" value=share.min(1.0) aria-label=tr("programme.mine.usage_meter")></meter>
                        })}
                        {decision.map(|d| view! { <p class="muted">{d}</p> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
