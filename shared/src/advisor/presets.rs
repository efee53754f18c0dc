//! Example workloads that fill the wizard in one click, and the
//! "virtuous cycle" workflow (simulate on KISTI-6 → train on the GPU cloud →
//! run the model inside simulations on KISTI-6). Data, not rules: each is a
//! plain [`WorkloadInput`] the engine ranks like any typed form.

use super::workflow::{StageInput, WorkflowInput};
use super::workload::{NumberText, WorkloadInput};

/// A named example workload.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Stable id (used in URLs and tests), e.g. `cfd_mpi_256`.
    pub id: &'static str,
    /// Button label in Korean.
    pub label_ko: &'static str,
    /// Button label in English.
    pub label_en: &'static str,
    build: fn() -> WorkloadInput,
}

impl Preset {
    /// The form this preset fills in.
    pub fn input(&self) -> WorkloadInput {
        (self.build)()
    }
}

fn n(x: f64) -> Option<NumberText> {
    Some(NumberText::Number(x))
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

fn base(purpose: &str) -> WorkloadInput {
    WorkloadInput { purpose: s(purpose), sector: s("university"), region: s("non_capital"), ..WorkloadInput::default() }
}

fn fine_tune_70b() -> WorkloadInput {
    WorkloadInput {
        precision: s("bf16_fp16"),
        model_params_b: n(70.0),
        gpus: n(8.0),
        run_hours: n(48.0),
        container: s("oci"),
        dataset_tb: n(2.0),
        data_location: s("elsewhere"),
        ..base("fine_tuning")
    }
}

fn pretrain_7b() -> WorkloadInput {
    WorkloadInput {
        precision: s("bf16_fp16"),
        model_params_b: n(7.0),
        gpus: n(256.0),
        run_hours: n(336.0),
        container: s("oci"),
        stack: vec!["kubeflow".into()],
        dataset_tb: n(20.0),
        data_location: s("elsewhere"),
        ..base("llm_pretraining")
    }
}

fn inference_endpoint() -> WorkloadInput {
    WorkloadInput {
        precision: s("fp8"),
        model_params_b: n(70.0),
        gpus: n(4.0),
        run_hours: n(720.0),
        container: s("oci"),
        ..base("inference_service")
    }
}

fn cfd_mpi_256() -> WorkloadInput {
    WorkloadInput {
        precision: s("fp64"),
        gpus: n(256.0),
        coupling: s("tightly_coupled"),
        run_hours: n(24.0),
        container: s("apptainer"),
        stack: vec!["slurm_mpi".into()],
        dataset_tb: n(10.0),
        data_location: s("kisti"),
        ..base("hpc_simulation")
    }
}

fn climate_emulator() -> WorkloadInput {
    WorkloadInput {
        precision: s("bf16_fp16"),
        fp64_share: n(0.4),
        gpus: n(128.0),
        coupling: s("tightly_coupled"),
        run_hours: n(24.0),
        checkpointing: Some(true),
        stack: vec!["slurm_mpi".into()],
        dataset_tb: n(50.0),
        data_location: s("kisti"),
        ..base("ai_coupled_simulation")
    }
}

fn notebook() -> WorkloadInput {
    WorkloadInput { gpus: n(1.0), run_hours: n(8.0), container: s("oci"), ..base("interactive_notebook") }
}

/// Every preset, in button order.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "fine_tune_70b", label_ko: "70B LLM 미세조정", label_en: "Fine-tune a 70B LLM", build: fine_tune_70b
    },
    Preset { id: "pretrain_7b", label_ko: "7B 사전학습", label_en: "Pre-train a 7B model", build: pretrain_7b },
    Preset {
        id: "inference_endpoint",
        label_ko: "추론 엔드포인트",
        label_en: "Serve an inference endpoint",
        build: inference_endpoint,
    },
    Preset { id: "cfd_mpi_256", label_ko: "MPI CFD 256 GPU", label_en: "CFD with MPI on 256 GPUs", build: cfd_mpi_256 },
    Preset {
        id: "climate_emulator",
        label_ko: "ML 에뮬레이터 결합 기후모델",
        label_en: "Climate model coupled with an ML emulator",
        build: climate_emulator,
    },
    Preset { id: "notebook", label_ko: "노트북 탐색", label_en: "Notebook exploration", build: notebook },
];

/// The preset with `id`.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

fn stage(name: &str, workload: WorkloadInput, output_tb: f64) -> StageInput {
    StageInput { name: Some(name.to_string()), workload, output_tb: n(output_tb) }
}

/// The virtuous cycle between the pools: generate simulation data on
/// KISTI-6, train a surrogate on the GPU cloud, run it inside simulations on
/// KISTI-6. Its stages are named in `loc` (the names are the person's to edit).
pub fn virtuous_cycle(loc: crate::i18n::Locale) -> WorkflowInput {
    let simulate = WorkloadInput { gpus: n(512.0), run_hours: n(24.0), ..base("hpc_simulation") };
    let train = WorkloadInput { precision: s("fp8"), gpus: n(256.0), run_hours: n(200.0), ..base("llm_pretraining") };
    let couple =
        WorkloadInput { fp64_share: n(0.4), gpus: n(256.0), run_hours: n(24.0), ..base("ai_coupled_simulation") };
    WorkflowInput {
        stages: vec![
            stage(loc.pick("시뮬레이션 데이터 생성", "Generate simulation data"), simulate, 20.0),
            stage(loc.pick("대리모델 학습", "Train the surrogate"), train, 0.5),
            stage(loc.pick("시뮬레이션과 결합", "Couple with the simulation"), couple, 5.0),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::{plan_workflow, recommend, Conditions};
    use crate::api::SystemKind;
    use crate::catalogue::Catalogue;

    fn top_kind(id: &str) -> (String, SystemKind) {
        let cat = Catalogue::embedded().unwrap();
        let w = preset(id).unwrap().input().parse(&cat).unwrap();
        let rec = recommend(&cat, &w, &Conditions::unknown());
        let top = rec.top.clone().unwrap();
        let kind = rec.pool(&top).unwrap().kind;
        (top, kind)
    }

    #[test]
    fn every_preset_is_a_valid_workload_with_a_recommendation() {
        let cat = Catalogue::embedded().unwrap();
        for p in PRESETS {
            let w = p.input().parse(&cat).unwrap_or_else(|e| panic!("{}: {e}", p.id));
            assert!(recommend(&cat, &w, &Conditions::unknown()).top.is_some(), "{}", p.id);
        }
    }

    #[test]
    fn presets_go_where_the_domain_brief_says() {
        assert_eq!(top_kind("cfd_mpi_256").0, "kisti6-gh200");
        assert_eq!(top_kind("climate_emulator").0, "kisti6-gh200");
        for id in ["fine_tune_70b", "pretrain_7b", "inference_endpoint", "notebook"] {
            assert_eq!(top_kind(id).1, SystemKind::Cloud, "{id}");
        }
    }

    #[test]
    fn the_virtuous_cycle_alternates_between_kisti6_and_the_cloud() {
        let cat = Catalogue::embedded().unwrap();
        let plan = plan_workflow(&cat, &virtuous_cycle(crate::i18n::Locale::Ko), &Conditions::unknown()).unwrap();
        let pools: Vec<_> = plan.stages.iter().map(|s| s.pool_id.clone().unwrap_or_default()).collect();
        assert_eq!(pools[0], "kisti6-gh200");
        assert_ne!(pools[1], "kisti6-gh200");
        assert_eq!(pools[2], "kisti6-gh200");
    }
}
