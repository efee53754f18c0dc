//! Which sources feed each system, and how their latest good answers and
//! health become the system's status: a base (demo or scheduler) for nodes and
//! queue, optional telemetry merged into its pools, stale with a reason while
//! any of them fails, the last good data kept.

use crate::api::{DataSource, GpuCounts, PoolStatus, SystemStatus};
use crate::catalogue::{Pool, StatusPolicy, System};
use crate::status::{rollup, NodeCounts, Status};
use crate::telemetry::{apply, PoolTelemetry};
use crate::time::utc;

pub mod health;

pub use health::{Backoff, SourceHealth};

/// The latest good answer of one source and its health, as the monitor holds it.
#[derive(Debug, Clone, Copy)]
pub struct FeedView<'a, T: ?Sized> {
    /// Source name for reasons, e.g. `prometheus` or `slurm`.
    pub name: &'a str,
    /// What kind of source it is (labels the system when it is the base).
    pub kind: DataSource,
    /// The last good answer; `None` before the first.
    pub data: Option<&'a T>,
    /// Its failures and last good time.
    pub health: &'a SourceHealth,
    /// Seconds without a good answer after which the feed is stale.
    pub stale_after_s: u32,
}

/// A system's pools as the catalogue describes them, before any source has
/// answered: no nodes known, shown as degraded (the portal cannot vouch for it).
pub fn skeleton(system: &System, source: DataSource) -> SystemStatus {
    let pools: Vec<PoolStatus> = system.pools.iter().map(skeleton_pool).collect();
    SystemStatus {
        id: system.id.clone(),
        name_ko: system.name_ko.clone(),
        name_en: system.name_en.clone(),
        kind: system.kind,
        operator: system.operator.clone(),
        operator_ko: system.operator_ko.clone(),
        status: Status::Degraded,
        source,
        stale: true,
        stale_reason: None,
        last_good_at: None,
        pue: system.pue,
        power_kw: 0.0,
        pools,
    }
}

fn skeleton_pool(p: &Pool) -> PoolStatus {
    PoolStatus {
        id: p.id.clone(),
        name_ko: p.name_ko.clone(),
        name_en: p.name_en.clone(),
        status: Status::Degraded,
        gpus_per_node: p.gpus_per_node,
        nodes: NodeCounts { total: p.nodes_in_service, up: 0, down: 0, drained: 0 },
        gpus: vec![GpuCounts {
            model: p.gpu_model.clone(),
            total: p.nodes_in_service * p.gpus_per_node,
            allocated: 0,
            free: 0,
            unavailable: 0,
        }],
        utilisation: 0.0,
        running_jobs: 0,
        pending_jobs: 0,
        pending_gpus: 0,
        median_wait_seconds: None,
        largest_startable_gpus: 0,
        backfill_gpus: 0,
        backfill_window_seconds: None,
        maintenance_in_seconds: None,
        max_job_gpus: p.max_job_nodes * p.gpus_per_node,
        walltime_limit_hours: p.walltime_limit_hours,
        power_kw: 0.0,
        gpu_utilisation: None,
    }
}

/// The status of `system` at `now` from its base feed (demo or scheduler:
/// this system's entry of its last good answer) and its telemetry feed (the
/// last good reading of each pool). Stale, with every failing feed's reason
/// joined by `; `, while any feed is stale (each by its own `stale_after_s`); `last_good_at` is the oldest of
/// the feeds' last good answers.
pub fn assemble(
    system: &System,
    policy: &StatusPolicy,
    base: Option<FeedView<'_, SystemStatus>>,
    telemetry: Option<FeedView<'_, [PoolTelemetry]>>,
    now: i64,
) -> SystemStatus {
    let kind = base.as_ref().map_or(DataSource::Prometheus, |b| b.kind);
    let mut out = match base.as_ref().and_then(|b| b.data) {
        Some(s) => s.clone(),
        None => skeleton(system, kind),
    };
    if let Some(readings) = telemetry.as_ref().and_then(|t| t.data) {
        for pool in &mut out.pools {
            if let Some(t) = readings.iter().find(|t| t.pool_id == pool.id) {
                apply(pool, t, base.is_none(), policy);
            }
        }
    }
    // Pools nobody has described yet stay degraded skeletons.
    out.status = rollup(out.pools.iter().map(|p| p.status));
    out.power_kw = (out.pools.iter().map(|p| p.power_kw).sum::<f64>() * 10.0).round() / 10.0;
    let healths =
        [base.map(|b| (b.name, b.health, b.stale_after_s)), telemetry.map(|t| (t.name, t.health, t.stale_after_s))];
    let healths: Vec<(&str, &SourceHealth, u32)> = healths.into_iter().flatten().collect();
    let reasons: Vec<String> = healths.iter().filter_map(|(n, h, after)| h.stale_reason(n, now, *after)).collect();
    out.stale = !reasons.is_empty();
    out.stale_reason = (!reasons.is_empty()).then(|| reasons.join("; "));
    let goods: Option<Vec<i64>> = healths.iter().map(|(_, h, _)| h.last_good_at).collect();
    out.last_good_at = goods.and_then(|g| g.into_iter().min()).map(utc);
    out
}

#[cfg(test)]
mod tests;
