//! The whole cluster as the portal's API: one [`SystemStatus`] with a pool
//! per shown partition, the pools' queue snapshots, and maintenance windows
//! from Slurm's `MAINT` reservations.

use crate::api::{DataSource, Maintenance, MaintenanceState, QueueSnapshot, SystemKind, SystemStatus};
use crate::catalogue::Catalogue;
use crate::status::rollup;
use crate::time::utc;

use super::classify::{classify, NodeClass};
use super::model::{Cluster, Node, Partition, Reservation};
use super::pool::{gpus_per_node, status, PoolInput};
use super::{queue, SlurmMapping};

/// What one read of a cluster shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SlurmView {
    pub system: SystemStatus,
    /// Maintenance reservations touching a shown pool (past ones while Slurm lists them).
    pub maintenance: Vec<Maintenance>,
    /// One per pool, in the order of `system.pools`.
    pub queues: Vec<QueueSnapshot>,
}

/// The partitions to show, with their pool ids: those Slurm lists, then any
/// only named by nodes (`sinfo --json` has no partitions), in order.
fn shown_partitions(cluster: &Cluster, mapping: &SlurmMapping) -> Vec<(Partition, String)> {
    let mut parts: Vec<Partition> = cluster.partitions.clone();
    for n in &cluster.nodes {
        for p in &n.partitions {
            if !parts.iter().any(|q| q.name == *p) {
                parts.push(Partition {
                    name: p.clone(),
                    nodes: Vec::new(),
                    max_time_minutes: None,
                    default_time_minutes: None,
                    max_nodes_per_job: None,
                });
            }
        }
    }
    parts.into_iter().filter_map(|p| mapping.pool_id(&p.name).map(|id| (p, id))).collect()
}

fn maintenance_state(r: &Reservation, now: i64) -> MaintenanceState {
    if now < r.start_time {
        MaintenanceState::Scheduled
    } else if now < r.end_time {
        MaintenanceState::InProgress
    } else {
        MaintenanceState::Completed
    }
}

/// Seconds until the next maintenance reservation that covers every node of
/// the partition in service, the earliest of those not over at `now`: no job
/// may run past its start. `None` when there is none, when that one is already
/// in progress (the pool's status says maintenance), or when the partition has
/// no node in service. Reservations covering only part of it do not count,
/// not even several that together cover it.
fn whole_pool_maintenance_in(resvs: &[&Reservation], nodes: &[&Node], now: i64) -> Option<u64> {
    let in_service: Vec<&str> =
        nodes.iter().filter(|n| classify(n) != NodeClass::NotInService).map(|n| n.name.as_str()).collect();
    if in_service.is_empty() {
        return None;
    }
    let next = resvs
        .iter()
        .filter(|r| r.end_time > now && in_service.iter().all(|n| r.nodes.iter().any(|m| m == n)))
        .map(|r| r.start_time)
        .min()?;
    u64::try_from(next - now).ok().filter(|s| *s > 0)
}

/// Reads the cluster at `now` (Unix seconds) as the portal's system `mapping.system_id`.
pub fn view(cluster: &Cluster, mapping: &SlurmMapping, catalogue: &Catalogue, now: i64) -> SlurmView {
    let system = catalogue.system(&mapping.system_id);
    let mut pools = Vec::new();
    let mut queues = Vec::new();
    let mut maintenance = Vec::new();
    for (partition, pool_id) in shown_partitions(cluster, mapping) {
        let nodes: Vec<_> = cluster.nodes.iter().filter(|n| n.partitions.contains(&partition.name)).collect();
        let jobs: Vec<_> = cluster.jobs.iter().filter(|j| j.partitions.contains(&partition.name)).collect();
        let touches = |r: &&Reservation| r.maintenance && nodes.iter().any(|n| r.nodes.contains(&n.name));
        let resvs: Vec<&Reservation> = cluster.reservations.iter().filter(touches).collect();
        let in_maintenance = nodes.iter().any(|n| n.flags.maintenance)
            || resvs.iter().any(|r| maintenance_state(r, now) == MaintenanceState::InProgress);
        for r in &resvs {
            maintenance.push(Maintenance {
                id: format!("slurm-{}-{}-{}", mapping.system_id, r.name, pool_id),
                system_id: mapping.system_id.clone(),
                pool_id: pool_id.clone(),
                title_ko: format!("Slurm 정비 예약 {}", r.name),
                title_en: format!("Slurm maintenance reservation {}", r.name),
                starts_at: utc(r.start_time),
                ends_at: utc(r.end_time),
                nodes_affected: nodes.iter().filter(|n| r.nodes.contains(&n.name)).count() as u32,
                state: maintenance_state(r, now),
                source: DataSource::Slurm,
            });
        }
        let cat_pool = system.and_then(|s| s.pools.iter().find(|p| p.id == pool_id));
        let gpn = gpus_per_node(&nodes).or(cat_pool.map(|p| p.gpus_per_node)).unwrap_or(0);
        let snapshot = queue::snapshot(&pool_id, &nodes, &jobs, &partition, mapping, gpn, now);
        let maintenance_in_seconds = whole_pool_maintenance_in(&resvs, &nodes, now);
        let input = PoolInput {
            pool_id,
            partition: &partition,
            nodes,
            jobs,
            catalogue: cat_pool,
            in_maintenance,
            maintenance_in_seconds,
        };
        pools.push(status(&input, &snapshot, mapping, &catalogue.status_policy, now));
        queues.push(snapshot);
    }
    let system = SystemStatus {
        id: mapping.system_id.clone(),
        name_ko: system.map_or_else(|| mapping.system_id.clone(), |s| s.name_ko.clone()),
        name_en: system.map_or_else(|| mapping.system_id.clone(), |s| s.name_en.clone()),
        kind: system.map_or(SystemKind::Hpc, |s| s.kind),
        operator: system.map_or_else(String::new, |s| s.operator.clone()),
        operator_ko: system.map_or_else(String::new, |s| s.operator_ko.clone()),
        status: rollup(pools.iter().map(|p| p.status)),
        source: DataSource::Slurm,
        stale: false,
        stale_reason: None,
        last_good_at: None,
        pue: system.map_or(1.0, |s| s.pue),
        power_kw: pools.iter().map(|p| p.power_kw).sum(),
        pools,
    };
    SlurmView { system, maintenance, queues }
}
