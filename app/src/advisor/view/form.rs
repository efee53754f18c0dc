//! The form of one workload: the presets, the step list, the five steps
//! (purpose → compute and precision → scale and run length → data and
//! software → applicant), one `<fieldset>` each, and previous/next.

use kairr_shared::advisor::presets::PRESETS;
use kairr_shared::advisor::{Compute, Container, Coupling, Method, Precision, Purpose, Region, Sector};
use maud::{html, Markup};

use super::controls::Control;
use crate::advisor::fields::{step_of, value_of};
use crate::advisor::labels::Text;
use crate::advisor::model::Model;
use crate::advisor::query::STEPS;

/// One button per preset; the one the form still equals is pressed.
pub fn presets(m: &Model) -> Markup {
    let x = m.text;
    html! {
        section #w-presets .presets aria-labelledby="presets-title" {
            h3 #presets-title { (x.t("advisor.presets.title")) }
            p.hint { (x.t("advisor.presets.hint")) }
            ul.preset-list {
                @for p in PRESETS {
                    li {
                        button.preset type="button" data-testid="preset" data-preset=(p.id) data-action={ "preset:" (p.id) }
                            aria-pressed=(if m.preset == Some(p.id) { "true" } else { "false" }) {
                            (x.pick(p.label_ko, p.label_en))
                        }
                    }
                }
            }
        }
    }
}

const STEP_TITLES: [&str; STEPS as usize] = [
    "advisor.step.purpose",
    "advisor.step.compute",
    "advisor.step.scale",
    "advisor.step.data",
    "advisor.step.applicant",
];

