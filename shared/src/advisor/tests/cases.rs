//! The table: workloads across every purpose, precision and coupling with the
//! pool and deciding reason the brief's "how HPC and cloud differ" implies.
//! FP64-heavy or tightly coupled MPI → KISTI-6; FP8/FP4 or > 141 GB per GPU
//! → B200; services, Docker and notebooks → cloud; too long without
//! checkpoints → not HPC; wider than a pool's per-job policy → only under a
//! reservation (ranked down, not ruled out); wider than the pool → ruled
//! out; large data at a site pulls work there.

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

/// Within the tie margin of the best pool of the other kind, ahead on `c`.
fn tie(c: C) -> Decider {
    Decider::Tie { criterion: c }
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
        ("a one-GPU FP64 job: a 1-GPU cloud instance spends less energy than a whole 4-GPU KISTI-6 node", hpc(json!({"gpus": 1})), none(), NHN, by(C::Energy)),
        ("four FP64 GPUs fill a KISTI-6 node: a near tie with four B200s, KISTI-6 ahead on energy", hpc(json!({"gpus": 4})), none(), KISTI, tie(C::Energy)),
        ("a moderately coupled FP64 job: KISTI-6 and B200 tie, KISTI-6 slightly ahead on energy", hpc(json!({"gpus": 32, "coupling": "moderate"})), none(), KISTI, tie(C::Energy)),
        ("an FP64 job on 2,048 GPUs would need a reservation on every cloud pool: KISTI-6", hpc(json!({"gpus": 2048})), none(), KISTI, by(C::Queue)),
        ("an FP64 job on 8,192 GPUs is wider than any cloud pool; KISTI-6 runs it under a reservation", hpc(json!({"gpus": 8192})), none(), KISTI, ruled_out(K::Width)),
        ("an ensemble of 4,096 independent GPU tasks is many jobs, not one too wide", hpc(json!({"gpus": 4096, "coupling": "independent", "container": "apptainer"})), none(), KISTI, by(C::Platform)),
        ("a 100-hour DGEMM-heavy MPI run without checkpoints cannot fit the walltime", hpc(json!({"gpus": 128, "run_hours": 100, "compute": "tensor"})), none(), NAVER, ruled_out(K::Walltime)),
        ("the same run with checkpoints goes back to KISTI-6", hpc(json!({"gpus": 128, "run_hours": 100, "checkpointing": true})), none(), KISTI, by(C::Interconnect)),
        ("an FP64 tensor-core job needing 2 TB of CPU memory per node goes to a cloud H200", hpc(json!({"gpus": 8, "cpu_memory_gb": 2000, "compute": "tensor"})), none(), NAVER, ruled_out(K::CpuMemory)),
        ("a large company's one-GPU FP64 job pays for one cloud GPU rather than a whole KISTI-6 node", hpc(json!({"gpus": 1, "sector": "large_company"})), none(), NHN, by(C::Cost)),
        ("tightly coupled FP64 DGEMM waits 300 h on KISTI-6 and moves to the cloud H200", hpc(json!({"gpus": 256, "compute": "tensor"})), waits(&[(KISTI, 300.0)]), NAVER, by(C::Queue)),
        ("a plain FP64 code waiting 300 h on KISTI-6 moves to B200 (37 TF on CUDA cores, Hopper 34)", hpc(json!({"gpus": 256})), waits(&[(KISTI, 300.0)]), NHN, by(C::Queue)),
        ("an AI-coupled simulation with 40 % FP64 stays on the HPC fabric", json!({"purpose": "ai_coupled_simulation", "gpus": 128, "fp64_share": 0.4, "run_hours": 24}), none(), KISTI, by(C::Interconnect)),
        ("an AI-coupled TF32 run needing Slurm and MPI goes to KISTI-6", json!({"purpose": "ai_coupled_simulation", "precision": "fp32_tf32", "fp64_share": 0.2, "gpus": 64, "coupling": "moderate", "stack": ["slurm_mpi"], "run_hours": 24}), none(), KISTI, by(C::Platform)),
        ("an FP64-dominant coupled emulator job: KISTI-6 and H200 nearly tie, KISTI-6 ahead on energy", json!({"purpose": "ai_coupled_simulation", "precision": "fp64", "fp64_share": 0.7, "gpus": 16, "coupling": "moderate", "run_hours": 24}), none(), KISTI, tie(C::Energy)),
        ("pre-training 7B with Kubeflow goes to Kakao's B200", json!({"purpose": "llm_pretraining", "model_params_b": 7, "gpus": 256, "run_hours": 336, "container": "oci", "stack": ["kubeflow"]}), none(), KAKAO, by(C::Platform)),
        ("pre-training 7B without stack needs goes to NHN's B200", json!({"purpose": "llm_pretraining", "model_params_b": 7, "gpus": 256, "run_hours": 336}), none(), NHN, by(C::Precision)),
        ("FP8 pre-training on 1,024 GPUs: B200's FP8 outweighs needing a reservation", json!({"purpose": "llm_pretraining", "precision": "fp8", "model_params_b": 70, "gpus": 1024, "run_hours": 720}), none(), NHN, by(C::Precision)),
        ("FP8 pre-training on 8,192 GPUs fits only KISTI-6", json!({"purpose": "llm_pretraining", "precision": "fp8", "model_params_b": 70, "gpus": 8192, "run_hours": 720}), none(), KISTI, ruled_out(K::Width)),
        ("FP8 pre-training on 512 GPUs fits NHN's widest job", json!({"purpose": "llm_pretraining", "precision": "fp8", "model_params_b": 70, "gpus": 512, "run_hours": 720}), none(), NHN, by(C::Precision)),
        ("FP8 pre-training next to its 100 TB at Kakao stays there", json!({"purpose": "llm_pretraining", "precision": "fp8", "model_params_b": 70, "gpus": 256, "run_hours": 720, "dataset_tb": 100, "data_location": "kakao"}), none(), KAKAO, by(C::Precision)),
        ("fine-tuning 70B on 8 GPUs needs 140 GB each: not on 96 GB GH200", json!({"purpose": "fine_tuning", "model_params_b": 70, "gpus": 8, "run_hours": 48}), none(), NHN, ruled_out(K::GpuMemory)),
        ("with the Grace spill allowed, 70B fits KISTI-6 but runs slower", json!({"purpose": "fine_tuning", "model_params_b": 70, "gpus": 8, "run_hours": 48, "allow_cpu_spill": true}), none(), NHN, by(C::Precision)),
        ("fine-tuning 7B goes to B200 for BF16 throughput", json!({"purpose": "fine_tuning", "model_params_b": 7, "gpus": 8, "run_hours": 24}), none(), NHN, by(C::Precision)),
        ("fine-tuning next to 200 TB at KISTI stays at KISTI", json!({"purpose": "fine_tuning", "model_params_b": 13, "gpus": 4, "run_hours": 10, "dataset_tb": 200, "data_location": "kisti"}), none(), KISTI, by(C::Data)),
        ("fine-tuning 30B next to 300 TB at KISTI: a 4-GPU B200 instance ties with spilling GH200s", json!({"purpose": "fine_tuning", "model_params_b": 30, "gpus": 4, "run_hours": 10, "allow_cpu_spill": true, "dataset_tb": 300, "data_location": "kisti"}), none(), NHN, tie(C::Precision)),
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
        // Written from centres' user guidance (which systems take which codes) and data sheets.
        ("a molecular-dynamics ensemble on CUDA cores in Apptainer goes to KISTI-6", hpc(json!({"precision": "fp32_tf32", "compute": "vector", "gpus": 64, "coupling": "independent", "container": "apptainer"})), none(), KISTI, by(C::Platform)),
        ("tightly coupled FP64 MD needing Slurm and MPI modules on 128 GPUs goes to KISTI-6 for its platform", hpc(json!({"gpus": 128, "stack": ["slurm_mpi"]})), none(), KISTI, by(C::Platform)),
        ("a Kubeflow genomics pipeline on CUDA cores goes to Kakao", json!({"purpose": "data_analytics", "precision": "fp32_tf32", "compute": "vector", "gpus": 8, "container": "oci", "stack": ["kubeflow"], "run_hours": 12}), none(), KAKAO, by(C::Platform)),
        ("RAPIDS analytics next to 30 TB at Kakao stays at Kakao", json!({"purpose": "data_analytics", "gpus": 4, "run_hours": 6, "dataset_tb": 30, "data_location": "kakao"}), none(), KAKAO, by(C::Data)),
        ("a 70B FP8 endpoint bound by decoding bandwidth cannot run on batch nodes", json!({"purpose": "inference_service", "precision": "fp8", "model_params_b": 70, "gpus": 2, "run_hours": 720}), none(), NHN, ruled_out(K::Services)),
        ("an interactive QLoRA session on 33B goes to the cloud for notebooks", json!({"purpose": "fine_tuning", "method": "peft", "precision": "fp4", "interactive": true, "model_params_b": 33, "gpus": 1, "run_hours": 6}), none(), NHN, by(C::Platform)),
        ("HPL-like dense FP64 over 512 GPUs goes to KISTI-6; on the H200 cloud it needs a reservation", hpc(json!({"gpus": 512, "compute": "tensor"})), none(), KISTI, by(C::Queue)),
        ("a bandwidth-bound stencil over 1,024 GPUs: KISTI-6 and B200 (2x bandwidth, but a reservation) tie", hpc(json!({"gpus": 1024, "compute": "memory_bound", "checkpointing": true})), none(), KISTI, tie(C::Queue)),
        ("a startup's FP8 batch inference on 8 GPUs goes to B200", json!({"purpose": "batch_inference", "precision": "fp8", "model_params_b": 70, "gpus": 8, "run_hours": 6, "sector": "startup"}), none(), NHN, by(C::Precision)),
        ("a fine-tuning run measured on V100s goes to B200 for BF16 throughput", json!({"purpose": "fine_tuning", "measured_on": "V100", "model_params_b": 7, "gpus": 8, "run_hours": 100}), none(), NHN, by(C::Precision)),
        ("bandwidth-bound CFD next to 40 TB at NHN stays at NHN, ahead of KISTI-6 on bandwidth", hpc(json!({"gpus": 16, "compute": "memory_bound", "coupling": "moderate", "dataset_tb": 40, "data_location": "nhn"})), none(), NHN, by(C::Precision)),
        ("a large company's FP64 Monte Carlo on CUDA cores: KISTI-6 and B200 tie", hpc(json!({"gpus": 32, "coupling": "independent", "sector": "large_company"})), none(), KISTI, tie(C::Energy)),
        ("Docker analytics without data goes to B200, ahead of KISTI-6 on Docker", json!({"purpose": "data_analytics", "precision": "fp32_tf32", "gpus": 4, "run_hours": 6, "container": "oci"}), none(), NHN, by(C::Platform)),
        ("a bandwidth-bound stencil code on one node goes to B200 for 8 TB/s", hpc(json!({"gpus": 8, "compute": "memory_bound", "coupling": "moderate"})), none(), NHN, by(C::Precision)),
        ("LLM decoding in FP8 as batch inference is bound by bandwidth: B200", json!({"purpose": "batch_inference", "precision": "fp8", "compute": "memory_bound", "model_params_b": 70, "gpus": 8, "run_hours": 12}), none(), NHN, by(C::Precision)),
        ("a plain FP32 Monte Carlo ensemble in Apptainer stays on KISTI-6", hpc(json!({"precision": "fp32_tf32", "gpus": 16, "coupling": "independent", "container": "apptainer"})), none(), KISTI, by(C::Platform)),
        ("LoRA on 13B fits one GPU anywhere and goes to B200", json!({"purpose": "fine_tuning", "method": "peft", "model_params_b": 13, "gpus": 1, "sharded": false, "run_hours": 12}), none(), NHN, by(C::Precision)),
        ("QLoRA on 70B: 64 GB in FP4 on B200; Hopper falls back to FP8 and needs 106 GB, more than GH200's 96", json!({"purpose": "fine_tuning", "method": "peft", "precision": "fp4", "model_params_b": 70, "gpus": 1, "sharded": false, "run_hours": 12}), none(), NHN, ruled_out(K::GpuMemory)),
        ("an interactive fine-tuning session goes to the cloud for notebooks", json!({"purpose": "fine_tuning", "interactive": true, "method": "peft", "model_params_b": 7, "gpus": 1, "run_hours": 4}), none(), NHN, by(C::Platform)),
    ]
}

#[test]
fn every_case_of_the_table_gets_its_pool_and_deciding_reason() {
    let cases = table();
    assert!(cases.len() >= 60, "{} cases", cases.len());
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
