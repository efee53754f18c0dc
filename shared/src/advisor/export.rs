//! The wizard's "export as allocation request": a draft the allocation
//! programme reads (the form as typed, the recommended pool and the figures a
//! reviewer checks). Versioned JSON; add fields, never rename them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::DataSource;

use super::reason::Reason;
use super::recommend::{Decider, Decision, Recommendation};
use super::workflow::{WorkflowInput, WorkflowPlan};
use super::workload::WorkloadInput;

/// Format version of [`AllocationDraft`].
pub const DRAFT_VERSION: u32 = 1;

/// The estimates of the recommended pool, as exported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftEstimates {
    /// Wall-clock run time, hours.
    pub run_hours: f64,
    /// Expected queue wait, hours (`None` without live data).
    pub wait_hours: Option<f64>,
    /// Queue wait band of one submission, seconds (p10, p50, p90), when simulated.
    pub wait_band_seconds: Option<[u64; 3]>,
    /// Input data transfer, hours.
    pub transfer_hours: f64,
    /// Energy including PUE, kWh.
    pub energy_kwh: f64,
    /// Cost to the applicant under the price policy, KRW.
    pub cost_krw: f64,
    /// The same GPU-hours at the market reference price, KRW.
    pub market_cost_krw: f64,
}

/// A draft allocation request built from one wizard result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationDraft {
    /// [`DRAFT_VERSION`].
    pub version: u32,
    /// When the draft was made (UTC).
    pub generated_at: DateTime<Utc>,
    /// The form as submitted (re-ranking it reproduces the recommendation).
    pub workload: WorkloadInput,
    /// The recommended pool; `None` when no pool fits.
    pub recommended_pool: Option<String>,
    /// GPUs to allocate (whole nodes of the recommended pool).
    pub gpus: u32,
    /// Nodes to allocate.
    pub nodes: u32,
    /// Allocated GPU-hours.
    pub gpu_hours: f64,
    /// Hours the allocation must cover (run time, including checkpointed resubmissions).
    pub period_hours: f64,
    pub estimates: DraftEstimates,
    /// Why the recommended pool fits, in Korean and English (its own
    /// strength, never another pool's exclusion).
    pub reason_ko: Option<String>,
    pub reason_en: Option<String>,
    /// Where the live figures came from.
    pub source: DataSource,
    /// The catalogue the figures come from (absent in drafts made before it was recorded).
    #[serde(default)]
    pub catalogue_version: Option<String>,
    #[serde(default)]
    pub catalogue_as_of: Option<String>,
    /// The workflow stages this draft covers (a workflow's export has one
    /// draft per pool); empty for a single workload.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<String>,
}

/// `x` rounded to `decimals` places (exported figures are read by people).
fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// Why the top pool of `rec` fits: the deciding reason when it is the top
/// pool's own (a criterion it wins on), else its strongest criterion.
fn fit_reason(rec: &Recommendation) -> Option<Reason> {
    let top = rec.top.as_deref().and_then(|id| rec.pool(id))?;
    match rec.deciding.as_ref() {
        Some(Decision { decider: Decider::Criterion { .. } | Decider::Tie { .. }, reason: Some(r), .. }) => Some(*r),
        _ => top.criteria.iter().max_by(|a, b| a.contribution.total_cmp(&b.contribution)).map(|c| c.reason),
    }
}

impl AllocationDraft {
    /// The draft for `workload` ranked as `rec`, made at `generated_at`.
    pub fn new(
        workload: WorkloadInput,
        rec: &Recommendation,
        generated_at: DateTime<Utc>,
        source: DataSource,
    ) -> AllocationDraft {
        let top = rec.top.as_deref().and_then(|id| rec.pool(id));
        let e = top.map(|p| p.estimates);
        let reason = fit_reason(rec);
        AllocationDraft {
            version: DRAFT_VERSION,
            generated_at,
            workload,
            recommended_pool: rec.top.clone(),
            gpus: e.map_or(0, |e| e.gpus_allocated),
            nodes: e.map_or(0, |e| e.nodes),
            gpu_hours: e.map_or(0.0, |e| round(e.gpu_hours, 1)),
            period_hours: e.map_or(0.0, |e| round(e.run_hours, 1)),
            estimates: e.map_or_else(DraftEstimates::default, |e| DraftEstimates {
                run_hours: round(e.run_hours, 1),
                wait_hours: e.wait_hours.map(|h| round(h, 1)),
                wait_band_seconds: e.wait.map(|b| [b.p10_seconds, b.p50_seconds, b.p90_seconds]),
                transfer_hours: round(e.transfer_hours, 1),
                energy_kwh: round(e.energy_kwh, 0),
                cost_krw: round(e.cost_krw, 0),
                market_cost_krw: round(e.market_cost_krw, 0),
            }),
            reason_ko: reason.map(|r| r.ko()),
            reason_en: reason.map(|r| r.en()),
            source,
            catalogue_version: Some(rec.catalogue_version.clone()),
            catalogue_as_of: Some(rec.catalogue_as_of.clone()),
            stages: Vec::new(),
        }
    }

    /// Adds stage `name`'s draft `d` (same pool) to this one: the widest
    /// stage sets the GPUs, the stages' GPU-hours, run times, energy and
    /// costs add up (the stages run one after another).
    fn absorb(&mut self, d: AllocationDraft, name: &str) {
        self.stages.push(name.to_owned());
        self.gpus = self.gpus.max(d.gpus);
        self.nodes = self.nodes.max(d.nodes);
        self.gpu_hours = round(self.gpu_hours + d.gpu_hours, 1);
        self.period_hours = round(self.period_hours + d.period_hours, 1);
        let (a, b) = (&mut self.estimates, d.estimates);
        a.run_hours = round(a.run_hours + b.run_hours, 1);
        a.wait_hours = a.wait_hours.zip(b.wait_hours).map(|(x, y)| round(x + y, 1));
        a.wait_band_seconds = None;
        a.transfer_hours = round(a.transfer_hours + b.transfer_hours, 1);
        a.energy_kwh = round(a.energy_kwh + b.energy_kwh, 0);
        a.cost_krw = round(a.cost_krw + b.cost_krw, 0);
        a.market_cost_krw = round(a.market_cost_krw + b.market_cost_krw, 0);
    }
}

