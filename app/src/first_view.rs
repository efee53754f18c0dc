//! The hand-over from the server's first view (see `server/src/first_view.rs`):
//! the HTML it rendered is removed just before the app mounts, and the data
//! it embedded is what the app renders from first, so nothing moves.

use kairr_shared::api::{FIRST_VIEW_ID, INITIAL_STATUS_ID};
use leptos::prelude::document;
use serde::de::DeserializeOwned;

/// The data the server embedded in the page, taken out of the document:
/// `None` when the page came without it or it does not parse (the console says so).
pub fn take_initial<T: DeserializeOwned>() -> Option<T> {
    let element = document().get_element_by_id(INITIAL_STATUS_ID)?;
    element.remove();
    let text = element.text_content()?;
    serde_json::from_str::<Option<T>>(&text)
        .map_err(|e| leptos::logging::warn!("embedded initial data unreadable: {e}"))
        .ok()
        .flatten()
}

/// Removes the server-rendered first view; called just before the app
/// mounts, in the same task, so no frame shows neither (or both).
pub fn remove() {
    if let Some(view) = document().get_element_by_id(FIRST_VIEW_ID) {
        view.remove();
    }
}
