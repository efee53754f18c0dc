//! Multi-stage mode: the stages of a pipeline (e.g. simulate on KISTI-6 →
//! train on the GPU cloud → run the model inside simulations on KISTI-6),
//! each placed by the engine, with the data moves and the time to result.

use kairr_shared::advisor::workflow::MAX_STAGES;
use kairr_shared::advisor::{Compute, Container, FieldErrors, Precision, Purpose, Sector, StageInput};
use kairr_shared::display::format::fixed;
use maud::{html, Markup};

use super::controls::Control;
use super::form::{site_options, vocabulary};
use crate::advisor::fields::{number_text, value_of};
use crate::advisor::labels::Text;
use crate::advisor::model::Model;

/// The editor of stage `i`.
fn stage_editor(m: &Model, x: Text, errors: &FieldErrors, i: usize, stage: &StageInput) -> Markup {
    let control = |field: &str, label: String, help: String| {
        let name = format!("stages[{i}].{field}");
        let error = errors.get(&name).map(|e| x.pick(&e.message_ko, &e.message_en));
        (name, format!("s:{i}:{field}"), label, help, error)
    };
    let text = |field: &str, label: String, help: String, value: String, unit: &str, mode: &str| {
        let (name, bind, label, help, error) = control(field, label, help);
        Control { field: &name, bind: &bind, label, help, error }.text(&value, unit, mode)
    };
    let number = |field: &str| {
        text(field, x.t(&format!("advisor.f.{field}")), String::new(), value_of(&stage.workload, field), "", "decimal")
    };
    let choice = |field: &str, options: Vec<(String, String)>| {
        let (name, bind, label, help, error) = control(field, x.t(&format!("advisor.f.{field}")), String::new());
        Control { field: &name, bind: &bind, label, help, error }.select(&value_of(&stage.workload, field), &options)
    };
    let select = "advisor.choice.select";
    html! {
        fieldset.stage data-testid="stage-editor" {
            legend { (x.f("advisor.workflow.stage", &[("n", (i + 1).to_string())])) }
            (text("name", x.t("advisor.workflow.name"), String::new(), stage.name.clone().unwrap_or_default(), "", "text"))
            (choice("purpose", vocabulary(x, Purpose::ALL, Purpose::as_str, Purpose::label_ko, Purpose::label_en, select)))
            (choice("precision", vocabulary(x, Precision::ALL, Precision::as_str, Precision::label_ko, Precision::label_en, select)))
            (number("fp64_share"))
            (number("gpus"))
            (number("run_hours"))
            (choice("compute", vocabulary(x, Compute::ALL, Compute::as_str, Compute::label_ko, Compute::label_en, select)))
            (number("gpu_memory_gb"))
            (choice("container", vocabulary(x, Container::ALL, Container::as_str, Container::label_ko, Container::label_en, select)))
            // The first stage's input data; later stages read the previous stage's output.
            @if i == 0 {
                (number("dataset_tb"))
                (choice("data_location", site_options(m)))
            }
            (choice("sector", vocabulary(x, Sector::ALL, Sector::as_str, Sector::label_ko, Sector::label_en, select)))
            (text("output_tb", x.t("advisor.workflow.output_tb"), x.t("advisor.workflow.output_tb.help"),
                number_text(&stage.output_tb), "TB", "decimal"))
        }
    }
}

