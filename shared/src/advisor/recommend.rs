//! [`recommend`]: every pool of the catalogue ranked for a workload. Hard
//! constraints first (failing pools are listed, never recommended), then the
//! weighted criteria; the top choice names its deciding reason.
//!
//! The deciding reason compares the top pool with the best pool of the other
//! kind (HPC batch vs GPU cloud), because that is the researcher's question
//! ("KISTI-6 or the GPU cloud?") and two pools of one kind (two B200 clouds)
//! often differ only by a PUE decimal. Each losing pool carries its own
//! `lost_on`, against the top pool.

use serde::Serialize;

use crate::api::SystemKind;
use crate::catalogue::Catalogue;

use super::conditions::Conditions;
use super::constraints::{failures, ConstraintFailure};
use super::criteria::{score, Best, CriterionScore};
use super::criterion::{Constraint, Criterion};
use super::estimate::{estimate, throughput, Estimates, Target, Throughput};
use super::kinds::Purpose;
use super::reason::Reason;
use super::workload::Workload;

/// What separates two pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decider {
    /// The criterion with the largest difference in weighted contribution.
    Criterion { criterion: Criterion },
    /// The other pool fails this hard constraint.
    Constraint { constraint: Constraint },
    /// No other pool to compare with.
    OnlyOption,
    /// The two totals are within the catalogue's tie margin: either pool
    /// serves; `criterion` is where the top one is slightly ahead.
    Tie { criterion: Criterion },
}

/// A decider with the pool it compares against and the reason to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Named apart from the programme's `allocation::Decision`: OpenAPI components
// are keyed by name, and with both called `Decision` one schema replaced the
// other, so placement answers were described as committee decisions.
#[cfg_attr(feature = "openapi", schema(as = PlacementDecision))]
pub struct Decision {
    /// The pool compared against; `None` with [`Decider::OnlyOption`].
    pub versus: Option<String>,
    pub decider: Decider,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::advisor::reason::ReasonText>))]
    pub reason: Option<Reason>,
}

/// One pool's assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolAssessment {
    pub pool_id: String,
    pub kind: SystemKind,
    /// Passes every hard constraint.
    pub feasible: bool,
    /// Failed hard constraints (empty when feasible).
    pub failures: Vec<ConstraintFailure>,
    /// Weighted total, 0..=1.
    pub score: f64,
    /// Per-criterion scores in [`Criterion::ALL`] order.
    pub criteria: [CriterionScore; 7],
    pub estimates: Estimates,
    /// Why this pool is not the top one (`None` for the top pool).
    pub lost_on: Option<Decision>,
}

/// The ranking of every pool for one workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendation {
    /// The recommended pool; `None` when no pool passes the hard constraints.
    pub top: Option<String>,
    /// Why the top pool rather than the best of the other kind.
    pub deciding: Option<Decision>,
    /// Model FLOPs utilisation assumed for the work (fraction of dense peak).
    pub efficiency: f64,
    /// The work in PFLOP (`reference GPU-hours × peak × efficiency`); 0 for services and notebooks.
    pub work_pflop: f64,
    /// The catalogue the figures come from: its version and date.
    pub catalogue_version: String,
    pub catalogue_as_of: String,
    /// When no pool fits: the widest job each pool accepts, to say so in one line.
    pub no_fit: Option<Vec<WidestJob>>,
    /// Every pool, best first: feasible pools by score, then the others.
    pub pools: Vec<PoolAssessment>,
}

impl Recommendation {
    /// When no pool fits: why the best-ranked one is ruled out.
    pub fn why_none(&self) -> Option<Reason> {
        match self.top {
            Some(_) => None,
            None => self.pools.first().and_then(|p| p.failures.first()).map(|f| f.reason),
        }
    }

    /// The assessment of `pool_id`.
    pub fn pool(&self, pool_id: &str) -> Option<&PoolAssessment> {
        self.pools.iter().find(|p| p.pool_id == pool_id)
    }
}

/// The widest job one pool accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidestJob {
    pub pool_id: String,
    /// GPUs in one job under the pool's per-job policy.
    pub gpus: u32,
    /// GPUs in one job under a reservation (every node in service).
    pub gpus_reserved: u32,
}

/// The widest job each pool of `cat` accepts.
pub fn widest_jobs(cat: &Catalogue) -> Vec<WidestJob> {
    cat.pools()
        .map(|(_, p)| WidestJob {
            pool_id: p.id.clone(),
            gpus: p.max_job_nodes.min(p.nodes_in_service).saturating_mul(p.gpus_per_node),
            gpus_reserved: p.nodes_in_service.saturating_mul(p.gpus_per_node),
        })
        .collect()
}

