//! The table: workloads across every purpose, precision and coupling with the
//! pool and deciding reason the brief's "how HPC and cloud differ" implies.
//! FP64-heavy or tightly coupled MPI → KISTI-6; FP8/FP4 or > 141 GB per GPU
//! → B200; services, Docker and notebooks → cloud; too wide or too long
//! without checkpoints → not HPC; large data at a site pulls work there.

use serde_json::{json, Value};

use super::*;
use crate::advisor::criterion::{Constraint as K, Criterion as C};

const KISTI: &str = "kisti6-gh200";
const KAKAO: &str = "kakao-b200";
const NHN: &str = "nhn-b200";
const NAVER: &str = "naver-h200";

fn by(c: C) -> Decider {
    Decider::Criterion { criterion: c }
}

fn ruled_out(k: K) -> Decider {
    Decider::Constraint { constraint: k }
}

/// Checks one case; returns a description of the mismatch.
fn check(fields: Value, cond: &Conditions, pool: &str, decider: Decider) -> Result<(), String> {
    let w = workload(fields);
    let rec = recommend(&cat(), &w, cond);
    let got_decider = rec.deciding.as_ref().map(|d| d.decider);
    if rec.top.as_deref() == Some(pool) && got_decider == Some(decider) {
        return Ok(());
    }
    let scores: Vec<String> = rec.pools.iter().map(|p| format!("{} {:.3}", p.pool_id, p.score)).collect();
    Err(format!("got {:?} by {:?}; want {pool} by {decider:?} [{}]", rec.top, got_decider, scores.join(", ")))
}

fn hpc(extra: Value) -> Value {
    let mut v = json!({ "purpose": "hpc_simulation", "run_hours": 24 });
    if let (Some(b), Some(f)) = (v.as_object_mut(), extra.as_object()) {
        b.extend(f.clone());
    }
    v
}

