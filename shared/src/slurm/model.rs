//! The one internal model every Slurm schema version is read into: nodes,
//! partitions, jobs and reservations as the portal needs them.

use serde::{Deserialize, Serialize};

use super::ApiVersion;

/// A cluster at one instant, whatever schema it was read from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cluster {
    pub nodes: Vec<Node>,
    pub partitions: Vec<Partition>,
    pub jobs: Vec<Job>,
    /// Empty when the source has none (REST v0.0.36, the command line).
    pub reservations: Vec<Reservation>,
}

/// A node's base state (Slurm's `NODE_STATE_*` without flags).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeBase {
    Idle,
    Mixed,
    Allocated,
    Completing,
    Down,
    Error,
    Future,
    Unknown,
    /// A state the schema could not express (REST v0.0.36 prints `invalid` for
    /// combinations such as a not-responding node in maintenance).
    Invalid,
    Other(String),
}

impl NodeBase {
    /// Reads Slurm's lower- or upper-case state name.
    pub fn parse(s: &str) -> NodeBase {
        match s.trim().to_ascii_lowercase().as_str() {
            "idle" => NodeBase::Idle,
            "mixed" => NodeBase::Mixed,
            "allocated" | "alloc" => NodeBase::Allocated,
            "completing" => NodeBase::Completing,
            "down" => NodeBase::Down,
            "error" => NodeBase::Error,
            "future" => NodeBase::Future,
            "unknown" => NodeBase::Unknown,
            "invalid" => NodeBase::Invalid,
            other => NodeBase::Other(other.to_owned()),
        }
    }
}

/// The node state flags the portal reads (`state_flags` in v0.0.37+).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NodeFlags {
    /// `DRAIN`: draining (jobs still running) or drained.
    pub drain: bool,
    /// `NOT_RESPONDING` (sinfo's `*`).
    pub not_responding: bool,
    /// `MAINTENANCE`: in an active maintenance reservation.
    pub maintenance: bool,
    /// `FAIL`: failing or failed.
    pub fail: bool,
    /// `RESERVED`: in an active reservation.
    pub reserved: bool,
    /// `POWERED_DOWN` (power saving; it can be powered up for a job).
    pub powered_down: bool,
}

impl NodeFlags {
    /// Reads Slurm's flag names; unknown flags are ignored.
    pub fn parse<'a>(flags: impl IntoIterator<Item = &'a str>) -> NodeFlags {
        let mut f = NodeFlags::default();
        for flag in flags {
            match flag.trim().to_ascii_uppercase().as_str() {
                "DRAIN" => f.drain = true,
                "NOT_RESPONDING" => f.not_responding = true,
                "MAINTENANCE" | "MAINT" => f.maintenance = true,
                "FAIL" => f.fail = true,
                "RESERVED" => f.reserved = true,
                "POWERED_DOWN" | "POWER_DOWN" => f.powered_down = true,
                _ => {}
            }
        }
        f
    }
}

/// GPUs of one Slurm type on one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeGpus {
    /// Slurm's GRES type (`a100`), `None` when untyped (`gpu:4`).
    pub model: Option<String>,
    pub total: u32,
    /// GPUs allocated to jobs.
    pub used: u32,
}

/// One node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub name: String,
    /// Partitions it belongs to (from the node, or from the partitions' node lists).
    pub partitions: Vec<String>,
    pub base: NodeBase,
    pub flags: NodeFlags,
    pub cpus: u32,
    /// Allocated CPUs, when the schema reports them (v0.0.37+).
    pub alloc_cpus: Option<u32>,
    pub gpus: Vec<NodeGpus>,
    /// Why it is down or drained (empty otherwise).
    pub reason: String,
}

impl Node {
    /// GPUs configured on the node.
    pub fn gpu_total(&self) -> u32 {
        self.gpus.iter().map(|g| g.total).fold(0, u32::saturating_add)
    }

    /// GPUs allocated to jobs.
    pub fn gpu_used(&self) -> u32 {
        self.gpus.iter().map(|g| g.used).fold(0, u32::saturating_add)
    }
}

/// One partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    pub name: String,
    /// Node names, expanded from its host list.
    pub nodes: Vec<String>,
    /// Partition time limit in minutes; `None` when unlimited.
    pub max_time_minutes: Option<u32>,
    /// Default job time limit in minutes; `None` when unset.
    pub default_time_minutes: Option<u32>,
    /// Widest job in nodes; `None` when unlimited.
    pub max_nodes_per_job: Option<u32>,
}

/// A job's state (`job_state`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    Pending,
    Running,
    Suspended,
    Completing,
    /// Any finished state (completed, cancelled, failed, timeout, …), by name.
    Finished(String),
}

impl JobState {
    /// Reads Slurm's upper-case state name.
    pub fn parse(s: &str) -> JobState {
        match s.trim().to_ascii_uppercase().as_str() {
            "PENDING" => JobState::Pending,
            "RUNNING" => JobState::Running,
            "SUSPENDED" => JobState::Suspended,
            "COMPLETING" => JobState::Completing,
            other => JobState::Finished(other.to_owned()),
        }
    }
}

/// One job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub name: String,
    /// Slurm account (empty when the job has none).
    pub account: String,
    pub user: String,
    /// The partition it runs in, or every partition it waits for (`gpu,cpu`).
    pub partitions: Vec<String>,
    pub state: JobState,
    /// Slurm's reason code (`Resources`, `Priority`, `ReqNodeNotAvail`, `None`).
    pub reason: String,
    /// Longer description when Slurm gives one (`ReqNodeNotAvail, UnavailableNodes:g3`).
    pub reason_detail: String,
    /// Unix seconds.
    pub submit_time: i64,
    /// Unix seconds: actual start when running, Slurm's expected start when pending; `None` when unknown.
    pub start_time: Option<i64>,
    /// Unix seconds: expected end (start + time limit) while running; `None` when unknown.
    pub end_time: Option<i64>,
    /// Minutes; `None` when unlimited or unset.
    pub time_limit_minutes: Option<u32>,
    /// Nodes it holds (running) or asks for (pending).
    pub node_count: u32,
    /// Node names it holds (empty while pending).
    pub nodes: Vec<String>,
    /// GPUs it holds (running) or asks for (pending), over all its nodes.
    pub gpus: u32,
    /// Scheduling priority: higher is earlier in the queue.
    pub priority: u64,
}

/// A reservation (REST v0.0.37+ `/reservations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub name: String,
    pub nodes: Vec<String>,
    /// Unix seconds.
    pub start_time: i64,
    /// Unix seconds.
    pub end_time: i64,
    /// Has the `MAINT` flag.
    pub maintenance: bool,
}

/// One answer read: the version it spoke and its items.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    pub version: ApiVersion,
    /// `meta.Slurm.release`, e.g. `22.05.8`.
    pub release: Option<String>,
    pub items: Vec<T>,
}
