//! The proposed allocation of the round: per pool capacity, asked and
//! proposed; the proposal's fairness figures; the committee's changes (the
//! line editor, the server's refusals, how each change moved the figures)
//! and the adoption; per request the proposed amount against the amount
//! asked (filtered, paged). Controls carry `data-action` / `data-bind`.

use kairr_shared::allocation::{Direction, Exclusion, FairnessMetric, FigureMove, MovedFigure, Proposal, ProposalLine};
use kairr_shared::display::format::{fixed, thousands};
use kairr_shared::display::labels::api_error;
use maud::{html, Markup};

use super::overview::fairness;
use super::queue::pager;
use super::Text;
use crate::committee::model::{Adjusting, Adopting, MadeChange};
use crate::common::api::FetchError;
use crate::programme::paging::{matches, page_count, page_range, PER_PAGE};

fn exclusion(x: &Text, e: Option<Exclusion>) -> String {
    match e {
        None => String::new(),
        Some(Exclusion::NotReviewed) => x.t("programme.proposal.not_reviewed"),
        Some(Exclusion::BelowMinimumScore) => x.t("programme.proposal.below_minimum"),
        Some(Exclusion::UnknownPool) => x.t("programme.proposal.unknown_pool"),
    }
}

/// The lines `filter` finds (by organisation and pool, id or name).
pub fn shown_lines<'a>(x: &Text, p: &'a Proposal, filter: &str) -> Vec<&'a ProposalLine> {
    p.lines.iter().filter(|l| matches(filter, &[&l.organisation, &l.pool, &x.pool(&l.pool)])).collect()
}

/// A server error shown as the fetch errors are.
fn failure(x: &Text, e: &FetchError, key: &str) -> Markup {
    html! {
        div.fetch-error role="alert" data-testid="fetch-error" {
            p.fetch-error-title { (x.t(key)) }
            p.fetch-error-detail { (e.detail_in(x.loc)) }
        }
    }
}

