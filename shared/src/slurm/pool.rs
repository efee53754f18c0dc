//! One partition as the portal's [`PoolStatus`]: node counts from node
//! classes, GPUs by model from GRES, jobs and pending reasons from the job
//! list, and the "start now" figures from the portal's own EASY-backfill
//! planner run on the partition's queue snapshot.

use std::collections::BTreeMap;

use crate::api::{GpuCounts, PendingReason, PoolStatus, QueueSnapshot};
use crate::catalogue::{Pool, StatusPolicy};
use crate::sim::scheduler::{Job as PlannedJob, PoolScheduler, RestoredJob};
use crate::status::{pool_status, NodeCounts};

use super::classify::{classify, NodeClass};
use super::model::{Job, JobState, Node, Partition};
use super::SlurmMapping;

/// Window of the median queue wait, seconds (as the demo).
const WAIT_WINDOW_S: i64 = 3_600;

/// What one pool is built from.
pub struct PoolInput<'a> {
    pub pool_id: String,
    pub partition: &'a Partition,
    pub nodes: Vec<&'a Node>,
    /// Jobs that run in or wait for the partition.
    pub jobs: Vec<&'a Job>,
    /// The catalogue's pool of the same id, if any (names, model, limits).
    pub catalogue: Option<&'a Pool>,
    /// An active maintenance reservation covers some of its nodes.
    pub in_maintenance: bool,
    /// Seconds until the next maintenance reservation that covers every node
    /// of the partition in service (see [`PoolStatus::maintenance_in_seconds`]).
    pub maintenance_in_seconds: Option<u64>,
}

/// Node counts (nodes in service only).
pub fn node_counts(nodes: &[&Node]) -> NodeCounts {
    let mut c = NodeCounts::default();
    for n in nodes {
        match classify(n) {
            NodeClass::Up => c.up += 1,
            NodeClass::Down => c.down += 1,
            NodeClass::Drained => c.drained += 1,
            NodeClass::NotInService => continue,
        }
        c.total += 1;
    }
    c
}

/// GPUs by portal model name: allocated GPUs wherever jobs hold them, free ones
/// on up nodes, the rest of down and drained nodes unavailable.
pub fn gpu_counts(nodes: &[&Node], mapping: &SlurmMapping, pool_model: Option<&str>) -> Vec<GpuCounts> {
    let mut by_model: BTreeMap<String, GpuCounts> = BTreeMap::new();
    for n in nodes {
        let class = classify(n);
        if class == NodeClass::NotInService {
            continue;
        }
        for g in &n.gpus {
            let model = mapping.gpu_model(g.model.as_deref(), pool_model);
            let c = by_model.entry(model.clone()).or_insert(GpuCounts {
                model,
                total: 0,
                allocated: 0,
                free: 0,
                unavailable: 0,
            });
            let idle = g.total.saturating_sub(g.used);
            c.total = c.total.saturating_add(g.total);
            c.allocated = c.allocated.saturating_add(g.used);
            if class == NodeClass::Up {
                c.free = c.free.saturating_add(idle);
            } else {
                c.unavailable = c.unavailable.saturating_add(idle);
            }
        }
    }
    by_model.into_values().collect()
}

/// The most common GPU count per in-service node (ties: the larger).
pub fn gpus_per_node(nodes: &[&Node]) -> Option<u32> {
    let mut freq: BTreeMap<u32, u32> = BTreeMap::new();
    for n in nodes.iter().filter(|n| classify(n) != NodeClass::NotInService) {
        *freq.entry(n.gpu_total()).or_default() += 1;
    }
    freq.into_iter().max_by_key(|(gpus, count)| (*count, *gpus)).map(|(gpus, _)| gpus)
}

/// Pending jobs by reason, most common first.
pub fn pending_reasons(jobs: &[&Job]) -> Vec<PendingReason> {
    let mut by: BTreeMap<&str, u32> = BTreeMap::new();
    for j in jobs.iter().filter(|j| j.state == JobState::Pending) {
        *by.entry(j.reason.as_str()).or_default() += 1;
    }
    let mut out: Vec<PendingReason> =
        by.into_iter().map(|(reason, jobs)| PendingReason { reason: reason.to_owned(), jobs }).collect();
    out.sort_by(|a, b| b.jobs.cmp(&a.jobs).then(a.reason.cmp(&b.reason)));
    out
}

