//! The five wizard steps (purpose → compute and precision → scale and run
//! length → data and software → applicant), one `<fieldset>` each with a
//! step list to move between them. Each control edits one field of the form.

use kairr_shared::advisor::{
    Compute, Container, Coupling, Method, NumberText, Precision, Purpose, Region, Sector, WorkloadInput,
};
use leptos::prelude::*;

use super::field::{CheckField, SelectField, TextField};
use crate::advisor::engine::Engine;
use crate::advisor::fields::step_of;
use crate::advisor::labels::{label, site_name};
use crate::advisor::query::STEPS;
use crate::advisor::state::Wizard;
use crate::common::i18n::{current_locale, tr, trf};

/// A translated text as a signal (from a literal-key closure).
fn s(f: fn() -> String) -> Signal<String> {
    Signal::derive(f)
}

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

fn as_choice(v: String) -> Option<String> {
    (!v.is_empty()).then_some(v)
}

/// The error message of `field` in the current language.
pub fn field_error(engine: Engine, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        let loc = current_locale();
        engine.errors.with(|e| e.get(field).map(|fe| loc.pick(&fe.message_ko, &fe.message_en).to_owned()))
    })
}

type NumGet = fn(&WorkloadInput) -> &Option<NumberText>;
type NumSet = fn(&mut WorkloadInput, Option<NumberText>);

#[allow(clippy::too_many_arguments)]
fn number(
    wizard: Wizard,
    engine: Engine,
    field: &'static str,
    label: Signal<String>,
    help: Signal<String>,
    get: NumGet,
    set: NumSet,
    unit: Option<&'static str>,
) -> impl IntoView {
    view! {
        <TextField
            field=field.to_owned()
            label=label
            help=help
            error=field_error(engine, field)
            value=Signal::derive(move || wizard.input.with(|i| text_of(get(i))))
            on_input=Callback::new(move |v: String| wizard.edit(|i| set(i, as_number(v))))
            unit=unit.unwrap_or("")
        />
    }
}

type GetChoice = fn(&WorkloadInput) -> &Option<String>;
type SetChoice = fn(&mut WorkloadInput, Option<String>);

#[allow(clippy::too_many_arguments)]
fn choice(
    wizard: Wizard,
    engine: Engine,
    field: &'static str,
    label: Signal<String>,
    help: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    get: GetChoice,
    set: SetChoice,
) -> impl IntoView {
    view! {
        <SelectField
            field=field.to_owned()
            label=label
            help=help
            error=field_error(engine, field)
            value=Signal::derive(move || wizard.input.with(|i| get(i).clone().unwrap_or_default()))
            options=options
            on_change=Callback::new(move |v: String| wizard.edit(|i| set(i, as_choice(v))))
        />
    }
}

/// `(value, label)` options of an engine vocabulary, after an empty choice.
fn vocabulary<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
    ko: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
    empty: fn() -> String,
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let mut out = vec![(String::new(), empty())];
        out.extend(all.iter().map(|v| (name(*v).to_owned(), label(ko(*v), en(*v)))));
        out
    })
}

fn tri_state(auto: fn() -> String) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        vec![
            (String::new(), auto()),
            ("true".to_owned(), tr("advisor.choice.yes")),
            ("false".to_owned(), tr("advisor.choice.no")),
        ]
    })
}

fn bool_select(
    wizard: Wizard,
    engine: Engine,
    field: &'static str,
    label: Signal<String>,
    help: Signal<String>,
    get: fn(&WorkloadInput) -> Option<bool>,
    set: fn(&mut WorkloadInput, Option<bool>),
) -> impl IntoView {
    let value = Signal::derive(move || wizard.input.with(|i| get(i).map(|b| b.to_string()).unwrap_or_default()));
    view! {
        <SelectField
            field=field.to_owned()
            label=label
            help=help
            error=field_error(engine, field)
            value=value
            options=tri_state(|| tr("advisor.choice.auto"))
            on_change=Callback::new(move |v: String| wizard.edit(|i| set(i, v.parse::<bool>().ok())))
        />
    }
}

