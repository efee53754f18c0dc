//! The public transparency page of a round (anonymous): requests and awards
//! by sector and region, acceptance rates, total awarded per pool, and the
//! list of awarded projects, as ACCESS and NAIRR publish theirs.
//!
//! Nothing from reviews or rejected requests can leak: [`PublicRound::build`]
//! never sees a review, rejected requests only add to counts, and an
//! [`AwardedProject`] can only be made (outside this crate it cannot be built
//! at all) from an awarded request and its own allocation, and has no field
//! for an abstract, a PI, a score or a comment.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::advisor::{Region, Sector};
use crate::api::DataSource;

use super::grant::Allocation;
use super::ids::{RequestId, RoundId};
use super::request::Request;
use super::round::Round;
use super::unit::PoolUnit;

/// One awarded project as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[non_exhaustive]
pub struct AwardedProject {
    pub title_ko: String,
    pub title_en: String,
    pub organisation: String,
    pub sector: Sector,
    pub region: Region,
    pub pool: String,
    pub unit: PoolUnit,
    /// Awarded amount in `unit`.
    pub amount: u64,
    /// GPUs (server pools only).
    pub gpus: Option<u64>,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl AwardedProject {
    /// The public record of `allocation`, if it belongs to `request` and the request was awarded.
    pub fn new(request: &Request, allocation: &Allocation) -> Option<AwardedProject> {
        if allocation.request != request.id || !request.state.is_awarded() {
            return None;
        }
        Some(AwardedProject {
            title_ko: request.title_ko.clone(),
            title_en: request.title_en.clone(),
            organisation: request.organisation.clone(),
            sector: request.sector,
            region: request.region,
            pool: allocation.pool.clone(),
            unit: allocation.unit,
            amount: allocation.amount,
            gpus: allocation.gpus,
            start: allocation.start,
            end: allocation.end,
        })
    }
}

/// Counts for one sector or region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicGroup {
    /// Snake_case name of the sector or region.
    pub key: String,
    pub label_ko: String,
    pub label_en: String,
    /// Requests received (any outcome).
    pub requests: u32,
    /// Requests awarded.
    pub awards: u32,
    /// awards ÷ requests (0 when none).
    pub acceptance_rate: f64,
    /// GPU-hours awarded (over each allocation's period).
    pub awarded_gpu_hours: f64,
}

/// Total awarded in one pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicPoolTotal {
    pub pool: String,
    pub unit: PoolUnit,
    /// In `unit`.
    pub awarded: u64,
    pub awarded_gpus: Option<u64>,
    /// Share of the awarded capacity used over the last 30 days (GPU-hours
    /// used ÷ the awards' pace over the days they ran), from the usage
    /// records; absent when no award ran then. Anonymous: one figure per pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_30d: Option<f64>,
}

/// The public page of one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicRound {
    pub round: RoundId,
    pub title_ko: String,
    pub title_en: String,
    pub opens: NaiveDate,
    pub closes: NaiveDate,
    /// `demo` for the seeded demo round.
    pub source: Option<DataSource>,
    pub requests: u32,
    pub awards: u32,
    pub acceptance_rate: f64,
    pub by_sector: Vec<PublicGroup>,
    pub by_region: Vec<PublicGroup>,
    pub pools: Vec<PublicPoolTotal>,
    /// Sorted by organisation, then title.
    pub projects: Vec<AwardedProject>,
    /// Every round with at least one award, newest first (the page's round
    /// selector); filled by whoever lists the rounds, empty from `build`.
    #[serde(default)]
    pub published: Vec<PublishedRound>,
}

/// The data `/allocations` starts from, embedded by the server in its first
/// HTML beside the same figures as HTML (`kairr_shared::api::INITIAL_STATUS_ID`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitialPublicRound {
    /// The `?round=` the page was asked for (`None`: the newest published).
    pub requested: Option<String>,
    /// What `GET /api/v1/allocations/public` answers for it.
    pub page: PublicRound,
}

/// A round the public page can show: it has at least one award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedRound {
    pub id: RoundId,
    pub title_ko: String,
    pub title_en: String,
}

impl From<&Round> for PublishedRound {
    fn from(r: &Round) -> PublishedRound {
        PublishedRound { id: r.id.clone(), title_ko: r.title_ko.clone(), title_en: r.title_en.clone() }
    }
}

/// Fewest awards running in a pool for its recent use to be published.
pub const MIN_AWARDS_FOR_USE: usize = 3;

