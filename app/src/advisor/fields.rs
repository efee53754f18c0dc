//! Where each workload field sits in the wizard: its step and its element id,
//! so an error anywhere can be listed and jumped to; and each field's value
//! as its control shows it ([`value_of`]) and as a control changes it
//! ([`set_field`]), by its API name.

use kairr_shared::advisor::{NumberText, WorkloadInput};

/// The wizard step (1..=5) that holds `field` (an API field name).
pub fn step_of(field: &str) -> u8 {
    match field {
        "purpose" | "service" | "interactive" => 1,
        "precision" | "compute" | "method" | "fp64_share" | "model_params_b" | "gpu_memory_gb" | "sharded"
        | "allow_cpu_spill" | "cpu_memory_gb" => 2,
        "gpus" | "nodes" | "coupling" | "run_hours" | "gpu_hours" | "measured_on" | "checkpointing" => 3,
        "dataset_tb" | "data_location" | "container" | "stack" => 4,
        _ => 5,
    }
}

/// The id of the form control of `field`.
pub fn input_id(field: &str) -> String {
    format!("f-{}", field.replace(['_', '.', '[', ']'], "-"))
}

/// `field` (an API field name) as the person reads it: the label of its
/// control (`advisor.f.<field>`), inside a workflow with its stage ("2단계 ·
/// GPU 수"); the name itself only for a field without a label.
pub fn field_label(field: &str, tr: impl Fn(&str) -> String, stage: impl Fn(usize) -> String) -> String {
    let (stage_no, name) = match field.strip_prefix("stages[").and_then(|rest| rest.split_once("].")) {
        Some((i, name)) => (i.parse::<usize>().ok().map(|i| i + 1), name),
        None => (None, field),
    };
    let key = format!("advisor.f.{name}");
    let label = tr(&key);
    let label = if label == key { name.to_owned() } else { label };
    match stage_no {
        Some(n) => format!("{} · {label}", stage(n)),
        None => label,
    }
}

/// The text a number field shows.
pub fn number_text(n: &Option<NumberText>) -> String {
    match n {
        Some(NumberText::Number(x)) => format!("{x}"),
        Some(NumberText::Text(t)) => t.clone(),
        None => String::new(),
    }
}

/// What a control of `field` holds: a number as typed, a choice, a yes/no
/// choice (`true`, `false`, empty), a checkbox (`true`/`false`).
pub fn value_of(i: &WorkloadInput, field: &str) -> String {
    let choice = |c: &Option<String>| c.clone().unwrap_or_default();
    let yes_no = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    match field {
        "purpose" => choice(&i.purpose),
        "precision" => choice(&i.precision),
        "compute" => choice(&i.compute),
        "method" => choice(&i.method),
        "coupling" => choice(&i.coupling),
        "measured_on" => choice(&i.measured_on),
        "data_location" => choice(&i.data_location),
        "container" => choice(&i.container),
        "sector" => choice(&i.sector),
        "region" => choice(&i.region),
        "service" => yes_no(i.service),
        "interactive" => yes_no(i.interactive),
        "checkpointing" => yes_no(i.checkpointing),
        "sharded" => i.sharded.unwrap_or(true).to_string(),
        "allow_cpu_spill" => i.allow_cpu_spill.unwrap_or(false).to_string(),
        "fp64_share" => number_text(&i.fp64_share),
        "model_params_b" => number_text(&i.model_params_b),
        "gpu_memory_gb" => number_text(&i.gpu_memory_gb),
        "cpu_memory_gb" => number_text(&i.cpu_memory_gb),
        "gpus" => number_text(&i.gpus),
        "nodes" => number_text(&i.nodes),
        "run_hours" => number_text(&i.run_hours),
        "gpu_hours" => number_text(&i.gpu_hours),
        "dataset_tb" => number_text(&i.dataset_tb),
        _ => String::new(),
    }
}

