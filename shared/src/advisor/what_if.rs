//! "What if" trade-offs for the wizard: the same work with twice or half the
//! GPUs, checkpointing switched, or the data moved to another site first.
//! Each variant is the submitted form changed in one place and parsed again,
//! so it is validated and estimated exactly like a typed form.

use serde::Serialize;

use crate::catalogue::Catalogue;

use super::conditions::Conditions;
use super::reason::Reason;
use super::recommend::{recommend, Recommendation};
use super::workload::{NumberText, Workload, WorkloadInput};

/// One change to a workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WhatIf {
    /// Twice the GPUs for the same work (shorter run).
    DoubleGpus,
    /// Half the GPUs for the same work (longer run).
    HalveGpus,
    /// Checkpointing switched on (`true`) or off.
    Checkpointing { on: bool },
    /// The input data moved to catalogue site `site` before the run.
    DataAt { site: String },
}

/// The top pick and its figures under one variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIfOutcome {
    /// The change; `None` for the workload as entered (same conditions, for comparison).
    pub change: Option<WhatIf>,
    /// The recommended pool; `None` when no pool fits.
    pub top: Option<String>,
    /// When no pool fits: why the best-ranked one is ruled out (e.g. the GPU memory it needs).
    pub why_none: Option<Reason>,
    /// GPUs asked for in the variant.
    pub gpus: u32,
    /// The top pool's run time, hours.
    pub run_hours: Option<f64>,
    /// The top pool's expected queue wait, hours.
    pub wait_hours: Option<f64>,
    /// The top pool's data transfer time, hours.
    pub transfer_hours: Option<f64>,
    /// The top pool's allocated GPU-hours.
    pub gpu_hours: Option<f64>,
    /// The top pool's cost to the applicant, KRW.
    pub cost_krw: Option<f64>,
    /// Transfer + wait + run on the top pool, hours.
    pub time_to_result_hours: Option<f64>,
}

/// The variants worth showing for `w` (ranked as `rec`).
pub fn variants(cat: &Catalogue, w: &Workload, rec: &Recommendation) -> Vec<WhatIf> {
    let mut out = Vec::with_capacity(4);
    // Fixed-duration work (services, sessions) does not finish sooner on more GPUs.
    if w.gpus < 50_000 && !w.is_time_based() {
        out.push(WhatIf::DoubleGpus);
    }
    if w.gpus >= 2 {
        out.push(WhatIf::HalveGpus);
    }
    if !w.is_time_based() {
        out.push(WhatIf::Checkpointing { on: !w.checkpointing });
    }
    // The data moved to the recommended pool's site first (its transfer then
    // happens before the run, not in the plan).
    if w.dataset_tb > 0.0 {
        let top_site = rec.top.as_deref().and_then(|id| site_of(cat, id));
        if let Some(site) = top_site.filter(|s| Some(s.as_str()) != w.data_site.as_deref()) {
            out.push(WhatIf::DataAt { site });
        }
    }
    out
}

fn site_of(cat: &Catalogue, pool_id: &str) -> Option<String> {
    cat.pools().find(|(_, p)| p.id == pool_id).map(|(_, p)| p.placement.site.clone())
}

/// `input` with `change` applied, using the parsed values of `w`.
pub fn apply(input: &WorkloadInput, w: &Workload, change: &WhatIf) -> WorkloadInput {
    let mut v = input.clone();
    let scale_gpus = |v: &mut WorkloadInput, gpus: u32| {
        let factor = f64::from(gpus) / f64::from(w.gpus);
        let hours = if w.is_time_based() { w.run_hours } else { w.run_hours / factor };
        v.gpus = Some(NumberText::Number(f64::from(gpus)));
        v.run_hours = Some(NumberText::Number(hours));
        v.gpu_hours = None;
        v.nodes = Some(NumberText::Number(f64::from(w.min_nodes.min(gpus))));
    };
    match change {
        WhatIf::DoubleGpus => scale_gpus(&mut v, w.gpus * 2),
        WhatIf::HalveGpus => scale_gpus(&mut v, (w.gpus / 2).max(1)),
        WhatIf::Checkpointing { on } => v.checkpointing = Some(*on),
        WhatIf::DataAt { site } => v.data_location = Some(site.clone()),
    }
    v
}

