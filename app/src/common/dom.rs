//! The few DOM helpers the wasm of the status page and the wizard need, without Leptos (whose
//! views and reactive system it does not link).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event};

/// The page's document, if there is one.
pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Says `message` on the browser's console as a warning.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

/// Calls `handler` for every `event` anywhere in the page (delegation from
/// the window: the server's regions are replaced by every refresh, the
/// listener stays), for as long as the page lives.
pub fn on(event: &str, handler: impl Fn(&Event) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let closure = Closure::<dyn Fn(Event)>::new(move |e: Event| handler(&e));
    if let Err(e) = window.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref()) {
        warn(&format!("cannot listen to {event}: {e:?}"));
    }
    // The listener lives as long as the page.
    closure.forget();
}

/// The element `event` happened on, or its closest ancestor matching `selector`.
pub fn target_within(event: &Event, selector: &str) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()?.closest(selector).ok().flatten()
}
