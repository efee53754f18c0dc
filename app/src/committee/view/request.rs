//! A request as the committee reads it: the summary with the advisor's
//! result, the reviews and (for admins) the conflicts of interest.

use std::collections::BTreeMap;

use kairr_shared::advisor::export::AllocationDraft;
use kairr_shared::allocation::{CoiRecord, RequestDetail, Review};
use kairr_shared::display::format::{fixed, kst_minute, period, thousands};
use maud::{html, Markup};

use super::{dated, Text};

/// Who asks what, for when, the abstract, and the placement advisor's result.
pub fn summary(x: &Text, detail: &RequestDetail) -> Markup {
    let r = &detail.request;
    let asked = detail.pool.as_ref().map_or_else(|| thousands(r.amount), |p| x.amount(r.amount, p.unit));
    let facts = [
        (
            "programme.detail.organisation",
            format!("{} · {} · {}", r.organisation, x.sector(r.sector), x.region(r.region)),
        ),
        ("programme.detail.pi", r.pi.clone()),
        ("programme.detail.pool", x.pool(&r.pool)),
        ("programme.detail.asked", asked),
        ("programme.detail.period", period(r.period_start, r.period_end)),
        ("programme.detail.state", x.state(r.state)),
        (
            "programme.detail.score",
            detail.mean_score.map_or_else(|| x.t("programme.detail.no_reviews"), |s| fixed(s, 2)),
        ),
    ];
    html! {
        section #c-summary .panel aria-labelledby="request-title" data-testid="request-summary" {
            h2 #request-title data-testid="request-title" { "#" (r.id.0) " " (x.pick(&r.title_ko, &r.title_en)) }
            dl.facts { @for (key, value) in &facts { dt { (x.t(key)) } dd { (dated(value)) } } }
            h3 { (x.t("programme.detail.abstract")) }
            p.abstract { (r.abstract_text) }
            (advisor_result(x, r.advisor_draft.as_ref()))
        }
    }
}

/// The wizard's export attached to the request, or a note that there is none.
fn advisor_result(x: &Text, draft: Option<&AllocationDraft>) -> Markup {
    let Some(d) = draft else {
        return html! { p.muted data-testid="advisor-none" { (x.t("programme.detail.no_advisor")) } };
    };
    let figures = x.f(
        "programme.detail.advisor_figures",
        &[
            ("pool", d.recommended_pool.as_deref().map_or_else(|| "—".to_owned(), |p| x.pool(p))),
            ("gpus", thousands(u64::from(d.gpus))),
            ("nodes", thousands(u64::from(d.nodes))),
            ("gpu_hours", fixed(d.gpu_hours, 0)),
            ("run", fixed(d.estimates.run_hours, 1)),
            ("wait", d.estimates.wait_hours.map_or_else(|| "—".to_owned(), |h| fixed(h, 1))),
            ("cost", thousands(d.estimates.cost_krw.round().max(0.0) as u64)),
        ],
    );
    html! {
        div.advisor-result data-testid="advisor-result" {
            h3 { (x.t("programme.detail.advisor")) }
            p { (figures) }
            @if let (Some(ko), Some(en)) = (&d.reason_ko, &d.reason_en) { p.muted { (x.pick(ko, en)) } }
        }
    }
}

/// The reviews (four rubric scores, mean, comment; a sentence when there are
/// none) and, for admins (`conflicts`), the refused reviews recorded as
/// conflicts of interest; people by their display names (`names`).
pub fn reviews(
    x: &Text,
    reviews: &[Review],
    conflicts: Option<&[CoiRecord]>,
    names: &BTreeMap<String, String>,
) -> Markup {
    let name = |account: &str| names.get(account).cloned().unwrap_or_else(|| account.to_owned());
    html! {
        section #c-reviews .panel aria-labelledby="reviews-title" data-testid="request-reviews" {
            h3 #reviews-title { (x.t("programme.detail.reviews")) }
            @if reviews.is_empty() {
                p.muted { (x.t("programme.detail.no_reviews")) }
            } @else {
                div.table-scroll tabindex="0" role="region" aria-labelledby="reviews-title" {
                    table.data-table {
                        thead { tr {
                            th scope="col" { (x.t("programme.detail.col_reviewer")) }
                            @for key in ["review.technical_merit", "review.impact", "review.ecosystem", "review.team_readiness", "detail.col_mean"] {
                                th.num scope="col" { (x.t(&format!("programme.{key}"))) }
                            }
                            th scope="col" { (x.t("programme.review.comment")) }
                        } }
                        tbody {
                            @for r in reviews {
                                @let s = r.rubric;
                                tr {
                                    th scope="row" { (name(&r.reviewer)) br; span.muted { (r.reviewer_organisation) } }
                                    td.num { (s.technical_merit.get()) }
                                    td.num { (s.impact.get()) }
                                    td.num { (s.ecosystem.get()) }
                                    td.num { (s.team_readiness.get()) }
                                    td.num { (fixed(s.mean(), 2)) }
                                    td { (r.comment) }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(c) = conflicts {
                h4 { (x.t("programme.detail.conflicts")) }
                ul data-testid="request-conflicts" {
                    @if c.is_empty() { li.muted { (x.t("programme.detail.no_conflicts")) } }
                    @for c in c { li { (dated(&format!("{} · {} · {}", name(&c.reviewer), c.organisation, kst_minute(c.at)))) } }
                }
            }
        }
    }
}
