//! What running a workload on one pool takes: nodes, run time, GPU-hours,
//! energy, cost, data transfer and queue wait.
//!
//! - Run time: work-based purposes do a fixed amount of work, stated as hours
//!   on `measured_on` GPUs; on a pool it takes `hours × ref_tflops ÷ (tflops ×
//!   scaling)`, where tflops is the pool's dense peak for the precision mix
//!   (FP64 share at FP64, the rest at the dominant precision) and scaling the
//!   fabric's parallel efficiency across nodes. The model-FLOPs utilisation
//!   (`[advisor.efficiency]`) applies on both sides, so it sets the work in
//!   PFLOP but not the ratio. Services and notebooks run for the stated hours.
//! - GPU-hours count whole nodes (the unit of award). Energy = GPU-hours ×
//!   node power ÷ GPUs per node × PUE (node maximum power: an upper bound).
//! - Cost = GPU-hours × market price × the sector's share (price policy).
//! - Transfer = dataset TB ÷ the pool's inbound TB/h, 0 when the data is there.

use serde::Serialize;

use crate::catalogue::{Catalogue, GpuModel, Pool, SchedulerKind, System};

use super::conditions::PoolConditions;
use super::kinds::{Coupling, Precision};
use super::wait::WaitBand;
use super::workload::Workload;

/// One pool with the catalogue entries it refers to.
#[derive(Debug, Clone, Copy)]
pub struct Target<'c> {
    pub system: &'c System,
    pub pool: &'c Pool,
    pub gpu: &'c GpuModel,
}

/// The numbers a researcher plans with, for one pool.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimates {
    /// Whole nodes the job occupies.
    pub nodes: u32,
    /// GPUs occupied (whole nodes).
    pub gpus_allocated: u32,
    /// Precision the dominant part runs at (wider when the GPU lacks the one asked for).
    pub precision_used: Precision,
    /// Dense peak TFLOPS per GPU for the precision mix (after a CPU-memory spill).
    pub tflops_per_gpu: f64,
    /// Whether GPU memory spills into CPU memory (Grace).
    pub spills_to_cpu_memory: bool,
    /// Parallel efficiency across nodes, 0..=1.
    pub scaling: f64,
    /// Wall-clock run time, hours.
    pub run_hours: f64,
    /// Jobs the run is cut into by the walltime limit (1 = one job).
    pub segments: u32,
    /// Allocated GPU-hours.
    pub gpu_hours: f64,
    /// Energy including the data centre's PUE, kWh.
    pub energy_kwh: f64,
    /// Cost to the applicant under the price policy, KRW.
    pub cost_krw: f64,
    /// The same GPU-hours at the market reference price, KRW.
    pub market_cost_krw: f64,
    /// Time to move the input data here, hours.
    pub transfer_hours: f64,
    /// Expected queue wait over all segments, hours; `None` without live data.
    pub wait_hours: Option<f64>,
    /// The simulated wait of one submission, when one was run.
    pub wait: Option<WaitBand>,
    /// Transfer + wait + run, hours; `None` when the wait is unknown.
    pub time_to_result_hours: Option<f64>,
}

/// Dense peak TFLOPS of `gpu` at `p`, falling back to wider precisions it has.
pub fn peak_tflops(gpu: &GpuModel, p: Precision) -> (f64, Precision) {
    let mut p = p;
    loop {
        let t = match p {
            Precision::Fp64 => gpu.fp64_tflops,
            Precision::Fp32Tf32 => gpu.tf32_tflops,
            Precision::Bf16Fp16 => gpu.bf16_tflops,
            Precision::Fp8 => gpu.fp8_tflops,
            Precision::Fp4 => gpu.fp4_tflops,
        };
        match p.wider() {
            Some(w) if t <= 0.0 => p = w,
            _ => return (t.max(f64::MIN_POSITIVE), p),
        }
    }
}

