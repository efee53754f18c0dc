//! The page footer: where the figures come from, and that times are KST.

use kairr_shared::api::DataSource;
use leptos::prelude::*;

use crate::common::api::{FEED_URL, OPENAPI_URL, STATUS_URL};
use crate::common::i18n::tr;
use kairr_shared::display::footer::source_key;

/// `<footer>` naming the data source (`None` before the first snapshot).
#[component]
pub fn Footer(
    /// The summary's data source.
    #[prop(into)]
    source: Signal<Option<DataSource>>,
    /// The page shows the programme's records (rounds, requests, awards), not
    /// the status: without demo data they are the portal's own records.
    #[prop(optional)]
    records: bool,
) -> impl IntoView {
    let source_text = move || tr(source_key(source.get(), records));
    view! {
        <footer class="site-footer">
            <p>{source_text}</p>
            <p>{move || tr("footer.times_kst")}</p>
            <ul class="footer-links">
                <li>
                    <a href=STATUS_URL rel="external">{move || tr("footer.api_link")}</a>
                </li>
                <li>
                    <a href=FEED_URL rel="external">{move || tr("footer.feed_link")}</a>
                </li>
                <li>
                    <a href="/subscribe" rel="external" data-testid="subscribe-link">{move || tr("footer.subscribe_link")}</a>
                </li>
                <li>
                    <a href=OPENAPI_URL rel="external">{move || tr("footer.openapi_link")}</a>
                </li>
            </ul>
        </footer>
    }
}
