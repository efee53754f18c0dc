//! The committee overview's layout: who may look, then the round's head,
//! pools, fairness, shares and idle evidence, each a region with its `id`.

use kairr_shared::api::RoundListing;
use kairr_shared::display::format::date;
use maud::{html, Markup};

use super::overview::{fairness, idle_evidence, pool_table};
use super::Text;
use crate::committee::model::{Access, Model, Page};
use crate::common::api::FetchError;

/// The element the committee's page renders into (after the server's introduction).
pub const ROOT_ID: &str = "committee";

/// One region: its element's `id` and its markup (that element).
pub type Region = (&'static str, Markup);

/// Every region of the page as the model is now.
pub fn regions(m: &Model) -> Vec<Region> {
    match m.page {
        Page::Overview => overview_regions(m),
        Page::Request { id, .. } => request_regions(m, id),
    }
}

/// A request as the committee sees it: back to the overview, the request,
/// its reviews, its outcome (admins: the period form) and the decision.
fn request_regions(m: &Model, id: Option<u64>) -> Vec<Region> {
    let x = &m.text;
    let mut out = vec![
        (
            "r-back",
            html! { p #r-back { a href="/committee" data-testid="back-to-committee" { (x.t("programme.detail.back")) } } },
        ),
        ("c-access", access(m)),
    ];
    if !matches!(m.access(), Access::Allowed(_)) {
        return out;
    }
    out.push((
        "r-notes",
        html! {
            div #r-notes .region {
                @if id.is_none() { p.notice.notice-warning role="alert" { (x.t("programme.detail.bad_id")) } }
                @if let Some(e) = failure(x, m.detail.error.as_ref(), "programme.detail.error") { (e) }
                @if id.is_some() && m.detail.loading() { p.muted role="status" { (x.t("common.loading")) } }
                @if m.decision_saved { p.notice role="status" data-testid="decision-saved" { (x.t("programme.decision.saved")) } }
                @if m.period_saved { p.notice role="status" data-testid="period-saved" { (x.t("programme.period.saved")) } }
            }
        },
    ));
    let Some(d) = &m.detail.data else { return out };
    out.push(("c-summary", super::request::summary(x, d)));
    out.push(("c-reviews", super::request::reviews(x, &d.reviews, d.conflicts.as_deref(), &d.names)));
    out.push(("r-outcome", super::request::outcome(x, d, &m.period)));
    out.push(("r-decision", super::request::decision_slot(x, d, &m.decision, m.admin(), m.now)));
    out
}

/// The overview's regions.
fn overview_regions(m: &Model) -> Vec<Region> {
    let x = &m.text;
    let mut out = vec![("c-access", access(m))];
    if !matches!(m.access(), Access::Allowed(_)) {
        return out;
    }
    out.push(("c-errors", errors(m)));
    let Some(o) = &m.overview.data else { return out };
    out.push(("c-head", head(m, &o.round.0, o.today, &o.rounds)));
    out.push(("c-pools", pool_table(x, &o.pools)));
    out.push((
        "c-fairness",
        html! {
            section #c-fairness .panel aria-labelledby="fairness-title" {
                h3 #fairness-title { (x.t("programme.fairness.title")) }
                (fairness(x, Some(&o.fairness), "overview"))
            }
        },
    ));
    out.push((
        "c-shares",
        html! {
            div #c-shares .panel-grid {
                (super::charts::shares(x, &o.sectors, "sector", &x.t("programme.shares.by_sector")))
                (super::charts::shares(x, &o.regions, "region", &x.t("programme.shares.by_region")))
            }
        },
    ));
    out.push(("c-idle", idle_evidence(x, &o.idle, &o.timeline)));
    let (_, pool) = super::charts::timeline_pool(&o.timeline, &m.timeline_pool);
    let held = o.held(&pool);
    out.push(("c-timeline", super::charts::timeline(x, &o.timeline, held.as_ref(), &pool, m.timeline_page.max(1))));
    if let Some(p) = m.proposal_shown() {
        out.push((
            "c-proposal",
            super::proposal::proposal(
                x,
                p,
                &m.adjusting,
                &m.adopting,
                m.admin(),
                &m.proposal_filter,
                m.proposal_page.max(1),
            ),
        ));
    }
    // The queue comes after what loads above it, so it is never pushed down the page.
    if m.proposal.data.is_some() {
        out.push(("c-queue", super::queue::queue(x, &m.queue_query, &m.queue, &m.units())));
    }
    out
}