/// The stage editors with add/remove/reset buttons.
pub fn editor(m: &mut Model) -> Markup {
    let x = m.text;
    let errors = match &m.derived().workflow {
        Some(Err(e)) => e.clone(),
        _ => FieldErrors::default(),
    };
    let m = &*m;
    let count = m.workflow.stages.len();
    html! {
        section #w-workflow-editor .workflow-editor aria-labelledby="workflow-title" {
            h3 #workflow-title { (x.t("advisor.workflow.title")) }
            p.hint { (x.t("advisor.workflow.hint")) }
            // Their own container: adding or removing a stage leaves the buttons below (and the focus on them) in place.
            div.stages {
                @for (i, stage) in m.workflow.stages.iter().enumerate() { (stage_editor(m, x, &errors, i, stage)) }
            }
            div.step-buttons {
                button.button.secondary type="button" data-action="stage-add" disabled[count >= MAX_STAGES] { (x.t("advisor.workflow.add")) }
                button.button.secondary type="button" data-action="stage-remove" disabled[count <= 1] { (x.t("advisor.workflow.remove")) }
                button.button.secondary type="button" data-testid="workflow-preset" data-action="workflow-preset" { (x.t("advisor.workflow.preset")) }
            }
        }
    }
}

/// The placed pipeline: per stage its pool, data moved in, transfer, wait, run; then the totals.
pub fn result(m: &mut Model) -> Markup {
    let x = m.text;
    let pending = m.waits_pending;
    let plan = m.derived().workflow.clone();
    let cat = m.catalogue.as_ref();
    html! {
        section #w-workflow-result .result aria-labelledby="workflow-result-title" data-testid="workflow-result"
            data-waits-pending=(pending) {
            h3 #workflow-result-title { (x.t("advisor.workflow.result_title")) }
            p.hint { (x.t("advisor.workflow.waits_note")) }
            // Hidden, not removed, when the waits are in: the table below keeps its element (focus, scroll).
            p.muted.waits-pending style=(if pending { "visibility:visible" } else { "visibility:hidden" }) {
                (x.t("advisor.result.waits_pending"))
            }
            @match &plan {
                None => p.muted { (x.t("common.loading")) },
                Some(Err(_)) => p.muted data-testid="no-result" { (x.t("advisor.result.fix_errors")) },
                Some(Ok(plan)) => {
                    div.table-scroll role="region" tabindex="0" aria-labelledby="workflow-result-title" {
                        table.data-table {
                            thead { tr {
                                @for key in ["advisor.workflow.col_stage", "advisor.whatif.col_top", "advisor.workflow.col_input",
                                    "advisor.est.transfer", "advisor.est.wait", "advisor.est.run"] {
                                    th scope="col" { (x.t(key)) }
                                }
                            } }
                            tbody {
                                @for s in &plan.stages {
                                    tr data-testid="stage-row" data-pool-id=(s.pool_id.clone().unwrap_or_default()) {
                                        th scope="row" { (s.name) }
                                        td { (s.pool_id.as_deref().map_or_else(|| x.t("advisor.result.none_short"), |p| x.pool_name(cat, p))) }
                                        td { (fixed(s.input_tb, 1)) "\u{a0}TB" }
                                        td { (x.hours(s.transfer_hours)) }
                                        td { (s.wait_hours.map_or_else(|| "–".to_owned(), |h| x.hours(h))) }
                                        td { (x.hours(s.run_hours)) }
                                    }
                                }
                            }
                        }
                    }
                    p.workflow-total data-testid="workflow-total" {
                        (x.f("advisor.workflow.total", &[
                            ("total", x.hours(plan.total_hours)), ("transfer", x.hours(plan.transfer_hours)),
                            ("wait", x.hours(plan.wait_hours)), ("run", x.hours(plan.run_hours)),
                        ]))
                    }
                    h4.stage-reasons-title { (x.t("advisor.workflow.reasons")) }
                    ul.stage-reasons {
                        @for s in &plan.stages {
                            @let r = &s.recommendation;
                            @let why = r.deciding.as_ref().and_then(|d| d.reason).or_else(|| r.why_none()).map_or_else(String::new, |reason| x.reason(&reason));
                            li data-testid="stage-reason" { strong { (s.name) } ": " (why) }
                        }
                    }
                    @if !plan.complete { p.field-error { (x.t("advisor.workflow.incomplete")) } }
                },
            }
        }
    }
}
