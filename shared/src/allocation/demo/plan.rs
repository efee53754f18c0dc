//! The demo round's plan: who asks for how many servers in which pool and
//! what each is awarded, drawn so the published totals hold exactly; then
//! the round and the request forms, parsed like real ones.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;

use crate::advisor::Sector;
use crate::allocation::ids::RequestId;
use crate::allocation::request::{Request, RequestInput, Submission};
use crate::allocation::round::PoolCapacityInput;
use crate::allocation::round::{OrgCap, Round, RoundInput};
use crate::catalogue::Catalogue;

use super::names::{self, Org};
use super::split::split;
use super::{DemoError, DemoSpec};

/// GPUs in one cloud server.
const GPUS_PER_SERVER: u64 = 8;
/// Largest demo proposal, servers.
const MAX_ASK: u64 = 32;
/// Largest funded project, servers.
const MAX_AWARD: u64 = 16;
/// Share of funded projects cut from what they asked.
const PARTIAL_SHARE: f64 = 0.45;

/// One planned proposal.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Planned {
    pub org: Org,
    /// Index into the pools list.
    pub pool: usize,
    /// Servers asked.
    pub requested: u64,
    /// Servers awarded (0 = rejected).
    pub awarded: u64,
}

fn servers(gpus: u64, what: &str) -> Result<u64, DemoError> {
    if gpus.is_multiple_of(GPUS_PER_SERVER) {
        Ok(gpus / GPUS_PER_SERVER)
    } else {
        Err(DemoError::Infeasible(format!("{what}: {gpus} GPUs are not whole 8-GPU servers")))
    }
}

fn infeasible(what: &str) -> impl Fn(super::split::Infeasible) -> DemoError + '_ {
    move |_| DemoError::Infeasible(what.to_string())
}

/// The sector of a group (0 academia, 1 industry, 2 institutes).
fn sector(group: usize, rng: &mut impl Rng) -> Sector {
    match group {
        0 => Sector::University,
        2 => Sector::GovernmentInstitute,
        _ => *[
            Sector::Sme,
            Sector::Sme,
            Sector::Sme,
            Sector::Startup,
            Sector::Startup,
            Sector::Startup,
            Sector::LargeCompany,
        ]
        .choose(rng)
        .unwrap_or(&Sector::Sme),
    }
}

/// A random organisation of `sector` still under `cap` servers after `add`.
fn organisation(
    sector: Sector,
    add: u64,
    cap: u64,
    held: &mut HashMap<&'static str, u64>,
    rng: &mut impl Rng,
) -> Result<Org, DemoError> {
    let orgs = names::of_sector(sector);
    for _ in 0..64 {
        let Some(org) = orgs.choose(rng) else { break };
        let h = held.entry(org.0).or_insert(0);
        if *h + add <= cap {
            *h += add;
            return Ok(*org);
        }
    }
    Err(DemoError::Infeasible(format!("no {} organisation has room under the cap", sector.as_str())))
}

/// A pool index drawn in proportion to the weights.
fn pool(weights: &[(String, u32)], rng: &mut impl Rng) -> usize {
    let total: u32 = weights.iter().map(|(_, w)| *w).sum();
    let mut pick = rng.gen_range(0..total.max(1));
    for (i, (_, w)) in weights.iter().enumerate() {
        if pick < *w {
            return i;
        }
        pick -= w;
    }
    0
}

/// Plans every proposal of `spec` over `pools` (id, weight), shuffled.
pub(super) fn plan(spec: &DemoSpec, pools: &[(String, u32)], rng: &mut impl Rng) -> Result<Vec<Planned>, DemoError> {
    let total = servers(spec.requested_gpus, "requested")?;
    let funded_count: u32 = spec.funded_projects.iter().sum();
    let unfunded = spec
        .proposals
        .checked_sub(funded_count)
        .ok_or_else(|| DemoError::Infeasible("more funded than proposals".into()))?;
    let mut held = HashMap::new();
    let mut planned = Vec::new();
    for group in 0..3 {
        let awards =
            split(rng, servers(spec.funded_gpus[group], "funded")?, spec.funded_projects[group] as usize, 1, MAX_AWARD)
                .map_err(infeasible("funded servers do not split into the funded projects"))?;
        for awarded in awards {
            let org = organisation(sector(group, rng), awarded, spec.org_cap_servers, &mut held, rng)?;
            planned.push(Planned { org, pool: pool(pools, rng), requested: awarded, awarded });
        }
    }
    let asked: u64 = planned.iter().map(|p| p.requested).sum();
    let mut budget = total
        .checked_sub(asked + u64::from(unfunded))
        .ok_or_else(|| DemoError::Infeasible("too few GPUs asked".into()))?;
    for p in planned.iter_mut().filter(|p| p.awarded < MAX_ASK) {
        if budget > 0 && rng.gen_bool(PARTIAL_SHARE) {
            let extra = rng.gen_range(1..=p.awarded.min(MAX_ASK - p.awarded)).min(budget);
            p.requested += extra;
            budget -= extra;
        }
    }
    let left = total - planned.iter().map(|p| p.requested).sum::<u64>();
    for requested in
        split(rng, left, unfunded as usize, 1, MAX_ASK).map_err(infeasible("unfunded servers do not split"))?
    {
        let group = pick_group(&spec.unfunded_mix, rng);
        let s = sector(group, rng);
        let orgs = names::of_sector(s);
        let org = *orgs.choose(rng).ok_or_else(|| DemoError::Infeasible("no organisations".into()))?;
        planned.push(Planned { org, pool: pool(pools, rng), requested, awarded: 0 });
    }
    planned.shuffle(rng);
    Ok(planned)
}

