//! The root component of the status app: provides the locale context and
//! shows the status page at `/`, a "not found" page anywhere else. One page
//! needs no router (leptos_router would add its weight to the status wasm).

use leptos::prelude::*;

use crate::common::components::not_found::NotFoundPage;
use crate::common::i18n::provide_locale;
use crate::status::page::StatusPage;

/// The whole application, mounted on `<body>` by `main`.
#[component]
pub fn App() -> impl IntoView {
    provide_locale();
    let path = window().location().pathname().unwrap_or_default();
    if path == "/" || path == "/index.html" {
        view! { <StatusPage/> }.into_any()
    } else {
        view! { <NotFoundPage/> }.into_any()
    }
}