/// The step list: a button per step (the current one marked) with the number of errors on it.
pub fn step_nav(m: &mut Model) -> Markup {
    let x = m.text;
    let step = m.step;
    let errors = m.derived().errors.clone();
    html! {
        nav #w-step-nav .step-nav aria-label=(x.t("advisor.step.nav_label")) {
            ol {
                @for (i, key) in STEP_TITLES.iter().enumerate() {
                    @let n = i as u8 + 1;
                    @let count = errors.0.iter().filter(|f| step_of(&f.field) == n).count();
                    li {
                        button.step-button type="button" data-testid="step-button" data-action={ "step:" (n) }
                            aria-current=[(step == n).then_some("step")] {
                            span.step-number aria-hidden="true" { (n) }
                            span.step-title { (x.t(key)) }
                            @if count > 0 {
                                span.step-errors { (x.f("advisor.step.errors", &[("n", count.to_string())])) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Previous/next under the current step.
pub fn step_buttons(m: &Model) -> Markup {
    let x = m.text;
    let position = x.f("advisor.step.position", &[("n", m.step.to_string()), ("total", STEPS.to_string())]);
    html! {
        div #w-step-buttons .step-buttons {
            button.button.secondary type="button" data-action="step-previous" disabled[m.step <= 1] { (x.t("advisor.step.previous")) }
            span.step-position { (position) }
            button.button type="button" data-testid="step-next" data-action="step-next" disabled[m.step >= STEPS] { (x.t("advisor.step.next")) }
        }
    }
}

/// `(value, label)` options of an engine vocabulary, after an empty choice labelled `empty`.
pub fn vocabulary<T: Copy>(
    x: Text,
    all: &[T],
    name: fn(T) -> &'static str,
    ko: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
    empty: &str,
) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), x.t(empty))];
    out.extend(all.iter().map(|v| (name(*v).to_owned(), x.label(ko(*v), en(*v)))));
    out
}

/// The data locations to choose from: elsewhere, then each catalogue site once.
pub fn site_options(m: &Model) -> Vec<(String, String)> {
    let x = m.text;
    let mut out = vec![(String::new(), x.t("advisor.choice.elsewhere"))];
    let cat = m.catalogue.as_ref();
    let mut seen: Vec<&str> = Vec::new();
    for (_, p) in cat.iter().flat_map(|c| c.pools()) {
        if !seen.contains(&p.placement.site.as_str()) {
            seen.push(&p.placement.site);
            out.push((p.placement.site.clone(), x.site_name(cat, &p.placement.site)));
        }
    }
    out
}

/// The ids of the steps' regions, step 1 first.
pub const STEP_REGIONS: [&str; STEPS as usize] = ["w-step-1", "w-step-2", "w-step-3", "w-step-4", "w-step-5"];

/// Every step of the form (the current one shown), each its own region
/// (typing in one step's field re-renders that step alone).
pub fn steps(m: &mut Model) -> [Markup; STEPS as usize] {
    let x = m.text;
    let errors = m.derived().errors.clone();
    let m = &*m;
    let control = |field: &'static str| Control {
        field,
        bind: field,
        label: x.t(&format!("advisor.f.{field}")),
        help: x.t(&format!("advisor.f.{field}.help")),
        error: errors.get(field).map(|e| x.pick(&e.message_ko, &e.message_en)),
    };
    let value = |field: &str| value_of(&m.input, field);
    let number = |field: &'static str, unit: &str| control(field).text(&value(field), unit, "decimal");
    let choice = |field: &'static str, options: Vec<(String, String)>| control(field).select(&value(field), &options);
    let yes_no = |field: &'static str| {
        let options = vec![
            (String::new(), x.t("advisor.choice.auto")),
            ("true".to_owned(), x.t("advisor.choice.yes")),
            ("false".to_owned(), x.t("advisor.choice.no")),
        ];
        choice(field, options)
    };
    let check = |field: &'static str| control(field).check(value(field) == "true");
    let stack = |need: &'static str, field: &'static str| {
        Control {
            field,
            bind: field,
            label: x.t(&format!("advisor.f.stack.{need}")),
            help: x.t(&format!("advisor.f.stack.{need}.help")),
            error: None,
        }
        .check(m.input.stack.iter().any(|s| s == need))
    };
    let gpu_models = {
        let mut out = vec![(String::new(), x.t("advisor.choice.reference_gpu"))];
        out.extend(m.catalogue.iter().flat_map(|c| c.gpu_models.keys()).map(|k| (k.clone(), k.clone())));
        out
    };
    let step = |n: u8, legend: &str, body: Markup| {
        html! {
            fieldset.step id=(STEP_REGIONS[usize::from(n - 1)]) data-step=(n) hidden[m.step != n] {
                legend { (x.t(legend)) }
                (body)
            }
        }
    };
    [
        step(
            1,
            "advisor.step.purpose",
            html! {
                (choice("purpose", vocabulary(x, Purpose::ALL, Purpose::as_str, Purpose::label_ko, Purpose::label_en, "advisor.choice.select")))
                (yes_no("service"))
                (yes_no("interactive"))
            },
        ),
        step(
            2,
            "advisor.step.compute",
            html! {
                (choice("precision", vocabulary(x, Precision::ALL, Precision::as_str, Precision::label_ko, Precision::label_en, "advisor.choice.auto")))
                (choice("compute", vocabulary(x, Compute::ALL, Compute::as_str, Compute::label_ko, Compute::label_en, "advisor.choice.auto")))
                (number("fp64_share", ""))
                (number("model_params_b", "B"))
                (choice("method", vocabulary(x, Method::ALL, Method::as_str, Method::label_ko, Method::label_en, "advisor.choice.auto")))
                (number("gpu_memory_gb", "GB"))
                (check("sharded"))
                (check("allow_cpu_spill"))
                (number("cpu_memory_gb", "GB"))
            },
        ),
        step(
            3,
            "advisor.step.scale",
            html! {
                (number("gpus", "GPU"))
                (number("nodes", ""))
                (choice("coupling", vocabulary(x, Coupling::ALL, Coupling::as_str, Coupling::label_ko, Coupling::label_en, "advisor.choice.auto")))
                (number("run_hours", "h"))
                (number("gpu_hours", ""))
                (choice("measured_on", gpu_models))
                (yes_no("checkpointing"))
            },
        ),
        step(
            4,
            "advisor.step.data",
            html! {
                (number("dataset_tb", "TB"))
                (choice("data_location", site_options(m)))
                (choice("container", vocabulary(x, Container::ALL, Container::as_str, Container::label_ko, Container::label_en, "advisor.choice.auto")))
                fieldset.subfieldset {
                    legend { (x.t("advisor.f.stack")) }
                    (stack("kubeflow", "stack-kubeflow"))
                    (stack("slurm_mpi", "stack-slurm_mpi"))
                }
            },
        ),
        step(
            5,
            "advisor.step.applicant",
            html! {
                (choice("sector", vocabulary(x, Sector::ALL, Sector::as_str, Sector::label_ko, Sector::label_en, "advisor.choice.select")))
                (choice("region", vocabulary(x, Region::ALL, Region::as_str, Region::label_ko, Region::label_en, "advisor.choice.unstated")))
            },
        ),
    ]
}
