//! Tests of the committee overview on a small hand-made round.

use chrono::{Days, NaiveDate};

use super::*;
use crate::advisor::Sector;
use crate::allocation::decision::{Decision, DecisionKind};
use crate::allocation::ids::AllocationId;
use crate::allocation::request::tests::{input, round, submission};
use crate::allocation::state::RequestState;

fn fixture() -> (Round, Vec<Request>, Vec<Allocation>) {
    let round = round();
    let mut a = input().parse(&round, submission(1)).unwrap();
    let mut sme = input();
    sme.organisation = "(주)한빛AI".into();
    sme.sector = "sme".into();
    sme.region = "capital".into();
    sme.amount = Some(6);
    let mut b = sme.parse(&round, submission(2)).unwrap();
    for r in [&mut a, &mut b] {
        r.transition(RequestState::UnderReview).unwrap();
    }
    a.transition(RequestState::Approved).unwrap();
    b.transition(RequestState::Rejected).unwrap();
    let at = crate::time::utc(0);
    let d = Decision {
        request: a.id,
        kind: DecisionKind::Approve,
        amount: 4,
        rationale: "r".into(),
        decided_by: "c".into(),
        at,
    };
    let alloc = Allocation::from_decision(AllocationId(1), &a, &d, &round).unwrap();
    (round, vec![a, b], vec![alloc])
}

fn overview(usage: &[DailyUsage], today: NaiveDate) -> RoundOverview {
    let (round, requests, allocations) = fixture();
    RoundOverview::build(&OverviewInput {
        round: &round,
        requests: &requests,
        allocations: &allocations,
        usage,
        today,
        idle: IdlePolicy::default(),
        metering: &Default::default(),
    })
}

#[test]
fn a_pool_shows_capacity_requested_awarded_and_oversubscription() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap();
    let o = overview(&[], today);
    let nhn = &o.pools[0];
    assert_eq!((nhn.capacity, nhn.requested, nhn.awarded, nhn.awarded_gpus), (100, 10, 4, Some(32)));
    assert!((nhn.oversubscription - 0.1).abs() < 1e-12);
    assert_eq!(o.pools[1].requested, 0);
    assert_eq!(o.timeline.len(), 1);
}

#[test]
fn an_unused_allocation_is_flagged_idle_and_a_used_one_is_not() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap();
    let o = overview(&[], today);
    assert_eq!((o.pools[0].idle_allocations, o.pools[0].idle_allocated), (1, 4));
    assert!(o.timeline[0].idle);
    let busy: Vec<DailyUsage> = (1..=7)
        .map(|d| DailyUsage {
            allocation: AllocationId(1),
            day: today.checked_sub_days(Days::new(d)).unwrap(),
            gpu_hours: 700.0,
        })
        .collect();
    let o = overview(&busy, today);
    assert_eq!(o.pools[0].idle_allocations, 0);
    assert_eq!(o.pools[0].used_gpu_hours, 4_900.0);
}

#[test]
fn sector_shares_compare_awards_with_requests_and_targets() {
    let o = overview(&[], NaiveDate::from_ymd_opt(2026, 3, 20).unwrap());
    let row = |key: &str| o.sectors.iter().find(|r| r.key == key).unwrap().clone();
    assert_eq!(row("university").awarded_share, 1.0);
    assert!((row("sme").requested_share - 0.6).abs() < 1e-12);
    assert_eq!(row("sme").awards, 0);
    assert_eq!(o.sectors.len(), Sector::ALL.len());
    assert_eq!(o.fairness.sector_ratios.len(), 2);
    assert_eq!(o.fairness.jain_sectors, Some(0.5));
}
