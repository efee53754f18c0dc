//! A status shown three ways at once: colour, icon shape and words.

use kairr_shared::status::Status;
use leptos::prelude::*;

use crate::labels;

/// SVG path (16×16 box, even-odd fill) of the icon for `s`: check circle,
/// wrench, warning triangle, warning diamond, cross circle.
fn icon_path(s: Status) -> &'static str {
    match s {
        Status::Operational => "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm3.4 4.6L7 10 4.6 7.6l1-1L7 8l3.4-3.4 1 1z",
        Status::Maintenance => "M14.6 4.4l-2.3 2.3-2.1-.9-.9-2.1 2.3-2.3a4 4 0 0 0-5.2 5.1L1.3 11.6a1.5 1.5 0 0 0 2.1 2.1l5.1-5.1a4 4 0 0 0 5.1-4.2z",
        Status::Degraded => "M8 1l7.5 13.5H.5L8 1zm-.8 4.5v4.5h1.6V5.5H7.2zm0 5.8v1.6h1.6v-1.6H7.2z",
        Status::PartialOutage => "M8 .5L15.5 8 8 15.5.5 8 8 .5zm-.8 3.8v4.8h1.6V4.3H7.2zm0 6.2v1.6h1.6v-1.6H7.2z",
        Status::MajorOutage => {
            "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zM5.2 4.1L8 6.9l2.8-2.8 1.1 1.1L9.1 8l2.8 2.8-1.1 1.1L8 9.1l-2.8 2.8-1.1-1.1L6.9 8 4.1 5.2z"
        }
    }
}

/// The icon alone (decorative: the text next to it carries the meaning).
pub fn status_icon(s: Status) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path fill-rule="evenodd" fill="currentColor" d=icon_path(s)></path>
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
