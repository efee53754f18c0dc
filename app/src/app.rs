//! The root component: provides the locale context and routes `/` to the
//! status page, anything else to a "not found" page.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::i18n::provide_locale;
use crate::pages::{NotFoundPage, StatusPage};

/// The whole application, mounted on `<body>` by `main`.
#[component]
pub fn App() -> impl IntoView {
    provide_locale();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=StatusPage/>
            </Routes>
        </Router>
    }
}
