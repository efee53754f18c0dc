//! The fallback route: a plain "page not found" with a way back.

use leptos::prelude::*;

use crate::common::components::footer::Footer;
use crate::common::components::header::{Header, SitePage, SkipLink, MAIN_ID};
use crate::common::i18n::tr;

/// Shown for every path other than `/`.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <SkipLink/>
        <Header source=Signal::derive(|| None) page=SitePage::Other/>
        <main id=MAIN_ID tabindex="-1" class="not-found" data-testid="not-found">
            <h2>{move || tr("not_found.title")}</h2>
            <p>{move || tr("not_found.body")}</p>
            <p>
                <a href="/">{move || tr("not_found.home")}</a>
            </p>
        </main>
        <Footer source=Signal::derive(|| None)/>
    }
}
