//! A failed request, shown as an alert with its technical detail.

use leptos::prelude::*;

use crate::common::api::FetchError;

/// Renders nothing while `error` is `None`; otherwise a `role="alert"` box with
/// `message` (translated, saying what could not be loaded) and the error detail.
#[component]
pub fn FetchErrorView(
    /// The failure to show, if any.
    #[prop(into)]
    error: Signal<Option<FetchError>>,
    /// What failed to load, in the current language.
    #[prop(into)]
    message: Signal<String>,
) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <div class="fetch-error" role="alert" data-testid="fetch-error">
                <p class="fetch-error-title">{move || message.get()}</p>
                <p class="fetch-error-detail">
                    {move || error.with(|e| e.as_ref().map(FetchError::detail).unwrap_or_default())}
                </p>
            </div>
        </Show>
    }
}
