//! Hard constraints: a pool failing one is listed with the reason and never
//! recommended. Eligibility, services on batch nodes, GPU memory (with the
//! Grace spill where the workload allows it), CPU memory, job width, and the
//! walltime limit unless the job checkpoints.

use serde::Serialize;

use super::criterion::Constraint;
use super::estimate::{Estimates, Target};
use super::reason::Reason;
use super::workload::Workload;

/// A failed hard constraint.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstraintFailure {
    pub constraint: Constraint,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::advisor::reason::ReasonText))]
    pub reason: Reason,
}

/// Every hard constraint `w` fails on `t`, in a fixed order (empty = feasible).
pub fn failures(t: Target, w: &Workload, e: &Estimates) -> Vec<ConstraintFailure> {
    let mut out = Vec::new();
    let mut fail = |constraint, reason| out.push(ConstraintFailure { constraint, reason });
    let (pool, place) = (t.pool, &t.pool.placement);
    if !place.eligible_sectors.contains(&w.sector) {
        fail(Constraint::Eligibility, Reason::NotEligible { sector: w.sector });
    }
    if w.service && !place.supports_services {
        fail(Constraint::Services, Reason::NoServices);
    }
    let hbm = f64::from(t.gpu.memory_gb);
    let reachable = if w.allow_cpu_spill { hbm + place.spill_memory_gb_per_gpu } else { hbm };
    if w.memory.per_gpu_gb > reachable {
        fail(Constraint::GpuMemory, Reason::GpuMemory { need_gb: w.memory.per_gpu_gb, have_gb: reachable });
    }
    if w.cpu_memory_gb_per_node > place.cpu_memory_gb_per_node {
        let (need_gb, have_gb) = (w.cpu_memory_gb_per_node, place.cpu_memory_gb_per_node);
        fail(Constraint::CpuMemory, Reason::CpuMemory { need_gb, have_gb });
    }
    let max_nodes = pool.max_job_nodes.min(pool.nodes_in_service);
    if e.nodes > max_nodes {
        fail(Constraint::Width, Reason::TooWide { nodes: e.nodes, max_nodes });
    }
    if let Some(limit_hours) = pool.walltime_limit_hours {
        if !w.checkpointing && !w.service && e.run_hours > f64::from(limit_hours) {
            fail(Constraint::Walltime, Reason::OverWalltime { hours: e.run_hours, limit_hours });
        }
    }
    out
}
