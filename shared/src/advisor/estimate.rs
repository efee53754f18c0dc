//! What running a workload on one pool takes: nodes, run time, GPU-hours,
//! energy, cost, data transfer and queue wait.
//!
//! - Throughput (a roofline class per workload, [`Compute`]): tensor-core
//!   work runs at the tensor peak of its precision (falling back to wider
//!   precisions the GPU has); plain FP32/FP64 codes at the CUDA-core peak;
//!   memory-bound codes at HBM bandwidth over the bytes per value. The FP64
//!   share mixes FP64 with the rest (time-weighted harmonic mean).
//! - Run time: work-based purposes do a fixed amount of work, stated as hours
//!   on `measured_on` GPUs; on a pool it takes `hours × ref_rate ÷ (rate ×
//!   scaling)`, both rates of the same class, scaling the fabric's parallel
//!   efficiency across nodes. Services and interactive work run for the
//!   stated hours.
//! - GPU memory per GPU: as stated, or from the model size at the precision
//!   the pool runs (a fallback to a wider precision needs more).
//! - GPU-hours count whole nodes (the unit of award), or for a job smaller
//!   than a server the smallest instance the pool offers (`instance_gpus`).
//!   Energy = GPU-hours × typical node draw ÷ GPUs per node × PUE, the
//!   typical draw being node maximum × `typical_load_fraction` for every
//!   pool alike; a partial node is powered for what it uses.
//! - Cost = GPU-hours × market price × the sector's share (price policy).
//! - Transfer = dataset TB ÷ the pool's inbound TB/h, 0 when the data is there.

use serde::Serialize;

use crate::catalogue::{Catalogue, GpuModel, Pool, SchedulerKind, System};

use super::conditions::PoolConditions;
use super::kinds::{Compute, Coupling, Precision};
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
    /// GPUs occupied: whole nodes, or the smallest instance of the pool
    /// that holds a job smaller than a server.
    pub gpus_allocated: u32,
    /// Precision the dominant part runs at (wider when the GPU lacks the one asked for).
    pub precision_used: Precision,
    /// What bounds the run time (the workload's class).
    pub compute: Compute,
    /// Dense peak TFLOPS per GPU for the precision mix on the units the
    /// class uses (tensor or CUDA cores), after a CPU-memory spill.
    pub tflops_per_gpu: f64,
    /// HBM bandwidth per GPU, TB/s (after a CPU-memory spill).
    pub memory_tb_per_s: f64,
    /// The rate the class is bound by, in its unit (TFLOPS; for memory-bound
    /// work tera-values per second: TB/s ÷ bytes per value). Pools compare on it.
    pub rate_per_gpu: f64,
    /// GPU memory needed per GPU on this pool, GB (0 = not stated).
    pub memory_gb_per_gpu: f64,
    /// Whether GPU memory spills into CPU memory (Grace).
    pub spills_to_cpu_memory: bool,
    /// Parallel efficiency across nodes, 0..=1.
    pub scaling: f64,
    /// Wall-clock run time, hours.
    pub run_hours: f64,
    /// Jobs the run is cut into by the walltime limit (1 = one job).
    pub segments: u32,
    /// Wider than the pool's per-job policy but within what it has: runs
    /// only under a reservation or special allocation (independent tasks
    /// never need one: they run as many jobs).
    pub needs_reservation: bool,
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
    /// Expected queue wait over all segments, hours; `None` without live
    /// data, or when the job can never start (`never_starts`).
    pub wait_hours: Option<f64>,
    /// The pool's capacity up now can never hold the job: no finite wait.
    pub never_starts: bool,
    /// The simulated wait of one submission, when one was run.
    pub wait: Option<WaitBand>,
    /// Transfer + wait + run, hours; `None` when the wait is unknown.
    pub time_to_result_hours: Option<f64>,
}

/// Dense TFLOPS of `gpu` at `p` on whichever unit does `p` faster (tensor
/// cores, or CUDA cores for FP32 and FP64); 0 when it has neither.
fn units_tflops(gpu: &GpuModel, p: Precision) -> f64 {
    match p {
        Precision::Fp64 => gpu.fp64_tflops.max(gpu.fp64_vector_tflops),
        Precision::Fp32Tf32 => gpu.tf32_tflops.max(gpu.fp32_vector_tflops),
        Precision::Bf16Fp16 => gpu.bf16_tflops,
        Precision::Fp8 => gpu.fp8_tflops,
        Precision::Fp4 => gpu.fp4_tflops,
    }
}

/// Dense peak TFLOPS of `gpu` at `p` for tensor-core work, falling back to
/// wider precisions it has (TF32 without tensor cores runs as FP32 on CUDA cores).
pub fn peak_tflops(gpu: &GpuModel, p: Precision) -> (f64, Precision) {
    let mut p = p;
    loop {
        let t = units_tflops(gpu, p);
        match p.wider() {
            Some(w) if t <= 0.0 => p = w,
            _ => return (t.max(f64::MIN_POSITIVE), p),
        }
    }
}

/// CUDA-core TFLOPS of `gpu` at `p`: FP64, or FP32 for everything narrower
/// (plain codes do not reach the tensor formats).
fn vector_tflops(gpu: &GpuModel, p: Precision) -> f64 {
    let t = if p == Precision::Fp64 { gpu.fp64_vector_tflops } else { gpu.fp32_vector_tflops };
    t.max(f64::MIN_POSITIVE)
}

/// What one GPU of a model sustains for a workload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput {
    /// Peak TFLOPS of the precision mix on the units the class uses.
    pub tflops: f64,
    /// The rate the class is bound by (TFLOPS, or tera-values per second when memory-bound).
    pub rate: f64,
    /// Precision the dominant part runs at.
    pub precision_used: Precision,
}

