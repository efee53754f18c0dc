//! The wizard's "export as allocation request": a draft the allocation
//! programme reads (the form as typed, the recommended pool and the figures a
//! reviewer checks). Versioned JSON; add fields, never rename them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::DataSource;

use super::reason::Reason;
use super::recommend::{Decider, Decision, Recommendation};
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
        }
    }
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
}
