//! Awarded against requested and target shares of GPU-hours, by sector and by region.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::advisor::{Region, Sector};
use crate::allocation::grant::Allocation;
use crate::allocation::request::Request;
use crate::allocation::round::Round;

/// One sector's or region's part of a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareRow {
    /// The sector's or region's snake_case name.
    pub key: String,
    pub label_ko: String,
    pub label_en: String,
    pub requests: u32,
    pub awards: u32,
    pub requested_gpu_hours: f64,
    pub awarded_gpu_hours: f64,
    /// Share of all requested GPU-hours, 0..=1.
    pub requested_share: f64,
    /// Share of all awarded GPU-hours, 0..=1.
    pub awarded_share: f64,
    /// The round's target share, if any (sectors only).
    pub target_share: Option<f64>,
}

#[derive(Default)]
struct Sums {
    requests: u32,
    awards: u32,
    requested: f64,
    awarded: f64,
}

fn sums<K: Ord + Copy>(
    round: &Round,
    requests: &[&Request],
    allocations: &[(&Allocation, &Request)],
    key: impl Fn(&Request) -> K,
    all: &[K],
) -> BTreeMap<K, Sums> {
    let mut out: BTreeMap<K, Sums> = all.iter().map(|k| (*k, Sums::default())).collect();
    for r in requests {
        let s = out.entry(key(r)).or_default();
        s.requests += 1;
        s.requested += round.pool(&r.pool).map_or(0.0, |p| r.gpu_hours(p, r.amount));
    }
    for (a, r) in allocations {
        let s = out.entry(key(r)).or_default();
        s.awards += 1;
        s.awarded += round.pool(&a.pool).map_or(0.0, |p| a.gpu_hours(p));
    }
    out
}

fn rows<K: Ord + Copy>(
    sums: BTreeMap<K, Sums>,
    describe: impl Fn(K) -> (&'static str, &'static str, &'static str, Option<f64>),
) -> Vec<ShareRow> {
    let requested: f64 = sums.values().map(|s| s.requested).sum();
    let awarded: f64 = sums.values().map(|s| s.awarded).sum();
    let share = |x: f64, total: f64| if total > 0.0 { x / total } else { 0.0 };
    sums.into_iter()
        .map(|(k, s)| {
            let (key, ko, en, target_share) = describe(k);
            ShareRow {
                key: key.into(),
                label_ko: ko.into(),
                label_en: crate::display::format::capitalised(en),
                requests: s.requests,
                awards: s.awards,
                requested_gpu_hours: s.requested,
                awarded_gpu_hours: s.awarded,
                requested_share: share(s.requested, requested),
                awarded_share: share(s.awarded, awarded),
                target_share,
            }
        })
        .collect()
}

/// Rows for every sector, with the round's targets.
pub(super) fn by_sector(
    round: &Round,
    requests: &[&Request],
    allocations: &[(&Allocation, &Request)],
) -> Vec<ShareRow> {
    let sums = sums(round, requests, allocations, |r| r.sector, Sector::ALL);
    rows(sums, |s: Sector| (s.as_str(), s.label_ko(), s.label_en(), round.target(s)))
}

/// Rows for the capital and non-capital regions.
pub(super) fn by_region(
    round: &Round,
    requests: &[&Request],
    allocations: &[(&Allocation, &Request)],
) -> Vec<ShareRow> {
    let sums = sums(round, requests, allocations, |r| r.region, Region::ALL);
    rows(sums, |r: Region| (r.as_str(), r.label_ko(), r.label_en(), None))
}
