//! The wizard as HTML, from the [`Model`] alone: the mode switch, presets,
//! the five steps, the ranked result, the what-if table and the export; or
//! the workflow's stage editor, placed pipeline and requests. Each part is
//! a region with a stable `id` ([`regions`]); the page puts only the
//! regions whose markup changed in place (`common::morph`), so typing in a
//! field rewrites the result, not the form.
//!
//! Controls carry what they change: `data-bind` (`w:<field>` a workload
//! field, `s:<i>:<field>` a workflow stage's) and buttons `data-action`
//! (see `events.rs`).

mod controls;
mod export;
mod form;
mod result;
mod what_if;
mod workflow;

use maud::{html, Markup};

use super::model::Model;
use super::query::Mode;
use crate::common::api::FetchError;

/// The element the wizard renders into (after the page's introduction).
pub const ROOT_ID: &str = "wizard";

/// One region: its element's `id` and its markup (that element).
pub type Region = (&'static str, Markup);

/// Every region of the wizard in its current mode.
pub fn regions(m: &mut Model) -> Vec<Region> {
    let mut out = vec![("w-errors", load_errors(m)), ("w-mode", mode_switch(m))];
    match m.mode {
        Mode::Single => {
            out.push(("w-presets", form::presets(m)));
            out.push(("w-step-nav", form::step_nav(m)));
            out.push(("w-steps", form::steps(m)));
            out.push(("w-step-buttons", form::step_buttons(m)));
            out.push(("w-dock", result::dock(m)));
            out.push(("w-error-summary", result::error_summary(m)));
            out.push(("w-result", result::result(m)));
            out.push(("w-what-if", what_if::panel(m)));
            out.push(("w-export", export::actions(m)));
        }
        Mode::Workflow => {
            out.push(("w-workflow-editor", workflow::editor(m)));
            out.push(("w-workflow-result", workflow::result(m)));
            out.push(("w-workflow-export", export::workflow(m)));
        }
    }
    out
}

/// The whole wizard: `regions` in the layout of `mode`.
pub fn page(m: &Model, regions: &[Region]) -> Markup {
    let part =
        |id: &str| regions.iter().find(|(r, _)| *r == id).map(|(_, markup)| markup.clone()).unwrap_or_else(|| html! {});
    let x = m.text;
    html! {
        div #(ROOT_ID) {
            (part("w-errors"))
            (part("w-mode"))
            @match m.mode {
                Mode::Single => div.advisor-layout {
                    form.advisor-form aria-labelledby="form-title" data-action="none" {
                        h3 #form-title .sr-only { (x.t("advisor.form.title")) }
                        (part("w-presets"))
                        (part("w-step-nav"))
                        (part("w-steps"))
                        (part("w-step-buttons"))
                        (part("w-dock"))
                    }
                    div.advisor-output {
                        (part("w-error-summary"))
                        (part("w-result"))
                        (part("w-what-if"))
                        (part("w-export"))
                    }
                },
                Mode::Workflow => div.advisor-layout {
                    div.advisor-form { (part("w-workflow-editor")) }
                    div.advisor-output {
                        (part("w-workflow-result"))
                        (part("w-workflow-export"))
                    }
                },
            }
        }
    }
}

/// The failed loads, each said in words (nothing when all came in).
fn load_errors(m: &Model) -> Markup {
    let x = m.text;
    let shown = |e: &Option<FetchError>, key: &str| {
        e.as_ref().map(|e| {
            html! {
                div.fetch-error role="alert" data-testid="fetch-error" {
                    p.fetch-error-title { (x.t(key)) }
                    p.fetch-error-detail { (e.detail_in(x.loc)) }
                }
            }
        })
    };
    html! {
        div #w-errors {
            @if let Some(e) = shown(&m.load_error, "advisor.error.load") { (e) }
            @if let Some(e) = shown(&m.live_error, "error.status") { (e) }
        }
    }
}

fn mode_switch(m: &Model) -> Markup {
    let x = m.text;
    let button = |mode: Mode, action: &str, testid: &str, key: &str| {
        html! {
            button.mode-button type="button" data-testid=(testid) data-action=(action)
                aria-pressed=(if m.mode == mode { "true" } else { "false" }) { (x.t(key)) }
        }
    };
    html! {
        div #w-mode .mode-switch role="group" aria-label=(x.t("advisor.mode.label")) {
            (button(Mode::Single, "mode-single", "mode-single", "advisor.mode.single"))
            (button(Mode::Workflow, "mode-workflow", "mode-workflow", "advisor.mode.workflow"))
        }
    }
}