/// Effective peak TFLOPS per GPU for the workload's mix (time-weighted harmonic mean).
pub fn mix_tflops(gpu: &GpuModel, w: &Workload) -> (f64, Precision) {
    let rest = if w.precision == Precision::Fp64 { Precision::Fp32Tf32 } else { w.precision };
    let (t_rest, used) = peak_tflops(gpu, rest);
    let (t64, _) = peak_tflops(gpu, Precision::Fp64);
    let s = w.fp64_share;
    let used = if w.precision == Precision::Fp64 { Precision::Fp64 } else { used };
    (1.0 / (s / t64 + (1.0 - s) / t_rest), used)
}

/// Whole nodes a workload takes on `pool`.
pub fn nodes_on(pool: &Pool, w: &Workload) -> u32 {
    w.gpus.div_ceil(pool.gpus_per_node.max(1)).max(w.min_nodes)
}

/// Estimates `w` on `t`; `ref_tflops` is the mix throughput of `w.measured_on`.
pub fn estimate(cat: &Catalogue, t: Target, w: &Workload, cond: Option<&PoolConditions>, ref_tflops: f64) -> Estimates {
    let (pool, place) = (t.pool, &t.pool.placement);
    let nodes = nodes_on(pool, w);
    let gpus_allocated = nodes * pool.gpus_per_node;
    let (mut tflops, precision_used) = mix_tflops(t.gpu, w);
    let spills =
        w.allow_cpu_spill && place.spill_memory_gb_per_gpu > 0.0 && w.memory.per_gpu_gb > f64::from(t.gpu.memory_gb);
    if spills {
        tflops *= cat.advisor.grace_spill_throughput;
    }
    let scaling = match (nodes > 1, w.coupling) {
        (false, _) | (true, Coupling::Independent) => 1.0,
        (true, Coupling::Moderate) => place.interconnect.scaling_moderate,
        (true, Coupling::TightlyCoupled) => place.interconnect.scaling_tight,
    };
    let run_hours = if w.purpose.is_time_based() { w.run_hours } else { w.run_hours * ref_tflops / (tflops * scaling) };
    let segments = match pool.walltime_limit_hours.filter(|_| pool.scheduler == SchedulerKind::Batch) {
        Some(limit) if w.checkpointing && run_hours > f64::from(limit) => (run_hours / f64::from(limit)).ceil() as u32,
        _ => 1,
    };
    let gpu_hours = f64::from(gpus_allocated) * run_hours;
    let energy_kwh = gpu_hours * pool.node_power_kw / f64::from(pool.gpus_per_node) * t.system.pue;
    let market_cost_krw = gpu_hours * cat.price_policy.market_krw_per_gpu_hour(&pool.gpu_model);
    let cost_krw = market_cost_krw * cat.price_policy.multiplier(w.sector);
    let local = w.data_site.as_deref() == Some(place.site.as_str());
    let transfer_hours = if local || w.dataset_tb <= 0.0 { 0.0 } else { w.dataset_tb / place.inbound_tb_per_hour };
    let wait = cond.and_then(|c| c.wait);
    let wait_hours = cond.map(|c| f64::from(segments) * one_wait_hours(cat, c, gpus_allocated));
    Estimates {
        nodes,
        gpus_allocated,
        precision_used,
        tflops_per_gpu: tflops,
        spills_to_cpu_memory: spills,
        scaling,
        run_hours,
        segments,
        gpu_hours,
        energy_kwh,
        cost_krw,
        market_cost_krw,
        transfer_hours,
        wait_hours,
        wait,
        time_to_result_hours: wait_hours.map(|wh| transfer_hours + wh + run_hours),
    }
}

/// Wait of one submission: the simulated median when there is one, else a
/// queue heuristic (0 when enough GPUs are free; otherwise the GPUs ahead of
/// the job over the pool's size times the queue turnover time).
fn one_wait_hours(cat: &Catalogue, c: &PoolConditions, gpus: u32) -> f64 {
    if let Some(band) = c.wait {
        return band.p50_seconds as f64 / 3_600.0;
    }
    if gpus <= c.free_gpus {
        return 0.0;
    }
    let ahead = f64::from(c.pending_gpus) + f64::from(gpus - c.free_gpus);
    cat.advisor.queue_turnover_hours * ahead / f64::from(c.total_gpus.max(1))
}
