//! The names of what the advisor weighs: the seven scored criteria, the hard
//! constraints that rule a pool out, and the software needs a platform meets.

use serde::{Deserialize, Serialize};

/// A scored criterion, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Throughput per GPU at the workload's precision mix.
    Precision,
    /// How well multi-node jobs scale on the pool's fabric and scheduler.
    Interconnect,
    /// Containers, stacks and notebooks the platform offers.
    Platform,
    /// Data gravity: time to move the input data there.
    Data,
    /// Expected queue wait against the run time.
    Queue,
    /// Energy of the run (kWh).
    Energy,
    /// Cost to the applicant (KRW).
    Cost,
}

impl Criterion {
    /// Every criterion; `ALL[c.index()] == c`.
    pub const ALL: [Criterion; 7] = [
        Criterion::Precision,
        Criterion::Interconnect,
        Criterion::Platform,
        Criterion::Data,
        Criterion::Queue,
        Criterion::Energy,
        Criterion::Cost,
    ];

    /// Position in [`Criterion::ALL`] and in per-criterion arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Korean label.
    pub fn label_ko(self) -> &'static str {
        [
            "정밀도별 성능",
            "인터커넥트 적합성",
            "소프트웨어·플랫폼 적합성",
            "데이터 위치·전송",
            "대기 시간",
            "에너지",
            "비용",
        ][self.index()]
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        [
            "precision throughput",
            "interconnect fit",
            "software/platform fit",
            "data gravity",
            "queue wait",
            "energy",
            "cost",
        ][self.index()]
    }
}

/// A hard constraint: failing one rules the pool out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// The applicant's sector may not use the pool.
    Eligibility,
    /// Long-running services are not allowed (batch nodes).
    Services,
    /// Not enough GPU memory per GPU (even with CPU-memory spill where allowed).
    GpuMemory,
    /// Not enough CPU memory per node.
    CpuMemory,
    /// Wider than the largest job the pool accepts.
    Width,
    /// Longer than the walltime limit and not checkpointed.
    Walltime,
}

/// A software need a platform meets to some degree (see `catalogue::PlatformFit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlatformNeed {
    Oci,
    Apptainer,
    Kubeflow,
    SlurmMpi,
    Notebooks,
}

impl PlatformNeed {
    /// Korean label.
    pub fn label_ko(self) -> &'static str {
        match self {
            PlatformNeed::Oci => "OCI/Docker 컨테이너",
            PlatformNeed::Apptainer => "Apptainer 컨테이너",
            PlatformNeed::Kubeflow => "Kubeflow/쿠버네티스",
            PlatformNeed::SlurmMpi => "Slurm + MPI 모듈",
            PlatformNeed::Notebooks => "대화형 노트북",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            PlatformNeed::Oci => "OCI/Docker containers",
            PlatformNeed::Apptainer => "Apptainer containers",
            PlatformNeed::Kubeflow => "Kubeflow/Kubernetes",
            PlatformNeed::SlurmMpi => "Slurm + MPI modules",
            PlatformNeed::Notebooks => "interactive notebooks",
        }
    }
}
