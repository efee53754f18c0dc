//! Tests of the proposal: worked cases, then properties over random rounds.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::allocation::request::tests::round;
use crate::allocation::round::OrgCap;
use crate::allocation::unit::PoolCapacity;

fn cand(id: u64, org: &str, sector: Sector, region: Region, requested: u64, score: Option<f64>) -> Candidate {
    Candidate {
        request: RequestId(id),
        organisation: org.into(),
        organisation_id: None,
        sector,
        region,
        pool: "nhn-b200".into(),
        requested,
        days: 100,
        score,
        fixed: None,
    }
}

fn uni(id: u64, requested: u64, score: f64) -> Candidate {
    cand(id, &format!("org{id}"), Sector::University, Region::Capital, requested, Some(score))
}

fn small_round(capacity: u64) -> Round {
    let mut r = round();
    r.pools.truncate(1);
    r.pools[0].capacity = capacity;
    r.policy.org_cap = None;
    r.policy.non_capital_preference = 0.0;
    r
}

fn proposed(p: &Proposal) -> Vec<u64> {
    p.lines.iter().map(|l| l.proposed).collect()
}

#[test]
fn equal_claims_share_whole_servers_without_exceeding_capacity() {
    let p = propose(&small_round(10), &[uni(1, 8, 4.0), uni(2, 8, 4.0), uni(3, 8, 4.0)], &ProposalConfig::default());
    assert_eq!(proposed(&p), vec![4, 3, 3]);
    assert_eq!(p.pools[0].proposed, 10);
    // 4,3,3: Σ|xi-xj| = 4 over ordered pairs; 2·n²·mean = 60 → 1/15.
    assert!((p.fairness.gini_organisations.unwrap() - 1.0 / 15.0).abs() < 1e-9);
}

#[test]
fn a_small_request_is_met_in_full_and_the_rest_split_by_score() {
    let p =
        propose(&small_round(30), &[uni(1, 2, 3.0), uni(2, 100, 4.0), uni(3, 100, 4.0)], &ProposalConfig::default());
    assert_eq!(proposed(&p), vec![2, 14, 14]);
    let p = propose(&small_round(30), &[uni(1, 100, 5.0), uni(2, 100, 3.5)], &ProposalConfig::default());
    assert_eq!(proposed(&p).iter().sum::<u64>(), 30);
    assert!(p.lines[0].proposed > p.lines[1].proposed);
}

#[test]
fn unreviewed_and_low_scored_requests_are_excluded() {
    let mut low = uni(2, 5, 2.9);
    low.score = Some(2.9);
    let unreviewed = cand(3, "x", Sector::Sme, Region::Capital, 5, None);
    let p = propose(&small_round(100), &[uni(1, 5, 3.0), low, unreviewed], &ProposalConfig::default());
    assert_eq!(proposed(&p), vec![5, 0, 0]);
    assert_eq!(p.lines[1].excluded, Some(Exclusion::BelowMinimumScore));
    assert_eq!(p.lines[2].excluded, Some(Exclusion::NotReviewed));
}

#[test]
fn an_organisation_cap_limits_the_sum_of_its_requests() {
    let mut r = small_round(100);
    r.policy.org_cap = Some(OrgCap::Servers(12));
    let same = |id| cand(id, "서울대학교", Sector::University, Region::Capital, 10, Some(4.0));
    let p = propose(&r, &[same(1), same(2), uni(3, 10, 4.0)], &ProposalConfig::default());
    assert_eq!(proposed(&p), vec![6, 6, 10]);
}

#[test]
fn applicants_outside_the_capital_region_are_preferred() {
    let mut r = small_round(22);
    r.policy.non_capital_preference = 0.2;
    let capital = cand(1, "a", Sector::University, Region::Capital, 100, Some(4.0));
    let regional = cand(2, "b", Sector::University, Region::NonCapital, 100, Some(4.0));
    assert_eq!(proposed(&propose(&r, &[capital, regional], &ProposalConfig::default())), vec![10, 12]);
}

