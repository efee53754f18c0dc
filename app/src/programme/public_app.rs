//! The public transparency page's root component (the `kairr-allocations`
//! binary): `/allocations` alone, with the programme's strings and the
//! session (its header names a signed-in visitor). A wasm of its own: the
//! page anyone may open, on a phone during a call, never downloads the
//! committee's, the researchers' or the reviewers' pages.

use kairr_shared::i18n::t_programme;
use leptos::prelude::*;

use crate::common::address::{self, PageQuery};
use crate::common::components::not_found::NotFoundPage;
use crate::common::i18n::{provide_locale_with, tr};
use crate::programme::pages::AllocationsPage;
use crate::programme::session::provide_session;

/// The transparency page's application, mounted on `<body>` by `bin/allocations.rs`.
#[component]
pub fn AllocationsApp() -> impl IntoView {
    provide_locale_with(Some(t_programme), || tr("programme.page_title"));
    provide_session();
    crate::programme::data::provide_notifications();
    PageQuery::provide();
    if address::path() == "/allocations" {
        view! { <AllocationsPage/> }.into_any()
    } else {
        view! { <NotFoundPage/> }.into_any()
    }
}
