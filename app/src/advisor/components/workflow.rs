//! Multi-stage mode: the stages of a pipeline (e.g. simulate on KISTI-6 →
//! train on the GPU cloud → run the model inside simulations on KISTI-6),
//! each placed by the engine, with the data moves and the time to result.

use kairr_shared::advisor::workflow::MAX_STAGES;
use kairr_shared::advisor::{Compute, Container, NumberText, Precision, Purpose, Sector, StageInput, WorkloadInput};
use leptos::prelude::*;

use super::field::{SelectField, TextField};
use super::form::site_options;
use crate::advisor::engine::Engine;
use crate::advisor::labels::{hours, label, pool_name, reason_text};
use crate::advisor::state::Wizard;
use crate::common::format::fixed;
use crate::common::i18n::{current_locale, tr, trf};

fn text_of(n: &Option<NumberText>) -> String {
    match n {
        Some(NumberText::Number(x)) => format!("{x}"),
        Some(NumberText::Text(t)) => t.clone(),
        None => String::new(),
    }
}

fn as_number(v: String) -> Option<NumberText> {
    (!v.trim().is_empty()).then_some(NumberText::Text(v))
}

fn stage_error(engine: Engine, field: String) -> Signal<Option<String>> {
    Signal::derive(move || {
        let loc = current_locale();
        engine.workflow.with(|w| match w {
            Some(Err(e)) => e.get(&field).map(|fe| loc.pick(&fe.message_ko, &fe.message_en).to_owned()),
            _ => None,
        })
    })
}

type NumGet = fn(&WorkloadInput) -> &Option<NumberText>;
type NumSet = fn(&mut WorkloadInput, Option<NumberText>);

fn stage_number(
    wizard: Wizard,
    engine: Engine,
    i: usize,
    field: &'static str,
    label: Signal<String>,
    get: NumGet,
    set: NumSet,
) -> impl IntoView {
    let read = move || wizard.workflow.with(|w| w.stages.get(i).map(|s| text_of(get(&s.workload))).unwrap_or_default());
    view! {
        <TextField
            field=format!("stages[{i}].{field}")
            label=label
            help=Signal::derive(String::new)
            error=stage_error(engine, format!("stages[{i}].{field}"))
            value=Signal::derive(read)
            on_input=Callback::new(move |v: String| wizard.edit_workflow(|w| if let Some(s) = w.stages.get_mut(i) { set(&mut s.workload, as_number(v)) }))
        />
    }
}

fn options<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
    ko: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let mut out = vec![(String::new(), tr("advisor.choice.select"))];
        out.extend(all.iter().map(|v| (name(*v).to_owned(), label(ko(*v), en(*v)))));
        out
    })
}

type ChoiceGet = fn(&WorkloadInput) -> &Option<String>;
type ChoiceSet = fn(&mut WorkloadInput, Option<String>);

#[allow(clippy::too_many_arguments)]
fn stage_choice(
    wizard: Wizard,
    engine: Engine,
    i: usize,
    field: &'static str,
    label: Signal<String>,
    opts: Signal<Vec<(String, String)>>,
    get: ChoiceGet,
    set: ChoiceSet,
) -> impl IntoView {
    let read =
        move || wizard.workflow.with(|w| w.stages.get(i).and_then(|s| get(&s.workload).clone()).unwrap_or_default());
    view! {
        <SelectField
            field=format!("stages[{i}].{field}")
            label=label
            help=Signal::derive(String::new)
            error=stage_error(engine, format!("stages[{i}].{field}"))
            value=Signal::derive(read)
            options=opts
            on_change=Callback::new(move |v: String| wizard.edit_workflow(|w| if let Some(s) = w.stages.get_mut(i) { set(&mut s.workload, (!v.is_empty()).then_some(v)) }))
        />
    }
}

