//! The preset buttons that fill the form with an example workload.

use kairr_shared::advisor::presets::PRESETS;
use leptos::prelude::*;

use crate::advisor::labels::pick;
use crate::advisor::state::Wizard;
use crate::common::i18n::tr;

/// One button per preset; the one the form still equals is pressed.
#[component]
pub fn PresetBar(wizard: Wizard) -> impl IntoView {
    let buttons = PRESETS
        .iter()
        .map(|p| {
            view! {
                <li>
                    <button
                        type="button"
                        class="preset"
                        data-testid="preset"
                        data-preset=p.id
                        aria-pressed=move || if wizard.preset.get() == Some(p.id) { "true" } else { "false" }
                        on:click=move |_| wizard.apply_preset(p)
                    >
                        {move || pick(p.label_ko, p.label_en)}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="presets" aria-labelledby="presets-title">
            <h3 id="presets-title">{move || tr("advisor.presets.title")}</h3>
            <p class="hint">{move || tr("advisor.presets.hint")}</p>
            <ul class="preset-list">{buttons}</ul>
        </section>
    }
}
