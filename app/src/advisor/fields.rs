//! Where each workload field sits in the wizard: its step and its element id,
//! so an error anywhere can be listed and jumped to.

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
