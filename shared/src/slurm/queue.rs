//! A partition's queue as the portal's whole-node scheduler sees it
//! ([`QueueSnapshot`]), so the advisor's wait prediction runs on real data.
//!
//! Slurm shares nodes between jobs; the portal plans with whole nodes. Each up
//! node is held by the running job that ends last on it, so the nodes held
//! add up to the nodes busy. Only pending jobs that wait for resources or
//! priority are queued: held jobs, dependencies or jobs asking for an
//! unavailable node would not start whatever the queue does.

use crate::api::{DataSource, PendingJob, QueueSnapshot, RunningJob};
use crate::time::utc;

use super::classify::{classify, NodeClass};
use super::model::{Job, JobState, Node, Partition};
use super::pool::pending_reasons;
use super::SlurmMapping;

/// Pending reasons of jobs that only wait for nodes to free up.
pub const WAITING_FOR_RESOURCES: [&str; 4] = ["Resources", "Priority", "None", ""];

/// Whether a pending job only waits for resources (it is in the modelled queue).
pub fn waits_for_resources(job: &Job) -> bool {
    job.state == JobState::Pending && WAITING_FOR_RESOURCES.contains(&job.reason.as_str())
}

/// Seconds until a running job's time limit runs out at `now` (0 when overdue).
pub fn remaining_seconds(job: &Job, now: i64) -> u64 {
    let end = job.end_time.or_else(|| {
        let limit = i64::from(job.time_limit_minutes?) * 60;
        job.start_time.map(|s| s + limit)
    });
    end.map_or(0, |e| (e - now).max(0) as u64)
}

/// A pending job's walltime, seconds: its limit, else the partition's default
/// or maximum, else the mapping's default.
pub fn walltime_seconds(job: &Job, partition: &Partition, mapping: &SlurmMapping) -> u64 {
    job.time_limit_minutes
        .or(partition.default_time_minutes)
        .or(partition.max_time_minutes)
        .map_or(mapping.default_walltime_seconds, |m| u64::from(m) * 60)
}

/// The queue snapshot of one pool at `now` (Unix seconds).
pub fn snapshot(
    pool_id: &str,
    nodes: &[&Node],
    jobs: &[&Job],
    partition: &Partition,
    mapping: &SlurmMapping,
    gpus_per_node: u32,
    now: i64,
) -> QueueSnapshot {
    let mut free: Vec<&str> = nodes.iter().filter(|n| classify(n) == NodeClass::Up).map(|n| n.name.as_str()).collect();
    let nodes_up = u32::try_from(free.len()).unwrap_or(u32::MAX);
    let mut running: Vec<(&Job, u64)> = jobs
        .iter()
        .filter(|j| j.state == JobState::Running && j.partitions.first() == Some(&partition.name))
        .map(|j| (*j, remaining_seconds(j, now)))
        .collect();
    running.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    let running = running
        .into_iter()
        .filter_map(|(job, remaining)| {
            let before = free.len();
            free.retain(|n| !job.nodes.iter().any(|m| m == n));
            let held = u32::try_from(before - free.len()).unwrap_or(u32::MAX);
            (held > 0).then_some(RunningJob { nodes: held, remaining_seconds: remaining })
        })
        .collect();
    let mut pending: Vec<&Job> =
        jobs.iter().copied().filter(|j| waits_for_resources(j) && j.partitions.contains(&partition.name)).collect();
    pending.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.submit_time.cmp(&b.submit_time)).then(a.id.cmp(&b.id)));
    let reasons = pending_reasons(jobs);
    let pending = pending
        .into_iter()
        .map(|j| PendingJob {
            nodes: j.node_count.max(j.gpus.div_ceil(gpus_per_node.max(1))).max(1),
            walltime_seconds: walltime_seconds(j, partition, mapping),
        })
        .collect();
    QueueSnapshot {
        pool_id: pool_id.to_owned(),
        at: utc(now),
        nodes_up,
        gpus_per_node,
        running,
        pending,
        pending_reasons: reasons,
        runtime_ratio_permille: Vec::new(),
        source: DataSource::Slurm,
    }
}
