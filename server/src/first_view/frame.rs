//! What every first view shares with the app's frame (`app/src/common/components/header.rs`,
//! `footer.rs`, `kst_time.rs`, `app/src/status/components/status_badge.rs`): skip link, header with
//! the navigation, footer, status badges and KST times, element for element.

use chrono::{DateTime, Utc};
use kairr_shared::api::DataSource;
use kairr_shared::auth::{home_path, Role, UserInfo};
use kairr_shared::display::format::{iso, kst_minute};
use kairr_shared::display::icons::{status_icon_path, GLOBE_ICON_PATH};
use kairr_shared::display::labels;
use kairr_shared::i18n::{t, tf_programme, Locale};
use kairr_shared::status::Status;
use maud::{html, Markup};

/// Who is signed in, as the navigation shows them.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn<'a> {
    pub user: &'a UserInfo,
    /// Their unread notices (the badge on "notifications").
    pub unread: u64,
}

/// The page of the navigation a first view is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavPage {
    Status,
    Advisor,
    Allocations,
    Login,
    /// A page the navigation does not list.
    Other,
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
/// navigation (`current` marked); `below` goes under the brand row. The
/// navigation ends with the sign-in link, or, given `account` (a programme
/// page of a signed-in user), with that user's entries.
pub fn header(loc: Locale, current: NavPage, source: Option<DataSource>, below: Markup) -> Markup {
    header_with(loc, current, source, None, below)
}

/// [`header`] with the signed-in user's entries in the navigation, as the
/// programme's `AccountNav` (`app/src/programme/components/account.rs`)
/// shows them (the unread count comes with the app).
pub fn header_with(
    loc: Locale,
    current: NavPage,
    source: Option<DataSource>,
    account: Option<SignedIn<'_>>,
    below: Markup,
) -> Markup {
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
                    li { a href="/advisor" rel="external" aria-current=[here(NavPage::Advisor)] data-testid="nav-advisor" { (tr("nav.advisor")) } }
                    li {
                        a href="/allocations" rel="external" aria-current=[here(NavPage::Allocations)] data-testid="nav-allocations" {
                            (tr("nav.allocations"))
                        }
                    }
                    @match account {
                        None => (sign_in_item(loc, current)),
                        Some(signed_in) => (account_entries(loc, signed_in)),
                    }
                }
            }
            (below)
        }
    }
}

/// The navigation's sign-in entry (`current`: the page it is on). The status
/// page, rendered once for everyone, puts a signed-in visitor's entries in
/// its place ([`account_links`]).
pub fn sign_in_item(loc: Locale, current: NavPage) -> Markup {
    let here = (current == NavPage::Login).then_some("page");
    html! { li { a href="/login" rel="external" aria-current=[here] data-testid="nav-sign-in" { (t(loc, "nav.sign_in")) } } }
}

/// The signed-in user's `<li>` entries: their home page, the operator's own
/// requests, the admin's administration, notifications, name · role and the
/// sign-out button.
fn account_entries(loc: Locale, signed_in: SignedIn<'_>) -> Markup {
    account_items(loc, signed_in, true)
}

/// [`account_entries`] for a page the server renders whole, which no app
/// script runs on: the same links and name · role, without the sign-out
/// button (it needs the app; the visitor's home page has it), no unread count.
pub fn account_links(loc: Locale, user: &UserInfo) -> Markup {
    account_items(loc, SignedIn { user, unread: 0 }, false)
}

fn account_items(loc: Locale, SignedIn { user, unread }: SignedIn<'_>, sign_out: bool) -> Markup {
    let tr = |key: &str| tf_programme(loc, key, &[]);
    let home = home_path(user.role);
    let home_key = match home {
        "/committee" => "programme.nav.committee",
        "/reviews" => "programme.nav.reviews",
        "/admin/status" => "programme.nav.status_ops",
        _ => "programme.nav.mine",
    };
    let who = tf_programme(
        loc,
        "programme.account.signed_in_as",
        &[
            ("name", user.display_name.clone()),
            ("role", kairr_shared::display::format::label(loc, user.role.label_ko(), user.role.label_en())),
        ],
    );
    html! {
        li { a href=(home) rel="external" data-testid="nav-home" { (tr(home_key)) } }
        @if user.role == Role::Operator {
            li { a href="/requests/mine" rel="external" data-testid="nav-mine" { (tr("programme.nav.mine")) } }
        }
        @if user.role == Role::Admin {
            li { a href="/admin" rel="external" data-testid="nav-admin" { (tr("programme.nav.admin")) } }
        }
        li {
            a href="/notifications" rel="external" data-testid="nav-notifications" {
                (tr("programme.nav.notifications"))
                @if unread > 0 {
                    " " span.count-badge data-testid="unread-count" { (unread) }
                    span.sr-only { (tr("programme.notifications.unread_suffix")) }
                }
            }
        }
        li.account data-testid="account" {
            span.account-name { (who) }
            @if sign_out {
                button.link-button type="button" data-testid="sign-out" { (tr("programme.account.sign_out")) }
            }
        }
    }
}

pub use kairr_shared::display::footer::footer;
