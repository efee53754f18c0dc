//! The hand-over from the server's first view (see `server/src/first_view.rs`):
//! the HTML it rendered is removed just before the app mounts, and the data
//! it embedded is what the app renders from first, so nothing moves.

use kairr_shared::api::{FIRST_VIEW_ID, INITIAL_STATUS_ID};
use leptos::prelude::document;
use serde::de::DeserializeOwned;

/// The data the server embedded in the page, taken out of the document:
/// `None` when the page came without it or it does not parse (the console says so).
pub fn take_initial<T: DeserializeOwned>() -> Option<T> {
    take_initial_at(INITIAL_STATUS_ID)
}

/// The data the server embedded in the page's element `id` (see [`take_initial`]).
pub fn take_initial_at<T: DeserializeOwned>(id: &str) -> Option<T> {
    let element = document().get_element_by_id(id)?;
    element.remove();
    let text = element.text_content()?;
    crate::common::api::from_json::<Option<T>>(&text)
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

/// How long the first view stays after it was painted: the browser records
/// a paint as the largest contentful one only if the element is still there
/// when the frame is presented.
const PAINT_SETTLE_MS: u32 = 100;

/// Runs `mount` (which should call [`remove`] and mount the app) once the
/// first view has been painted: after two animation frames when there is
/// one, at once otherwise. The first view is then what the browser paints
/// first even when the wasm is already cached, so it is the page's largest
/// contentful paint; the app's same-sized replacement adds no new one.
pub fn mount_after_paint(mount: impl FnOnce() + 'static) {
    if document().get_element_by_id(FIRST_VIEW_ID).is_none() {
        mount();
        return;
    }
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::request_animation_frame(move || {
            gloo_timers::callback::Timeout::new(PAINT_SETTLE_MS, mount).forget();
        })
    });
}