/// The editor of stage `i`.
fn stage_editor(wizard: Wizard, engine: Engine, i: usize) -> impl IntoView {
    let name = move || wizard.workflow.with(|w| w.stages.get(i).and_then(|s| s.name.clone()).unwrap_or_default());
    let output = move || wizard.workflow.with(|w| w.stages.get(i).map(|s| text_of(&s.output_tb)).unwrap_or_default());
    let edit_stage = move |f: Box<dyn FnOnce(&mut StageInput)>| {
        wizard.edit_workflow(|w| {
            if let Some(s) = w.stages.get_mut(i) {
                f(s)
            }
        })
    };
    view! {
        <fieldset class="stage" data-testid="stage-editor">
            <legend>{move || trf("advisor.workflow.stage", &[("n", (i + 1).to_string())])}</legend>
            <TextField field=format!("stages[{i}].name") inputmode="text" label=Signal::derive(|| tr("advisor.workflow.name"))
                help=Signal::derive(String::new) error=Signal::derive(|| None::<String>) value=Signal::derive(name)
                on_input=Callback::new(move |v: String| edit_stage(Box::new(move |s| s.name = (!v.is_empty()).then_some(v))))/>
            {stage_choice(wizard, engine, i, "purpose", Signal::derive(|| tr("advisor.f.purpose")),
                options(Purpose::ALL, Purpose::as_str, Purpose::label_ko, Purpose::label_en), |w| &w.purpose, |w, v| w.purpose = v)}
            {stage_choice(wizard, engine, i, "precision", Signal::derive(|| tr("advisor.f.precision")),
                options(Precision::ALL, Precision::as_str, Precision::label_ko, Precision::label_en), |w| &w.precision, |w, v| w.precision = v)}
            {stage_number(wizard, engine, i, "fp64_share", Signal::derive(|| tr("advisor.f.fp64_share")), |w| &w.fp64_share, |w, v| w.fp64_share = v)}
            {stage_number(wizard, engine, i, "gpus", Signal::derive(|| tr("advisor.f.gpus")), |w| &w.gpus, |w, v| w.gpus = v)}
            {stage_number(wizard, engine, i, "run_hours", Signal::derive(|| tr("advisor.f.run_hours")), |w| &w.run_hours, |w, v| w.run_hours = v)}
            {stage_choice(wizard, engine, i, "compute", Signal::derive(|| tr("advisor.f.compute")),
                options(Compute::ALL, Compute::as_str, Compute::label_ko, Compute::label_en), |w| &w.compute, |w, v| w.compute = v)}
            {stage_number(wizard, engine, i, "gpu_memory_gb", Signal::derive(|| tr("advisor.f.gpu_memory_gb")), |w| &w.gpu_memory_gb, |w, v| w.gpu_memory_gb = v)}
            {stage_choice(wizard, engine, i, "container", Signal::derive(|| tr("advisor.f.container")),
                options(Container::ALL, Container::as_str, Container::label_ko, Container::label_en), |w| &w.container, |w, v| w.container = v)}
            // The first stage's input data; later stages read the previous stage's output.
            {(i == 0).then(|| view! {
                {stage_number(wizard, engine, i, "dataset_tb", Signal::derive(|| tr("advisor.f.dataset_tb")), |w| &w.dataset_tb, |w, v| w.dataset_tb = v)}
                {stage_choice(wizard, engine, i, "data_location", Signal::derive(|| tr("advisor.f.data_location")),
                    site_options(engine), |w| &w.data_location, |w, v| w.data_location = v)}
            })}
            {stage_choice(wizard, engine, i, "sector", Signal::derive(|| tr("advisor.f.sector")),
                options(Sector::ALL, Sector::as_str, Sector::label_ko, Sector::label_en), |w| &w.sector, |w, v| w.sector = v)}
            <TextField field=format!("stages[{i}].output_tb") label=Signal::derive(|| tr("advisor.workflow.output_tb"))
                help=Signal::derive(|| tr("advisor.workflow.output_tb.help")) error=stage_error(engine, format!("stages[{i}].output_tb"))
                value=Signal::derive(output) unit="TB"
                on_input=Callback::new(move |v: String| edit_stage(Box::new(move |s| s.output_tb = as_number(v))))/>
        </fieldset>
    }
}

