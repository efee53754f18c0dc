//! A request as the committee reads it: the summary with the advisor's
//! result, the reviews and (for admins) the conflicts of interest.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kairr_shared::advisor::export::AllocationDraft;
use kairr_shared::allocation::detail::DecisionAccess;
use kairr_shared::allocation::round::review_window_open;
use kairr_shared::allocation::{CoiRecord, DecisionKind, RequestDetail, Review};
use kairr_shared::display::format::{date, fixed, kst_minute, period, thousands};

use crate::committee::model::{field_message, DecisionDraft, PeriodDraft};
use crate::common::api::FetchError;
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

/// What to fix in a form, above it: every field refused (by the form's own
/// check or the server), named by its label, each a link to its control
/// (`data-focus`); the page focuses the summary when it appears.
pub fn error_summary(
    x: &Text,
    error: Option<&FetchError>,
    scope: &str,
    label: impl Fn(&str) -> String,
    id: impl Fn(&str) -> String,
) -> Markup {
    let fields = match error {
        Some(FetchError::Http { api: Some(api), .. }) => api.fields.as_slice(),
        _ => &[],
    };
    let title_id = format!("{scope}-error-summary-title");
    html! {
        div.error-summary tabindex="-1" data-testid="form-error-summary" aria-labelledby=(title_id) hidden[fields.is_empty()] {
            h3 id=(title_id) { (x.f("programme.form.errors_title", &[("n", fields.len().to_string())])) }
            ul {
                @for f in fields {
                    li { a href=(format!("#{}", id(&f.field))) data-focus=(id(&f.field)) { (label(&f.field)) ": " (x.loc.pick(&f.message_ko, &f.message_en)) } }
                }
            }
        }
    }
}

/// A form's failure that names none of its `fields` (a network failure, 403, 409 …).
fn general(x: &Text, error: Option<&FetchError>, fields: &[&str], key: &str) -> Option<Markup> {
    let e = error?;
    let named = fields.iter().any(|f| field_message(x.loc, Some(e), f).is_some());
    (!named).then(|| {
        html! {
            div.fetch-error role="alert" data-testid="fetch-error" {
                p.fetch-error-title { (x.t(key)) }
                p.fetch-error-detail { (e.detail_in(x.loc)) }
            }
        }
    })
}

/// A labelled date input with its field error in place.
fn date_field(
    x: &Text,
    id: &str,
    bind: &str,
    label: &str,
    (min, max): (&str, &str),
    value: &str,
    error: Option<String>,
) -> Markup {
    let error_id = format!("{id}-error");
    html! {
        div.field {
            label for=(id) { (x.t(label)) }
            input id=(id) type="date" min=(min) max=(max) data-testid=(id) data-bind=(bind) value=(value)
                aria-invalid=(if error.is_some() { "true" } else { "false" }) aria-describedby=(error_id);
            p id=(error_id) .field-error data-testid=(error_id) { @if let Some(m) = error { (m) } }
        }
    }
}

const DECISION_FIELDS: [&str; 6] = ["kind", "amount", "rationale", "period_start", "period_end", "override_reason"];

fn decision_label(x: &Text, field: &str) -> String {
    x.t(match field {
        "kind" => "programme.decision.kind",
        "amount" => "programme.decision.amount_short",
        "period_start" => "programme.request.period_start",
        "period_end" => "programme.request.period_end",
        "override_reason" => "programme.decision.override",
        _ => "programme.decision.rationale",
    })
}

fn decision_id(field: &str) -> String {
    match field {
        "kind" => "decision-kind-approve",
        "amount" => "decision-amount",
        "period_start" => "decision-start",
        "period_end" => "decision-end",
        "override_reason" => "decision-override",
        _ => "decision-rationale",
    }
    .to_owned()
}

fn kind_key(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::Approve => "programme.decision.kind_approve",
        DecisionKind::ApprovePartially => "programme.decision.kind_partial",
        DecisionKind::Reject => "programme.decision.kind_reject",
    }
}

