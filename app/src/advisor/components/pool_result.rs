//! One pool in the ranked result: rank, score, the seven criteria as bars with
//! their values and reasons, the estimates, and why it was ruled out or lost.

use kairr_shared::advisor::{Criterion, PoolAssessment};
use kairr_shared::api::SystemKind;
use kairr_shared::catalogue::Catalogue;
use leptos::prelude::*;

use crate::advisor::labels::{gpu_hours, hours, krw, kwh, label, pool_name, reason_text, wait_band};
use crate::common::format::{fixed, thousands};
use crate::common::i18n::{current_locale, tr, trf};

fn criterion_label(c: Criterion) -> String {
    label(c.label_ko(), c.label_en())
}

fn kind_label(k: SystemKind) -> String {
    match k {
        SystemKind::Hpc => tr("advisor.kind.hpc"),
        SystemKind::Cloud => tr("advisor.kind.cloud"),
    }
}

/// A criterion's score (0..=100, whole), weight (percent, one decimal) and
/// points as shown: the points are the shown score × the shown weight, so
/// what a reader multiplies and adds up is what the page says.
pub fn shown_points(score: f64, weight: f64) -> (f64, f64, f64) {
    let score = (score * 100.0).round();
    let weight_pct = (weight * 1_000.0).round() / 10.0;
    (score, weight_pct, score * weight_pct / 100.0)
}

/// The total of `p` as shown: the sum of its criteria's shown points.
pub fn shown_total(p: &PoolAssessment) -> f64 {
    p.criteria.iter().map(|c| shown_points(c.score, c.weight).2).sum()
}

/// The criteria of `p` as labelled bars with their score, weight and reason.
fn criteria(p: &PoolAssessment) -> impl IntoView {
    let loc = current_locale();
    let rows = p
        .criteria
        .iter()
        .map(|c| {
            let (score, weight_pct, points) = shown_points(c.score, c.weight);
            let value = trf(
                "advisor.criterion.value",
                &[
                    ("score", fixed(score, 0)),
                    ("weight", format!("{}%", fixed(weight_pct, 1))),
                    ("points", fixed(points, 1)),
                ],
            );
            view! {
                <li class="criterion" data-criterion=format!("{:?}", c.criterion).to_lowercase()>
                    <div class="criterion-head">
                        <span class="criterion-name">{criterion_label(c.criterion)}</span>
                        <span class="criterion-value">{value}</span>
                    </div>
                    <div class="bar" aria-hidden="true">
                        <span class="bar-fill" style:width=format!("{score}%")></span>
                    </div>
                    <p class="criterion-reason">{reason_text(loc, &c.reason)}</p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="criteria">{rows}</ul> }
}

/// The estimates of `p` as a definition list.
fn estimates(p: &PoolAssessment) -> impl IntoView {
    let e = p.estimates;
    let wait = match (e.wait, e.wait_hours) {
        (Some(b), _) => wait_band(&b),
        (None, Some(h)) => trf("advisor.wait.heuristic", &[("h", hours(h))]),
        (None, None) => tr("advisor.wait.unknown"),
    };
    let run = if e.segments > 1 {
        trf("advisor.est.run_segments", &[("h", hours(e.run_hours)), ("n", e.segments.to_string())])
    } else {
        hours(e.run_hours)
    };
    let total = e.time_to_result_hours.map_or_else(|| tr("advisor.wait.unknown"), hours);
    let rows: Vec<(String, String, &'static str)> = vec![
        (
            tr("advisor.est.allocation"),
            trf(
                "advisor.est.allocation_value",
                &[("gpus", thousands(u64::from(e.gpus_allocated))), ("nodes", thousands(u64::from(e.nodes)))],
            ),
            "allocation",
        ),
        (tr("advisor.est.run"), run, "run"),
        (tr("advisor.est.wait"), wait, "wait"),
        (tr("advisor.est.transfer"), hours(e.transfer_hours), "transfer"),
        (tr("advisor.est.total"), total, "total"),
        (tr("advisor.est.gpu_hours"), gpu_hours(e.gpu_hours), "gpu_hours"),
        (tr("advisor.est.energy"), kwh(e.energy_kwh), "energy"),
        (
            tr("advisor.est.cost"),
            trf("advisor.est.cost_value", &[("cost", krw(e.cost_krw)), ("market", krw(e.market_cost_krw))]),
            "cost",
        ),
    ];
    let items = rows
        .into_iter()
        .map(|(k, v, id)| view! { <div class="estimate" data-estimate=id><dt>{k}</dt><dd>{v}</dd></div> })
        .collect_view();
    view! { <dl class="estimates">{items}</dl> }
}

/// The card of one pool at `rank` (1 = best).
pub fn pool_result(cat: Option<&Catalogue>, p: &PoolAssessment, rank: usize, top: bool) -> impl IntoView {
    let loc = current_locale();
    let name = pool_name(cat, &p.pool_id);
    let failures = p.failures.iter().map(|f| view! { <li>{reason_text(loc, &f.reason)}</li> }).collect_view();
    let lost = p.lost_on.as_ref().and_then(|d| d.reason).map(|r| reason_text(loc, &r));
    let title_id = format!("pool-{}-title", p.pool_id);
    let labelled_by = title_id.clone();
    let verdict = if top {
        tr("advisor.pool.recommended")
    } else if p.feasible {
        trf("advisor.pool.rank", &[("n", rank.to_string())])
    } else {
        tr("advisor.pool.ruled_out")
    };
    view! {
        <li
            class="pool-result"
            class:top=top
            class:infeasible=!p.feasible
            data-testid="pool-result"
            data-pool-id=p.pool_id.clone()
            data-feasible=p.feasible.to_string()
            aria-labelledby=labelled_by
        >
            <div class="pool-result-head">
                <h4 id=title_id.clone()>{name}</h4>
                <p class="pool-meta">
                    <span class="verdict">{verdict}</span>
                    " · "
                    <span>{kind_label(p.kind)}</span>
                    " · "
                    <span>{trf("advisor.pool.score", &[("score", fixed(shown_total(p), 1))])}</span>
                </p>
            </div>
            {(!p.failures.is_empty()).then(|| view! {
                <div class="failures" data-testid="failures">
                    <p class="failures-title">{tr("advisor.pool.failures")}</p>
                    <ul>{failures}</ul>
                </div>
            })}
            {lost.map(|r| view! {
                <p class="lost-on" data-testid="lost-on">
                    <strong>{tr("advisor.pool.lost_on")}</strong>" "{r}
                </p>
            })}
            {estimates(p)}
            <details class="criteria-details" open=top>
                <summary>{tr("advisor.pool.criteria")}</summary>
                {criteria(p)}
            </details>
        </li>
    }
}