#[allow(clippy::type_complexity)]
#[rustfmt::skip]
fn table() -> Vec<(&'static str, Value, Conditions, &'static str, Decider)> {
    let none = Conditions::unknown;
    vec![
        ("tightly coupled FP64 CFD on 256 GPUs goes to KISTI-6 for its fabric", hpc(json!({"gpus": 256})), none(), KISTI, by(C::Interconnect)),
        ("an FP64 ensemble in Apptainer goes to KISTI-6 for its platform", hpc(json!({"gpus": 64, "coupling": "independent", "container": "apptainer"})), none(), KISTI, by(C::Platform)),
        ("a one-GPU FP64 job goes to KISTI-6, which spends less energy", hpc(json!({"gpus": 1})), none(), KISTI, by(C::Energy)),
        ("a moderately coupled FP64 job goes to KISTI-6 on energy", hpc(json!({"gpus": 32, "coupling": "moderate"})), none(), KISTI, by(C::Energy)),
        ("an FP64 job on 2,048 GPUs is too wide for any cloud pool", hpc(json!({"gpus": 2048})), none(), KISTI, ruled_out(K::Width)),
        ("a 100-hour MPI run without checkpoints cannot fit the walltime", hpc(json!({"gpus": 128, "run_hours": 100})), none(), NAVER, ruled_out(K::Walltime)),
        ("the same run with checkpoints goes back to KISTI-6", hpc(json!({"gpus": 128, "run_hours": 100, "checkpointing": true})), none(), KISTI, by(C::Interconnect)),
        ("an FP64 job needing 2 TB of CPU memory per node goes to a cloud H200", hpc(json!({"gpus": 8, "cpu_memory_gb": 2000})), none(), NAVER, ruled_out(K::CpuMemory)),
        ("a large company's one-GPU FP64 job still goes to KISTI-6", hpc(json!({"gpus": 1, "sector": "large_company"})), none(), KISTI, by(C::Energy)),
        ("tightly coupled FP64 waits 300 h on KISTI-6 and moves to the cloud", hpc(json!({"gpus": 256})), waits(&[(KISTI, 300.0)]), NAVER, by(C::Queue)),
        ("an AI-coupled simulation with 40 % FP64 stays on the HPC fabric", json!({"purpose": "ai_coupled_simulation", "gpus": 128, "fp64_share": 0.4, "run_hours": 24}), none(), KISTI, by(C::Interconnect)),
        ("an AI-coupled TF32 run needing Slurm and MPI goes to KISTI-6", json!({"purpose": "ai_coupled_simulation", "precision": "fp32_tf32", "fp64_share": 0.2, "gpus": 64, "coupling": "moderate", "stack": ["slurm_mpi"], "run_hours": 24}), none(), KISTI, by(C::Platform)),
        ("an FP64-dominant coupled emulator job goes to KISTI-6 on energy", json!({"purpose": "ai_coupled_simulation", "precision": "fp64", "fp64_share": 0.7, "gpus": 16, "coupling": "moderate", "run_hours": 24}), none(), KISTI, by(C::Energy)),
        ("pre-training 7B with Kubeflow goes to Kakao's B200", json!({"purpose": "llm_pretraining", "model_params_b": 7, "gpus": 256, "run_hours": 336, "container": "oci", "stack": ["kubeflow"]}), none(), KAKAO, by(C::Platform)),
        ("pre-training 7B without stack needs goes to NHN's B200", json!({"purpose": "llm_pretraining", "model_params_b": 7, "gpus": 256, "run_hours": 336}), none(), NHN, by(C::Precision)),
        ("FP8 pre-training on 1,024 GPUs is too wide for the cloud pools", json!({"purpose": "llm_pretraining", "precision": "fp8", "model_params_b": 70, "gpus": 1024, "run_hours": 720}), none(), KISTI, ruled_out(K::Width)),
        ("FP8 pre-training on 512 GPUs fits NHN's widest job", json!({"purpose": "llm_pretraining", "precision": "fp8", "model_params_b": 70, "gpus": 512, "run_hours": 720}), none(), NHN, by(C::Precision)),
        ("FP8 pre-training next to its 100 TB at Kakao stays there", json!({"purpose": "llm_pretraining", "precision": "fp8", "model_params_b": 70, "gpus": 256, "run_hours": 720, "dataset_tb": 100, "data_location": "kakao"}), none(), KAKAO, by(C::Precision)),
        ("fine-tuning 70B on 8 GPUs needs 140 GB each: not on 96 GB GH200", json!({"purpose": "fine_tuning", "model_params_b": 70, "gpus": 8, "run_hours": 48}), none(), NHN, ruled_out(K::GpuMemory)),
        ("with the Grace spill allowed, 70B fits KISTI-6 but runs slower", json!({"purpose": "fine_tuning", "model_params_b": 70, "gpus": 8, "run_hours": 48, "allow_cpu_spill": true}), none(), NHN, by(C::Precision)),
        ("fine-tuning 7B goes to B200 for BF16 throughput", json!({"purpose": "fine_tuning", "model_params_b": 7, "gpus": 8, "run_hours": 24}), none(), NHN, by(C::Precision)),
        ("fine-tuning next to 200 TB at KISTI stays at KISTI", json!({"purpose": "fine_tuning", "model_params_b": 13, "gpus": 4, "run_hours": 10, "dataset_tb": 200, "data_location": "kisti"}), none(), KISTI, by(C::Data)),
        ("fine-tuning 30B with spill next to 300 TB at KISTI stays at KISTI", json!({"purpose": "fine_tuning", "model_params_b": 30, "gpus": 4, "run_hours": 10, "allow_cpu_spill": true, "dataset_tb": 300, "data_location": "kisti"}), none(), KISTI, by(C::Data)),
        ("a startup's fine-tuning goes to B200", json!({"purpose": "fine_tuning", "model_params_b": 7, "gpus": 8, "run_hours": 24, "sector": "startup"}), none(), NHN, by(C::Precision)),
        ("fine-tuning avoids 200-hour queues on B200 and KISTI-6", json!({"purpose": "fine_tuning", "model_params_b": 7, "gpus": 8, "run_hours": 24}), waits(&[(NHN, 200.0), (KAKAO, 200.0), (KISTI, 200.0)]), NAVER, by(C::Queue)),
        ("FP8 batch inference goes to B200", json!({"purpose": "batch_inference", "precision": "fp8", "model_params_b": 70, "gpus": 8, "run_hours": 12}), none(), NHN, by(C::Precision)),
        ("FP4 batch inference goes to B200; Hopper falls back to FP8", json!({"purpose": "batch_inference", "precision": "fp4", "model_params_b": 405, "gpus": 8, "run_hours": 12}), none(), NHN, by(C::Precision)),
        ("batch inference next to 100 TB at Naver stays at Naver", json!({"purpose": "batch_inference", "gpus": 2, "run_hours": 5, "dataset_tb": 100, "data_location": "naver"}), none(), NAVER, by(C::Data)),
        ("a 70B BF16 endpoint cannot run on batch nodes", json!({"purpose": "inference_service", "model_params_b": 70, "gpus": 4, "run_hours": 720}), none(), NHN, ruled_out(K::Services)),
        ("an FP8 8B endpoint on one GPU goes to B200", json!({"purpose": "inference_service", "precision": "fp8", "model_params_b": 8, "gpus": 1, "run_hours": 720}), none(), NHN, ruled_out(K::Services)),
        ("an FP4 405B endpoint goes to B200", json!({"purpose": "inference_service", "precision": "fp4", "model_params_b": 405, "gpus": 8, "run_hours": 720}), none(), NHN, ruled_out(K::Services)),
        ("a Kubeflow endpoint next to its data at Kakao goes to Kakao", json!({"purpose": "inference_service", "gpus": 2, "run_hours": 720, "stack": ["kubeflow"], "dataset_tb": 5, "data_location": "kakao"}), none(), KAKAO, ruled_out(K::Services)),
        ("notebook exploration goes to the cloud for JupyterHub", json!({"purpose": "interactive_notebook", "gpus": 1, "run_hours": 8}), none(), NHN, by(C::Platform)),
        ("a notebook next to 20 TB at Naver goes to Naver", json!({"purpose": "interactive_notebook", "gpus": 1, "run_hours": 4, "dataset_tb": 20, "data_location": "naver"}), none(), NAVER, by(C::Platform)),
        ("FP32 analytics next to 50 TB at KISTI stays at KISTI", json!({"purpose": "data_analytics", "precision": "fp32_tf32", "gpus": 4, "run_hours": 6, "dataset_tb": 50, "data_location": "kisti"}), none(), KISTI, by(C::Data)),
        ("FP32 analytics next to 50 TB at NHN stays at NHN", json!({"purpose": "data_analytics", "precision": "fp32_tf32", "gpus": 4, "run_hours": 6, "dataset_tb": 50, "data_location": "nhn"}), none(), NHN, by(C::Data)),
        ("Docker analytics without data goes to B200", json!({"purpose": "data_analytics", "precision": "fp32_tf32", "gpus": 4, "run_hours": 6, "container": "oci"}), none(), NHN, by(C::Precision)),
    ]
}

#[test]
fn every_case_of_the_table_gets_its_pool_and_deciding_reason() {
    let cases = table();
    assert!(cases.len() >= 30);
    let failures: Vec<String> = cases
        .into_iter()
        .filter_map(|(name, fields, cond, pool, decider)| {
            check(fields, &cond, pool, decider).err().map(|e| format!("{name}: {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_table_covers_every_purpose_precision_and_coupling() {
    let ws: Vec<Workload> = table().into_iter().map(|(_, f, ..)| workload(f)).collect();
    for p in Purpose::ALL {
        assert!(ws.iter().any(|w| w.purpose == *p), "{p:?}");
    }
    for p in Precision::ALL {
        assert!(ws.iter().any(|w| w.precision == *p), "{p:?}");
    }
    for c in Coupling::ALL {
        assert!(ws.iter().any(|w| w.coupling == *c && w.gpus > 8), "{c:?}");
    }
}