#[test]
fn sector_targets_pull_awarded_shares_towards_them() {
    let mut r = small_round(100);
    let mut cands: Vec<Candidate> = (1..=8).map(|i| uni(i, 50, 4.0)).collect();
    cands.extend((9..=10).map(|i| cand(i, &format!("sme{i}"), Sector::Sme, Region::Capital, 50, Some(4.0))));
    let share = |p: &Proposal| p.lines.iter().filter(|l| l.sector == Sector::Sme).map(|l| l.proposed).sum::<u64>();
    let without = share(&propose(&r, &cands, &ProposalConfig::default()));
    r.sector_targets = BTreeMap::from([(Sector::Sme, 0.4), (Sector::University, 0.6)]);
    let with = propose(&r, &cands, &ProposalConfig::default());
    assert_eq!(without, 20);
    assert!(share(&with) > 30 && share(&with) <= 40, "sme got {}", share(&with));
    assert!(with.sector_factors[&Sector::Sme] > 1.0);
}

#[test]
fn an_adjustment_moves_the_figures_and_a_refused_one_changes_nothing() {
    let r = small_round(10);
    let mut p = propose(&r, &[uni(1, 8, 4.0), uni(2, 8, 4.0), uni(3, 8, 4.0)], &ProposalConfig::default());
    let before = p.clone();
    let err = p.apply_adjustment(&r, Adjustment { request: RequestId(1), amount: 5 }).unwrap_err();
    assert_eq!(err, AdjustmentError::ExceedsCapacity { pool: "nhn-b200".into(), capacity: 10, total: 11 });
    assert_eq!(p, before);
    assert!(matches!(
        p.apply_adjustment(&r, Adjustment { request: RequestId(1), amount: 9 }),
        Err(AdjustmentError::ExceedsRequest { .. })
    ));
    let change = p.apply_adjustment(&r, Adjustment { request: RequestId(1), amount: 1 }).unwrap();
    assert!(change.after.gini_organisations > change.before.gini_organisations);
    assert_eq!(p.pools[0].proposed, 7);
    // The same figures as recomputing from scratch.
    let mut fresh = p.clone();
    fresh.refresh(&r);
    assert_eq!(fresh.fairness, p.fairness);
}

#[test]
fn the_line_editor_checks_the_amount_against_the_ask_as_the_adjustment_does() {
    let r = small_round(10);
    let p = propose(&r, &[uni(1, 8, 4.0)], &ProposalConfig::default());
    for amount in [0, 1, 8, 9, 100] {
        let refused = matches!(
            p.clone().apply_adjustment(&r, Adjustment { request: RequestId(1), amount }),
            Err(AdjustmentError::ExceedsRequest { .. })
        );
        assert_eq!(!Adjustment::amount_problems(Some(amount), 8).is_empty(), refused, "{amount}");
    }
    assert_eq!(Adjustment::amount_problems(None, 8).0[0].field, "amount");
}

#[test]
fn a_deserialised_proposal_can_still_be_adjusted() {
    let r = small_round(10);
    let p = propose(&r, &[uni(1, 8, 4.0), uni(2, 8, 4.0)], &ProposalConfig::default());
    let mut back: Proposal = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(back, p);
    let change = back.apply_adjustment(&r, Adjustment { request: RequestId(2), amount: 2 }).unwrap();
    assert_eq!(change.before, p.fairness);
}

/// A random round: 1..=3 pools (servers, GPU-hours or node-hours), an optional cap, a minimum score.
fn arb_round() -> impl Strategy<Value = Round> {
    let pool = (0..3usize, 1..400u64).prop_map(|(kind, capacity)| {
        let (unit, gpus, scale) =
            [(PoolUnit::Servers, 8, 1), (PoolUnit::GpuHours, 8, 997), (PoolUnit::NodeHours, 4, 313)][kind];
        (unit, gpus, capacity * scale)
    });
    let cap = prop_oneof![
        Just(None),
        (1..40u64).prop_map(|n| Some(OrgCap::Servers(n))),
        (0.05..0.9f64).prop_map(|s| Some(OrgCap::Share(s)))
    ];
    (prop::collection::vec(pool, 1..=3), cap, 1.0..5.0f64, 0.0..1.0f64).prop_map(|(pools, cap, min_score, pref)| {
        let mut r = round();
        r.pools = pools
            .into_iter()
            .enumerate()
            .map(|(i, (unit, gpus_per_node, capacity))| PoolCapacity {
                pool: format!("p{i}"),
                gpu_model: format!("M{}", i % 2),
                gpus_per_node,
                unit,
                capacity,
            })
            .collect();
        r.policy = RoundPolicy { min_score, org_cap: cap, non_capital_preference: pref, ..r.policy };
        r
    })
}

