//! The vocabulary of a workload description: purposes, precisions, coupling,
//! containers, stack needs, applicant sectors and regions. Each is a closed
//! enum with a stable snake_case name (the wire and URL form) and labels in
//! Korean and English.

use serde::{Deserialize, Serialize};

/// Defines a closed enum with its snake_case names and ko/en labels.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $ko:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case name (as in JSON and URLs).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Parses [`Self::as_str`] back (surrounding spaces and case ignored).
            pub fn parse(text: &str) -> Option<$name> {
                let t = text.trim();
                $name::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(t))
            }

            /// Korean label.
            pub fn label_ko(self) -> &'static str {
                match self { $($name::$variant => $ko,)+ }
            }

            /// English label.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }
        }
    };
}

vocabulary! {
    /// What the work is for.
    Purpose {
        LlmPretraining = "llm_pretraining", "LLM 사전학습", "LLM pre-training";
        FineTuning = "fine_tuning", "미세조정", "fine-tuning";
        /// A long-running inference endpoint (a service, not a batch job).
        InferenceService = "inference_service", "추론 서비스(엔드포인트)", "inference endpoint";
        BatchInference = "batch_inference", "배치 추론", "batch inference";
        HpcSimulation = "hpc_simulation", "HPC 시뮬레이션", "HPC simulation";
        AiCoupledSimulation = "ai_coupled_simulation", "AI 결합 시뮬레이션", "AI-coupled simulation";
        DataAnalytics = "data_analytics", "데이터 분석", "data analytics";
        InteractiveNotebook = "interactive_notebook", "대화형 노트북", "interactive notebook";
    }
}

vocabulary! {
    /// The arithmetic precision most of the work runs at.
    Precision {
        Fp64 = "fp64", "FP64", "FP64";
        Fp32Tf32 = "fp32_tf32", "FP32/TF32", "FP32/TF32";
        Bf16Fp16 = "bf16_fp16", "BF16/FP16", "BF16/FP16";
        Fp8 = "fp8", "FP8", "FP8";
        Fp4 = "fp4", "FP4", "FP4";
    }
}

vocabulary! {
    /// What bounds the run time: the part of the GPU the code keeps busy
    /// (a roofline class). Precision alone does not say how fast a code runs.
    Compute {
        /// Deep learning through frameworks (TF32, BF16/FP16, FP8, FP4) and
        /// dense linear algebra (DGEMM, HPL on FP64 tensor cores).
        Tensor = "tensor", "텐서 코어 (딥러닝 프레임워크, DGEMM/HPL)", "tensor cores (deep-learning frameworks, DGEMM/HPL)";
        /// Plain FP32/FP64 on CUDA cores: most simulation codes, Monte Carlo,
        /// molecular dynamics, genomics, RAPIDS analytics.
        Vector = "vector", "CUDA 코어 FP32/FP64 (시뮬레이션, 분자동역학, 몬테카를로, 분석)", "CUDA cores, plain FP32/FP64 (simulation, MD, Monte Carlo, analytics)";
        /// Bound by HBM bandwidth: stencils, sparse solvers, CFD, LLM decoding.
        MemoryBound = "memory_bound", "메모리 대역폭 제한 (스텐실, 희소 행렬, CFD, LLM 디코딩)", "memory-bandwidth-bound (stencils, sparse solvers, CFD, LLM decoding)";
    }
}

vocabulary! {
    /// How a model's state sits in GPU memory.
    Method {
        /// Weights, gradients and optimizer states (pre-training, full fine-tuning).
        Full = "full", "전체 학습 (가중치·그래디언트·옵티마이저 상태)", "full training (weights, gradients, optimizer states)";
        /// Frozen weights and small trained adapters (LoRA, QLoRA).
        Peft = "peft", "PEFT (LoRA/QLoRA: 고정 가중치 + 어댑터)", "parameter-efficient (LoRA/QLoRA: frozen weights + adapters)";
        /// Weights and the KV cache.
        Inference = "inference", "추론 (가중치 + KV 캐시)", "inference (weights + KV cache)";
    }
}

vocabulary! {
    /// How strongly the processes of a multi-GPU job talk to each other.
    Coupling {
        /// Separate tasks (ensembles, parameter sweeps, data-parallel inference).
        Independent = "independent", "독립 작업", "independent tasks";
        /// Periodic collective communication (data-parallel training).
        Moderate = "moderate", "중간 결합", "moderately coupled";
        /// Tightly coupled MPI (halo exchange every step, tensor/pipeline parallelism).
        TightlyCoupled = "tightly_coupled", "밀결합 MPI", "tightly coupled MPI";
    }
}