/// The stage editors with add/remove/reset buttons.
#[component]
pub fn WorkflowEditor(wizard: Wizard, engine: Engine) -> impl IntoView {
    let count = Memo::new(move |_| wizard.workflow.with(|w| w.stages.len()));
    let count = move || count.get();
    view! {
        <section class="workflow-editor" aria-labelledby="workflow-title">
            <h3 id="workflow-title">{move || tr("advisor.workflow.title")}</h3>
            <p class="hint">{move || tr("advisor.workflow.hint")}</p>
            {move || (0..count()).map(|i| stage_editor(wizard, engine, i)).collect_view()}
            <div class="step-buttons">
                <button type="button" class="button secondary" disabled=move || { count() >= MAX_STAGES }
                    on:click=move |_| wizard.edit_workflow(|w| {
                        let mut next = w.stages.last().cloned().unwrap_or_default();
                        next.name = None;
                        w.stages.push(next);
                    })>
                    {move || tr("advisor.workflow.add")}
                </button>
                <button type="button" class="button secondary" disabled=move || { count() <= 1 }
                    on:click=move |_| wizard.edit_workflow(|w| { w.stages.pop(); })>
                    {move || tr("advisor.workflow.remove")}
                </button>
                <button type="button" class="button secondary" data-testid="workflow-preset"
                    on:click=move |_| wizard.reset_workflow()>
                    {move || tr("advisor.workflow.preset")}
                </button>
            </div>
        </section>
    }
}

/// The placed pipeline: per stage its pool, data moved in, transfer, wait, run; then the totals.
#[component]
pub fn WorkflowResult(engine: Engine) -> impl IntoView {
    let body = move || {
        engine.catalogue.with(|cat| {
            let cat = cat.as_ref();
            engine.workflow.with(|plan| match plan {
                None => view! { <p class="muted">{tr("common.loading")}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="muted" data-testid="no-result">{tr("advisor.result.fix_errors")}</p> }.into_any(),
                Some(Ok(plan)) => {
                    let rows = plan.stages.iter().map(|s| {
                        let pool = s.pool_id.as_deref().map_or_else(|| tr("advisor.result.none_short"), |p| pool_name(cat, p));
                        view! {
                            <tr data-testid="stage-row" data-pool-id=s.pool_id.clone().unwrap_or_default()>
                                <th scope="row">{s.name.clone()}</th>
                                <td>{pool}</td>
                                <td>{format!("{} TB", fixed(s.input_tb, 1))}</td>
                                <td>{hours(s.transfer_hours)}</td>
                                <td>{s.wait_hours.map_or_else(|| "–".to_owned(), hours)}</td>
                                <td>{hours(s.run_hours)}</td>
                            </tr>
                        }
                    }).collect_view();
                    // Why each stage went where it did (or why nothing fits it).
                    let loc = current_locale();
                    let reasons = plan.stages.iter().map(|s| {
                        let r = &s.recommendation;
                        let why = r.deciding.as_ref().and_then(|d| d.reason).or_else(|| r.why_none())
                            .map_or_else(String::new, |reason| reason_text(loc, &reason));
                        view! { <li data-testid="stage-reason"><strong>{s.name.clone()}</strong>": "{why}</li> }
                    }).collect_view();
                    let total = trf("advisor.workflow.total", &[
                        ("total", hours(plan.total_hours)), ("transfer", hours(plan.transfer_hours)),
                        ("wait", hours(plan.wait_hours)), ("run", hours(plan.run_hours)),
                    ]);
                    view! {
                        <div class="table-scroll" role="region" tabindex="0" aria-labelledby="workflow-result-title">
                            <table class="data-table">
                                <thead><tr>
                                    <th scope="col">{tr("advisor.workflow.col_stage")}</th>
                                    <th scope="col">{tr("advisor.whatif.col_top")}</th>
                                    <th scope="col">{tr("advisor.workflow.col_input")}</th>
                                    <th scope="col">{tr("advisor.est.transfer")}</th>
                                    <th scope="col">{tr("advisor.est.wait")}</th>
                                    <th scope="col">{tr("advisor.est.run")}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <p class="workflow-total" data-testid="workflow-total">{total}</p>
                        <h4 class="stage-reasons-title">{tr("advisor.workflow.reasons")}</h4>
                        <ul class="stage-reasons">{reasons}</ul>
                        {(!plan.complete).then(|| view! { <p class="field-error">{tr("advisor.workflow.incomplete")}</p> })}
                    }.into_any()
                }
            })
        })
    };
    view! {
        <section class="result" aria-labelledby="workflow-result-title" data-testid="workflow-result"
            data-waits-pending=move || engine.waits_pending.get().to_string()>
            <h3 id="workflow-result-title">{move || tr("advisor.workflow.result_title")}</h3>
            <p class="hint">{move || tr("advisor.workflow.waits_note")}</p>
            <Show when=move || engine.waits_pending.get()>
                <p class="muted waits-pending">{move || tr("advisor.result.waits_pending")}</p>
            </Show>
            {body}
        </section>
    }
}
