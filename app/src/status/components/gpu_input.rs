//! The single "how many GPUs?" input that drives every pool's start-now answer.

use kairr_shared::start_now::GpuCountError;
use leptos::prelude::*;

use crate::common::i18n::tr;

const INPUT_ID: &str = "gpu-input";
const HINT_ID: &str = "gpu-input-hint";
const ERROR_ID: &str = "gpu-input-error";

/// Labelled text input (numeric keyboard on phones) bound to `raw`; shows the
/// parse error of `parsed` as an alert linked by `aria-describedby`.
#[component]
pub fn GpuInput(
    /// The text as typed.
    raw: RwSignal<String>,
    /// `raw` parsed by `kairr_shared::start_now::parse_gpu_count`.
    #[prop(into)]
    parsed: Signal<Result<u32, GpuCountError>>,
) -> impl IntoView {
    let invalid = move || parsed.with(Result::is_err);
    let message = move || {
        parsed.with(|p| match p {
            Ok(_) => String::new(),
            Err(_) if raw.with(|r| r.trim().is_empty()) => tr("gpu.error_empty"),
            Err(GpuCountError::Zero) => tr("gpu.error_zero"),
            Err(GpuCountError::NotANumber) => tr("gpu.error_not_a_number"),
        })
    };
    view! {
        <section class="gpu-panel" aria-labelledby="gpu-panel-title">
            <h2 id="gpu-panel-title">{move || tr("gpu.title")}</h2>
            <div class="gpu-field">
                <label for=INPUT_ID>{move || tr("gpu.label")}</label>
                <div class="gpu-input-row">
                    <input
                        id=INPUT_ID
                        data-testid="gpu-input"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || raw.get()
                        on:input=move |ev| raw.set(event_target_value(&ev))
                        aria-invalid=move || if invalid() { "true" } else { "false" }
                        aria-describedby=move || if invalid() { format!("{HINT_ID} {ERROR_ID}") } else { HINT_ID.to_owned() }
                    />
                    <span class="gpu-unit" aria-hidden="true">"GPU"</span>
                </div>
                <p id=HINT_ID class="hint">{move || tr("gpu.hint")}</p>
                <Show when=invalid>
                    <p id=ERROR_ID class="field-error" data-testid="gpu-input-error" role="alert">
                        {message}
                    </p>
                </Show>
            </div>
        </section>
    }
}