vocabulary! {
    /// How the software is packaged.
    Container {
        /// Docker/OCI images.
        Oci = "oci", "OCI/Docker 컨테이너", "OCI/Docker container";
        /// Apptainer/Singularity images.
        Apptainer = "apptainer", "Apptainer 컨테이너", "Apptainer container";
        /// Modules or a plain install.
        None = "none", "컨테이너 없음", "no container";
    }
}

vocabulary! {
    /// A software stack the work depends on.
    StackNeed {
        /// Kubeflow pipelines or other Kubernetes-native tooling.
        Kubeflow = "kubeflow", "Kubeflow/쿠버네티스", "Kubeflow/Kubernetes";
        /// Slurm with MPI modules.
        SlurmMpi = "slurm_mpi", "Slurm + MPI 모듈", "Slurm + MPI modules";
    }
}

vocabulary! {
    /// Who applies.
    Sector {
        University = "university", "대학", "university";
        GovernmentInstitute = "government_institute", "정부출연연구소", "government research institute";
        Sme = "sme", "중소기업", "SME";
        Startup = "startup", "스타트업", "startup";
        LargeCompany = "large_company", "대기업", "large company";
    }
}

vocabulary! {
    /// Where the applicant is based (allocation preference, not placement).
    Region {
        Capital = "capital", "수도권", "capital region";
        NonCapital = "non_capital", "비수도권", "outside the capital region";
    }
}

impl Purpose {
    /// Whether run time is wall-clock (a service or a session) rather than a
    /// fixed amount of work that faster GPUs finish sooner.
    pub fn is_time_based(self) -> bool {
        matches!(self, Purpose::InferenceService | Purpose::InteractiveNotebook)
    }

    /// Whether the work trains a model (optimizer state in GPU memory).
    pub fn is_training(self) -> bool {
        matches!(self, Purpose::LlmPretraining | Purpose::FineTuning)
    }

    /// The compute pattern the purpose usually has: frameworks on tensor
    /// cores for model work, CUDA cores for simulation and analytics, HBM
    /// bandwidth for serving (token-by-token decoding).
    pub fn default_compute(self) -> Compute {
        match self {
            Purpose::HpcSimulation | Purpose::DataAnalytics => Compute::Vector,
            Purpose::InferenceService => Compute::MemoryBound,
            Purpose::LlmPretraining
            | Purpose::FineTuning
            | Purpose::BatchInference
            | Purpose::AiCoupledSimulation
            | Purpose::InteractiveNotebook => Compute::Tensor,
        }
    }

    /// How model state is held unless stated: full training when the purpose
    /// trains, inference otherwise.
    pub fn default_method(self) -> Method {
        if self.is_training() {
            Method::Full
        } else {
            Method::Inference
        }
    }
}

impl Method {
    /// Whether the method trains (gradients of some parameters in GPU memory).
    pub fn is_training(self) -> bool {
        matches!(self, Method::Full | Method::Peft)
    }
}

impl Precision {
    /// Bytes per value at this precision.
    pub fn bytes(self) -> f64 {
        match self {
            Precision::Fp64 => 8.0,
            Precision::Fp32Tf32 => 4.0,
            Precision::Bf16Fp16 => 2.0,
            Precision::Fp8 => 1.0,
            Precision::Fp4 => 0.5,
        }
    }

    /// The next wider precision a GPU without this one falls back to.
    pub fn wider(self) -> Option<Precision> {
        match self {
            Precision::Fp64 => None,
            Precision::Fp32Tf32 => Some(Precision::Fp64),
            Precision::Bf16Fp16 => Some(Precision::Fp32Tf32),
            Precision::Fp8 => Some(Precision::Bf16Fp16),
            Precision::Fp4 => Some(Precision::Fp8),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_value() {
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.as_str()), Some(*p));
        }
        for s in Sector::ALL {
            assert_eq!(Sector::parse(&format!(" {} ", s.as_str().to_uppercase())), Some(*s));
        }
        assert_eq!(Precision::parse("fp16"), None);
    }

    #[test]
    fn the_wire_name_is_the_snake_case_name() {
        assert_eq!(serde_json::to_string(&Coupling::TightlyCoupled).unwrap(), "\"tightly_coupled\"");
        assert_eq!(serde_json::to_string(&Precision::Fp32Tf32).unwrap(), "\"fp32_tf32\"");
    }
}
