//! The seven scored criteria, each 0..=1 with a reason. Precision, energy and
//! cost are relative to the best pool for this workload; the others are
//! absolute (scaling efficiency, platform fit, share of time not spent
//! moving data or waiting).

use serde::Serialize;

use crate::catalogue::{AdvisorPolicy, Weights};

use super::criterion::{Criterion, PlatformNeed};
use super::estimate::{Estimates, Target};
use super::kinds::{Container, Coupling};
use super::reason::{Rate, Reason};
use super::workload::Workload;

/// One criterion's score for one pool.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionScore {
    pub criterion: Criterion,
    /// 0 (worst) ..= 1 (best).
    pub score: f64,
    /// Normalised weight (weights sum to 1).
    pub weight: f64,
    /// `score × weight`: this criterion's part of the total.
    pub contribution: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::advisor::reason::ReasonText))]
    pub reason: Reason,
}

/// Best values over the pools, for the relative criteria.
#[derive(Debug, Clone, Copy)]
pub struct Best {
    /// Highest rate per GPU (the workload's class, [`Estimates::rate_per_gpu`]).
    pub rate: f64,
    /// Lowest energy, kWh.
    pub energy_kwh: f64,
    /// Highest market cost, KRW (a pool paying it scores 0 on cost).
    pub market_cost_krw: f64,
}

/// The per-criterion scores of `w` on `t`, weighted by `weights` (any scale).
pub fn score(
    t: Target,
    w: &Workload,
    e: &Estimates,
    best: &Best,
    weights: &Weights,
    policy: &AdvisorPolicy,
) -> [CriterionScore; 7] {
    let raw = [
        precision(w, e, best),
        interconnect(t, w, e),
        platform(t, w),
        data(w, e),
        queue(t, e, policy.unknown_wait_score, policy.reservation_queue_score),
        energy(t, e, best),
        cost(e, best),
    ];
    let ws = weights.as_array();
    let total: f64 = ws.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let mut out = [CriterionScore {
        criterion: Criterion::Precision,
        score: 0.0,
        weight: 0.0,
        contribution: 0.0,
        reason: Reason::NoDataset,
    }; 7];
    for (i, (s, reason)) in raw.into_iter().enumerate() {
        let weight = ws[i] / total;
        let score = s.clamp(0.0, 1.0);
        out[i] = CriterionScore { criterion: Criterion::ALL[i], score, weight, contribution: score * weight, reason };
    }
    out
}

fn precision(w: &Workload, e: &Estimates, best: &Best) -> (f64, Reason) {
    let relative = e.rate_per_gpu / best.rate.max(f64::MIN_POSITIVE);
    let rate = Rate::of(e);
    let reason = if e.spills_to_cpu_memory {
        Reason::CpuSpill { rate }
    } else if e.precision_used != w.precision {
        Reason::PrecisionFallback { wanted: w.precision, used: e.precision_used, rate }
    } else {
        Reason::Throughput { precision: w.precision, rate, relative }
    };
    (relative, reason)
}

fn interconnect(t: Target, w: &Workload, e: &Estimates) -> (f64, Reason) {
    let ic = &t.pool.placement.interconnect;
    if e.nodes <= 1 {
        return (1.0, Reason::SingleNode);
    }
    if w.coupling == Coupling::Independent {
        return (1.0, Reason::IndependentTasks);
    }
    let gbps_per_gpu = ic.node_gbps() / f64::from(t.pool.gpus_per_node.max(1));
    let tight = w.coupling == Coupling::TightlyCoupled;
    (e.scaling, Reason::Fabric { tight, topology_aware: ic.topology_aware, scaling: e.scaling, gbps_per_gpu })
}

fn platform(t: Target, w: &Workload) -> (f64, Reason) {
    let fit = &t.pool.placement.fit;
    let needs = [
        (w.container == Container::Oci, PlatformNeed::Oci, fit.oci),
        (w.container == Container::Apptainer, PlatformNeed::Apptainer, fit.apptainer),
        (w.stack.kubeflow, PlatformNeed::Kubeflow, fit.kubeflow),
        (w.stack.slurm_mpi, PlatformNeed::SlurmMpi, fit.slurm_mpi),
        (w.interactive, PlatformNeed::Notebooks, fit.notebooks),
    ];
    let weakest = needs.iter().filter(|(needed, _, _)| *needed).min_by(|a, b| a.2.total_cmp(&b.2));
    match weakest {
        None => (1.0, Reason::NoPlatformNeeds),
        Some((_, need, fit)) => (*fit, Reason::PlatformFit { need: *need, fit: *fit }),
    }
}

fn data(w: &Workload, e: &Estimates) -> (f64, Reason) {
    if w.dataset_tb <= 0.0 {
        return (1.0, Reason::NoDataset);
    }
    if e.transfer_hours <= 0.0 {
        return (1.0, Reason::DataLocal { tb: w.dataset_tb });
    }
    let score = e.run_hours / (e.run_hours + e.transfer_hours);
    (score, Reason::DataTransfer { tb: w.dataset_tb, hours: e.transfer_hours })
}

fn queue(t: Target, e: &Estimates, unknown: f64, reservation: f64) -> (f64, Reason) {
    if e.needs_reservation {
        let r = Reason::NeedsReservation { nodes: e.nodes, max_nodes: t.pool.max_job_nodes };
        let normal = queue_by_wait(e, unknown).0;
        return (normal.min(reservation), r);
    }
    queue_by_wait(e, unknown)
}

fn queue_by_wait(e: &Estimates, unknown: f64) -> (f64, Reason) {
    if e.never_starts {
        return (0.0, Reason::WaitNever);
    }
    let Some(hours) = e.wait_hours else {
        return (unknown, Reason::WaitUnknown);
    };
    let score = e.run_hours / (e.run_hours + hours);
    let reason = match e.wait {
        Some(b) => Reason::WaitPredicted {
            p50_hours: hours,
            p90_hours: b.p90_seconds as f64 / 3_600.0 * f64::from(e.segments),
            segments: e.segments,
        },
        None => Reason::WaitHeuristic { hours, segments: e.segments },
    };
    (score, reason)
}

fn energy(t: Target, e: &Estimates, best: &Best) -> (f64, Reason) {
    let score = if e.energy_kwh > 0.0 { best.energy_kwh / e.energy_kwh } else { 1.0 };
    (score, Reason::Energy { kwh: e.energy_kwh, pue: t.system.pue })
}

fn cost(e: &Estimates, best: &Best) -> (f64, Reason) {
    if e.cost_krw <= 0.0 {
        return (1.0, Reason::CostFree { market_krw: e.market_cost_krw });
    }
    let score = 1.0 - e.cost_krw / best.market_cost_krw.max(f64::MIN_POSITIVE);
    (score, Reason::Cost { krw: e.cost_krw, market_krw: e.market_cost_krw })
}
