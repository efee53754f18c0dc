//! Field errors: every invalid field at once, each named.

use serde_json::json;

use super::*;

fn errors(fields: serde_json::Value) -> FieldErrors {
    serde_json::from_value::<WorkloadInput>(fields).unwrap().parse(&cat()).unwrap_err()
}

fn code(e: &FieldErrors, field: &str) -> Option<FieldErrorCode> {
    e.get(field).map(|f| f.code)
}

#[test]
fn an_empty_form_names_every_required_field() {
    let e = errors(json!({}));
    for f in ["purpose", "sector", "gpus", "run_hours"] {
        assert_eq!(code(&e, f), Some(FieldErrorCode::Required), "{f}: {e:?}");
    }
}

#[test]
fn every_bad_field_is_reported_not_only_the_first() {
    let e = errors(json!({
        "purpose": "mining", "sector": "university", "gpus": "many", "fp64_share": 1.5,
        "run_hours": 10, "dataset_tb": -1, "data_location": "mars", "measured_on": "H999",
    }));
    assert_eq!(code(&e, "purpose"), Some(FieldErrorCode::UnknownValue));
    assert_eq!(code(&e, "gpus"), Some(FieldErrorCode::NotANumber));
    assert_eq!(code(&e, "fp64_share"), Some(FieldErrorCode::OutOfRange));
    assert_eq!(code(&e, "dataset_tb"), Some(FieldErrorCode::OutOfRange));
    assert_eq!(code(&e, "data_location"), Some(FieldErrorCode::UnknownValue));
    assert_eq!(code(&e, "measured_on"), Some(FieldErrorCode::UnknownValue));
    assert!(e.0.iter().all(|f| !f.message_ko.is_empty() && !f.message_en.is_empty()));
}

#[test]
fn zero_or_fractional_gpus_are_rejected() {
    let base = json!({"purpose": "fine_tuning", "sector": "sme", "run_hours": 1});
    let with = |g: serde_json::Value| {
        let mut v = base.clone();
        v["gpus"] = g;
        errors(v)
    };
    assert_eq!(code(&with(json!(0)), "gpus"), Some(FieldErrorCode::OutOfRange));
    // The bound as it is: 1 GPU is allowed, so "at least 1", not "above 1".
    let zero = with(json!(0));
    let msg = zero.get("gpus").unwrap();
    assert_eq!(msg.message_en, "Must be at least 1 and at most 100,000.");
    assert_eq!(msg.message_ko, "1 이상 100,000 이하여야 합니다.");
    let none = errors(json!({"purpose": "fine_tuning", "sector": "sme", "gpus": 1, "run_hours": 0}));
    assert_eq!(none.get("run_hours").unwrap().message_en, "Must be above 0 and at most 1,000,000.");
    assert_eq!(code(&with(json!("2.5")), "gpus"), Some(FieldErrorCode::NotAWholeNumber));
}

#[test]
fn contradicting_fields_are_conflicts() {
    let e = errors(
        json!({"purpose": "inference_service", "sector": "sme", "gpus": 8, "run_hours": 10, "gpu_hours": 500, "coupling": "tightly_coupled", "nodes": 9}),
    );
    assert_eq!(code(&e, "run_hours"), Some(FieldErrorCode::Conflict));
    assert_eq!(code(&e, "gpu_hours"), Some(FieldErrorCode::Conflict));
    assert_eq!(code(&e, "nodes"), Some(FieldErrorCode::Conflict));
    let e = errors(
        json!({"purpose": "inference_service", "sector": "sme", "gpus": 8, "run_hours": 10, "coupling": "tightly_coupled"}),
    );
    assert_eq!(code(&e, "coupling"), Some(FieldErrorCode::Conflict));
    let e =
        errors(json!({"purpose": "inference_service", "sector": "sme", "gpus": 8, "run_hours": 10, "service": false}));
    assert_eq!(code(&e, "service"), Some(FieldErrorCode::Conflict));
    let e = errors(
        json!({"purpose": "hpc_simulation", "sector": "sme", "gpus": 8, "run_hours": 10, "precision": "bf16_fp16", "fp64_share": 0.9}),
    );
    assert_eq!(code(&e, "fp64_share"), Some(FieldErrorCode::Conflict));
}

