//! The placement wizard's exported draft as the request form's starting
//! point: turned into a pre-filled [`RequestInput`] in the round's pool units.
//! Reading the draft (`?draft=` or `localStorage`) is [`crate::common::handover`].

use chrono::{Days, NaiveDate};
use kairr_shared::advisor::export::AllocationDraft;
use kairr_shared::allocation::{PoolUnit, RequestInput};

/// The request form pre-filled from `draft`: pool, sector and region as the
/// wizard had them, the amount in the pool's `unit` (whole servers, GPU-hours
/// or node-hours, rounded up), and a period from `today` (KST) covering the
/// draft's run time in whole days. The draft itself is attached.
pub fn prefill(draft: &AllocationDraft, unit: Option<PoolUnit>, today: NaiveDate) -> RequestInput {
    let amount = unit.map(|u| amount_in(draft, u)).filter(|a| *a > 0);
    let days = (draft.period_hours / 24.0).ceil().max(1.0) as u64;
    let end = today.checked_add_days(Days::new(days - 1)).unwrap_or(today);
    RequestInput {
        sector: draft.workload.sector.clone().unwrap_or_default(),
        region: draft.workload.region.clone().unwrap_or_default(),
        pool: draft.recommended_pool.clone().unwrap_or_default(),
        amount,
        period_start: crate::common::format::date(today),
        period_end: crate::common::format::date(end),
        advisor_draft: serde_json::to_value(draft).ok(),
        ..RequestInput::default()
    }
}

/// The draft's allocation in `unit`, rounded up.
fn amount_in(draft: &AllocationDraft, unit: PoolUnit) -> u64 {
    match unit {
        PoolUnit::Servers => u64::from(draft.nodes),
        PoolUnit::GpuHours => draft.gpu_hours.ceil().max(0.0) as u64,
        PoolUnit::NodeHours if draft.gpus > 0 => {
            (draft.gpu_hours * f64::from(draft.nodes) / f64::from(draft.gpus)).ceil().max(0.0) as u64
        }
        PoolUnit::NodeHours => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(gpus: u32, nodes: u32, gpu_hours: f64, period_hours: f64) -> AllocationDraft {
        let json = serde_json::json!({
            "version": 1,
            "generated_at": "2026-11-21T00:00:00Z",
            "workload": { "sector": "startup", "region": "busan", "stack": [] },
            "recommended_pool": "nhn-b200",
            "gpus": gpus,
            "nodes": nodes,
            "gpu_hours": gpu_hours,
            "period_hours": period_hours,
            "estimates": { "run_hours": 1.0, "wait_hours": null, "wait_band_seconds": null, "transfer_hours": 0.0,
                           "energy_kwh": 0.0, "cost_krw": 0.0, "market_cost_krw": 0.0 },
            "reason_ko": null,
            "reason_en": null,
            "source": "demo"
        });
        serde_json::from_value(json).expect("a valid draft")
    }

    #[test]
    fn the_amount_is_converted_to_the_pools_unit_and_rounded_up() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let d = draft(16, 2, 1_000.5, 49.0);
        let servers = prefill(&d, Some(PoolUnit::Servers), today);
        assert_eq!(servers.amount, Some(2));
        assert_eq!(
            (servers.pool.as_str(), servers.sector.as_str(), servers.region.as_str()),
            ("nhn-b200", "startup", "busan")
        );
        assert_eq!((servers.period_start.as_str(), servers.period_end.as_str()), ("2026-11-21", "2026-11-23"));
        assert!(servers.advisor_draft.is_some());
        assert_eq!(prefill(&d, Some(PoolUnit::GpuHours), today).amount, Some(1_001));
        // 8 GPUs per node: 1,000.5 GPU-hours are 125.06 node-hours → 126.
        assert_eq!(prefill(&d, Some(PoolUnit::NodeHours), today).amount, Some(126));
        assert_eq!(prefill(&d, None, today).amount, None);
    }
}