/// The step list: a button per step (the current one marked), with the
/// number of errors on each step.
#[component]
pub fn StepNav(wizard: Wizard, engine: Engine) -> impl IntoView {
    let titles: [fn() -> String; STEPS as usize] = [
        || tr("advisor.step.purpose"),
        || tr("advisor.step.compute"),
        || tr("advisor.step.scale"),
        || tr("advisor.step.data"),
        || tr("advisor.step.applicant"),
    ];
    let items = titles
        .into_iter()
        .enumerate()
        .map(|(i, title)| {
            let n = i as u8 + 1;
            let errors = move || engine.errors.with(|e| e.0.iter().filter(|f| step_of(&f.field) == n).count());
            view! {
                <li>
                    <button
                        type="button"
                        class="step-button"
                        data-testid="step-button"
                        aria-current=move || (wizard.step.get() == n).then_some("step")
                        on:click=move |_| wizard.go_to(n)
                    >
                        <span class="step-number" aria-hidden="true">{n}</span>
                        <span class="step-title">{title}</span>
                        <Show when=move || { errors() > 0 }>
                            <span class="step-errors">{move || trf("advisor.step.errors", &[("n", errors().to_string())])}</span>
                        </Show>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="step-nav" aria-label=move || tr("advisor.step.nav_label")>
            <ol>{items}</ol>
        </nav>
    }
}

/// Previous/next buttons under the current step.
#[component]
pub fn StepButtons(wizard: Wizard) -> impl IntoView {
    view! {
        <div class="step-buttons">
            <button
                type="button"
                class="button secondary"
                disabled=move || { wizard.step.get() <= 1 }
                on:click=move |_| wizard.go_to(wizard.step.get_untracked().saturating_sub(1))
            >
                {move || tr("advisor.step.previous")}
            </button>
            <span class="step-position">
                {move || trf("advisor.step.position", &[("n", wizard.step.get().to_string()), ("total", STEPS.to_string())])}
            </span>
            <button
                type="button"
                class="button"
                data-testid="step-next"
                disabled=move || { wizard.step.get() >= STEPS }
                on:click=move |_| wizard.go_to(wizard.step.get_untracked() + 1)
            >
                {move || tr("advisor.step.next")}
            </button>
        </div>
    }
}

/// A step's `<fieldset>`, hidden unless it is the current step.
#[component]
fn Step(wizard: Wizard, n: u8, legend: Signal<String>, children: Children) -> impl IntoView {
    view! {
        <fieldset class="step" data-step=n hidden=move || { wizard.step.get() != n }>
            <legend>{move || legend.get()}</legend>
            {children()}
        </fieldset>
    }
}

/// The data locations to choose from: elsewhere, then each catalogue site once.
pub fn site_options(engine: Engine) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let mut out = vec![(String::new(), tr("advisor.choice.elsewhere"))];
        engine.catalogue.with(|c| {
            let mut seen: Vec<String> = Vec::new();
            for (_, p) in c.iter().flat_map(|c| c.pools()) {
                if !seen.contains(&p.placement.site) {
                    seen.push(p.placement.site.clone());
                    out.push((p.placement.site.clone(), site_name(c.as_ref(), &p.placement.site)));
                }
            }
        });
        out
    })
}

