//! What to fix before there is a result: every field error with a button that
//! opens its step and focuses the field.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::advisor::engine::Engine;
use crate::advisor::fields::{field_label, input_id, step_of};
use crate::advisor::state::Wizard;
use crate::common::i18n::{current_locale, tr, trf};

fn focus(id: &str) {
    let Some(el) = document().get_element_by_id(id) else { return };
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        if let Err(e) = el.focus() {
            leptos::logging::warn!("cannot focus {id}: {e:?}");
        }
    }
}

/// The list of invalid fields (nothing when the form parses).
#[component]
pub fn ErrorSummary(wizard: Wizard, engine: Engine) -> impl IntoView {
    let items = move || {
        let loc = current_locale();
        engine.errors.with(|e| {
            e.0.iter()
                .map(|fe| {
                    let field = fe.field.clone();
                    let message = loc.pick(&fe.message_ko, &fe.message_en).to_owned();
                    let step = step_of(&field);
                    let name = field_label(&field, tr, |n| trf("advisor.workflow.stage", &[("n", n.to_string())]));
                    let label = format!("{name}: {message}");
                    view! {
                        <li>
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| {
                                    wizard.go_to(step);
                                    let id = input_id(&field);
                                    request_animation_frame(move || focus(&id));
                                }
                            >
                                {label}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || !engine.errors.with(|e| e.is_empty())>
            <div class="error-summary" data-testid="error-summary">
                <h3>{move || tr("advisor.errors.title")}</h3>
                <ul>{items}</ul>
            </div>
        </Show>
    }
}
