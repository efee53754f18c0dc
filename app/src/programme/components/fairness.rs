//! The fairness figures (Jain's index across sectors, Gini across
//! organisations, dominant shares per sector), each name carrying its
//! definition, shown on hover, on keyboard focus and on a tap, and read as
//! the figure's description.

use kairr_shared::allocation::{FairnessFigures, FairnessMetric};
use leptos::prelude::*;

use crate::common::format::{fixed, percent};
use crate::common::i18n::tr;
use crate::programme::labels;

/// One metric's name with its definition as a tooltip.
#[component]
fn MetricName(
    /// The metric.
    metric: FairnessMetric,
    /// Prefix of element ids (several figure lists per page).
    prefix: &'static str,
) -> impl IntoView {
    let id = format!("{prefix}-def-{}", serde_json::to_string(&metric).unwrap_or_default().trim_matches('"'));
    // The definition shows while the button has focus. A tap focuses it too
    // (touch browsers such as Safari do not focus a tapped button by
    // themselves), and Escape dismisses it (WCAG 1.4.13).
    let button = NodeRef::<leptos::html::Button>::new();
    let focus = move |_| {
        if let Some(b) = button.get() {
            let _ = b.focus();
        }
    };
    let dismiss = move |ev: leptos::ev::KeyboardEvent| {
        if let (true, Some(b)) = (ev.key() == "Escape", button.get()) {
            let _ = b.blur();
        }
    };
    view! {
        <span class="metric-name">
            <button type="button" class="metric-button" aria-describedby=id.clone() node_ref=button
                on:click=focus on:keydown=dismiss>
                {move || labels::metric(metric)}
            </button>
            <span role="tooltip" id=id class="metric-tooltip">{move || labels::metric_definition(metric)}</span>
        </span>
    }
}

fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| fixed(v, 3))
}

/// The figures of one allocation (decided or proposed).
#[component]
pub fn FairnessPanel(
    /// The figures.
    #[prop(into)]
    figures: Signal<Option<FairnessFigures>>,
    /// Prefix of element ids and test ids.
    prefix: &'static str,
) -> impl IntoView {
    let get = move |f: fn(&FairnessFigures) -> Option<f64>| move || figure(figures.with(|x| x.as_ref().and_then(f)));
    let shares = move || {
        figures.with(|x| {
            x.as_ref()
                .map(|x| {
                    x.dominant_shares
                        .iter()
                        .map(|d| {
                            let model = d.gpu_model.clone().unwrap_or_else(|| "—".to_owned());
                            format!("{} {} ({model})", labels::sector(d.sector), percent(d.share, 1))
                        })
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default()
        })
    };
    view! {
        <dl class="fairness" data-testid=format!("{prefix}-fairness")>
            <div>
                <dt><MetricName metric=FairnessMetric::JainSectors prefix=prefix/></dt>
                <dd data-testid=format!("{prefix}-jain")>{get(|f| f.jain_sectors)}</dd>
            </div>
            <div>
                <dt><MetricName metric=FairnessMetric::GiniOrganisations prefix=prefix/></dt>
                <dd data-testid=format!("{prefix}-gini")>{get(|f| f.gini_organisations)}</dd>
            </div>
            <div>
                <dt><MetricName metric=FairnessMetric::DominantShares prefix=prefix/></dt>
                <dd class="shares">{shares}</dd>
            </div>
        </dl>
        <p class="hint">{move || tr("programme.fairness.hint")}</p>
    }
}