/// Ranks the workload as entered, then every variant of [`variants`], under
/// `cond`; variants that do not parse (e.g. beyond a field's range) are left out.
pub fn evaluate(
    cat: &Catalogue,
    input: &WorkloadInput,
    w: &Workload,
    rec: &Recommendation,
    cond: &Conditions,
) -> Vec<WhatIfOutcome> {
    let baseline = outcome(None, w.gpus, &recommend(cat, w, cond));
    let changed = variants(cat, w, rec).into_iter().filter_map(|change| {
        let vw = apply(input, w, &change).parse(cat).ok()?;
        let r = recommend(cat, &vw, cond);
        Some(outcome(Some(change), vw.gpus, &r))
    });
    std::iter::once(baseline).chain(changed).collect()
}

/// The headline figures of `rec`'s top pool.
pub fn outcome(change: Option<WhatIf>, gpus: u32, rec: &Recommendation) -> WhatIfOutcome {
    let e = rec.top.as_deref().and_then(|id| rec.pool(id)).map(|p| p.estimates);
    let why_none = rec.why_none();
    WhatIfOutcome {
        change,
        top: rec.top.clone(),
        why_none,
        gpus,
        run_hours: e.map(|e| e.run_hours),
        wait_hours: e.and_then(|e| e.wait_hours),
        transfer_hours: e.map(|e| e.transfer_hours),
        gpu_hours: e.map(|e| e.gpu_hours),
        cost_krw: e.map(|e| e.cost_krw),
        time_to_result_hours: e.and_then(|e| e.time_to_result_hours),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::presets::preset;

    #[test]
    fn doubling_the_gpus_keeps_the_work_and_halves_the_reference_run() {
        let cat = Catalogue::embedded().unwrap();
        let input = preset("fine_tune_70b").unwrap().input();
        let w = input.parse(&cat).unwrap();
        let doubled = apply(&input, &w, &WhatIf::DoubleGpus).parse(&cat).unwrap();
        assert_eq!(doubled.gpus, w.gpus * 2);
        assert!((doubled.reference_gpu_hours() - w.reference_gpu_hours()).abs() < 1e-9);
    }

    #[test]
    fn every_offered_variant_parses_and_is_ranked() {
        let cat = Catalogue::embedded().unwrap();
        for p in crate::advisor::presets::PRESETS {
            let input = p.input();
            let w = input.parse(&cat).unwrap();
            let rec = recommend(&cat, &w, &Conditions::unknown());
            let offered = variants(&cat, &w, &rec).len();
            let ranked = evaluate(&cat, &input, &w, &rec, &Conditions::unknown());
            assert_eq!(ranked.len(), offered + 1, "{}", p.id);
        }
    }

    #[test]
    fn moving_the_data_is_offered_only_with_data_to_move() {
        let cat = Catalogue::embedded().unwrap();
        let input = preset("notebook").unwrap().input();
        let w = input.parse(&cat).unwrap();
        let rec = recommend(&cat, &w, &Conditions::unknown());
        assert!(!variants(&cat, &w, &rec).iter().any(|v| matches!(v, WhatIf::DataAt { .. })));
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    use crate::advisor::presets::preset;

    #[test]
    fn the_data_moves_toward_the_recommended_pool() {
        let cat = Catalogue::embedded().unwrap();
        let mut input = preset("fine_tune_70b").unwrap().input();
        input.dataset_tb = Some(NumberText::Number(50.0));
        input.data_location = Some("elsewhere".into());
        let w = input.parse(&cat).unwrap();
        let rec = recommend(&cat, &w, &Conditions::unknown());
        let top_site = site_of(&cat, rec.top.as_deref().unwrap()).unwrap();
        let moves: Vec<_> =
            variants(&cat, &w, &rec).into_iter().filter(|v| matches!(v, WhatIf::DataAt { .. })).collect();
        assert_eq!(moves, vec![WhatIf::DataAt { site: top_site }]);
    }

    #[test]
    fn a_variant_without_a_pool_says_why() {
        let cat = Catalogue::embedded().unwrap();
        // 70B fully fine-tuned, not sharded: 1,120 GB on one GPU, nowhere.
        let input: WorkloadInput = serde_json::from_value(serde_json::json!({"purpose": "fine_tuning",
            "model_params_b": 70, "gpus": 2, "sharded": false, "run_hours": 10, "sector": "university"}))
        .unwrap();
        let w = input.parse(&cat).unwrap();
        let out = outcome(None, w.gpus, &recommend(&cat, &w, &Conditions::unknown()));
        assert_eq!(out.top, None);
        assert!(matches!(out.why_none, Some(Reason::GpuMemory { need_gb, .. }) if (need_gb - 1_120.0).abs() < 1e-9));
    }
}
