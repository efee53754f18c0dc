//! What to fix in a form, above it: every field the form's own check or the
//! server refused, named by its label, each a link that focuses the field.
//! It takes the focus when it appears, so a keyboard or screen-reader user
//! hears what went wrong (the GOV.UK error-summary pattern).

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::common::api::FetchError;
use crate::common::i18n::{current_locale, trf};

/// Brings `id` into view and focuses it when it can take the focus.
fn focus(id: &str) {
    let Some(el) = document().get_element_by_id(id) else { return };
    el.scroll_into_view();
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        if let Err(e) = el.focus() {
            leptos::logging::warn!("cannot focus {id}: {e:?}");
        }
    }
}

/// The summary of `error`'s field problems (nothing when it names no field).
/// `label` names a field as its form shows it, `id` is its control's element
/// id, after `scope` and a dash when the form is one of several on the page.
#[component]
pub fn FormErrorSummary(
    error: RwSignal<Option<FetchError>>,
    label: fn(&str) -> String,
    id: fn(&str) -> String,
    #[prop(optional, into)] scope: String,
) -> impl IntoView {
    let fields = Memo::new(move |_| {
        error.with(|e| match e {
            Some(FetchError::Http { api: Some(api), .. }) => api.fields.clone(),
            _ => Vec::new(),
        })
    });
    let node = NodeRef::<Div>::new();
    // One id per summary, for forms repeated on a page.
    let title_id =
        if scope.is_empty() { "form-error-summary-title".to_owned() } else { format!("{scope}-error-summary-title") };
    let labelled_by = title_id.clone();
    // A new refusal moves the focus here (after it is drawn).
    Effect::new(move |_| {
        if !fields.with(Vec::is_empty) {
            request_animation_frame(move || {
                if let Some(el) = node.get_untracked() {
                    if let Err(e) = el.focus() {
                        leptos::logging::warn!("cannot focus the error summary: {e:?}");
                    }
                }
            });
        }
    });
    let items = move || {
        let loc = current_locale();
        fields
            .get()
            .into_iter()
            .map(|fe| {
                let target = if scope.is_empty() { id(&fe.field) } else { format!("{scope}-{}", id(&fe.field)) };
                let text = format!("{}: {}", label(&fe.field), loc.pick(&fe.message_ko, &fe.message_en));
                let href = format!("#{target}");
                view! {
                    <li>
                        <a href=href on:click=move |ev| {
                            ev.prevent_default();
                            focus(&target);
                        }>{text}</a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="error-summary" tabindex="-1" node_ref=node data-testid="form-error-summary"
            aria-labelledby=labelled_by hidden=move || fields.with(Vec::is_empty)>
            <h3 id=title_id>
                {move || trf("programme.form.errors_title", &[("n", fields.with(Vec::len).to_string())])}
            </h3>
            <ul>{items}</ul>
        </div>
    }
}
