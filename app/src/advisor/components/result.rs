//! The recommendation: the top pick with its deciding reason (announced when
//! it changes), then every pool ranked side by side.

use kairr_shared::advisor::reason::grouped;
use kairr_shared::advisor::{Decider, Recommendation};
use kairr_shared::catalogue::Catalogue;
use leptos::prelude::*;

use super::pool_result::pool_result;
use crate::advisor::engine::Engine;
use crate::advisor::labels::{pick, pool_name, reason_text};
use crate::common::format::percent;
use crate::common::i18n::{current_locale, tr, trf};

fn headline(cat: Option<&Catalogue>, r: &Recommendation) -> impl IntoView {
    let loc = current_locale();
    let Some(top) = r.top.as_deref() else {
        let widest = r
            .no_fit
            .iter()
            .flatten()
            .map(|j| {
                trf(
                    "advisor.result.widest_item",
                    &[
                        ("pool", pool_name(cat, &j.pool_id)),
                        ("gpus", grouped(f64::from(j.gpus))),
                        ("reserved", grouped(f64::from(j.gpus_reserved))),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        return view! {
            <p class="top-pick none" data-testid="top-pick" data-pool-id="">
                {trf("advisor.result.none", &[("widest", widest)])}
            </p>
        }
        .into_any();
    };
    let name = pool_name(cat, top);
    let deciding = r.deciding.as_ref().map(|d| {
        let versus = d.versus.as_deref().map(|v| pool_name(cat, v)).unwrap_or_default();
        let reason = d.reason.map(|x| reason_text(loc, &x)).unwrap_or_default();
        match d.decider {
            Decider::Criterion { criterion } => trf(
                "advisor.result.deciding_criterion",
                &[
                    ("criterion", pick(criterion.label_ko(), criterion.label_en())),
                    ("versus", versus),
                    ("reason", reason),
                ],
            ),
            Decider::Constraint { .. } => {
                trf("advisor.result.deciding_constraint", &[("versus", versus), ("reason", reason)])
            }
            Decider::OnlyOption => tr("advisor.result.only_option"),
            Decider::Tie { criterion } => trf(
                "advisor.result.tie",
                &[
                    ("versus", versus),
                    ("criterion", pick(criterion.label_ko(), criterion.label_en())),
                    ("reason", reason),
                ],
            ),
        }
    });
    view! {
        <div class="top-pick" data-testid="top-pick" data-pool-id=top.to_owned()>
            <p class="top-pick-name">{trf("advisor.result.top", &[("pool", name)])}</p>
            {deciding.map(|d| view! { <p class="deciding" data-testid="deciding">{d}</p> })}
        </div>
    }
    .into_any()
}

/// The ranked result of the current form (or what is missing for one).
#[component]
pub fn ResultView(engine: Engine) -> impl IntoView {
    let body = move || {
        engine.catalogue.with(|cat| {
            let cat = cat.as_ref();
            engine.recommendation.with(|r| match r {
                None if cat.is_none() => view! { <p class="muted">{tr("common.loading")}</p> }.into_any(),
                None => {
                    view! { <p class="muted" data-testid="no-result">{tr("advisor.result.fix_errors")}</p> }.into_any()
                }
                Some(r) => {
                    let pools = r
                        .pools
                        .iter()
                        .enumerate()
                        .map(|(i, p)| pool_result(cat, p, i + 1, r.top.as_deref() == Some(p.pool_id.as_str())))
                        .collect_view();
                    let efficiency = trf(
                        "advisor.result.assumption",
                        &[
                            ("efficiency", percent(r.efficiency, 0)),
                            ("version", r.catalogue_version.clone()),
                            ("as_of", r.catalogue_as_of.clone()),
                        ],
                    );
                    view! {
                        {headline(cat, r)}
                        <ol class="pool-results" data-testid="pool-results">{pools}</ol>
                        <p class="hint">{efficiency}</p>
                    }
                    .into_any()
                }
            })
        })
    };
    view! {
        <section class="result" aria-labelledby="result-title" data-testid="result">
            <h3 id="result-title">{move || tr("advisor.result.title")}</h3>
            // Hidden, not removed, when the waits are in: the ranking below keeps its place.
            <p class="muted waits-pending" data-testid="waits-pending"
                style:visibility=move || if engine.waits_pending.get() { "visible" } else { "hidden" }>
                {move || tr("advisor.result.waits_pending")}
            </p>
            <div role="status" class="sr-only">
                {move || {
                    engine.recommendation.with(|r| {
                        let top = r.as_ref().and_then(|r| r.top.clone());
                        engine.catalogue.with(|c| top.map(|t| trf("advisor.result.top", &[("pool", pool_name(c.as_ref(), &t))])))
                    })
                }}
            </div>
            {body}
        </section>
    }
}

/// On a phone the result sits under the long form: a bar kept at the
/// bottom of the screen while the form is in view names the current top
/// pick (or what is missing) and jumps to the result. Hidden where the
/// result stands beside the form (`style/advisor.css`).
#[component]
pub fn ResultDock(engine: Engine) -> impl IntoView {
    let text = move || {
        engine.catalogue.with(|cat| {
            let cat = cat.as_ref();
            engine.recommendation.with(|r| match r {
                None if cat.is_none() => tr("common.loading"),
                None => tr("advisor.result.fix_errors"),
                Some(r) => match r.top.as_deref() {
                    Some(top) => trf("advisor.result.top", &[("pool", pool_name(cat, top))]),
                    None => tr("advisor.dock.none"),
                },
            })
        })
    };
    view! {
        <div class="result-dock" data-testid="result-dock">
            <p class="result-dock-text">{text}</p>
            <a class="button secondary" href="#result-title" data-testid="result-dock-link">{move || tr("advisor.dock.see")}</a>
        </div>
    }
}
