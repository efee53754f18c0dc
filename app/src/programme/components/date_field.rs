//! A labelled date input bound to a signal, with its field error in place
//! (`aria-invalid`, described by the error). One component for the date
//! fields of the decision and period forms, so their markup is built once.

use leptos::prelude::*;

use crate::common::i18n::tr;

/// The field; `id` is also its test id, `{id}-error` its error's id.
#[component]
pub fn DateField(
    id: &'static str,
    /// Locale key of the label.
    label: &'static str,
    min: String,
    max: String,
    value: RwSignal<String>,
    /// The server's message about this field, if any.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{move || tr(label)}</label>
            <input id=id type="date" min=min max=max data-testid=id
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=error_id.clone()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            <p id=error_id.clone() class="field-error" data-testid=error_id>{move || error.get()}</p>
        </div>
    }
}