/// Median wait (start − submit) of jobs that started in the last hour, seconds.
pub fn median_wait(jobs: &[&Job], now: i64) -> Option<u64> {
    let mut waits: Vec<i64> = jobs
        .iter()
        .filter(|j| j.state != JobState::Pending)
        .filter_map(|j| j.start_time.filter(|s| *s > now - WAIT_WINDOW_S && *s <= now).map(|s| s - j.submit_time))
        .collect();
    if waits.is_empty() {
        return None;
    }
    waits.sort_unstable();
    let mid = waits.len() / 2;
    let m = if waits.len().is_multiple_of(2) { (waits[mid - 1] + waits[mid]) / 2 } else { waits[mid] };
    Some(m.max(0) as u64)
}

/// (nodes free for a job of any length, idle nodes, seconds until the queue
/// head's reservation) from the portal's EASY-backfill planner on `queue`.
fn backfill(queue: &QueueSnapshot) -> (u32, u32, Option<u64>) {
    let running = queue.running.iter().enumerate().map(|(i, r)| {
        let planned = r.remaining_seconds.min(i64::MAX as u64 / 4) as i64;
        RestoredJob { id: i as u64 + 1, nodes: r.nodes, remaining: planned, planned_remaining: planned }
    });
    let first = queue.running.len() as u64 + 1;
    let pending = queue.pending.iter().enumerate().map(|(i, p)| {
        let walltime = p.walltime_seconds.clamp(1, i64::MAX as u64 / 4) as i64;
        PlannedJob { id: first + i as u64, nodes: p.nodes, submit: 0, runtime: walltime, walltime }
    });
    let sched = PoolScheduler::restore(queue.nodes_up, 0, running, pending);
    let idle = sched.idle_nodes();
    match sched.reservation(0) {
        Some(r) => (idle.min(r.extra_nodes), idle, Some(r.shadow.max(0) as u64)),
        None => (idle, idle, None),
    }
}

/// The pool's status at `now`, given its queue snapshot.
pub fn status(
    input: &PoolInput<'_>,
    queue: &QueueSnapshot,
    mapping: &SlurmMapping,
    policy: &StatusPolicy,
    now: i64,
) -> PoolStatus {
    let cat = input.catalogue;
    let nodes = node_counts(&input.nodes);
    let gpus = gpu_counts(&input.nodes, mapping, cat.map(|p| p.gpu_model.as_str()));
    let gpn = queue.gpus_per_node;
    let (total_gpus, allocated): (u32, u32) =
        gpus.iter().fold((0, 0), |(t, a), g| (t.saturating_add(g.total), a.saturating_add(g.allocated)));
    let busy_nodes = queue.busy_nodes();
    let utilisation = if total_gpus > 0 {
        f64::from(allocated) / f64::from(total_gpus)
    } else if nodes.total > 0 {
        f64::from(busy_nodes) / f64::from(nodes.total)
    } else {
        0.0
    };
    let max_job_nodes = input
        .partition
        .max_nodes_per_job
        .or(cat.map(|p| p.max_job_nodes))
        .unwrap_or(nodes.total)
        .min(nodes.total.max(1));
    let (any_length, idle, window) = backfill(queue);
    let running = |j: &&&Job| j.state == JobState::Running && j.partitions.first() == Some(&input.partition.name);
    let pending: Vec<&Job> = input.jobs.iter().copied().filter(|j| j.state == JobState::Pending).collect();
    PoolStatus {
        id: input.pool_id.clone(),
        name_ko: cat.map_or_else(|| input.partition.name.clone(), |p| p.name_ko.clone()),
        name_en: cat.map_or_else(|| input.partition.name.clone(), |p| p.name_en.clone()),
        status: pool_status(nodes, input.in_maintenance, policy),
        gpus_per_node: gpn,
        nodes,
        gpus,
        utilisation,
        running_jobs: u32::try_from(input.jobs.iter().filter(running).count()).unwrap_or(u32::MAX),
        pending_jobs: u32::try_from(pending.len()).unwrap_or(u32::MAX),
        pending_gpus: pending.iter().map(|j| j.gpus).fold(0, u32::saturating_add),
        median_wait_seconds: median_wait(&input.jobs, now),
        largest_startable_gpus: any_length.min(max_job_nodes).saturating_mul(gpn),
        backfill_gpus: idle.min(max_job_nodes).saturating_mul(gpn),
        // The planner knows no reservation: a maintenance is only reported, and
        // `start_now` bounds jobs by it.
        backfill_window_seconds: window,
        maintenance_in_seconds: input.maintenance_in_seconds,
        max_job_gpus: max_job_nodes.saturating_mul(gpn),
        walltime_limit_hours: input
            .partition
            .max_time_minutes
            .map(|m| m.div_ceil(60))
            .or(cat.and_then(|p| p.walltime_limit_hours)),
        // Slurm does not measure power; a telemetry source (Prometheus) does.
        power_kw: 0.0,
        gpu_utilisation: None,
    }
}
