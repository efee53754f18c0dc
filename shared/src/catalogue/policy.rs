//! The adjustable policies of the placement advisor, as catalogue data: the
//! price policy (market reference prices, what each sector pays) and the
//! advisor's assumptions (criterion weights, efficiencies, memory model, the
//! wait simulation). The values live in `fleet.toml` with their sources.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::advisor::kinds::{Purpose, Sector};
use crate::api::DataSource;

/// What a GPU-hour costs whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PricePolicy {
    /// Exchange rate used to turn USD market prices into KRW (KRW per USD).
    pub krw_per_usd: f64,
    /// Market reference price of one GPU-hour in USD, by GPU model.
    pub market_usd_per_gpu_hour: BTreeMap<String, f64>,
    /// Share of the market price each sector pays (0 = free).
    pub sector_multiplier: SectorMultipliers,
}

/// Share of the market price paid, per applicant sector.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectorMultipliers {
    pub university: f64,
    pub government_institute: f64,
    pub sme: f64,
    pub startup: f64,
    pub large_company: f64,
}

impl PricePolicy {
    /// Market reference price of one GPU-hour of `gpu_model` in KRW (0 when unknown).
    pub fn market_krw_per_gpu_hour(&self, gpu_model: &str) -> f64 {
        self.market_usd_per_gpu_hour.get(gpu_model).copied().unwrap_or(0.0) * self.krw_per_usd
    }

    /// Share of the market price `sector` pays.
    pub fn multiplier(&self, sector: Sector) -> f64 {
        let m = &self.sector_multiplier;
        match sector {
            Sector::University => m.university,
            Sector::GovernmentInstitute => m.government_institute,
            Sector::Sme => m.sme,
            Sector::Startup => m.startup,
            Sector::LargeCompany => m.large_company,
        }
    }
}

/// The advisor's assumptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisorPolicy {
    /// GPU model on which stated run lengths are taken to be measured.
    pub reference_gpu: String,
    /// Share of normal throughput left when GPU memory spills into CPU memory (Grace), 0..=1.
    pub grace_spill_throughput: f64,
    /// Typical draw at load as a share of a node's maximum power, the same
    /// for every pool (energy compares like with like), 0..=1.
    pub typical_load_fraction: f64,
    /// Hours in which a pool's queue turns over, for the wait estimate without a simulation.
    pub queue_turnover_hours: f64,
    /// Queue-wait score of a pool without live data, 0..=1.
    pub unknown_wait_score: f64,
    /// Highest queue score of a job wider than the pool's per-job policy
    /// (it runs only under a reservation or special allocation), 0..=1.
    pub reservation_queue_score: f64,
    /// Two totals closer than this are a tie, not a win (0..=1).
    pub tie_margin: f64,
    pub efficiency: Efficiency,
    pub memory: MemoryModel,
    pub weights: Weights,
    /// Per-purpose weight changes, keyed by purpose (snake_case).
    #[serde(default)]
    pub purpose_weights: BTreeMap<String, WeightOverrides>,
    pub wait: WaitModel,
}

/// Model FLOPs utilisation assumed in run-time estimates (fraction of dense peak).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Efficiency {
    /// AI work (training, inference, analytics) at FP32 or narrower.
    pub ai: f64,
    /// FP64 simulation codes.
    pub hpc: f64,
}

/// How GPU memory is estimated from a model size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemoryModel {
    /// Bytes of GPU memory per parameter when training (weights, gradients, optimizer state).
    pub training_bytes_per_param: f64,
    /// Factor on the weights' bytes when serving (KV cache, activations).
    pub inference_overhead: f64,
    /// Share of the parameters trained (with optimizer state) in parameter-efficient fine-tuning.
    pub peft_trained_fraction: f64,
}

/// Weight of each criterion in the total score (any scale; normalised by their sum).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weights {
    pub precision: f64,
    pub interconnect: f64,
    pub platform: f64,
    pub data: f64,
    pub queue: f64,
    pub energy: f64,
    pub cost: f64,
}

/// Per-purpose changes to [`Weights`]; absent fields keep the default weight.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeightOverrides {
    pub precision: Option<f64>,
    pub interconnect: Option<f64>,
    pub platform: Option<f64>,
    pub data: Option<f64>,
    pub queue: Option<f64>,
    pub energy: Option<f64>,
    pub cost: Option<f64>,
}

/// The forward simulation that predicts queue waits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitModel {
    /// Seeded runs per prediction (each samples actual run times anew).
    pub runs: u32,
    /// Actual run time as a fraction of requested walltime: lower bound of the uniform sample.
    pub runtime_fraction_min: f64,
    /// Upper bound of the same sample (≤ 1: jobs never outlive their walltime).
    pub runtime_fraction_max: f64,
    /// Simulated time after which a job that has not started counts as not starting, days.
    pub horizon_days: f64,
    /// Calibration of the simulated band by observed waits, per pool id
    /// (the backtest fits it); a pool without one gets the simulated band.
    #[serde(default)]
    pub calibration: BTreeMap<String, WaitCalibration>,
}

/// Empirical quantile calibration of simulated waits, in the spirit of
/// QBETS [S15]: a curve from the simulated median to the p10/p50/p90 of the
/// waits that submissions with that simulated median really had, measured
/// by the backtest ([`crate::advisor::backtest`]). Between points it is
/// interpolated; past the last point it scales with the simulated median.
/// Each column is non-decreasing, so a longer simulated wait never gives a
/// shorter band. No points: the simulated band as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitCalibration {
    /// The source whose waits it was fitted on: it applies only to queues
    /// from that source (a curve fitted on the demo says nothing of a real
    /// scheduler's queue).
    #[serde(default = "demo_source")]
    pub fitted_on: DataSource,
    /// `[simulated p50, real p10, real p50, real p90]`, seconds, by simulated p50.
    #[serde(default)]
    pub points: Vec<[u64; 4]>,
}

