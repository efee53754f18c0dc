//! A status shown three ways at once: colour, icon shape and words.

use kairr_shared::display::icons::status_icon_path;
use kairr_shared::status::Status;
use leptos::prelude::*;

use crate::status::labels;

/// The icon alone (decorative: the text next to it carries the meaning).
pub fn status_icon(s: Status) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path fill-rule="evenodd" fill="currentColor" d=status_icon_path(s)></path>
        </svg>
    }
}

/// `<span class="badge status-…" data-testid=… data-status=…>` with icon and label.
#[component]
pub fn StatusBadge(
    /// The status to show.
    #[prop(into)]
    status: Signal<Status>,
    /// The `data-testid` of the badge, e.g. `pool-status`.
    testid: &'static str,
) -> impl IntoView {
    view! {
        <span
            class=move || format!("badge status-{}", status.get().as_str())
            data-testid=testid
            data-status=move || status.get().as_str()
        >
            {move || status_icon(status.get())}
            <span>{move || labels::status(status.get())}</span>
        </span>
    }
}