#[test]
fn form_text_is_read_like_numbers_and_empty_text_is_absent() {
    let w = input(
        json!({"purpose": "llm_pretraining", "gpus": "1,024", "gpu_hours": " 2048 ", "nodes": "", "precision": ""}),
    )
    .parse(&cat())
    .unwrap();
    assert_eq!(w.gpus, 1_024);
    assert_eq!(w.run_hours, 2.0);
    assert_eq!(w.min_nodes, 1);
    assert_eq!(w.precision, Precision::Bf16Fp16);
    assert_eq!(w.coupling, Coupling::Moderate, "training defaults to moderate coupling");
    assert!(w.checkpointing, "training defaults to checkpointing");
}

#[test]
fn consistent_run_hours_and_gpu_hours_are_accepted() {
    let w = workload(json!({"purpose": "fine_tuning", "gpus": 8, "run_hours": 10, "gpu_hours": 81}));
    assert_eq!(w.run_hours, 10.0);
}

#[test]
fn the_memory_need_comes_from_the_model_size_unless_stated() {
    let w = workload(json!({"purpose": "fine_tuning", "gpus": 8, "run_hours": 1, "model_params_b": 70}));
    assert_eq!(w.memory.per_gpu_gb, 140.0);
    let w = workload(
        json!({"purpose": "fine_tuning", "gpus": 8, "run_hours": 1, "model_params_b": 70, "gpu_memory_gb": 60}),
    );
    assert_eq!(w.memory.per_gpu_gb, 60.0);
}

#[test]
fn field_errors_serialise_for_the_api() {
    let e = errors(json!({"sector": "university"}));
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v[0]["field"], "purpose");
    assert_eq!(v[0]["code"], "required");
}

#[test]
fn hostile_lists_give_one_bounded_error_not_one_per_entry() {
    // A long `stack` (an anonymous request once built one error per entry).
    let e = errors(json!({"purpose": "fine_tuning", "sector": "sme", "gpus": 8, "run_hours": 1,
        "stack": vec!["x"; 100_000]}));
    assert_eq!(e.0.iter().filter(|f| f.field == "stack").count(), 1, "{e:?}");
    assert_eq!(code(&e, "stack"), Some(FieldErrorCode::OutOfRange));
    // A few bad entries: still one error for the field.
    let e = errors(json!({"purpose": "fine_tuning", "sector": "sme", "gpus": 8, "run_hours": 1,
        "stack": ["x", "y", "z"]}));
    assert_eq!(e.0.len(), 1, "{e:?}");
    // However many fields fail, the list is capped.
    let mut many = FieldErrors::default();
    for i in 0..10_000 {
        many.push(&format!("f{i}"), FieldErrorCode::Required, "k".into(), "e".into());
    }
    assert_eq!(many.0.len(), crate::advisor::field_error::MAX_FIELD_ERRORS);
}

#[test]
fn the_method_must_fit_the_purpose() {
    let e = errors(json!({"purpose": "batch_inference", "method": "peft", "sector": "sme", "gpus": 1, "run_hours": 1}));
    assert_eq!(code(&e, "method"), Some(FieldErrorCode::Conflict));
    let e =
        errors(json!({"purpose": "fine_tuning", "method": "inference", "sector": "sme", "gpus": 1, "run_hours": 1}));
    assert_eq!(code(&e, "method"), Some(FieldErrorCode::Conflict));
    let e = errors(json!({"purpose": "fine_tuning", "method": "lora", "compute": "gpu", "sector": "sme", "gpus": 1,
        "run_hours": 1}));
    assert_eq!(code(&e, "method"), Some(FieldErrorCode::UnknownValue));
    assert_eq!(code(&e, "compute"), Some(FieldErrorCode::UnknownValue));
}
