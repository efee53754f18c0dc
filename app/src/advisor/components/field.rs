//! One labelled form control with its help text and its error, both tied to
//! it with `aria-describedby`; the error also sets `aria-invalid` and is
//! announced (`role="alert"`).

use leptos::prelude::*;

use crate::advisor::fields::input_id;

fn described_by(id: &str, invalid: bool) -> String {
    if invalid {
        format!("{id}-help {id}-error")
    } else {
        format!("{id}-help")
    }
}

/// The help line and, when set, the error line of a control.
#[component]
fn HelpAndError(id: String, help: Signal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <p id=format!("{id}-help") class="hint">{move || help.get()}</p>
        <Show when=move || error.with(Option::is_some)>
            <p id=error_id.clone() class="field-error" role="alert" data-testid="field-error">
                {move || error.get().unwrap_or_default()}
            </p>
        </Show>
    }
}

/// A text input for a number (or any short text), bound to `value`.
#[component]
pub fn TextField(
    /// The API field name (`gpus`, `stages[1].gpus`); it names the element id.
    field: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] help: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    /// Unit shown after the input, `""` for none (hidden from screen readers: the label names it).
    #[prop(default = "")]
    unit: &'static str,
    /// `decimal` (default) or `text`.
    #[prop(default = "decimal")]
    inputmode: &'static str,
) -> impl IntoView {
    let id = input_id(&field);
    let invalid = move || error.with(Option::is_some);
    let described = {
        let id = id.clone();
        move || described_by(&id, invalid())
    };
    view! {
        <div class="field" data-field=field.clone()>
            <label for=id.clone()>{move || label.get()}</label>
            <div class="input-row">
                <input
                    id=id.clone()
                    type="text"
                    inputmode=inputmode
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || value.get()
                    on:input=move |ev| on_input.run(event_target_value(&ev))
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    aria-describedby=described
                />
                {(!unit.is_empty()).then(|| view! { <span class="unit" aria-hidden="true">{unit}</span> })}
            </div>
            <HelpAndError id=id help=help error=error/>
        </div>
    }
}

/// A `<select>`; `options` are `(value, label)` pairs, `""` the empty choice.
#[component]
pub fn SelectField(
    field: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] help: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    on_change: Callback<String>,
) -> impl IntoView {
    let id = input_id(&field);
    let invalid = move || error.with(Option::is_some);
    let described = {
        let id = id.clone();
        move || described_by(&id, invalid())
    };
    view! {
        <div class="field" data-field=field.clone()>
            <label for=id.clone()>{move || label.get()}</label>
            <select
                id=id.clone()
                on:change=move |ev| on_change.run(event_target_value(&ev))
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby=described
            >
                {move || {
                    let current = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <HelpAndError id=id help=help error=error/>
        </div>
    }
}

/// A checkbox with its help text.
#[component]
pub fn CheckField(
    field: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] help: Signal<String>,
    #[prop(into)] checked: Signal<bool>,
    on_change: Callback<bool>,
) -> impl IntoView {
    let id = input_id(&field);
    view! {
        <div class="field check-field" data-field=field.clone()>
            <input
                id=id.clone()
                type="checkbox"
                prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))
                aria-describedby=format!("{id}-help")
            />
            <label for=id.clone()>{move || label.get()}</label>
            <p id=format!("{id}-help") class="hint">{move || help.get()}</p>
        </div>
    }
}
