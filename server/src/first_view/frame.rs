//! What every first view shares with the app's frame (`app/src/common/components/header.rs`,
//! `footer.rs`, `kst_time.rs`, `app/src/status/components/status_badge.rs`): skip link, header with
//! the navigation, footer, status badges and KST times, element for element.

use chrono::{DateTime, Utc};
use kairr_shared::api::DataSource;
use kairr_shared::display::format::{iso, kst_minute};
use kairr_shared::display::icons::{status_icon_path, GLOBE_ICON_PATH};
use kairr_shared::display::labels;
use kairr_shared::i18n::{t, Locale};
use kairr_shared::status::Status;
use maud::{html, Markup};

/// The page of the navigation a first view is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavPage {
    Status,
    Allocations,
}

/// The decorative 16×16 icon with `path`.
pub fn icon(path: &str) -> Markup {
    html! {
        svg.icon viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" {
            path fill-rule="evenodd" fill="currentColor" d=(path) {}
        }
    }
}

/// A status as colour, icon and words.
pub fn badge(loc: Locale, status: Status, testid: &str) -> Markup {
    html! {
        span class={ "badge status-" (status.as_str()) } data-testid=(testid) data-status=(status.as_str()) {
            (icon(status_icon_path(status)))
            span { (labels::status(loc, status)) }
        }
    }
}

/// `<time>` on the KST clock with the ISO instant in `datetime` and `title`.
pub fn time(at: DateTime<Utc>) -> Markup {
    let stamp = iso(at);
    html! { time datetime=(stamp) title=(stamp) { (kst_minute(at)) } }
}

/// The skip link to `<main>`.
pub fn skip_link(loc: Locale) -> Markup {
    html! { a.skip-link href="#main" { (t(loc, "header.skip_to_main")) } }
}

/// `<header>` with brand, demo badge (for demo data), language switch and
/// navigation (`current` marked); `below` goes under the brand row.
pub fn header(loc: Locale, current: NavPage, source: Option<DataSource>, below: Markup) -> Markup {
    let tr = |key: &str| t(loc, key);
    let here = |p: NavPage| (p == current).then_some("page");
    html! {
        header.site-header {
            div.brand-row {
                h1.brand {
                    span.brand-mark { "KAIRR" }
                    span.brand-name { (tr("header.product_name")) }
                }
                div.header-tools {
                    @if source == Some(DataSource::Demo) {
                        span.demo-badge data-testid="demo-badge" title=(tr("header.demo_explained")) { (tr("header.demo_badge")) }
                    }
                    button.lang-toggle type="button" data-testid="lang-toggle" aria-label=(tr("header.lang_toggle_label")) {
                        svg.icon viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" {
                            path fill="currentColor" fill-rule="evenodd" d=(GLOBE_ICON_PATH) {}
                        }
                        span lang=(loc.other().tag()) { (tr("header.lang_toggle")) }
                    }
                }
            }
            nav.site-nav aria-label=(tr("nav.label")) {
                ul {
                    li { a href="/" rel="external" aria-current=[here(NavPage::Status)] { (tr("nav.status")) } }
                    li { a href="/advisor" rel="external" data-testid="nav-advisor" { (tr("nav.advisor")) } }
                    li {
                        a href="/allocations" rel="external" aria-current=[here(NavPage::Allocations)] data-testid="nav-allocations" {
                            (tr("nav.allocations"))
                        }
                    }
                    li { a href="/login" rel="external" data-testid="nav-sign-in" { (tr("nav.sign_in")) } }
                }
            }
            (below)
        }
    }
}

/// `<footer>`: where the figures come from, that times are KST, the API links.
/// `records`: a programme page (its records, not the status), as the app's `Footer`.
pub fn footer(loc: Locale, source: Option<DataSource>, records: bool) -> Markup {
    let tr = |key: &str| t(loc, key);
    let source_text = match source {
        Some(DataSource::Demo) => tr("footer.source_demo"),
        Some(DataSource::Slurm) => tr("footer.source_slurm"),
        Some(DataSource::Prometheus) => tr("footer.source_prometheus"),
        Some(DataSource::Operator) => tr("footer.source_operator"),
        None if records => tr("footer.source_records"),
        None => tr("footer.source_unknown"),
    };
    html! {
        footer.site-footer {
            p { (source_text) }
            p { (tr("footer.times_kst")) }
            ul.footer-links {
                li { a href="/api/v1/status" rel="external" { (tr("footer.api_link")) } }
                li { a href="/feed.atom" rel="external" { (tr("footer.feed_link")) } }
                li { a href="/subscribe" rel="external" data-testid="subscribe-link" { (tr("footer.subscribe_link")) } }
                li { a href="/api/openapi.json" rel="external" { (tr("footer.openapi_link")) } }
            }
        }
    }
}
