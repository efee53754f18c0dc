//! A seeded demo round modelled on the first 2026 call of the national GPU
//! programme (514 proposals asking 13,712 GPUs; 159 funded with 4,224 GPUs on
//! 528 servers: academia 2,624, industry 1,288, research institutes 312).
//! The totals are exact; everything else (organisations, titles, reviews,
//! periods, how busy each project's users are) is drawn from the seed, so the
//! same seed and day give the same data. Usage is not generated here: the
//! demo simulator runs each allocation's jobs under its account and the
//! monitor records what they use. Labelled demo throughout (`source: demo`, `demo: true`).

mod names;
mod open_round;
pub use open_round::open_demo_round;
mod outcomes;
mod plan;
mod profiles;
pub use profiles::UsageProfile;
mod split;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use crate::api::DataSource;
use crate::catalogue::{Catalogue, SchedulerKind};

use super::audit::AuditEntry;
use super::decision::Decision;
use super::grant::Allocation;
use super::request::Request;
use super::review::{CoiRecord, Review};
use super::roles::{DemoAccount, Role};
use super::round::Round;
use super::usage::DailyUsage;

/// The published figures a demo round reproduces, and its assumptions.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSpec {
    pub round_id: &'static str,
    pub title_ko: &'static str,
    pub title_en: &'static str,
    /// KST days, `YYYY-MM-DD`.
    pub opens: &'static str,
    pub closes: &'static str,
    /// Last day of the review window (before `decided_on`).
    pub review_closes: &'static str,
    pub period_start: &'static str,
    pub period_end: &'static str,
    /// Day decisions are recorded.
    pub decided_on: &'static str,
    pub proposals: u32,
    /// GPUs asked by all proposals (whole 8-GPU servers).
    pub requested_gpus: u64,
    /// GPUs funded: academia, industry, research institutes.
    pub funded_gpus: [u64; 3],
    /// Projects funded: academia, industry, research institutes (159 in all).
    pub funded_projects: [u32; 3],
    /// How unfunded proposals split over academia, industry, institutes.
    pub unfunded_mix: [f64; 3],
    pub min_score: f64,
    /// Organisation cap, servers.
    pub org_cap_servers: u64,
    pub non_capital_preference: f64,
    /// Sector targets (sector name, share of GPU-hours).
    pub sector_targets: &'static [(&'static str, f64)],
}

/// The first call of 2026 (DOMAIN.md "Access": AIinfrahub call 2025-12-22..2026-01-28).
pub const FIRST_CALL_2026: DemoSpec = DemoSpec {
    round_id: "2026-1",
    title_ko: "2026년 1차 국가 AI 컴퓨팅 자원 지원 사업 (데모)",
    title_en: "2026 first call for national AI computing resources (demo)",
    opens: "2025-12-22",
    closes: "2026-01-28",
    review_closes: "2026-02-10", // (?)
    period_start: "2026-02-23",  // allocation period not published (?)
    period_end: "2026-12-31",    // (?)
    decided_on: "2026-02-13",    // (?)
    proposals: 514,
    requested_gpus: 13_712,
    funded_gpus: [2_624, 1_288, 312],
    funded_projects: [96, 48, 15],    // split of the 159 projects not published (?)
    unfunded_mix: [0.52, 0.40, 0.08], // (?)
    min_score: 3.0,                   // (?)
    org_cap_servers: 32,              // "limits on concentration in one organisation"; figure assumed (?)
    non_capital_preference: 0.2,      // preference for non-capital applicants; figure assumed (?)
    sector_targets: &[
        ("university", 0.6),
        ("government_institute", 0.08),
        ("sme", 0.14),
        ("startup", 0.12),
        ("large_company", 0.06),
    ],
};

/// A generated demo round with everything the server stores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoData {
    /// Always [`DataSource::Demo`].
    pub source: DataSource,
    /// Always true.
    pub demo: bool,
    /// The day the data was generated for (idle profiles count back from it).
    pub today: NaiveDate,
    pub round: Round,
    pub requests: Vec<Request>,
    pub reviews: Vec<Review>,
    pub conflicts: Vec<CoiRecord>,
    pub decisions: Vec<Decision>,
    pub allocations: Vec<Allocation>,
    /// How busy each allocation's simulated users are (one per allocation, same order).
    pub profiles: Vec<UsageProfile>,
    /// Daily usage rows: empty from [`demo_data`] (the server records usage
    /// from its status source); [`DemoData::simulate_usage`] fills it offline.
    pub usage: Vec<DailyUsage>,
    pub audit: Vec<AuditEntry>,
    /// Accounts to create in demo mode (no passwords here).
    pub accounts: Vec<DemoAccount>,
}

/// Why demo data cannot be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DemoError {
    #[error("the catalogue has no cloud pool of 8-GPU servers")]
    NoServerPools,
    #[error("demo spec cannot be met: {0}")]
    Infeasible(String),
    #[error("generated demo record is invalid: {0}")]
    Invalid(String),
}