fn pick_group(mix: &[f64; 3], rng: &mut impl Rng) -> usize {
    let x = rng.gen_range(0.0..mix.iter().sum::<f64>().max(f64::MIN_POSITIVE));
    if x < mix[0] {
        0
    } else if x < mix[0] + mix[1] {
        1
    } else {
        2
    }
}

/// The round: each pool offers exactly what the plan awards in it (the call was fully awarded).
pub(super) fn round(
    spec: &DemoSpec,
    pools: &[(String, u32)],
    planned: &[Planned],
    cat: &Catalogue,
) -> Result<Round, DemoError> {
    let capacity = |i: usize| planned.iter().filter(|p| p.pool == i).map(|p| p.awarded).sum::<u64>().max(1);
    let input = RoundInput {
        id: spec.round_id.into(),
        title_ko: spec.title_ko.into(),
        title_en: spec.title_en.into(),
        opens: spec.opens.into(),
        closes: spec.closes.into(),
        review_closes: spec.review_closes.into(),
        period_start: spec.period_start.into(),
        period_end: spec.period_end.into(),
        pools: pools
            .iter()
            .enumerate()
            .map(|(i, (id, _))| PoolCapacityInput {
                pool: id.clone(),
                unit: "servers".into(),
                capacity: Some(capacity(i)),
            })
            .collect(),
        sector_targets: spec.sector_targets.iter().map(|(s, v)| (s.to_string(), *v)).collect(),
        min_score: Some(spec.min_score),
        org_cap: Some(OrgCap::Servers(spec.org_cap_servers)),
        non_capital_preference: Some(spec.non_capital_preference),
        min_reviews: Some(2),
        reviewers_per_request: Some(3),
    };
    let mut round = input.parse(cat).map_err(|e| DemoError::Invalid(e.to_string()))?;
    // Decided and announced (the public page shows it).
    round.stage = crate::allocation::RoundStage::Published;
    Ok(round)
}

/// The parsed requests, ids 1.. in submission order (aligned with `planned`), submitted within the open window.
pub(super) fn requests(
    spec: &DemoSpec,
    round: &Round,
    planned: &[Planned],
    rng: &mut impl Rng,
) -> Result<Vec<Request>, DemoError> {
    let opens = crate::time::kst_midnight(round.opens);
    let window = crate::time::kst_midnight(round.closes) + 86_399 - opens;
    let mut times: Vec<i64> = planned.iter().map(|_| opens + rng.gen_range(0..window.max(1))).collect();
    times.sort_unstable();
    let mut out = Vec::with_capacity(planned.len());
    for (i, (p, at)) in planned.iter().zip(times).enumerate() {
        let id = i as u64 + 1;
        let input = form(round, p, &round.pools[p.pool].pool, rng);
        let at = crate::time::utc(at);
        let sub = Submission { id: RequestId(id), applicant: format!("researcher{id:03}"), at, accounts: Vec::new() };
        out.push(
            input.parse(round, sub).map_err(|e| DemoError::Invalid(format!("{} request {id}: {e}", spec.round_id)))?,
        );
    }
    Ok(out)
}

fn form(round: &Round, p: &Planned, pool: &str, rng: &mut impl Rng) -> RequestInput {
    let (domain_ko, domain_en) = names::DOMAINS[rng.gen_range(0..names::DOMAINS.len())];
    let (method_ko, method_en) = names::METHODS[rng.gen_range(0..names::METHODS.len())];
    let start = round.period_start.checked_add_days(Days::new(rng.gen_range(0..=21))).unwrap_or(round.period_start);
    let end: NaiveDate =
        start.checked_add_days(Days::new(rng.gen_range(240..=320))).unwrap_or(round.period_end).min(round.period_end);
    let surname = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"][rng.gen_range(0..10)];
    let given = ["민준", "서연", "도윤", "지우", "하준", "서윤", "예준", "지민", "주원", "수아"][rng.gen_range(0..10)];
    RequestInput {
        title_ko: format!("{domain_ko} {method_ko}"),
        title_en: format!("{method_en} {domain_en}"),
        abstract_text: format!(
            "{domain_ko} 분야의 {method_ko} 과제입니다. 8-GPU 서버 {}대로 수행합니다. (데모 데이터)",
            p.requested
        ),
        pi: format!("{surname}{given}"),
        organisation: p.org.0.into(),
        sector: p.org.1.as_str().into(),
        region: p.org.2.as_str().into(),
        pool: pool.into(),
        amount: Some(p.requested),
        period_start: start.to_string(),
        period_end: end.to_string(),
        advisor_draft: None,
        co_investigators: Vec::new(),
    }
}
