//! The frame of every programme page: skip link, header (with the account
//! entry), `<main>` and footer (demo data, times in KST).

use kairr_shared::api::DataSource;
use leptos::prelude::*;

use crate::components::footer::Footer;
use crate::components::header::{Header, SitePage, SkipLink, MAIN_ID};
use crate::components::programme::account::AccountNav;

/// A programme page: `children` go into `<main>`.
#[component]
pub fn Shell(
    /// The page shown (marked in the navigation).
    page: SitePage,
    /// Extra class of `<main>`.
    #[prop(optional)]
    class: &'static str,
    /// The page content.
    children: Children,
) -> impl IntoView {
    let source = Signal::derive(|| Some(DataSource::Demo));
    view! {
        <SkipLink/>
        <Header source=source page=page account=ViewFn::from(move || view! { <AccountNav page=page/> })/>
        <main id=MAIN_ID tabindex="-1" class=format!("programme-main {class}")>
            {children()}
        </main>
        <Footer source=source/>
    }
}