/// How the portal names one of the demo's fictional accounts (its reviewers,
/// committee members and staff, who have records but no portal account):
/// "심사위원 5 (데모)" for `reviewer05`; `None` for any other account.
pub fn display_name(account: &str) -> Option<String> {
    let numbered = |prefix: &str, word: &str| {
        let n: u32 = account.strip_prefix(prefix)?.parse().ok()?;
        Some(format!("{word} {n} (데모)"))
    };
    if names::REVIEWERS.iter().any(|(u, _)| *u == account) {
        return numbered("reviewer", "심사위원");
    }
    match names::STAFF.iter().find(|(u, _, _)| *u == account)?.1 {
        "committee" => numbered("committee", "배분위원"),
        "operator" => numbered("ops", "운영자"),
        _ => Some("운영사무국 (데모)".to_owned()),
    }
}

/// Generates the demo round of `spec` from `seed`, as of KST day `today`,
/// over the catalogue's cloud server pools.
pub fn demo_data(spec: &DemoSpec, seed: u64, today: NaiveDate, cat: &Catalogue) -> Result<DemoData, DemoError> {
    let pools: Vec<(String, u32)> = cat
        .pools()
        .filter(|(_, p)| p.scheduler == SchedulerKind::Kubernetes && p.gpus_per_node == 8)
        .map(|(_, p)| (p.id.clone(), p.nodes_in_service))
        .collect();
    if pools.is_empty() {
        return Err(DemoError::NoServerPools);
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let planned = plan::plan(spec, &pools, &mut rng)?;
    let round = plan::round(spec, &pools, &planned, cat)?;
    let mut requests = plan::requests(spec, &round, &planned, &mut rng)?;
    for r in &mut requests {
        r.organisation_id = org_id(&r.organisation);
    }
    let out = outcomes::decide(spec, &round, &mut requests, &planned, today, &mut rng)?;
    let profiles = profiles::profiles(&out.allocations, today, &mut rng);
    let accounts = accounts(&requests);
    Ok(DemoData {
        source: DataSource::Demo,
        demo: true,
        today,
        round,
        requests,
        reviews: out.reviews,
        conflicts: out.conflicts,
        decisions: out.decisions,
        allocations: out.allocations,
        profiles,
        usage: Vec::new(),
        audit: out.audit,
        accounts,
    })
}

impl DemoData {
    /// The allocations as the demo simulator's accounts: award, period and
    /// how busy their users are (pass to `Simulator::with_accounts`).
    pub fn sim_accounts(&self) -> Vec<crate::sim::SimAccount> {
        profiles::sim_accounts(&self.round, &self.allocations, &self.profiles)
    }

    /// Fills `usage` with what the simulator's jobs use over the `days` KST
    /// days before `today`, read as the monitor reads a status source
    /// (cumulative counters at each KST midnight). CPU-bound: about a second
    /// per simulated month in an optimised build.
    pub fn simulate_usage(&mut self, cat: &Catalogue, config: crate::sim::SimConfig, days: u32) {
        use crate::accounting::UsageMeter;
        let end = crate::time::kst_midnight(self.today);
        let start = end - i64::from(days) * 86_400;
        let mut sim = crate::sim::Simulator::with_accounts(cat.clone(), config, self.sim_accounts(), start);
        let map = super::account::AccountMap::new(&self.allocations);
        let mut meter = UsageMeter::new();
        meter.observe(start, &sim.account_usage());
        let mut rows = Vec::new();
        for day in 1..=i64::from(days) {
            sim.advance_to(start + day * 86_400);
            rows.extend(map.daily_usage(&meter.observe(sim.now(), &sim.account_usage())));
        }
        self.usage = rows;
    }
}

/// The directory the demo's organisations come from: the seed with its fictional companies.
fn directory() -> &'static [crate::organisations::Organisation] {
    static DIRECTORY: std::sync::OnceLock<Vec<crate::organisations::Organisation>> = std::sync::OnceLock::new();
    // A seed that does not parse leaves the demo without ids; the seed's own test fails first.
    DIRECTORY.get_or_init(|| crate::organisations::seed(true).unwrap_or_default())
}

/// The directory id of a demo organisation name.
pub(super) fn org_id(name: &str) -> Option<String> {
    crate::organisations::Directory(directory()).resolve(name).map(|o| o.id.clone())
}

/// Staff, reviewers, and one researcher per applicant of the first five requests.
fn accounts(requests: &[Request]) -> Vec<DemoAccount> {
    let account = |username: &str, role: Role, organisation: &str| DemoAccount {
        username: username.into(),
        role,
        display_name: format!("{} ({})", role.label_ko(), username),
        organisation: organisation.into(),
        organisation_id: org_id(organisation),
    };
    let staff = names::STAFF.iter().filter_map(|(u, role, org)| Some(account(u, Role::parse(role)?, org)));
    let reviewers = names::REVIEWERS.iter().map(|(u, org)| account(u, Role::Reviewer, org));
    let researchers = requests.iter().take(5).map(|r| account(&r.applicant, Role::Researcher, &r.organisation));
    staff.chain(reviewers).chain(researchers).collect()
}