/// Ranks every pool of `cat` for `w` under the live `cond`. Pure; allocates
/// only the result.
pub fn recommend(cat: &Catalogue, w: &Workload, cond: &Conditions) -> Recommendation {
    // Interactive use of any purpose is weighed as a notebook is: the platform first.
    let weights = cat.advisor.weights_for(if w.interactive { Purpose::InteractiveNotebook } else { w.purpose });
    let reference = cat
        .gpu_models
        .get(&w.measured_on)
        .map_or(Throughput { tflops: 1.0, rate: 1.0, precision_used: w.precision }, |g| throughput(g, w));
    let targets = || {
        cat.pools()
            .filter_map(|(system, pool)| Some(Target { system, pool, gpu: cat.gpu_models.get(&pool.gpu_model)? }))
    };
    let mut pools: Vec<PoolAssessment> = Vec::with_capacity(cat.systems.iter().map(|s| s.pools.len()).sum());
    let mut best = Best { rate: 0.0, energy_kwh: f64::INFINITY, market_cost_krw: 0.0 };
    for t in targets() {
        let e = estimate(cat, t, w, cond.get(&t.pool.id), reference.rate);
        best.rate = best.rate.max(e.rate_per_gpu);
        best.energy_kwh = best.energy_kwh.min(e.energy_kwh);
        best.market_cost_krw = best.market_cost_krw.max(e.market_cost_krw);
        let failures = failures(t, w, &e);
        pools.push(PoolAssessment {
            pool_id: t.pool.id.clone(),
            kind: t.system.kind,
            feasible: failures.is_empty(),
            failures,
            score: 0.0,
            criteria: [CriterionScore::EMPTY; 7],
            estimates: e,
            lost_on: None,
        });
    }
    for (a, t) in pools.iter_mut().zip(targets()) {
        a.criteria = score(t, w, &a.estimates, &best, &weights, &cat.advisor);
        a.score = a.criteria.iter().map(|c| c.contribution).sum();
    }
    pools.sort_by(|a, b| b.feasible.cmp(&a.feasible).then(b.score.total_cmp(&a.score)));
    let deciding = decide(&pools, cat.advisor.tie_margin);
    explain_losers(&mut pools);
    let efficiency = if w.fp64_share >= 0.5 { cat.advisor.efficiency.hpc } else { cat.advisor.efficiency.ai };
    let work_pflop =
        if w.is_time_based() { 0.0 } else { w.reference_gpu_hours() * 3.6 * reference.tflops * efficiency };
    let top = pools.first().filter(|p| p.feasible).map(|p| p.pool_id.clone());
    let no_fit = top.is_none().then(|| widest_jobs(cat));
    Recommendation {
        top,
        deciding,
        efficiency,
        work_pflop,
        catalogue_version: cat.version.clone(),
        catalogue_as_of: cat.as_of.clone(),
        no_fit,
        pools,
    }
}

/// Why `winner` beats `other`; the reason is the winner's own (or the loser's
/// failed constraint) when `winner_reason`, else the loser's.
fn versus(winner: &PoolAssessment, other: &PoolAssessment, winner_reason: bool) -> Decision {
    let versus = Some(if winner_reason { other.pool_id.clone() } else { winner.pool_id.clone() });
    if let Some(f) = other.failures.first() {
        return Decision { versus, decider: Decider::Constraint { constraint: f.constraint }, reason: Some(f.reason) };
    }
    let gap = |c: &Criterion| winner.criteria[c.index()].contribution - other.criteria[c.index()].contribution;
    let c = Criterion::ALL.iter().copied().max_by(|a, b| gap(a).total_cmp(&gap(b))).unwrap_or(Criterion::Precision);
    let reason = match (winner_reason, c, other.criteria[c.index()].reason) {
        // Name the user's need the other pool falls short on, not the winner's own weakest fit.
        (true, Criterion::Platform, Reason::PlatformFit { need, fit }) => {
            Reason::PlatformNeedUnmet { need, other_fit: fit }
        }
        (true, ..) => winner.criteria[c.index()].reason,
        (false, ..) => other.criteria[c.index()].reason,
    };
    Decision { versus, decider: Decider::Criterion { criterion: c }, reason: Some(reason) }
}

fn decide(ranked: &[PoolAssessment], tie_margin: f64) -> Option<Decision> {
    let top = ranked.first().filter(|p| p.feasible)?;
    let other = ranked.iter().skip(1).find(|p| p.kind != top.kind).or(ranked.get(1));
    Some(match other {
        Some(o) => {
            let mut d = versus(top, o, true);
            if let Decider::Criterion { criterion } = d.decider {
                if o.feasible && top.score - o.score < tie_margin {
                    d.decider = Decider::Tie { criterion };
                }
            }
            d
        }
        None => Decision { versus: None, decider: Decider::OnlyOption, reason: None },
    })
}

fn explain_losers(ranked: &mut [PoolAssessment]) {
    let Some((top, rest)) = ranked.split_first_mut() else { return };
    let top_feasible = top.feasible;
    for p in rest {
        p.lost_on = if top_feasible { Some(versus(top, p, false)) } else { None };
    }
}

impl CriterionScore {
    /// A placeholder before scoring.
    pub const EMPTY: CriterionScore = CriterionScore {
        criterion: Criterion::Precision,
        score: 0.0,
        weight: 0.0,
        contribution: 0.0,
        reason: Reason::NoDataset,
    };
}
