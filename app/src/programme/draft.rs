//! The placement wizard's exported draft as the request form's starting
//! point: read from `?draft=<base64url JSON>` or from `localStorage`
//! ([`DRAFT_STORAGE_KEY`], written by the wizard's "Request this allocation"),
//! and turned into a pre-filled [`RequestInput`] in the round's pool units.

use chrono::{Days, NaiveDate};
use kairr_shared::advisor::export::AllocationDraft;
use kairr_shared::allocation::{PoolUnit, RequestInput};

/// `localStorage` key under which the wizard leaves its draft for the request form.
pub const DRAFT_STORAGE_KEY: &str = "kairr.advisor.draft";

/// Why a draft could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    /// Not base64url.
    Encoding,
    /// Not the wizard's JSON.
    Json(String),
}

/// Decodes unpadded or padded base64url (RFC 4648 §5); standard `+`/`/` are accepted too.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, DraftError> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim().trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return Err(DraftError::Encoding),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// Encodes bytes as unpadded base64url (what the wizard puts in `?draft=`).
pub fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// Parses the wizard's draft from the JSON text.
pub fn parse_draft_json(json: &str) -> Result<AllocationDraft, DraftError> {
    serde_json::from_str(json).map_err(|e| DraftError::Json(e.to_string()))
}

/// Parses the `?draft=` parameter (base64url of the JSON).
pub fn parse_draft_param(param: &str) -> Result<AllocationDraft, DraftError> {
    let bytes = base64url_decode(param)?;
    let json = String::from_utf8(bytes).map_err(|_| DraftError::Encoding)?;
    parse_draft_json(&json)
}

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
        period_start: crate::format::date(today),
        period_end: crate::format::date(end),
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

    #[test]
    fn base64url_round_trips_every_length() {
        for text in ["", "a", "ab", "abc", "abcd", "{\"한국어\":true}", "~~~???>>>"] {
            let encoded = base64url_encode(text.as_bytes());
            assert!(!encoded.contains(['+', '/', '=']), "{encoded}");
            assert_eq!(base64url_decode(&encoded).unwrap(), text.as_bytes(), "{text}");
        }
        assert_eq!(base64url_decode("aGk=").unwrap(), b"hi");
        assert_eq!(base64url_decode("a b"), Err(DraftError::Encoding));
    }

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

    #[test]
    fn a_broken_parameter_is_an_error_not_a_panic() {
        assert_eq!(parse_draft_param("!!"), Err(DraftError::Encoding));
        assert!(matches!(parse_draft_param(&base64url_encode(b"{}")), Err(DraftError::Json(_))));
    }
}