/// The whole page's root: its regions in order.
pub fn page(regions: &[Region]) -> Markup {
    html! { div #(ROOT_ID) .regions { @for (_, markup) in regions { (markup) } } }
}

/// The gate: loading, the sign-in prompt, "not permitted", or nothing.
fn access(m: &Model) -> Markup {
    let x = &m.text;
    html! {
        div #c-access .region {
            @match m.access() {
                Access::Loading => p.muted role="status" { (x.t("common.loading")) },
                Access::Anonymous => div.notice data-testid="sign-in-prompt" {
                    p { (x.t("programme.access.sign_in_needed")) }
                    p { a.button href=(login_returning_here()) rel="external" data-testid="sign-in-link" { (x.t("programme.access.sign_in")) } }
                },
                Access::NotPermitted(u) => div.notice.notice-warning role="alert" data-testid="not-permitted" {
                    p { (x.f("programme.access.not_permitted", &[("role", x.role(u.role))])) }
                },
                Access::Allowed(_) => @if m.page == Page::Overview && m.overview.loading() { p.muted role="status" { (x.t("common.loading")) } },
            }
        }
    }
}

/// `/login?return_to=` this page.
fn login_returning_here() -> String {
    let here = crate::common::address::path() + &crate::common::address::query();
    match kairr_shared::identity::safe_return_path(&here) {
        Some(p) => format!("/login?return_to={}", String::from(js_sys::encode_uri_component(p))),
        None => "/login".to_owned(),
    }
}

fn failure(x: &Text, e: Option<&FetchError>, key: &str) -> Option<Markup> {
    e.map(|e| {
        html! {
            div.fetch-error role="alert" data-testid="fetch-error" {
                p.fetch-error-title { (x.t(key)) }
                p.fetch-error-detail { (e.detail_in(x.loc)) }
            }
        }
    })
}

fn errors(m: &Model) -> Markup {
    let x = &m.text;
    html! {
        div #c-errors .region {
            @if let Some(e) = failure(x, m.overview.error.as_ref(), "programme.committee.error") { (e) }
            @if let Some(e) = failure(x, m.proposal.error.as_ref(), "programme.proposal.error") { (e) }
        }
    }
}

/// The round chosen (every round past its draft), the day, the demo note and the exports.
fn head(m: &Model, round: &str, today: chrono::NaiveDate, rounds: &[RoundListing]) -> Markup {
    let x = &m.text;
    let encoded = String::from(js_sys::encode_uri_component(round));
    html! {
        div #c-head .committee-head data-testid="committee-overview" {
            div.field.round-select {
                label for="committee-round" { (x.t("programme.committee.round_select")) }
                select #committee-round data-testid="committee-round" data-bind="round" {
                    @for r in rounds {
                        option value=(r.id) selected[r.id == round] {
                            (x.pick(&r.title_ko, &r.title_en)) " — " (x.stage(r.stage))
                        }
                    }
                }
                a rel="external" data-testid="committee-assignments" href=(format!("/admin/assignments?round={encoded}")) {
                    (x.t("programme.committee.assignments"))
                }
            }
            p { (x.f("programme.committee.round", &[("round", round.to_owned()), ("today", date(today))])) }
            @if m.demo() { p.demo-note data-testid="demo-note" { (x.t("programme.committee.demo_note")) } }
            div.exports data-testid="exports" {
                h3 #exports-title { (x.t("programme.committee.exports")) }
                ul aria-labelledby="exports-title" {
                    @for (what, path) in crate::programme::api::EXPORTS {
                        @let csv = format!("{path}?round={encoded}");
                        @let (id, id_excel) = if what == "requests" {
                            ("export-csv".to_owned(), "export-excel".to_owned())
                        } else {
                            (format!("export-{what}-csv"), format!("export-{what}-excel"))
                        };
                        li {
                            (x.t(&format!("programme.committee.export_{what}"))) ": "
                            a href=(csv) rel="external" download=(format!("kairr-{what}.csv")) data-testid=(id) { "CSV" }
                            " · "
                            a href=(format!("{csv}&excel=true")) rel="external" download=(format!("kairr-{what}-excel.csv")) data-testid=(id_excel) {
                                (x.t("programme.committee.export_for_excel"))
                            }
                        }
                    }
                }
            }
        }
    }
}