fn demo_source() -> DataSource {
    DataSource::Demo
}

impl Default for WaitCalibration {
    /// No curve: the simulated band as it is.
    fn default() -> Self {
        WaitCalibration { fitted_on: DataSource::Demo, points: Vec::new() }
    }
}

impl WaitCalibration {
    /// The calibrated (p10, p50, p90) for a simulated band `raw`, each
    /// capped at `horizon` (a censored simulated median stays censored).
    pub fn apply(&self, raw: [u64; 3], horizon: u64) -> [u64; 3] {
        let (Some(first), Some(last)) = (self.points.first(), self.points.last()) else { return raw };
        let x = raw[1];
        if x >= horizon {
            return [horizon; 3];
        }
        let cap = |v: f64| (v.round().max(0.0) as u64).min(horizon);
        let at = |k: usize, p: &[u64; 4]| p[k] as f64;
        let out = |f: &dyn Fn(usize) -> f64| [cap(f(1)), cap(f(2)), cap(f(3))];
        if x <= first[0] {
            return out(&|k| at(k, first));
        }
        if x >= last[0] {
            // Proportional beyond the curve (softened near zero).
            let scale = (x as f64 + 600.0) / (last[0] as f64 + 600.0);
            return out(&|k| at(k, last) * scale);
        }
        let i = self.points.partition_point(|p| p[0] <= x).max(1);
        let (a, b) = (&self.points[i - 1], &self.points[i]);
        let t = (x - a[0]) as f64 / (b[0] - a[0]).max(1) as f64;
        out(&|k| at(k, a) + (at(k, b) - at(k, a)) * t)
    }

    /// The first problem with the curve, if any.
    pub fn problem(&self) -> Option<&'static str> {
        let ordered = self.points.iter().all(|p| p[1] <= p[2] && p[2] <= p[3]);
        let increasing = self.points.windows(2).all(|w| w[0][0] < w[1][0] && (1..4).all(|k| w[0][k] <= w[1][k]));
        (!ordered || !increasing)
            .then_some("advisor.wait.calibration points must rise in every column with p10 ≤ p50 ≤ p90")
    }
}

impl Weights {
    /// The weights in criterion order (precision, interconnect, platform, data, queue, energy, cost).
    pub fn as_array(&self) -> [f64; 7] {
        [self.precision, self.interconnect, self.platform, self.data, self.queue, self.energy, self.cost]
    }

    fn with(self, o: &WeightOverrides) -> Weights {
        Weights {
            precision: o.precision.unwrap_or(self.precision),
            interconnect: o.interconnect.unwrap_or(self.interconnect),
            platform: o.platform.unwrap_or(self.platform),
            data: o.data.unwrap_or(self.data),
            queue: o.queue.unwrap_or(self.queue),
            energy: o.energy.unwrap_or(self.energy),
            cost: o.cost.unwrap_or(self.cost),
        }
    }
}

impl AdvisorPolicy {
    /// The criterion weights for `purpose` (defaults with that purpose's overrides).
    pub fn weights_for(&self, purpose: Purpose) -> Weights {
        match self.purpose_weights.get(purpose.as_str()) {
            Some(o) => self.weights.with(o),
            None => self.weights,
        }
    }

    /// Checks ranges and keys; returns the first problem.
    pub fn problem(&self) -> Option<String> {
        let unit = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        if let Some(k) = self.purpose_weights.keys().find(|k| Purpose::parse(k).is_none()) {
            return Some(format!("advisor.purpose_weights: unknown purpose {k:?}"));
        }
        let all_weights = std::iter::once(self.weights).chain(Purpose::ALL.iter().map(|p| self.weights_for(*p)));
        for w in all_weights {
            let a = w.as_array();
            if a.iter().any(|x| !x.is_finite() || *x < 0.0) || a.iter().sum::<f64>() <= 0.0 {
                return Some("advisor weights must be non-negative with a positive sum".into());
            }
        }
        let e = &self.efficiency;
        let m = &self.wait;
        let units = [
            e.ai,
            e.hpc,
            self.grace_spill_throughput,
            self.unknown_wait_score,
            self.reservation_queue_score,
            self.tie_margin,
            self.typical_load_fraction,
            m.runtime_fraction_max,
        ];
        if !units.into_iter().all(unit) || e.ai <= 0.0 || e.hpc <= 0.0 || self.grace_spill_throughput <= 0.0 {
            return Some("advisor efficiencies and fractions must be in (0, 1]".into());
        }
        if let Some((pool, problem)) = m.calibration.iter().find_map(|(k, c)| Some((k, c.problem()?))) {
            return Some(format!("{pool}: {problem}"));
        }
        if !(m.runtime_fraction_min > 0.0 && m.runtime_fraction_min <= m.runtime_fraction_max) || m.runs == 0 {
            return Some("advisor.wait needs runs ≥ 1 and 0 < runtime_fraction_min ≤ runtime_fraction_max".into());
        }
        let positive = [self.queue_turnover_hours, m.horizon_days, self.memory.training_bytes_per_param];
        if !positive.into_iter().all(|x| x.is_finite() && x > 0.0)
            || self.memory.inference_overhead.is_nan()
            || self.memory.inference_overhead < 1.0
        {
            return Some("advisor turnover, horizon and memory figures must be positive".into());
        }
        None
    }
}
