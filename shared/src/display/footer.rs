//! The page footer every page shows under its content: where the figures
//! come from, that times are KST, the API links. The server's pages and
//! the wizard's wasm render it from here (the Leptos apps' `Footer`
//! component, `app/src/common/components/footer.rs`, writes the same
//! elements).

use crate::api::DataSource;
use crate::i18n::{t, Locale};
use maud::{html, Markup};

/// The key of the footer's line naming where the figures come from: the
/// live source, or for a programme page (`records`) its own records.
pub fn source_key(source: Option<DataSource>, records: bool) -> &'static str {
    match source {
        Some(DataSource::Demo) => "footer.source_demo",
        Some(DataSource::Slurm) => "footer.source_slurm",
        Some(DataSource::Prometheus) => "footer.source_prometheus",
        Some(DataSource::Operator) => "footer.source_operator",
        None if records => "footer.source_records",
        None => "footer.source_unknown",
    }
}

/// `<footer>`: where the figures come from, that times are KST, the API links.
/// `records`: a programme page (its records, not the status), as the app's `Footer`.
pub fn footer(loc: Locale, source: Option<DataSource>, records: bool) -> Markup {
    let tr = |key: &str| t(loc, key);
    let source_text = tr(source_key(source, records));
    html! {
        footer.site-footer {
            p { (source_text) }
            p { (tr("footer.times_kst")) }
            ul.footer-links {
                li { a href="/api/v1/status" rel="external" { (tr("footer.api_link")) } }
                li { a href="/feed.atom" rel="external" { (tr("footer.feed_link")) } }
                li { a href="/subscribe" rel="external" data-testid="subscribe-link" { (tr("footer.subscribe_link")) } }
                li { a href="/api/openapi.json" rel="external" { (tr("footer.openapi_link")) } }
            }
        }
    }
}
