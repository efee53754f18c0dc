//! The frame of every programme page: skip link, header (with the account
//! entry), `<main>` and footer (demo data, times in KST).

use kairr_shared::api::DataSource;
use leptos::prelude::*;

use crate::common::components::footer::Footer;
use crate::common::components::header::{Header, SitePage, SkipLink, MAIN_ID};
use crate::programme::components::account::AccountNav;

/// A programme page: `children` go into `<main>`.
#[component]
pub fn Shell(
    /// The page shown (marked in the navigation).
    page: SitePage,
    /// Extra class of `<main>`.
    #[prop(optional)]
    class: &'static str,
    /// Whether the page shows demo records (header badge, footer line).
    /// Pages that know their round pass its flag; the others follow the
    /// portal (the session says whether it runs demo data).
    #[prop(optional, into)]
    demo: Option<Signal<bool>>,
    /// The page content.
    children: Children,
) -> impl IntoView {
    let session = crate::programme::session::use_session();
    let source = Signal::derive(move || demo.map_or_else(|| session.demo(), |d| d.get()).then_some(DataSource::Demo));
    view! {
        <SkipLink/>
        <Header source=source page=page account=ViewFn::from(move || view! { <AccountNav page=page/> })/>
        <main id=MAIN_ID tabindex="-1" class=format!("programme-main {class}")>
            {children()}
        </main>
        <Footer source=source records=true/>
    }
}
