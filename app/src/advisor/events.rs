//! What the person does, delegated from the window: typing in or choosing
//! in a control with `data-bind` (`<field>` of the workload, `s:<i>:<field>`
//! of workflow stage `i`), a button or link with `data-action`, the
//! header's language toggle. Each becomes one [`page::update`].

use kairr_shared::advisor::NumberText;
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlInputElement, HtmlSelectElement};

use super::download::save_text;
use super::fields::{input_id, set_field};
use super::page::{self, update, with_model};
use super::query::Mode;
use super::timing;
use crate::common::dom::{on, target_within, warn};
use crate::common::format::date;
use crate::common::handover::DRAFT_STORAGE_KEY;
use crate::common::live::now_utc;

/// Starts listening (once, for the page's life).
pub fn listen() {
    on("input", |e| {
        if let Some(input) = bound(e).and_then(|el| el.dyn_into::<HtmlInputElement>().ok()) {
            if input.type_() != "checkbox" {
                changed(&input.get_attribute("data-bind").unwrap_or_default(), &input.value(), false);
            }
        }
    });
    on("change", |e| {
        let Some(el) = bound(e) else { return };
        let bind = el.get_attribute("data-bind").unwrap_or_default();
        if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
            changed(&bind, &select.value(), false);
        } else if let Some(input) = el.dyn_ref::<HtmlInputElement>().filter(|i| i.type_() == "checkbox") {
            changed(&bind, "", input.checked());
        }
    });
    on("submit", |e| {
        if target_within(e, "#wizard").is_some() {
            e.prevent_default();
        }
    });
    on("click", |e| {
        if target_within(e, "[data-testid=lang-toggle]").is_some() {
            switch_language();
        } else if let Some(el) = target_within(e, "#wizard [data-action]") {
            act(&el.get_attribute("data-action").unwrap_or_default());
        }
    });
}

/// The wizard's control the event happened on.
fn bound(e: &Event) -> Option<web_sys::Element> {
    target_within(e, "#wizard [data-bind]")
}

/// A control bound to `bind` now holds `value` (a checkbox: `checked`).
fn changed(bind: &str, value: &str, checked: bool) {
    timing::input_started();
    match bind.strip_prefix("s:").and_then(|rest| rest.split_once(':')) {
        Some((i, field)) => {
            let Ok(i) = i.parse::<usize>() else { return };
            update(|m| {
                m.edit_workflow(|w| {
                    let Some(stage) = w.stages.get_mut(i) else { return };
                    match field {
                        "name" => stage.name = (!value.is_empty()).then(|| value.to_owned()),
                        "output_tb" => {
                            stage.output_tb = (!value.trim().is_empty()).then(|| NumberText::Text(value.to_owned()))
                        }
                        _ => {
                            set_field(&mut stage.workload, field, value, checked);
                        }
                    }
                })
            });
        }
        None => update(|m| {
            m.edit(|i| {
                set_field(i, bind, value, checked);
            })
        }),
    }
}

/// Does what a button or link with `data-action="<action>"` says.
fn act(action: &str) {
    let (verb, arg) = action.split_once(':').unwrap_or((action, ""));
    match verb {
        "mode-single" => update(|m| m.set_mode(Mode::Single)),
        "mode-workflow" => update(|m| m.set_mode(Mode::Workflow)),
        "preset" => {
            timing::input_started();
            update(|m| m.apply_preset(arg));
        }
        "step" => update(|m| m.go_to(arg.parse().unwrap_or(1))),
        "step-previous" => update(|m| m.go_to(m.step.saturating_sub(1))),
        "step-next" => update(|m| m.go_to(m.step + 1)),
        "fix" => {
            let (step, field) = arg.split_once(':').unwrap_or(("1", arg));
            update(|m| m.go_to(step.parse().unwrap_or(1)));
            // The stack is two checkboxes: the first takes the focus.
            page::focus(&input_id(if field == "stack" { "stack-kubeflow" } else { field }));
        }
        "what-if" => {
            timing::input_started();
            if let Some(change) = super::view::what_if::parse_action(arg) {
                update(|m| m.apply_what_if(&change));
            }
        }
        "stage-add" => update(|m| {
            m.edit_workflow(|w| {
                let mut next = w.stages.last().cloned().unwrap_or_default();
                next.name = None;
                w.stages.push(next);
            })
        }),
        "stage-remove" => update(|m| {
            m.edit_workflow(|w| {
                if w.stages.len() > 1 {
                    w.stages.pop();
                }
            })
        }),
        "workflow-preset" => update(|m| m.reset_workflow()),
        "request" => {
            if let Some(Some(draft)) = with_model(|m| {
                m.now = now_utc();
                m.draft()
            }) {
                leave_draft(&draft);
            }
        }
        "request-stage" => {
            let draft = with_model(|m| {
                m.now = now_utc();
                m.workflow_drafts().into_iter().find(|d| d.recommended_pool.as_deref() == Some(arg))
            });
            if let Some(Some(draft)) = draft {
                leave_draft(&draft);
            }
        }
        "export" => {
            let saved = with_model(|m| {
                m.now = now_utc();
                m.draft().map(|d| (serde_json::to_string_pretty(&d), m.now))
            });
            if let Some(Some((json, now))) = saved {
                let name = format!("kairr-allocation-draft-{}.json", date(now.date_naive()));
                say_saved(json.map_err(|e| e.to_string()).and_then(|j| save(&name, &j)));
            }
        }
        "export-workflow" => {
            let saved = with_model(|m| {
                m.now = now_utc();
                (serde_json::to_string_pretty(&m.workflow_drafts()), m.now)
            });
            if let Some((json, now)) = saved {
                let name = format!("kairr-workflow-requests-{}.json", date(now.date_naive()));
                say_saved(json.map_err(|e| e.to_string()).and_then(|j| save(&name, &j)));
            }
        }
        _ => {}
    }
}

fn save(name: &str, json: &str) -> Result<(), String> {
    save_text(name, "application/json", json).map_err(|e| format!("{e:?}"))
}

/// Says under the buttons whether the file was saved.
fn say_saved(result: Result<(), String>) {
    if let Err(e) = &result {
        warn(&format!("export failed: {e}"));
    }
    update(|m| {
        let key = if result.is_ok() { "advisor.export.done" } else { "advisor.export.failed" };
        m.export_status = Some(m.text.t(key));
    });
}

/// Leaves `draft` in `localStorage` for the request form (the link then goes there).
fn leave_draft(draft: &kairr_shared::advisor::export::AllocationDraft) {
    let stored = serde_json::to_string(draft).map_err(|e| e.to_string()).and_then(|json| {
        let storage =
            web_sys::window().and_then(|w| w.local_storage().ok().flatten()).ok_or("localStorage unavailable")?;
        storage.set_item(DRAFT_STORAGE_KEY, &json).map_err(|e| format!("{e:?}"))
    });
    if let Err(e) = stored {
        warn(&format!("cannot hand the draft to the request form: {e}"));
    }
}

/// Stores the other language and loads the page in it (the server renders
/// the header in the cookie's language; the address keeps the wizard).
fn switch_language() {
    let Some(next) = with_model(|m| m.text.loc.other()) else { return };
    crate::common::i18n::store_locale(next);
    page::flush_url();
    let (key, selector) = page::FOCUS_AFTER_RELOAD;
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = storage.set_item(key, selector);
    }
    if let Some(w) = web_sys::window() {
        if let Err(e) = w.location().reload() {
            warn(&format!("cannot reload in the other language: {e:?}"));
        }
    }
}
