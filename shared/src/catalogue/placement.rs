//! What the placement advisor needs to know about each pool (site, platform,
//! fabric, memory, transfer rate, eligibility) as catalogue data. The figures
//! live in `fleet.toml` with their sources; these are only their shapes.

use serde::{Deserialize, Serialize};

use crate::advisor::kinds::Sector;

/// A pool as the placement advisor sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Placement {
    /// Site id for data gravity, e.g. `kisti`, `kakao`: data already there moves nowhere.
    pub site: String,
    /// The software platform in words (scheduler, containers, notebooks), Korean.
    pub platform_ko: String,
    /// The same in English.
    pub platform_en: String,
    /// Whether long-running services (inference endpoints) may run here.
    pub supports_services: bool,
    /// Applicant sectors that may use the pool; every sector when absent.
    #[serde(default = "all_sectors")]
    pub eligible_sectors: Vec<Sector>,
    /// Effective inbound data transfer rate in TB per hour (a planned share of a shared link).
    pub inbound_tb_per_hour: f64,
    /// CPU (host) memory per node in GB.
    pub cpu_memory_gb_per_node: f64,
    /// CPU memory per GPU reachable coherently from the GPU (Grace on GH200), GB;
    /// 0 where GPU memory cannot spill.
    #[serde(default)]
    pub spill_memory_gb_per_gpu: f64,
    pub interconnect: Interconnect,
    pub fit: PlatformFit,
}

/// The node-to-node network and how well multi-node jobs scale on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interconnect {
    /// Fabric name, e.g. `Slingshot-11`.
    pub fabric: String,
    pub nics_per_node: u32,
    /// Link rate of one NIC in Gb/s.
    pub nic_gbps: f64,
    /// Whether the scheduler places multi-node jobs by network topology.
    pub topology_aware: bool,
    /// Parallel efficiency (0..=1) of a moderately coupled multi-node job.
    pub scaling_moderate: f64,
    /// Parallel efficiency (0..=1) of a tightly coupled multi-node job.
    pub scaling_tight: f64,
}

impl Interconnect {
    /// Injection bandwidth per node in Gb/s.
    pub fn node_gbps(&self) -> f64 {
        f64::from(self.nics_per_node) * self.nic_gbps
    }
}

/// How well the pool's platform meets each software need, 0 (not at all) ..= 1 (native).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlatformFit {
    /// Docker/OCI images.
    pub oci: f64,
    /// Apptainer/Singularity images.
    pub apptainer: f64,
    /// Kubeflow / Kubernetes-native tooling.
    pub kubeflow: f64,
    /// Slurm with MPI modules.
    pub slurm_mpi: f64,
    /// Interactive notebooks (JupyterHub or a web portal).
    pub notebooks: f64,
}

/// Finite and above zero (false for NaN).
pub(crate) fn positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

fn all_sectors() -> Vec<Sector> {
    Sector::ALL.to_vec()
}

impl Placement {
    /// Checks the ranges; returns the first problem.
    pub fn problem(&self) -> Option<&'static str> {
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        let f = &self.fit;
        let i = &self.interconnect;
        if self.site.is_empty() {
            return Some("placement.site must not be empty");
        }
        if !positive(self.inbound_tb_per_hour) || !positive(self.cpu_memory_gb_per_node) {
            return Some("placement.inbound_tb_per_hour and cpu_memory_gb_per_node must be positive");
        }
        if !positive(self.spill_memory_gb_per_gpu) && self.spill_memory_gb_per_gpu != 0.0 {
            return Some("placement.spill_memory_gb_per_gpu must not be negative");
        }
        if ![f.oci, f.apptainer, f.kubeflow, f.slurm_mpi, f.notebooks, i.scaling_moderate, i.scaling_tight]
            .into_iter()
            .all(unit)
        {
            return Some("placement fit and scaling values must be in [0, 1]");
        }
        if i.scaling_moderate <= 0.0 || i.scaling_tight <= 0.0 {
            return Some("placement scaling values must be positive");
        }
        None
    }
}