/// Under review: the decision form when the round's lifecycle lets this
/// person decide now (the server's own rule), else what it waits for.
pub fn decision_slot(x: &Text, d: &RequestDetail, f: &DecisionDraft, admin: bool, now: DateTime<Utc>) -> Markup {
    let waits = match d.decision_access(admin, now) {
        None => return html! { div #r-decision .region {} },
        Some(DecisionAccess::Open { .. }) => {
            return html! { div #r-decision .region { (decision_form(x, d, f, admin, now)) } }
        }
        Some(DecisionAccess::RoundNotInReview) => x.t("programme.decision.waits_round"),
        Some(DecisionAccess::TooFewReviews { have, need }) => {
            x.f("programme.decision.waits_reviews", &[("have", have.to_string()), ("need", need.to_string())])
        }
        Some(DecisionAccess::AfterReviewWindow { closes }) => {
            x.f("programme.decision.waits_window", &[("date", date(closes))])
        }
    };
    html! { div #r-decision .region { p.notice role="status" data-testid="decision-waits" { (dated(&waits)) } } }
}

fn decision_form(x: &Text, d: &RequestDetail, f: &DecisionDraft, admin: bool, now: DateTime<Utc>) -> Markup {
    let msg = |field: &str| field_message(x.loc, f.error.as_ref(), field);
    let invalid = |field: &str| if msg(field).is_some() { "true" } else { "false" };
    let asked = d.request.amount;
    let unit = d.pool.as_ref().map(|p| p.unit);
    let window_open = review_window_open(d.review_closes, now);
    let round = (date(d.round_period_start), date(d.round_period_end));
    let period = x.f(
        "programme.decision.period_value",
        &[
            ("start", date(d.request.period_start)),
            ("end", date(d.request.period_end)),
            ("round_start", round.0.clone()),
            ("round_end", round.1.clone()),
        ],
    );
    html! {
        form.decision-form.panel novalidate data-form="decision" data-testid="decision-form" aria-labelledby="decision-title" {
            h3 #decision-title { (x.t("programme.decision.title")) }
            @if let Some(e) = general(x, f.error.as_ref(), &DECISION_FIELDS, "programme.decision.failed") { (e) }
            (error_summary(x, f.error.as_ref(), "decision", |field| decision_label(x, field), decision_id))
            fieldset.field aria-describedby="decision-kind-error" {
                legend { (x.t("programme.decision.kind")) }
                @for k in DecisionKind::ALL.iter().copied() {
                    label.radio {
                        input type="radio" name="decision-kind" value=(k.as_str()) id=(format!("decision-kind-{}", k.as_str()))
                            data-testid=(format!("decision-{}", k.as_str())) data-bind="decision-kind" checked[f.kind == k];
                        (x.t(kind_key(k)))
                    }
                }
                p #decision-kind-error .field-error { @if let Some(m) = msg("kind") { (m) } }
            }
            @if f.kind != DecisionKind::Reject {
                div.field {
                    label for="decision-amount" { (x.f("programme.decision.amount", &[("unit", unit.map(|u| x.unit(u)).unwrap_or_default())])) }
                    input #decision-amount type="number" min="1" max=(asked) inputmode="numeric" data-testid="decision-amount" data-bind="decision-amount"
                        aria-invalid=(invalid("amount")) aria-describedby="decision-amount-hint decision-amount-error"
                        readonly[f.kind == DecisionKind::Approve] value=(f.amount);
                    p #decision-amount-hint .muted { (x.f("programme.decision.amount_hint", &[
                        ("asked", thousands(asked)),
                        ("left", unit.map(|u| x.amount(d.capacity_left, u)).unwrap_or_default()),
                    ])) }
                    p #decision-amount-error .field-error data-testid="decision-amount-error" { @if let Some(m) = msg("amount") { (m) } }
                }
            }
            fieldset.field aria-describedby="decision-period-hint" {
                legend { (x.t("programme.decision.period")) }
                p #decision-period-hint .muted data-testid="decision-period" { (dated(&period)) }
                div.field-pair {
                    (date_field(x, "decision-start", "decision-start", "programme.request.period_start", (&round.0, &round.1), &f.start, msg("period_start")))
                    (date_field(x, "decision-end", "decision-end", "programme.request.period_end", (&round.0, &round.1), &f.end, msg("period_end")))
                }
            }
            div.field {
                label for="decision-rationale" { (x.t("programme.decision.rationale")) }
                textarea #decision-rationale rows="4" data-testid="decision-rationale" data-bind="decision-rationale"
                    aria-invalid=(invalid("rationale")) aria-describedby="decision-rationale-error" { (f.rationale) }
                p #decision-rationale-error .field-error data-testid="decision-rationale-error" { @if let Some(m) = msg("rationale") { (m) } }
            }
            @if admin && window_open {
                div.field {
                    label for="decision-override" { (x.t("programme.decision.override")) }
                    textarea #decision-override rows="2" data-testid="decision-override" data-bind="decision-override"
                        aria-invalid=(invalid("override_reason")) aria-describedby="decision-override-hint decision-override-error" { (f.override_reason) }
                    p #decision-override-hint .muted { (x.f("programme.decision.override_hint", &[("date", date(d.review_closes))])) }
                    p #decision-override-error .field-error data-testid="decision-override-error" { @if let Some(m) = msg("override_reason") { (m) } }
                }
            }
            button.button type="submit" data-testid="decision-submit" disabled[f.busy] { (x.t("programme.decision.submit")) }
        }
    }
}

