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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_step_and_an_id_safe_for_css() {
        assert_eq!(step_of("gpus"), 3);
        assert_eq!(step_of("sector"), 5);
        assert_eq!(input_id("stages[1].gpus"), "f-stages-1--gpus");
    }
}
