//! The page's address: its query read at start and replaced (no new history
//! entry) as the person changes what the page shows, so a link shares it.

use leptos::prelude::window;
use wasm_bindgen::JsValue;

/// The page's query (`?a=1&b=2`, empty when it has none).
pub fn query() -> String {
    window().location().search().unwrap_or_default()
}

/// Replaces the page's query with `search` (`?…`, or empty for none),
/// keeping its path.
pub fn replace_query(search: &str) {
    let Ok(history) = window().history() else { return };
    let path = window().location().pathname().unwrap_or_else(|_| "/".into());
    let url = format!("{path}{search}");
    if let Err(e) = history.replace_state_with_url(&JsValue::NULL, "", Some(&url)) {
        leptos::logging::warn!("cannot update the address: {e:?}");
    }
}
