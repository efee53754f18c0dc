//! Hard constraints: a pool failing one is listed with the reason and never
//! recommended. Eligibility, services on batch nodes, GPU memory (with the
//! Grace spill where the workload allows it), CPU memory, a job wider than
//! the whole pool, and the walltime limit unless the job checkpoints. Site
//! policies (the per-job width) are conditions, not constraints.

use serde::Serialize;

use super::criterion::Constraint;
use super::estimate::{Estimates, Target};
use super::kinds::Coupling;
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
    if e.memory_gb_per_gpu > reachable {
        fail(Constraint::GpuMemory, Reason::GpuMemory { need_gb: e.memory_gb_per_gpu, have_gb: reachable });
    }
    if w.cpu_memory_gb_per_node > place.cpu_memory_gb_per_node {
        let (need_gb, have_gb) = (w.cpu_memory_gb_per_node, place.cpu_memory_gb_per_node);
        fail(Constraint::CpuMemory, Reason::CpuMemory { need_gb, have_gb });
    }
    // Physical width only: the per-job policy is a condition (a reservation),
    // and independent tasks run as many jobs, in waves if need be.
    if w.coupling != Coupling::Independent && e.nodes > pool.nodes_in_service {
        fail(Constraint::Width, Reason::TooWide { nodes: e.nodes, max_nodes: pool.nodes_in_service });
    }
    if let Some(limit_hours) = pool.walltime_limit_hours {
        if !w.checkpointing && !w.service && e.run_hours > f64::from(limit_hours) {
            fail(Constraint::Walltime, Reason::OverWalltime { hours: e.run_hours, limit_hours });
        }
    }
    out
}
