//! A request as the committee reads it: who asks what, for when, the
//! abstract, and the placement advisor's result attached to it.

use kairr_shared::advisor::export::AllocationDraft;
use kairr_shared::allocation::RequestDetail;
use leptos::prelude::*;

use crate::common::components::dated::dated;
use crate::common::format::{fixed, period, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::labels::{self, pick};

/// The request's facts.
#[component]
pub fn RequestSummary(
    /// The request's page.
    detail: RequestDetail,
) -> impl IntoView {
    let r = detail.request;
    let unit = detail.pool.as_ref().map(|p| p.unit);
    let score = detail.mean_score;
    let rows = {
        let r = r.clone();
        move || -> Vec<(String, String)> {
            let asked = unit.map_or_else(|| thousands(r.amount), |u| labels::amount(r.amount, u));
            let org = format!("{} · {} · {}", r.organisation, labels::sector(r.sector), labels::region(r.region));
            [
                ("programme.detail.organisation", org),
                ("programme.detail.pi", r.pi.clone()),
                ("programme.detail.pool", labels::pool(&r.pool)),
                ("programme.detail.asked", asked),
                ("programme.detail.period", period(r.period_start, r.period_end)),
                ("programme.detail.state", labels::state(r.state)),
                ("programme.detail.score", score.map_or_else(|| tr("programme.detail.no_reviews"), |s| fixed(s, 2))),
            ]
            .into_iter()
            .map(|(k, v)| (tr(k), v))
            .collect()
        }
    };
    let (title_ko, title_en) = (r.title_ko.clone(), r.title_en.clone());
    view! {
        <section class="panel" aria-labelledby="request-title" data-testid="request-summary">
            <h2 id="request-title" data-testid="request-title">{move || format!("#{} {}", r.id.0, pick(&title_ko, &title_en))}</h2>
            <dl class="facts">
                {move || rows().into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{dated(v)}</dd> }).collect_view()}
            </dl>
            <h3>{move || tr("programme.detail.abstract")}</h3>
            <p class="abstract">{r.abstract_text.clone()}</p>
            <AdvisorResult draft=r.advisor_draft.clone()/>
        </section>
    }
}

/// The wizard's export attached to the request, or a note that there is none.
#[component]
fn AdvisorResult(draft: Option<AllocationDraft>) -> impl IntoView {
    let Some(d) = draft else {
        return view! { <p class="muted" data-testid="advisor-none">{move || tr("programme.detail.no_advisor")}</p> }
            .into_any();
    };
    let (reason_ko, reason_en) = (d.reason_ko.clone(), d.reason_en.clone());
    let reason = move || reason_ko.clone().zip(reason_en.clone()).map(|(ko, en)| pick(&ko, &en));
    let figures = d;
    let text = move || {
        let d = &figures;
        let wait = d.estimates.wait_hours.map_or_else(|| "—".to_owned(), |h| fixed(h, 1));
        trf(
            "programme.detail.advisor_figures",
            &[
                ("pool", d.recommended_pool.as_deref().map_or_else(|| "—".to_owned(), labels::pool)),
                ("gpus", thousands(u64::from(d.gpus))),
                ("nodes", thousands(u64::from(d.nodes))),
                ("gpu_hours", fixed(d.gpu_hours, 0)),
                ("run", fixed(d.estimates.run_hours, 1)),
                ("wait", wait),
                ("cost", thousands(d.estimates.cost_krw.round().max(0.0) as u64)),
            ],
        )
    };
    view! {
        <div class="advisor-result" data-testid="advisor-result">
            <h3>{move || tr("programme.detail.advisor")}</h3>
            <p>{text}</p>
            {move || reason().map(|r| view! { <p class="muted">{r}</p> })}
        </div>
    }
    .into_any()
}
