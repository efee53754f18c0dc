//! The placement wizard's root component (the `kairr-advisor` binary): the
//! locale context with the wizard's own strings, and the wizard at
//! `/advisor` (anything else is "not found"). One page and no links within
//! the app, so no router: leptos_router cost the wizard ~45 KB gzip.

use kairr_shared::i18n::t_advisor;
use leptos::either::Either;
use leptos::prelude::*;

use crate::advisor::page::AdvisorPage;
use crate::common::components::not_found::NotFoundPage;
use crate::common::i18n::{provide_locale_with, tr};

/// The wizard's path (with or without its trailing slash).
fn is_wizard_path(path: &str) -> bool {
    matches!(path, "/advisor" | "/advisor/")
}

/// The wizard application, mounted on `<body>` by `bin/advisor.rs`.
#[component]
pub fn AdvisorApp() -> impl IntoView {
    provide_locale_with(Some(t_advisor), || tr("advisor.page_title"));
    if is_wizard_path(&window().location().pathname().unwrap_or_default()) {
        Either::Left(view! { <AdvisorPage/> })
    } else {
        Either::Right(view! { <NotFoundPage/> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_wizard_path_is_the_wizard() {
        assert!(is_wizard_path("/advisor") && is_wizard_path("/advisor/"));
        assert!(!is_wizard_path("/advisor/x") && !is_wizard_path("/") && !is_wizard_path("/advisorx"));
    }
}
