//! The recommendation: the top pick with its deciding reason (announced when
//! it changes), then every pool ranked side by side; the bar that names it
//! on a phone while the form is in view; and what to fix when there is none.

use kairr_shared::advisor::reason::grouped;
use kairr_shared::advisor::{Criterion, Decider, PoolAssessment, Recommendation};
use kairr_shared::api::SystemKind;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::display::format::{fixed, percent, thousands};
use maud::{html, Markup};

use crate::advisor::fields::{field_label, step_of};
use crate::advisor::labels::{kwh, Text};
use crate::advisor::model::Model;

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

fn criterion_label(x: Text, c: Criterion) -> String {
    x.label(c.label_ko(), c.label_en())
}

fn headline(x: Text, cat: Option<&Catalogue>, r: &Recommendation) -> Markup {
    let Some(top) = r.top.as_deref() else {
        let widest = r
            .no_fit
            .iter()
            .flatten()
            .map(|j| {
                x.f(
                    "advisor.result.widest_item",
                    &[
                        ("pool", x.pool_name(cat, &j.pool_id)),
                        ("gpus", grouped(f64::from(j.gpus))),
                        ("reserved", grouped(f64::from(j.gpus_reserved))),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        return html! {
            p.top-pick.none data-testid="top-pick" data-pool-id="" { (x.f("advisor.result.none", &[("widest", widest)])) }
        };
    };
    let deciding = r.deciding.as_ref().map(|d| {
        let versus = d.versus.as_deref().map(|v| x.pool_name(cat, v)).unwrap_or_default();
        let reason = d.reason.map(|r| x.reason(&r)).unwrap_or_default();
        match d.decider {
            Decider::Criterion { criterion } => x.f(
                "advisor.result.deciding_criterion",
                &[
                    ("criterion", x.pick(criterion.label_ko(), criterion.label_en())),
                    ("versus", versus),
                    ("reason", reason),
                ],
            ),
            Decider::Constraint { .. } => {
                x.f("advisor.result.deciding_constraint", &[("versus", versus), ("reason", reason)])
            }
            Decider::OnlyOption => x.t("advisor.result.only_option"),
            Decider::Tie { criterion } => x.f(
                "advisor.result.tie",
                &[
                    ("versus", versus),
                    ("criterion", x.pick(criterion.label_ko(), criterion.label_en())),
                    ("reason", reason),
                ],
            ),
        }
    });
    html! {
        div.top-pick data-testid="top-pick" data-pool-id=(top) {
            p.top-pick-name { (x.f("advisor.result.top", &[("pool", x.pool_name(cat, top))])) }
            @if let Some(d) = deciding { p.deciding data-testid="deciding" { (d) } }
        }
    }
}

/// The criteria of `p` as labelled bars with their score, weight and reason.
fn criteria(x: Text, p: &PoolAssessment) -> Markup {
    html! {
        ul.criteria {
            @for c in &p.criteria {
                @let (score, weight_pct, points) = shown_points(c.score, c.weight);
                li.criterion data-criterion=(format!("{:?}", c.criterion).to_lowercase()) {
                    div.criterion-head {
                        span.criterion-name { (criterion_label(x, c.criterion)) }
                        span.criterion-value {
                            (x.f("advisor.criterion.value", &[
                                ("score", fixed(score, 0)),
                                ("weight", format!("{}%", fixed(weight_pct, 1))),
                                ("points", fixed(points, 1)),
                            ]))
                        }
                    }
                    div.bar aria-hidden="true" { span.bar-fill style={ "width:" (score) "%" } {} }
                    p.criterion-reason { (x.reason(&c.reason)) }
                }
            }
        }
    }
}

/// The estimates of `p` as a definition list.
fn estimates(x: Text, p: &PoolAssessment) -> Markup {
    let e = p.estimates;
    let wait = match (e.wait, e.wait_hours) {
        (Some(b), _) => x.wait_band(&b),
        (None, Some(h)) => x.f("advisor.wait.heuristic", &[("h", x.hours(h))]),
        (None, None) => x.t("advisor.wait.unknown"),
    };
    let run = if e.segments > 1 {
        x.f("advisor.est.run_segments", &[("h", x.hours(e.run_hours)), ("n", e.segments.to_string())])
    } else {
        x.hours(e.run_hours)
    };
    let rows: [(&str, String, &str); 8] = [
        (
            "advisor.est.allocation",
            x.f(
                "advisor.est.allocation_value",
                &[("gpus", thousands(u64::from(e.gpus_allocated))), ("nodes", thousands(u64::from(e.nodes)))],
            ),
            "allocation",
        ),
        ("advisor.est.run", run, "run"),
        ("advisor.est.wait", wait, "wait"),
        ("advisor.est.transfer", x.hours(e.transfer_hours), "transfer"),
        (
            "advisor.est.total",
            e.time_to_result_hours.map_or_else(|| x.t("advisor.wait.unknown"), |h| x.hours(h)),
            "total",
        ),
        ("advisor.est.gpu_hours", x.gpu_hours(e.gpu_hours), "gpu_hours"),
        ("advisor.est.energy", kwh(e.energy_kwh), "energy"),
        (
            "advisor.est.cost",
            x.f("advisor.est.cost_value", &[("cost", x.krw(e.cost_krw)), ("market", x.krw(e.market_cost_krw))]),
            "cost",
        ),
    ];
    html! {
        dl.estimates {
            @for (key, value, id) in rows {
                div.estimate data-estimate=(id) { dt { (x.t(key)) } dd { (value) } }
            }
        }
    }
}

/// The card of one pool at `rank` (1 = best).
fn pool_card(x: Text, cat: Option<&Catalogue>, p: &PoolAssessment, rank: usize, top: bool) -> Markup {
    let verdict = if top {
        x.t("advisor.pool.recommended")
    } else if p.feasible {
        x.f("advisor.pool.rank", &[("n", rank.to_string())])
    } else {
        x.t("advisor.pool.ruled_out")
    };
    let kind = match p.kind {
        SystemKind::Hpc => x.t("advisor.kind.hpc"),
        SystemKind::Cloud => x.t("advisor.kind.cloud"),
    };
    let title_id = format!("pool-{}-title", p.pool_id);
    let lost = p.lost_on.as_ref().and_then(|d| d.reason).map(|r| x.reason(&r));
    html! {
        li.pool-result.top[top].infeasible[!p.feasible] data-testid="pool-result" data-pool-id=(p.pool_id) data-key=(p.pool_id)
            data-feasible=(p.feasible) aria-labelledby=(title_id) {
            div.pool-result-head {
                h4 id=(title_id) { (x.pool_name(cat, &p.pool_id)) }
                p.pool-meta {
                    span.verdict { (verdict) } " · " span { (kind) } " · "
                    span { (x.f("advisor.pool.score", &[("score", fixed(shown_total(p), 1))])) }
                }
            }
            @if !p.failures.is_empty() {
                div.failures data-testid="failures" {
                    p.failures-title { (x.t("advisor.pool.failures")) }
                    ul { @for f in &p.failures { li { (x.reason(&f.reason)) } } }
                }
            }
            @if let Some(r) = lost {
                p.lost-on data-testid="lost-on" { strong { (x.t("advisor.pool.lost_on")) } " " (r) }
            }
            (estimates(x, p))
            details.criteria-details open[top] {
                summary { (x.t("advisor.pool.criteria")) }
                (criteria(x, p))
            }
        }
    }
}

/// The ranked result of the current form (or what is missing for one).
pub fn result(m: &mut Model) -> Markup {
    let x = m.text;
    let pending = m.waits_pending;
    let rec = m.derived().recommendation.clone();
    let cat = m.catalogue.as_ref();
    let announced = rec
        .as_ref()
        .and_then(|r| r.top.as_deref())
        .map(|t| x.f("advisor.result.top", &[("pool", x.pool_name(cat, t))]));
    html! {
        section #w-result .result aria-labelledby="result-title" data-testid="result" {
            h3 #result-title { (x.t("advisor.result.title")) }
            // Hidden, not removed, when the waits are in: the ranking below keeps its place.
            p.muted.waits-pending data-testid="waits-pending" style=(if pending { "visibility:visible" } else { "visibility:hidden" }) {
                (x.t("advisor.result.waits_pending"))
            }
            div.sr-only role="status" { @if let Some(a) = announced { (a) } }
            @match (&rec, cat) {
                (None, None) if m.load_error.is_some() => p.muted { (x.t("advisor.error.load")) },
                (None, None) => p.muted { (x.t("common.loading")) },
                (None, Some(_)) => p.muted data-testid="no-result" { (x.t("advisor.result.fix_errors")) },
                (Some(r), _) => {
                    (headline(x, cat, r))
                    ol.pool-results data-testid="pool-results" {
                        @for (i, p) in r.pools.iter().enumerate() {
                            (pool_card(x, cat, p, i + 1, r.top.as_deref() == Some(p.pool_id.as_str())))
                        }
                    }
                    p.hint {
                        (x.f("advisor.result.assumption", &[
                            ("efficiency", percent(r.efficiency, 0)),
                            ("version", r.catalogue_version.clone()),
                            ("as_of", r.catalogue_as_of.clone()),
                        ]))
                    }
                },
            }
        }
    }
}

/// On a phone the result sits under the long form: a bar kept at the
/// bottom of the screen while the form is in view names the current top
/// pick (or what is missing) and jumps to the result. Hidden where the
/// result stands beside the form (`style/advisor.css`).
pub fn dock(m: &mut Model) -> Markup {
    let x = m.text;
    let rec = m.derived().recommendation.clone();
    let cat = m.catalogue.as_ref();
    let text = match (&rec, cat) {
        (None, None) => x.t("common.loading"),
        (None, Some(_)) => x.t("advisor.result.fix_errors"),
        (Some(r), _) => match r.top.as_deref() {
            Some(top) => x.f("advisor.result.top", &[("pool", x.pool_name(cat, top))]),
            None => x.t("advisor.dock.none"),
        },
    };
    html! {
        div #w-dock .result-dock data-testid="result-dock" {
            p.result-dock-text { (text) }
            a.button.secondary href="#result-title" data-testid="result-dock-link" { (x.t("advisor.dock.see")) }
        }
    }
}

/// Every field error with a button that opens its step and focuses the field (nothing when the form parses).
pub fn error_summary(m: &mut Model) -> Markup {
    let x = m.text;
    let errors = m.derived().errors.clone();
    html! {
        div #w-error-summary {
            @if !errors.is_empty() {
                div.error-summary data-testid="error-summary" {
                    h3 { (x.t("advisor.errors.title")) }
                    ul {
                        @for fe in &errors.0 {
                            @let name = field_label(&fe.field, |k| x.t(k), |n| x.f("advisor.workflow.stage", &[("n", n.to_string())]));
                            li {
                                button.link-button type="button" data-action={ "fix:" (step_of(&fe.field)) ":" (fe.field) } {
                                    (name) ": " (x.pick(&fe.message_ko, &fe.message_en))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