/// Every step of the form.
#[component]
pub fn WizardSteps(wizard: Wizard, engine: Engine) -> impl IntoView {
    let (w, e) = (wizard, engine);
    let gpu_models = Signal::derive(move || {
        let mut out = vec![(String::new(), tr("advisor.choice.reference_gpu"))];
        engine
            .catalogue
            .with(|c| out.extend(c.iter().flat_map(|c| c.gpu_models.keys()).map(|k| (k.clone(), k.clone()))));
        out
    });
    let sites = site_options(engine);
    let stack = move |need: &'static str| {
        let checked = Signal::derive(move || w.input.with(|i| i.stack.iter().any(|s| s == need)));
        let on_change = Callback::new(move |on: bool| {
            w.edit(|i| {
                i.stack.retain(|s| s != need);
                if on {
                    i.stack.push(need.to_owned());
                }
            })
        });
        (checked, on_change)
    };
    let (kubeflow, set_kubeflow) = stack("kubeflow");
    let (slurm, set_slurm) = stack("slurm_mpi");
    view! {
        <Step wizard=w n=1 legend=s(|| tr("advisor.step.purpose"))>
            {choice(w, e, "purpose", s(|| tr("advisor.f.purpose")), s(|| tr("advisor.f.purpose.help")),
                vocabulary(Purpose::ALL, Purpose::as_str, Purpose::label_ko, Purpose::label_en, || tr("advisor.choice.select")),
                |i| &i.purpose, |i, v| i.purpose = v)}
            {bool_select(w, e, "service", s(|| tr("advisor.f.service")), s(|| tr("advisor.f.service.help")),
                |i| i.service, |i, v| i.service = v)}
            {bool_select(w, e, "interactive", s(|| tr("advisor.f.interactive")), s(|| tr("advisor.f.interactive.help")),
                |i| i.interactive, |i, v| i.interactive = v)}
        </Step>
        <Step wizard=w n=2 legend=s(|| tr("advisor.step.compute"))>
            {choice(w, e, "precision", s(|| tr("advisor.f.precision")), s(|| tr("advisor.f.precision.help")),
                vocabulary(Precision::ALL, Precision::as_str, Precision::label_ko, Precision::label_en, || tr("advisor.choice.auto")),
                |i| &i.precision, |i, v| i.precision = v)}
            {choice(w, e, "compute", s(|| tr("advisor.f.compute")), s(|| tr("advisor.f.compute.help")),
                vocabulary(Compute::ALL, Compute::as_str, Compute::label_ko, Compute::label_en, || tr("advisor.choice.auto")),
                |i| &i.compute, |i, v| i.compute = v)}
            {number(w, e, "fp64_share", s(|| tr("advisor.f.fp64_share")), s(|| tr("advisor.f.fp64_share.help")),
                |i| &i.fp64_share, |i, v| i.fp64_share = v, None)}
            {number(w, e, "model_params_b", s(|| tr("advisor.f.model_params_b")), s(|| tr("advisor.f.model_params_b.help")),
                |i| &i.model_params_b, |i, v| i.model_params_b = v, Some("B"))}
            {choice(w, e, "method", s(|| tr("advisor.f.method")), s(|| tr("advisor.f.method.help")),
                vocabulary(Method::ALL, Method::as_str, Method::label_ko, Method::label_en, || tr("advisor.choice.auto")),
                |i| &i.method, |i, v| i.method = v)}
            {number(w, e, "gpu_memory_gb", s(|| tr("advisor.f.gpu_memory_gb")), s(|| tr("advisor.f.gpu_memory_gb.help")),
                |i| &i.gpu_memory_gb, |i, v| i.gpu_memory_gb = v, Some("GB"))}
            <CheckField field="sharded".to_owned() label=s(|| tr("advisor.f.sharded")) help=s(|| tr("advisor.f.sharded.help"))
                checked=Signal::derive(move || w.input.with(|i| i.sharded.unwrap_or(true)))
                on_change=Callback::new(move |on: bool| w.edit(|i| i.sharded = Some(on)))/>
            <CheckField field="allow_cpu_spill".to_owned() label=s(|| tr("advisor.f.allow_cpu_spill")) help=s(|| tr("advisor.f.allow_cpu_spill.help"))
                checked=Signal::derive(move || w.input.with(|i| i.allow_cpu_spill.unwrap_or(false)))
                on_change=Callback::new(move |on: bool| w.edit(|i| i.allow_cpu_spill = Some(on)))/>
            {number(w, e, "cpu_memory_gb", s(|| tr("advisor.f.cpu_memory_gb")), s(|| tr("advisor.f.cpu_memory_gb.help")),
                |i| &i.cpu_memory_gb, |i, v| i.cpu_memory_gb = v, Some("GB"))}
        </Step>
        <Step wizard=w n=3 legend=s(|| tr("advisor.step.scale"))>
            {number(w, e, "gpus", s(|| tr("advisor.f.gpus")), s(|| tr("advisor.f.gpus.help")),
                |i| &i.gpus, |i, v| i.gpus = v, Some("GPU"))}
            {number(w, e, "nodes", s(|| tr("advisor.f.nodes")), s(|| tr("advisor.f.nodes.help")),
                |i| &i.nodes, |i, v| i.nodes = v, None)}
            {choice(w, e, "coupling", s(|| tr("advisor.f.coupling")), s(|| tr("advisor.f.coupling.help")),
                vocabulary(Coupling::ALL, Coupling::as_str, Coupling::label_ko, Coupling::label_en, || tr("advisor.choice.auto")),
                |i| &i.coupling, |i, v| i.coupling = v)}
            {number(w, e, "run_hours", s(|| tr("advisor.f.run_hours")), s(|| tr("advisor.f.run_hours.help")),
                |i| &i.run_hours, |i, v| i.run_hours = v, Some("h"))}
            {number(w, e, "gpu_hours", s(|| tr("advisor.f.gpu_hours")), s(|| tr("advisor.f.gpu_hours.help")),
                |i| &i.gpu_hours, |i, v| i.gpu_hours = v, None)}
            {choice(w, e, "measured_on", s(|| tr("advisor.f.measured_on")), s(|| tr("advisor.f.measured_on.help")),
                gpu_models, |i| &i.measured_on, |i, v| i.measured_on = v)}
            {bool_select(w, e, "checkpointing", s(|| tr("advisor.f.checkpointing")), s(|| tr("advisor.f.checkpointing.help")),
                |i| i.checkpointing, |i, v| i.checkpointing = v)}
        </Step>
        <Step wizard=w n=4 legend=s(|| tr("advisor.step.data"))>
            {number(w, e, "dataset_tb", s(|| tr("advisor.f.dataset_tb")), s(|| tr("advisor.f.dataset_tb.help")),
                |i| &i.dataset_tb, |i, v| i.dataset_tb = v, Some("TB"))}
            {choice(w, e, "data_location", s(|| tr("advisor.f.data_location")), s(|| tr("advisor.f.data_location.help")),
                sites, |i| &i.data_location, |i, v| i.data_location = v)}
            {choice(w, e, "container", s(|| tr("advisor.f.container")), s(|| tr("advisor.f.container.help")),
                vocabulary(Container::ALL, Container::as_str, Container::label_ko, Container::label_en, || tr("advisor.choice.auto")),
                |i| &i.container, |i, v| i.container = v)}
            <fieldset class="subfieldset">
                <legend>{move || tr("advisor.f.stack")}</legend>
                <CheckField field="stack-kubeflow".to_owned() label=s(|| tr("advisor.f.stack.kubeflow"))
                    help=s(|| tr("advisor.f.stack.kubeflow.help")) checked=kubeflow on_change=set_kubeflow/>
                <CheckField field="stack-slurm_mpi".to_owned() label=s(|| tr("advisor.f.stack.slurm_mpi"))
                    help=s(|| tr("advisor.f.stack.slurm_mpi.help")) checked=slurm on_change=set_slurm/>
            </fieldset>
        </Step>
        <Step wizard=w n=5 legend=s(|| tr("advisor.step.applicant"))>
            {choice(w, e, "sector", s(|| tr("advisor.f.sector")), s(|| tr("advisor.f.sector.help")),
                vocabulary(Sector::ALL, Sector::as_str, Sector::label_ko, Sector::label_en, || tr("advisor.choice.select")),
                |i| &i.sector, |i, v| i.sector = v)}
            {choice(w, e, "region", s(|| tr("advisor.f.region")), s(|| tr("advisor.f.region.help")),
                vocabulary(Region::ALL, Region::as_str, Region::label_ko, Region::label_en, || tr("advisor.choice.unstated")),
                |i| &i.region, |i, v| i.region = v)}
        </Step>
    }
}