fn arb_candidates() -> impl Strategy<Value = Vec<Candidate>> {
    let one = (
        0..6usize,
        0..5usize,
        any::<bool>(),
        0..4usize,
        1..2_000u64,
        1..200u32,
        prop::option::weighted(0.9, 1.0..5.0f64),
    );
    prop::collection::vec(one, 0..60).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (org, sector, regional, pool, requested, days, score))| Candidate {
                request: RequestId(i as u64),
                organisation: format!("org{org}"),
                organisation_id: None,
                sector: Sector::ALL[sector],
                region: if regional { Region::NonCapital } else { Region::Capital },
                pool: format!("p{pool}"),
                requested,
                days,
                score,
                fixed: None,
            })
            .collect()
    })
}

use crate::allocation::round::RoundPolicy;

proptest! {
    #[test]
    fn whole_server_rounding_never_exceeds_capacity(round in arb_round(), cands in arb_candidates()) {
        let p = propose(&round, &cands, &ProposalConfig::default());
        for t in &p.pools {
            prop_assert!(t.proposed <= t.capacity, "{} proposed {} of {}", t.pool, t.proposed, t.capacity);
            let sum: u64 = p.lines.iter().filter(|l| l.pool == t.pool).map(|l| l.proposed).sum();
            prop_assert_eq!(sum, t.proposed);
        }
        for l in &p.lines {
            prop_assert!(l.proposed <= l.requested);
        }
    }

    #[test]
    fn the_proposal_respects_the_score_gate_and_organisation_caps(round in arb_round(), cands in arb_candidates()) {
        let p = propose(&round, &cands, &ProposalConfig::default());
        for l in &p.lines {
            let gated = l.score.is_none_or(|s| s < round.policy.min_score) || round.pool(&l.pool).is_none();
            prop_assert_eq!(gated, l.excluded.is_some());
            if gated {
                prop_assert_eq!(l.proposed, 0);
            }
        }
        let mut held: BTreeMap<(String, String), u64> = BTreeMap::new();
        for l in &p.lines {
            let Some(pool) = round.pool(&l.pool) else { continue };
            let scope = match round.policy.org_cap {
                Some(OrgCap::Servers(_)) if pool.unit.is_whole_servers() => String::new(),
                Some(OrgCap::Share(_)) => l.pool.clone(),
                _ => continue,
            };
            *held.entry((l.organisation.clone(), scope)).or_default() += l.proposed;
        }
        for ((org, scope), total) in held {
            let cap = match round.policy.org_cap {
                Some(OrgCap::Servers(n)) => n as f64,
                Some(OrgCap::Share(s)) => {
                    let pool = round.pool(&scope).unwrap();
                    if pool.unit.is_whole_servers() { (s * pool.capacity as f64).floor() } else { s * pool.capacity as f64 }
                }
                None => f64::INFINITY,
            };
            prop_assert!(total as f64 <= cap + 1e-9, "{org} holds {total} over cap {cap}");
        }
    }

    #[test]
    fn adjustments_never_break_capacity(round in arb_round(), cands in arb_candidates(), pick in any::<prop::sample::Index>(), amount in 0..3_000u64) {
        let mut p = propose(&round, &cands, &ProposalConfig::default());
        if p.lines.is_empty() { return Ok(()); }
        let request = p.lines[pick.index(p.lines.len())].request;
        let _ = p.apply_adjustment(&round, Adjustment { request, amount });
        for t in &p.pools {
            prop_assert!(t.proposed <= t.capacity);
        }
    }
}

#[test]
fn decided_requests_keep_their_award_take_capacity_first_and_cannot_be_adjusted() {
    let r = small_round(10);
    // Request 1 was awarded 6 of the 10 servers; 2 and 3 are open and would split the pool evenly.
    let mut decided = uni(1, 8, 3.5);
    decided.fixed = Some(6);
    let mut rejected = uni(4, 5, 5.0);
    rejected.fixed = Some(0);
    let p = propose(&r, &[decided, uni(2, 8, 4.0), uni(3, 8, 4.0), rejected], &ProposalConfig::default());
    let got: Vec<(u64, u64, bool)> = p.lines.iter().map(|l| (l.request.0, l.proposed, l.decided)).collect();
    assert_eq!(got, vec![(1, 6, true), (2, 2, false), (3, 2, false), (4, 0, true)]);
    let mut adjusted = p.clone();
    assert_eq!(
        adjusted.apply_adjustment(&r, Adjustment { request: RequestId(1), amount: 3 }),
        Err(AdjustmentError::Decided(RequestId(1)))
    );
}
