//! Which catalogue system and pools a Slurm cluster stands for.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How one cluster maps onto the portal (part of a Slurm source's configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlurmMapping {
    /// Catalogue system id the cluster stands for (names, kind, PUE come from
    /// the catalogue when it has this id).
    pub system_id: String,
    /// Slurm partition → catalogue pool id. A partition not listed keeps its
    /// own name as pool id (unless `only_mapped_partitions`).
    pub partitions: BTreeMap<String, String>,
    /// Show only the partitions listed in `partitions`.
    pub only_mapped_partitions: bool,
    /// Slurm GRES type → GPU model name (`gh200` → `GH200`). Unlisted types are
    /// upper-cased; untyped GPUs take the catalogue pool's model, else `GPU`.
    pub gpu_models: BTreeMap<String, String>,
    /// Walltime, seconds, assumed for a job with no time limit when its
    /// partition has neither a default nor a maximum.
    pub default_walltime_seconds: u64,
}

impl Default for SlurmMapping {
    fn default() -> Self {
        SlurmMapping {
            system_id: "slurm".into(),
            partitions: BTreeMap::new(),
            only_mapped_partitions: false,
            gpu_models: BTreeMap::new(),
            default_walltime_seconds: 24 * 3_600,
        }
    }
}

impl SlurmMapping {
    /// The pool id of `partition`, `None` when it is not shown.
    pub fn pool_id(&self, partition: &str) -> Option<String> {
        match self.partitions.get(partition) {
            Some(id) => Some(id.clone()),
            None if self.only_mapped_partitions => None,
            None => Some(partition.to_owned()),
        }
    }

    /// The portal's name of a Slurm GPU type.
    pub fn gpu_model(&self, slurm_type: Option<&str>, pool_model: Option<&str>) -> String {
        match slurm_type {
            Some(t) => self.gpu_models.get(t).cloned().unwrap_or_else(|| t.to_ascii_uppercase()),
            None => pool_model.unwrap_or("GPU").to_owned(),
        }
    }
}
