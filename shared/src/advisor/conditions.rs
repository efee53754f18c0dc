//! Live conditions per pool (free GPUs, queue, optional simulated waits),
//! passed into [`super::recommend`] so the ranking itself stays pure and fast.

use serde::{Deserialize, Serialize};

use crate::api::StatusSummary;

use super::wait::WaitBand;

/// What is known about one pool right now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolConditions {
    pub pool_id: String,
    /// GPUs in service.
    pub total_gpus: u32,
    /// Idle GPUs on nodes that are up.
    pub free_gpus: u32,
    pub pending_jobs: u32,
    /// GPUs asked for by pending jobs.
    pub pending_gpus: u32,
    /// Queue wait predicted by the backfill simulation for this workload, if run.
    #[serde(default)]
    pub wait: Option<WaitBand>,
    /// The simulation found the job can never start here (wider than the nodes up).
    #[serde(default)]
    pub never_starts: bool,
}

/// Live conditions of the pools; pools without an entry count as unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conditions {
    pub pools: Vec<PoolConditions>,
}

impl Conditions {
    /// No live data: queue waits are unknown everywhere.
    pub fn unknown() -> Conditions {
        Conditions::default()
    }

    /// The conditions read from a status snapshot (no simulated waits yet).
    pub fn from_summary(summary: &StatusSummary) -> Conditions {
        let pools = summary
            .systems
            .iter()
            .flat_map(|s| &s.pools)
            .map(|p| PoolConditions {
                pool_id: p.id.clone(),
                total_gpus: p.gpus.iter().map(|g| g.total).sum(),
                free_gpus: p.gpus.iter().map(|g| g.free).sum(),
                pending_jobs: p.pending_jobs,
                pending_gpus: p.pending_gpus,
                wait: None,
                never_starts: false,
            })
            .collect();
        Conditions { pools }
    }

    /// The conditions of `pool_id`, if known.
    pub fn get(&self, pool_id: &str) -> Option<&PoolConditions> {
        self.pools.iter().find(|p| p.pool_id == pool_id)
    }

    /// Marks that the job can never start on `pool_id` (ignored when the pool is unknown).
    pub fn set_never_starts(&mut self, pool_id: &str) {
        if let Some(p) = self.pools.iter_mut().find(|p| p.pool_id == pool_id) {
            p.never_starts = true;
        }
    }

    /// Attaches a simulated wait to `pool_id` (ignored when the pool is unknown).
    pub fn set_wait(&mut self, pool_id: &str, band: WaitBand) {
        if let Some(p) = self.pools.iter_mut().find(|p| p.pool_id == pool_id) {
            p.wait = Some(band);
        }
    }
}