/// Throughput of `gpu` for `w`'s compute class and precision mix.
pub fn throughput(gpu: &GpuModel, w: &Workload) -> Throughput {
    let rest = if w.precision == Precision::Fp64 { Precision::Fp32Tf32 } else { w.precision };
    let s = w.fp64_share;
    let mix = |t64: f64, t_rest: f64| 1.0 / (s / t64 + (1.0 - s) / t_rest);
    match w.compute {
        Compute::Vector => {
            let tflops = mix(vector_tflops(gpu, Precision::Fp64), vector_tflops(gpu, rest));
            Throughput { tflops, rate: tflops, precision_used: w.precision }
        }
        Compute::Tensor | Compute::MemoryBound => {
            let (t_rest, used) = peak_tflops(gpu, rest);
            let (t64, _) = peak_tflops(gpu, Precision::Fp64);
            let used = if w.precision == Precision::Fp64 { Precision::Fp64 } else { used };
            let tflops = mix(t64, t_rest);
            let rate = if w.compute == Compute::MemoryBound {
                // Values streamed per second: the bytes per value follow the precision run.
                let bytes = s * Precision::Fp64.bytes() + (1.0 - s) * used.bytes();
                gpu.memory_tb_per_s.max(f64::MIN_POSITIVE) / bytes
            } else {
                tflops
            };
            Throughput { tflops, rate, precision_used: used }
        }
    }
}

/// Whole nodes a workload takes on `pool`.
pub fn nodes_on(pool: &Pool, w: &Workload) -> u32 {
    w.gpus.div_ceil(pool.gpus_per_node.max(1)).max(w.min_nodes)
}

/// GPUs a workload is given on `pool`: the smallest instance that holds a
/// job smaller than a server (when the pool offers one), else whole nodes.
pub fn gpus_allocated_on(pool: &Pool, w: &Workload, nodes: u32) -> u32 {
    let whole = nodes * pool.gpus_per_node;
    if nodes > 1 {
        return whole;
    }
    pool.instance_gpus.iter().copied().filter(|&g| g >= w.gpus && g < pool.gpus_per_node).min().unwrap_or(whole)
}

/// Estimates `w` on `t`; `ref_rate` is [`Throughput::rate`] of `w.measured_on`.
pub fn estimate(cat: &Catalogue, t: Target, w: &Workload, cond: Option<&PoolConditions>, ref_rate: f64) -> Estimates {
    let (pool, place) = (t.pool, &t.pool.placement);
    let nodes = nodes_on(pool, w);
    let gpus_allocated = gpus_allocated_on(pool, w, nodes);
    let Throughput { mut tflops, mut rate, precision_used } = throughput(t.gpu, w);
    let mut memory_tb_per_s = t.gpu.memory_tb_per_s;
    let memory_gb_per_gpu = w.memory.on(&cat.advisor.memory, precision_used);
    let spills =
        w.allow_cpu_spill && place.spill_memory_gb_per_gpu > 0.0 && memory_gb_per_gpu > f64::from(t.gpu.memory_gb);
    if spills {
        tflops *= cat.advisor.grace_spill_throughput;
        rate *= cat.advisor.grace_spill_throughput;
        memory_tb_per_s *= cat.advisor.grace_spill_throughput;
    }
    let scaling = match (nodes > 1, w.coupling) {
        (false, _) | (true, Coupling::Independent) => 1.0,
        (true, Coupling::Moderate) => place.interconnect.scaling_moderate,
        (true, Coupling::TightlyCoupled) => place.interconnect.scaling_tight,
    };
    let run_hours = if w.is_time_based() { w.run_hours } else { w.run_hours * ref_rate / (rate * scaling) };
    let segments = match pool.walltime_limit_hours.filter(|_| pool.scheduler == SchedulerKind::Batch) {
        Some(limit) if w.checkpointing && run_hours > f64::from(limit) => (run_hours / f64::from(limit)).ceil() as u32,
        _ => 1,
    };
    let needs_reservation = w.coupling != Coupling::Independent && nodes > pool.max_job_nodes;
    let gpu_hours = f64::from(gpus_allocated) * run_hours;
    // Typical draw at load on one basis for every pool: node maximum × the catalogue's load share.
    let node_kw = pool.node_power_kw * cat.advisor.typical_load_fraction;
    let energy_kwh = gpu_hours * node_kw / f64::from(pool.gpus_per_node) * t.system.pue;
    let market_cost_krw = gpu_hours * cat.price_policy.market_krw_per_gpu_hour(&pool.gpu_model);
    let cost_krw = market_cost_krw * cat.price_policy.multiplier(w.sector);
    let local = w.data_site.as_deref() == Some(place.site.as_str());
    let transfer_hours = if local || w.dataset_tb <= 0.0 { 0.0 } else { w.dataset_tb / place.inbound_tb_per_hour };
    let wait = cond.and_then(|c| c.wait);
    let never_starts = cond.is_some_and(|c| c.never_starts || gpus_allocated > c.total_gpus);
    let wait_hours =
        cond.filter(|_| !never_starts).map(|c| f64::from(segments) * one_wait_hours(cat, c, gpus_allocated));
    Estimates {
        nodes,
        gpus_allocated,
        precision_used,
        compute: w.compute,
        tflops_per_gpu: tflops,
        memory_tb_per_s,
        rate_per_gpu: rate,
        memory_gb_per_gpu,
        spills_to_cpu_memory: spills,
        scaling,
        run_hours,
        segments,
        needs_reservation,
        gpu_hours,
        energy_kwh,
        cost_krw,
        market_cost_krw,
        transfer_hours,
        wait_hours,
        never_starts,
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