/// A workflow exported as allocation requests: one draft per pool its
/// stages were placed on, in the order the pools are first used, each
/// naming its stages (the workload of the first of them, the sums of all).
/// Stages that fit no pool are left out.
pub fn workflow_drafts(
    input: &WorkflowInput,
    plan: &WorkflowPlan,
    generated_at: DateTime<Utc>,
    source: DataSource,
) -> Vec<AllocationDraft> {
    let mut out: Vec<AllocationDraft> = Vec::new();
    for (stage_input, stage) in input.stages.iter().zip(&plan.stages) {
        let Some(pool) = stage.pool_id.as_deref() else { continue };
        let d = AllocationDraft::new(stage_input.workload.clone(), &stage.recommendation, generated_at, source);
        match out.iter_mut().find(|x| x.recommended_pool.as_deref() == Some(pool)) {
            Some(acc) => acc.absorb(d, &stage.name),
            None => out.push(AllocationDraft { stages: vec![stage.name.clone()], ..d }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::presets::preset;
    use crate::advisor::{recommend, Conditions};
    use crate::catalogue::Catalogue;

    #[test]
    fn a_draft_names_the_top_pool_and_survives_a_json_round_trip() {
        let cat = Catalogue::embedded().unwrap();
        let input = preset("cfd_mpi_256").unwrap().input();
        let rec = recommend(&cat, &input.parse(&cat).unwrap(), &Conditions::unknown());
        let draft = AllocationDraft::new(input.clone(), &rec, crate::time::utc(1_790_000_000), DataSource::Demo);
        assert_eq!(draft.recommended_pool.as_deref(), Some("kisti6-gh200"));
        assert_eq!(draft.gpus, 256);
        assert!(draft.gpu_hours > 0.0 && draft.reason_en.is_some());
        let json = serde_json::to_string(&draft).unwrap();
        let back: AllocationDraft = serde_json::from_str(&json).unwrap();
        assert_eq!(back, draft);
        assert_eq!(back.workload.parse(&cat).unwrap(), input.parse(&cat).unwrap());
        assert_eq!(draft.catalogue_version.as_deref(), Some(cat.version.as_str()));
        assert_eq!(draft.estimates.energy_kwh.fract(), 0.0, "kWh are whole");
        assert_eq!((draft.estimates.run_hours * 10.0).fract(), 0.0, "hours to a tenth");
    }

    #[test]
    fn the_drafts_reason_is_why_the_chosen_pool_fits_not_why_another_was_excluded() {
        let cat = Catalogue::embedded().unwrap();
        // 70B fine-tuning: GH200 (96 GB) is ruled out on memory; the draft says why B200 fits.
        let input: WorkloadInput = serde_json::from_value(serde_json::json!({"purpose": "fine_tuning",
            "model_params_b": 70, "gpus": 8, "run_hours": 48, "sector": "university"}))
        .unwrap();
        let rec = recommend(&cat, &input.parse(&cat).unwrap(), &Conditions::unknown());
        assert!(matches!(rec.deciding.as_ref().unwrap().decider, Decider::Constraint { .. }));
        let draft = AllocationDraft::new(input, &rec, crate::time::utc(1_790_000_000), DataSource::Demo);
        let reason = draft.reason_en.unwrap();
        assert!(!reason.contains("GB per GPU"), "{reason}");
    }

    #[test]
    fn a_workflow_exports_one_draft_per_pool_with_its_stages_summed() {
        use crate::advisor::presets::virtuous_cycle;
        use crate::advisor::workflow::plan_workflow;
        let cat = Catalogue::embedded().unwrap();
        let input = virtuous_cycle(crate::i18n::Locale::En);
        let plan = plan_workflow(&cat, &input, &Conditions::unknown()).unwrap();
        let at = crate::time::utc(1_790_000_000);
        let drafts = workflow_drafts(&input, &plan, at, DataSource::Demo);
        let pools: std::collections::BTreeSet<_> = plan.stages.iter().filter_map(|s| s.pool_id.clone()).collect();
        assert_eq!(drafts.len(), pools.len(), "one draft per pool used");
        assert!(drafts.len() >= 2, "the virtuous cycle spans KISTI-6 and the cloud: {pools:?}");
        let covered: usize = drafts.iter().map(|d| d.stages.len()).sum();
        assert_eq!(covered, plan.stages.iter().filter(|s| s.pool_id.is_some()).count());
        for d in &drafts {
            let pool = d.recommended_pool.as_deref().unwrap();
            let mine: Vec<_> = plan.stages.iter().filter(|s| s.pool_id.as_deref() == Some(pool)).collect();
            let names: Vec<String> = mine.iter().map(|s| s.name.clone()).collect();
            assert_eq!(d.stages, names);
            let hours: f64 = mine.iter().map(|s| s.recommendation.pool(pool).unwrap().estimates.gpu_hours).sum();
            assert!((d.gpu_hours - hours).abs() <= 0.1 * mine.len() as f64, "{pool}: {} vs {hours}", d.gpu_hours);
            let json = serde_json::to_string(d).unwrap();
            assert_eq!(&serde_json::from_str::<AllocationDraft>(&json).unwrap(), d);
        }
    }
}