/// Sets `field` from what its control now holds (`value`; a checkbox's
/// `checked`). False for a name no control has.
pub fn set_field(i: &mut WorkloadInput, field: &str, value: &str, checked: bool) -> bool {
    let choice = (!value.is_empty()).then(|| value.to_owned());
    let number = (!value.trim().is_empty()).then(|| NumberText::Text(value.to_owned()));
    let yes_no = value.parse::<bool>().ok();
    match field {
        "purpose" => i.purpose = choice,
        "precision" => i.precision = choice,
        "compute" => i.compute = choice,
        "method" => i.method = choice,
        "coupling" => i.coupling = choice,
        "measured_on" => i.measured_on = choice,
        "data_location" => i.data_location = choice,
        "container" => i.container = choice,
        "sector" => i.sector = choice,
        "region" => i.region = choice,
        "service" => i.service = yes_no,
        "interactive" => i.interactive = yes_no,
        "checkpointing" => i.checkpointing = yes_no,
        "sharded" => i.sharded = Some(checked),
        "allow_cpu_spill" => i.allow_cpu_spill = Some(checked),
        "fp64_share" => i.fp64_share = number,
        "model_params_b" => i.model_params_b = number,
        "gpu_memory_gb" => i.gpu_memory_gb = number,
        "cpu_memory_gb" => i.cpu_memory_gb = number,
        "gpus" => i.gpus = number,
        "nodes" => i.nodes = number,
        "run_hours" => i.run_hours = number,
        "gpu_hours" => i.gpu_hours = number,
        "dataset_tb" => i.dataset_tb = number,
        _ => match field.strip_prefix("stack-") {
            Some(need) => {
                i.stack.retain(|s| s != need);
                if checked {
                    i.stack.push(need.to_owned());
                }
            }
            None => return false,
        },
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_step_and_an_id_safe_for_css() {
        assert_eq!(step_of("gpus"), 3);
        assert_eq!(step_of("sector"), 5);
        assert_eq!(input_id("stages[1].gpus"), "f-stages-1--gpus");
    }

    #[test]
    fn each_control_reads_and_writes_its_field() {
        let mut i = WorkloadInput::default();
        assert!(set_field(&mut i, "gpus", "64", false));
        assert_eq!(value_of(&i, "gpus"), "64");
        assert!(set_field(&mut i, "gpus", " ", false));
        assert_eq!(i.gpus, None, "a blank number is no number");
        assert!(set_field(&mut i, "checkpointing", "false", false));
        assert_eq!(i.checkpointing, Some(false));
        assert!(set_field(&mut i, "checkpointing", "", false));
        assert_eq!(i.checkpointing, None, "the empty choice is automatic");
        assert!(set_field(&mut i, "stack-kubeflow", "", true));
        assert!(set_field(&mut i, "stack-slurm_mpi", "", true));
        assert!(set_field(&mut i, "stack-kubeflow", "", false));
        assert_eq!(i.stack, vec!["slurm_mpi".to_owned()]);
        assert_eq!(value_of(&i, "sharded"), "true", "sharded unless said otherwise");
        assert!(!set_field(&mut i, "no_such_field", "1", false));
    }

    #[test]
    fn a_field_is_named_by_its_label_and_its_stage() {
        let tr = |key: &str| match key {
            "advisor.f.gpus" => "GPU 수".to_owned(),
            other => other.to_owned(),
        };
        let stage = |n: usize| format!("{n}단계");
        assert_eq!(field_label("gpus", tr, stage), "GPU 수");
        assert_eq!(field_label("stages[1].gpus", tr, stage), "2단계 · GPU 수");
        assert_eq!(field_label("stages[0].depends_on", tr, stage), "1단계 · depends_on");
        assert_eq!(field_label("stages[x].gpus", tr, stage), "GPU 수", "a malformed index names no stage");
        assert_eq!(field_label("mystery", tr, stage), "mystery");
    }
}
