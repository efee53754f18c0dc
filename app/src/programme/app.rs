//! The allocation programme's root components, one per wasm: the
//! researchers' with the sign-in page ([`ProgrammeApp`], `kairr-programme`),
//! the reviewers' ([`ReviewsApp`], `kairr-reviews`) and the committee's
//! ([`CommitteeApp`], `kairr-committee`). Each provides
//! the locale context with the programme's own strings, the session context,
//! the page's query, and the page its path names (anything else is "not
//! found"). `/allocations` is not among them: that public page is its own
//! wasm (`kairr-allocations`, `public_app.rs`), and linking it here too cost
//! every signed-in page 17 KB gzip; one wasm for both apps cost the
//! researchers' pages 162 KB gzip and the committee's 99 (478 KB each); the
//! reviews page cost the researchers' 25. Each page is its own document (a link
//! loads it, its introduction first, with the cached wasm), so the app needs
//! no router: leptos_router cost each app 45–50 KB gzip.

use kairr_shared::i18n::t_programme;
use leptos::prelude::*;

use crate::common::address::{self, PageQuery};
use crate::common::components::not_found::NotFoundPage;
use crate::common::i18n::{provide_locale_with, tr, trf};
use crate::programme::data::PageMissing;
use crate::programme::pages::{
    LoginPage, NotificationsPage, RequestNewPage, RequestOwnPage, RequestsMinePage, ReviewsPage,
};
use crate::programme::session::provide_session;

/// The programme's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Login,
    Committee,
    RequestNew,
    RequestsMine,
    RequestOwn,
    RequestDetail,
    Reviews,
    Notifications,
    NotFound,
}

/// The page at `path` (without its trailing slash).
fn page_at(path: &str) -> Page {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["login"] => Page::Login,
        ["committee"] => Page::Committee,
        ["requests", "new"] => Page::RequestNew,
        ["requests", "mine"] => Page::RequestsMine,
        ["requests", id] if !id.is_empty() => Page::RequestOwn,
        ["committee", "requests", id] if !id.is_empty() => Page::RequestDetail,
        ["reviews"] => Page::Reviews,
        ["notifications"] => Page::Notifications,
        _ => Page::NotFound,
    }
}

/// The document title of `page` (at `path`), in the current language.
fn title(page: Page, path: &str) -> String {
    let name = match page {
        Page::Login => tr("programme.login.title"),
        Page::Committee => tr("programme.committee.title"),
        Page::RequestNew => tr("programme.request.title"),
        Page::RequestsMine => tr("programme.mine.title"),
        Page::RequestOwn | Page::RequestDetail => {
            trf("programme.request_page", &[("id", path.rsplit('/').next().unwrap_or_default().to_owned())])
        }
        Page::Reviews => tr("programme.reviews.title"),
        Page::Notifications => tr("programme.notifications.title"),
        Page::NotFound => tr("not_found.title"),
    };
    kairr_shared::i18n::page_title(&name, &tr("programme.page_title"))
}

/// The researchers' application (`bin/programme.rs`): signing in (for
/// everyone), requests and notifications.
#[component]
pub fn ProgrammeApp() -> impl IntoView {
    root(|page| match page {
        Page::Login => view! { <LoginPage/> }.into_any(),
        Page::RequestNew => view! { <RequestNewPage/> }.into_any(),
        Page::RequestsMine => view! { <RequestsMinePage/> }.into_any(),
        Page::RequestOwn => view! { <RequestOwnPage/> }.into_any(),
        Page::Notifications => view! { <NotificationsPage/> }.into_any(),
        Page::Reviews | Page::Committee | Page::RequestDetail | Page::NotFound => view! { <NotFoundPage/> }.into_any(),
    })
}

/// The reviewers' application (`bin/reviews.rs`): the requests assigned to
/// the signed-in reviewer and the review form. Its own wasm, so a reviewer
/// does not download the request form and an applicant not the review form.
#[component]
pub fn ReviewsApp() -> impl IntoView {
    root(|page| match page {
        Page::Reviews => view! { <ReviewsPage/> }.into_any(),
        _ => view! { <NotFoundPage/> }.into_any(),
    })
}

/// What both apps provide (the locale with the programme's strings and the
/// page's title, the session, the query, the unread notifications), then
/// the page the address names as `render` draws it.
fn root(render: fn(Page) -> AnyView) -> AnyView {
    let path = address::path();
    let page = page_at(&path);
    let missing = PageMissing::provide();
    provide_locale_with(Some(t_programme), move || {
        // A request the address names but no one has is titled "not found".
        let shown = if missing.0.get() { Page::NotFound } else { page };
        title(shown, &path)
    });
    provide_session();
    PageQuery::provide();
    crate::programme::data::provide_notifications();
    render(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_names_its_page_and_anything_else_is_not_found() {
        assert_eq!(page_at("/requests/new"), Page::RequestNew);
        assert_eq!(page_at("/requests/mine"), Page::RequestsMine);
        assert_eq!(page_at("/requests/42"), Page::RequestOwn);
        assert_eq!(page_at("/committee/requests/7"), Page::RequestDetail);
        assert_eq!(page_at("/committee"), Page::Committee);
        for other in ["/", "/allocations", "/requests", "/committee/requests", "/requests/1/x", "/loginx", "/admin"] {
            assert_eq!(page_at(other), Page::NotFound, "{other}");
        }
    }
}