/// The proposal panel (`p`: the proposal as adjusted, `filter` and `page` of its lines).
pub fn proposal(
    x: &Text,
    p: &Proposal,
    adj: &Adjusting,
    adopt: &Adopting,
    admin: bool,
    filter: &str,
    page: usize,
) -> Markup {
    let lines = shown_lines(x, p, filter);
    let pages = page_count(lines.len(), PER_PAGE);
    let unit_of = |pool: &str| p.pools.iter().find(|q| q.pool == pool).map(|q| q.unit);
    html! {
        section #c-proposal .panel aria-labelledby="proposal-title" data-testid="proposal" {
            h3 #proposal-title { (x.t("programme.proposal.title")) }
            p { (x.t("programme.proposal.intro")) }
            div.table-scroll tabindex="0" role="region" aria-labelledby="proposal-title" {
                table.data-table data-testid="proposal-pools" {
                    caption.sr-only { (x.t("programme.proposal.pools_caption")) }
                    thead { tr {
                        th scope="col" { (x.t("programme.pools.col_pool")) }
                        th.num scope="col" { (x.t("programme.pools.col_capacity")) }
                        th.num scope="col" { (x.t("programme.pools.col_requested")) }
                        th.num scope="col" { (x.t("programme.proposal.col_proposed")) }
                    } }
                    tbody {
                        @for q in &p.pools {
                            tr {
                                th scope="row" { (x.pool(&q.pool)) br; span.muted { (x.unit(q.unit)) } }
                                td.num { (thousands(q.capacity)) }
                                td.num { (thousands(q.requested)) }
                                td.num { (thousands(q.proposed)) }
                            }
                        }
                    }
                }
            }
            h4 { (x.t("programme.proposal.fairness")) }
            (fairness(x, Some(&p.fairness), "proposal"))
            (adjust_panel(x, p, adj, adopt, admin))
            h4 #proposal-lines-title { (x.t("programme.proposal.lines")) }
            div.filter-row {
                label for="proposal-filter" { (x.t("programme.proposal.filter")) }
                input #proposal-filter type="search" data-bind="proposal-filter" value=(filter);
            }
            p role="status" { (x.f("programme.proposal.count", &[("n", thousands(lines.len() as u64))])) }
            div.table-scroll tabindex="0" role="region" aria-labelledby="proposal-lines-title" {
                table.data-table data-testid="proposal-lines" aria-labelledby="proposal-lines-title" {
                    thead { tr {
                        th scope="col" { (x.t("programme.proposal.col_request")) }
                        th scope="col" { (x.t("programme.projects.col_organisation")) }
                        th scope="col" { (x.t("programme.projects.col_pool")) }
                        th.num scope="col" { (x.t("programme.proposal.col_score")) }
                        th.num scope="col" { (x.t("programme.proposal.col_asked")) }
                        th.num scope="col" { (x.t("programme.proposal.col_proposed")) }
                        th scope="col" { (x.t("programme.proposal.col_note")) }
                        th scope="col" { (x.t("programme.adjust.col_actions")) }
                    } }
                    tbody {
                        @for l in &lines[page_range(lines.len(), page, PER_PAGE)] {
                            @let excluded = l.excluded.is_some() || l.decided;
                            tr {
                                th scope="row" { "#" (l.request.0) }
                                td { (l.organisation) br; span.muted { (x.sector(l.sector)) } }
                                td { (x.pool(&l.pool)) @if let Some(u) = unit_of(&l.pool) { br; span.muted { (x.unit(u)) } } }
                                td.num { (l.score.map_or_else(|| "—".to_owned(), |s| fixed(s, 2))) }
                                td.num { (thousands(l.requested)) }
                                td.num { (thousands(l.proposed)) }
                                td data-testid="proposal-note" { @if l.decided { (x.t("programme.proposal.decided")) } @else { (exclusion(x, l.excluded)) } }
                                td.actions {
                                    @if !l.decided {
                                        a href=(format!("/committee/requests/{}?amount={}", l.request.0, l.proposed)) data-testid="proposal-decide" { (x.t("programme.adjust.decide")) }
                                    }
                                    @if !excluded {
                                        " "
                                        button.link-button type="button" data-testid="proposal-change" data-action=(format!("change:{}", l.request.0)) { (x.t("programme.adjust.change")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (pager(x, "proposal", page, pages))
        }
    }
}

/// The line editor, the server's refusals, the adoption and the changes so far.
fn adjust_panel(x: &Text, p: &Proposal, adj: &Adjusting, adopt: &Adopting, admin: bool) -> Markup {
    let refused = match &adj.error {
        Some(FetchError::Http { api: Some(a), .. }) => Some(api_error(x.loc, a)),
        _ => None,
    };
    html! {
        section.adjust aria-labelledby="adjust-title" data-testid="adjust" {
            h4 #adjust-title { (x.t("programme.adjust.title")) }
            p.muted { (x.t("programme.adjust.intro")) }
            @if let Some(line) = &adj.editing { (line_editor(x, line, adj)) }
            @if let Some(m) = &refused {
                p.notice.notice-warning role="alert" data-testid="adjust-refused" { (x.f("programme.adjust.refused", &[("reason", m.clone())])) }
            } @else if let Some(e) = &adj.error {
                (failure(x, e, "programme.adjust.failed"))
            }
            (adopt_panel(x, p, adopt, admin))
            @if let Some(a) = &adj.adjusted {
                (changes_table(x, &adj.made, &a.changes))
                button.button.secondary type="button" data-testid="adjust-reset" data-action="adjust-reset" { (x.t("programme.adjust.reset")) }
            }
        }
    }
}

/// The editor of one proposal line.
fn line_editor(x: &Text, line: &ProposalLine, adj: &Adjusting) -> Markup {
    let title = x.f(
        "programme.adjust.editing",
        &[
            ("request", line.request.0.to_string()),
            ("organisation", line.organisation.clone()),
            ("asked", thousands(line.requested)),
            ("proposed", thousands(line.proposed)),
        ],
    );
    html! {
        form.line-editor.notice novalidate data-form="line-editor" data-testid="line-editor" {
            p { (title) }
            div.field {
                label for="adjust-amount" { (x.t("programme.adjust.new_amount")) }
                input #adjust-amount type="number" min="0" max=(line.requested) inputmode="numeric" data-testid="adjust-amount"
                    data-bind="adjust-amount" value=(adj.amount) aria-invalid=(if adj.problem.is_some() { "true" } else { "false" })
                    aria-describedby="adjust-amount-error";
                p #adjust-amount-error .field-error data-testid="adjust-amount-error" { @if let Some(m) = &adj.problem { (m) } }
            }
            div.button-row {
                button.button type="submit" data-testid="adjust-apply" { (x.t("programme.adjust.apply")) }
                button.button.secondary type="button" data-testid="adjust-drop" data-action="adjust-set:0" { (x.t("programme.adjust.drop")) }
                button.button.secondary type="button" data-action=(format!("adjust-set:{}", line.requested)) { (x.t("programme.adjust.full")) }
                button.link-button type="button" data-action="adjust-close" { (x.t("programme.adjust.close")) }
            }
        }
    }
}

fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| fixed(v, 3))
}

fn arrow(x: &Text, d: Direction) -> String {
    x.t(match d {
        Direction::Up => "programme.adjust.up",
        Direction::Down => "programme.adjust.down",
        Direction::Unchanged => "programme.adjust.same",
    })
}

/// The direction with the signed change, e.g. "▼ down (−0.00031)".
fn moved(x: &Text, f: &FigureMove) -> String {
    match (f.before, f.after) {
        (Some(b), Some(a)) if f.direction != Direction::Unchanged => {
            let d = a - b;
            let sign = if d < 0.0 { "−" } else { "+" };
            format!("{} ({sign}{})", arrow(x, f.direction), fixed(d.abs(), 5))
        }
        _ => arrow(x, f.direction),
    }
}

fn figure_name(x: &Text, f: MovedFigure) -> String {
    match f {
        MovedFigure::Jain => x.metric(FairnessMetric::JainSectors),
        MovedFigure::Gini => x.metric(FairnessMetric::GiniOrganisations),
        MovedFigure::DominantShare(s) => x.f("programme.adjust.dominant_of", &[("sector", x.sector(s))]),
    }
}

/// How each change moved the figures, newest last; every figure of the newest change in full.
fn changes_table(x: &Text, made: &[MadeChange], changes: &[kairr_shared::allocation::FairnessChange]) -> Markup {
    let last = changes.last().map(|c| c.moves()).unwrap_or_default();
    html! {
        div.table-scroll tabindex="0" role="region" aria-labelledby="changes-title" {
            table.data-table data-testid="adjust-changes" {
                caption #changes-title { (x.t("programme.adjust.changes")) }
                thead { tr {
                    th scope="col" { (x.t("programme.proposal.col_request")) }
                    th.num scope="col" { (x.t("programme.adjust.col_amount")) }
                    th scope="col" { (x.metric(FairnessMetric::JainSectors)) }
                    th scope="col" { (x.metric(FairnessMetric::GiniOrganisations)) }
                } }
                tbody {
                    @for (m, c) in made.iter().zip(changes) {
                        @let moves = c.moves();
                        @let cell = |i: usize| moves.get(i).map(|f| format!("{} → {} {}", figure(f.before), figure(f.after), moved(x, f))).unwrap_or_default();
                        tr {
                            th scope="row" { "#" (m.request) }
                            td.num { (thousands(m.from)) " → " (thousands(m.to)) }
                            td data-testid="change-jain" { (cell(0)) }
                            td data-testid="change-gini" { (cell(1)) }
                        }
                    }
                }
            }
        }
        div.table-scroll tabindex="0" role="region" aria-labelledby="last-change-title" {
            table.data-table data-testid="adjust-last-change" {
                caption #last-change-title { (x.t("programme.adjust.last_change")) }
                thead { tr {
                    th scope="col" { (x.t("programme.adjust.col_figure")) }
                    th.num scope="col" { (x.t("programme.adjust.col_before")) }
                    th.num scope="col" { (x.t("programme.adjust.col_after")) }
                    th scope="col" { (x.t("programme.adjust.col_direction")) }
                } }
                tbody {
                    @for f in &last {
                        tr {
                            th scope="row" { (figure_name(x, f.figure)) }
                            td.num { (figure(f.before)) }
                            td.num { (figure(f.after)) }
                            td { (moved(x, f)) }
                        }
                    }
                }
            }
        }
    }
}

/// Adopting the proposal (with the changes) as one decision per undecided
/// request: a rationale, an admin's reason before the review window closes,
/// a confirmation, then what was decided and skipped.
fn adopt_panel(x: &Text, p: &Proposal, a: &Adopting, admin: bool) -> Markup {
    let undecided = p.lines.iter().filter(|l| !l.decided).count();
    let field_error = |field: &str| crate::committee::model::field_message(x.loc, a.error.as_ref(), field);
    let other =
        a.error.as_ref().filter(|_| field_error("rationale").is_none() && field_error("override_reason").is_none());
    html! {
        section.adopt aria-labelledby="adopt-title" data-testid="adopt" {
            h4 #adopt-title { (x.t("programme.adopt.title")) }
            p.muted { (x.f("programme.adopt.intro", &[("n", undecided.to_string())])) }
            @if let Some(r) = &a.result {
                div.notice role="status" data-testid="adopt-result" {
                    p { (x.f("programme.adopt.done", &[("awarded", r.awarded.len().to_string()), ("rejected", r.rejected.len().to_string()), ("skipped", r.skipped.len().to_string())])) }
                    @if !r.skipped.is_empty() {
                        p.muted { (r.skipped.iter().map(|s| format!("#{} ({})", s.request.0, x.t(&format!("error.code.{}", s.code)))).collect::<Vec<_>>().join(", ")) }
                    }
                    button.button.secondary type="button" data-action="reload" { (x.t("programme.adopt.reload")) }
                }
            }
            @if let Some(e) = other { (failure(x, e, "programme.adopt.failed")) }
            div.field {
                label for="adopt-rationale" { (x.t("programme.adopt.rationale")) }
                textarea #adopt-rationale rows="2" data-testid="adopt-rationale" data-bind="adopt-rationale" aria-describedby="adopt-rationale-error" { (a.rationale) }
                p #adopt-rationale-error .field-error { @if let Some(m) = field_error("rationale") { (m) } }
            }
            @if admin {
                div.field {
                    label for="adopt-override" { (x.t("programme.adopt.override")) }
                    input #adopt-override type="text" data-testid="adopt-override" data-bind="adopt-override" aria-describedby="adopt-override-error" value=(a.reason);
                    p #adopt-override-error .field-error { @if let Some(m) = field_error("override_reason") { (m) } }
                }
            }
            @if a.confirming {
                div.confirm role="group" aria-labelledby="adopt-confirm-text" {
                    p #adopt-confirm-text { (x.f("programme.adopt.confirm", &[("n", undecided.to_string())])) }
                    button.button type="button" data-testid="adopt-confirm" data-action="adopt-confirm" disabled[a.busy] { (x.t("programme.adopt.yes")) }
                    " "
                    button.button.secondary type="button" data-action="adopt-no" { (x.t("programme.adopt.no")) }
                }
            } @else {
                button.button type="button" data-testid="adopt-start" data-action="adopt-start" disabled[undecided == 0] { (x.t("programme.adopt.start")) }
            }
        }
    }
}