impl PublicRound {
    /// Fills each pool's use of its awarded capacity over the 30 days before
    /// `today` from `usage` (the round's allocations' daily records).
    pub fn with_recent_use(
        mut self,
        round: &Round,
        allocations: &[Allocation],
        usage: &[super::usage::DailyUsage],
        today: NaiveDate,
    ) -> PublicRound {
        let window = super::usage::IdlePolicy { window_days: 30, reclaim_below: 0.0 };
        // Each allocation's rows once (idle_check would otherwise scan every row per allocation).
        let mut rows: HashMap<super::ids::AllocationId, Vec<super::usage::DailyUsage>> = HashMap::new();
        for u in usage {
            rows.entry(u.allocation).or_default().push(*u);
        }
        for total in &mut self.pools {
            let Some(pool) = round.pool(&total.pool) else { continue };
            let (mut used, mut expected, mut running) = (0.0, 0.0, 0);
            for a in allocations.iter().filter(|a| a.round == round.id && a.pool == total.pool) {
                let own = rows.get(&a.id).map_or(&[][..], Vec::as_slice);
                let check = super::usage::idle_check(a, pool, own, today, &window, Default::default());
                if let Some(c) = check {
                    used += c.used_gpu_hours;
                    expected += c.entitled_gpu_hours;
                    running += 1;
                }
            }
            // Anonymous only over several awards: with fewer, the figure would be one project's.
            total.used_30d = (expected > 0.0 && running >= MIN_AWARDS_FOR_USE).then(|| (used / expected).min(1.0));
        }
        self
    }

    /// Builds the page of `round` from its requests (only counted, unless
    /// awarded) and allocations; `source` labels demo data.
    pub fn build(
        round: &Round,
        requests: &[Request],
        allocations: &[Allocation],
        source: Option<DataSource>,
    ) -> PublicRound {
        let requests: Vec<&Request> = requests.iter().filter(|r| r.round == round.id).collect();
        let by_id: HashMap<RequestId, &Request> = requests.iter().map(|r| (r.id, *r)).collect();
        let awarded: Vec<(AwardedProject, f64)> = allocations
            .iter()
            .filter(|a| a.round == round.id)
            .filter_map(|a| {
                let project = AwardedProject::new(by_id.get(&a.request)?, a)?;
                Some((project, round.pool(&a.pool).map_or(0.0, |p| a.gpu_hours(p))))
            })
            .collect();
        let awards = count_awards(&requests);
        let mut projects: Vec<AwardedProject> = awarded.iter().map(|(p, _)| p.clone()).collect();
        projects.sort_by(|a, b| a.organisation.cmp(&b.organisation).then(a.title_ko.cmp(&b.title_ko)));
        PublicRound {
            round: round.id.clone(),
            title_ko: round.title_ko.clone(),
            title_en: round.title_en.clone(),
            opens: round.opens,
            closes: round.closes,
            source,
            requests: requests.len() as u32,
            awards,
            acceptance_rate: rate(awards, requests.len() as u32),
            by_sector: groups(
                &requests,
                &awarded,
                |s| s.sector,
                |p| p.sector,
                Sector::ALL,
                |s| (s.as_str(), s.label_ko(), s.label_en()),
            ),
            by_region: groups(
                &requests,
                &awarded,
                |r| r.region,
                |p| p.region,
                Region::ALL,
                |r| (r.as_str(), r.label_ko(), r.label_en()),
            ),
            pools: pool_totals(round, &projects),
            projects,
            published: Vec::new(),
        }
    }
}

fn count_awards(requests: &[&Request]) -> u32 {
    requests.iter().filter(|r| r.state.is_awarded()).count() as u32
}

fn rate(awards: u32, requests: u32) -> f64 {
    if requests == 0 {
        0.0
    } else {
        f64::from(awards) / f64::from(requests)
    }
}

type Labels = (&'static str, &'static str, &'static str);

fn groups<K: Ord + Copy>(
    requests: &[&Request],
    awarded: &[(AwardedProject, f64)],
    of_request: impl Fn(&Request) -> K,
    of_project: impl Fn(&AwardedProject) -> K,
    all: &[K],
    labels: impl Fn(K) -> Labels,
) -> Vec<PublicGroup> {
    let mut sums: BTreeMap<K, (u32, u32, f64)> = all.iter().map(|k| (*k, (0, 0, 0.0))).collect();
    for r in requests {
        let s = sums.entry(of_request(r)).or_default();
        s.0 += 1;
        s.1 += u32::from(r.state.is_awarded());
    }
    for (p, gpu_hours) in awarded {
        sums.entry(of_project(p)).or_default().2 += gpu_hours;
    }
    sums.into_iter()
        .map(|(k, (requests, awards, gpu_hours))| {
            let (key, ko, en) = labels(k);
            PublicGroup {
                key: key.into(),
                label_ko: ko.into(),
                label_en: crate::display::format::capitalised(en),
                requests,
                awards,
                acceptance_rate: rate(awards, requests),
                awarded_gpu_hours: gpu_hours,
            }
        })
        .collect()
}

fn pool_totals(round: &Round, projects: &[AwardedProject]) -> Vec<PublicPoolTotal> {
    round
        .pools
        .iter()
        .map(|p| {
            let awarded: u64 = projects.iter().filter(|a| a.pool == p.pool).map(|a| a.amount).sum();
            PublicPoolTotal {
                pool: p.pool.clone(),
                unit: p.unit,
                awarded,
                awarded_gpus: p.gpus(awarded),
                used_30d: None,
            }
        })
        .collect()
}
