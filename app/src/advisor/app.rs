//! The placement wizard's root component (the `kairr-advisor` binary): the
//! locale context with the wizard's own strings, and the router serving
//! `/advisor` (anything else is "not found").

use kairr_shared::i18n::t_advisor;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::advisor::page::AdvisorPage;
use crate::common::components::not_found::NotFoundPage;
use crate::common::i18n::{provide_locale_with, tr};

/// The wizard application, mounted on `<body>` by `bin/advisor.rs`.
#[component]
pub fn AdvisorApp() -> impl IntoView {
    provide_locale_with(Some(t_advisor), || tr("advisor.page_title"));
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/advisor") view=AdvisorPage/>
                <Route path=path!("/advisor/") view=AdvisorPage/>
            </Routes>
        </Router>
    }
}
