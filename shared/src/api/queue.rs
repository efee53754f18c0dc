//! Wire type of a pool's queue at one instant, the input of the queue-wait
//! prediction (`advisor::predict_wait`). A real source (Slurm's `squeue`)
//! can fill it as well as the demo simulator.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DataSource;

/// One pool's nodes, running jobs and queue at `at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueSnapshot {
    pub pool_id: String,
    /// When the snapshot was taken (UTC).
    pub at: DateTime<Utc>,
    /// Nodes up (idle or busy); down and drained nodes are left out.
    pub nodes_up: u32,
    pub gpus_per_node: u32,
    /// Running jobs (any order).
    pub running: Vec<RunningJob>,
    /// Pending jobs, in queue order (head first).
    pub pending: Vec<PendingJob>,
    /// Every pending job of the pool by the scheduler's reason (`Resources`,
    /// `Priority`, `ReqNodeNotAvail`, …), most common first; empty for the demo.
    /// `pending` holds only the jobs that wait for resources or priority.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_reasons: Vec<PendingReason>,
    /// Run time over requested walltime of recently finished jobs, per mille:
    /// how much of their request jobs really use here. Empty when the source
    /// does not know (the wait model then assumes the catalogue's range).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runtime_ratio_permille: Vec<u16>,
    pub source: DataSource,
}

/// How many pending jobs wait for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingReason {
    /// Slurm's reason code, e.g. `Resources`.
    pub reason: String,
    /// Pending jobs with that reason.
    pub jobs: u32,
}

/// A running job as the scheduler plans with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunningJob {
    /// Whole nodes it holds.
    pub nodes: u32,
    /// Seconds until its walltime (or declared duration) runs out; it may end sooner.
    pub remaining_seconds: u64,
}

/// A pending job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingJob {
    /// Whole nodes requested.
    pub nodes: u32,
    /// Requested walltime (or declared duration), seconds.
    pub walltime_seconds: u64,
}

impl QueueSnapshot {
    /// Nodes held by running jobs.
    pub fn busy_nodes(&self) -> u32 {
        self.running.iter().map(|r| r.nodes).sum()
    }
}