const PERIOD_FIELDS: [&str; 3] = ["period_start", "period_end", "reason"];

/// The decision and allocation once made; for admins, the allocation's period form.
pub fn outcome(x: &Text, d: &RequestDetail, period: &PeriodDraft) -> Markup {
    let unit = d.pool.as_ref().map(|p| p.unit);
    let decision = d.decision.as_ref().map(|dec| {
        let amount = unit.map_or_else(|| thousands(dec.amount), |u| x.amount(dec.amount, u));
        x.f(
            "programme.detail.decision_value",
            &[
                ("kind", x.state(dec.kind.state())),
                ("amount", amount),
                ("by", d.name_of(&dec.decided_by).to_owned()),
                ("at", kst_minute(dec.at)),
                ("rationale", dec.rationale.clone()),
            ],
        )
    });
    let allocation = d.allocation.as_ref().map(|a| {
        let key = if a.gpus.is_some() {
            "programme.detail.allocation_value"
        } else {
            "programme.detail.allocation_value_hours"
        };
        x.f(
            key,
            &[
                ("amount", x.amount(a.amount, a.unit)),
                ("gpus", a.gpus.map_or_else(String::new, thousands)),
                ("start", date(a.start)),
                ("end", date(a.end)),
                ("used", fixed(d.used_gpu_hours, 0)),
            ],
        )
    });
    html! {
        section #r-outcome .panel aria-labelledby="outcome-title" data-testid="request-outcome" {
            h3 #outcome-title { (x.t("programme.detail.outcome")) }
            @if d.decision.is_none() { p.muted { (x.t("programme.detail.undecided")) } }
            @if let Some(t) = &decision { p data-testid="request-decision" { (dated(t)) } }
            @if let Some(t) = &allocation { p data-testid="request-allocation" { (dated(t)) } }
            @if d.allocation.is_some() && d.period_changeable { (period_form(x, d, period)) }
        }
    }
}

fn period_form(x: &Text, d: &RequestDetail, f: &PeriodDraft) -> Markup {
    let msg = |field: &str| field_message(x.loc, f.error.as_ref(), field);
    let round = (date(d.round_period_start), date(d.round_period_end));
    let id = |field: &str| {
        match field {
            "period_start" => "period-start",
            "period_end" => "period-end",
            _ => "period-reason",
        }
        .to_owned()
    };
    let label = |field: &str| {
        x.t(match field {
            "period_start" => "programme.request.period_start",
            "period_end" => "programme.request.period_end",
            _ => "programme.period.reason",
        })
    };
    html! {
        form.period-form novalidate data-form="period" data-testid="period-form" aria-labelledby="period-title" {
            h4 #period-title { (x.t("programme.period.title")) }
            p.muted { (x.t("programme.period.hint")) }
            @if let Some(e) = general(x, f.error.as_ref(), &PERIOD_FIELDS, "programme.period.failed") { (e) }
            (error_summary(x, f.error.as_ref(), "period", label, id))
            div.field-pair {
                (date_field(x, "period-start", "period-start", "programme.request.period_start", (&round.0, &round.1), &f.start, msg("period_start")))
                (date_field(x, "period-end", "period-end", "programme.request.period_end", (&round.0, &round.1), &f.end, msg("period_end")))
            }
            p { button.button.secondary type="button" data-testid="period-end-now" data-action="period-end-now" { (x.t("programme.period.end_now")) } }
            div.field {
                label for="period-reason" { (x.t("programme.period.reason")) }
                textarea #period-reason rows="2" data-testid="period-reason" data-bind="period-reason"
                    aria-invalid=(if msg("reason").is_some() { "true" } else { "false" }) aria-describedby="period-reason-error" { (f.reason) }
                p #period-reason-error .field-error data-testid="period-reason-error" { @if let Some(m) = msg("reason") { (m) } }
            }
            button.button type="submit" data-testid="period-submit" disabled[f.busy] { (x.t("programme.period.submit")) }
        }
    }
}
