//! Tests of the demo round: the published totals hold exactly, the data is
//! deterministic and consistent, and the public page leaks nothing.

use std::collections::{BTreeMap, HashMap};

use super::*;
use crate::advisor::Sector;
use crate::allocation::overview::{OverviewInput, RoundOverview};
use crate::allocation::proposal::{propose, Candidate, ProposalConfig};
use crate::allocation::public::PublicRound;
use crate::allocation::usage::IdlePolicy;
use crate::organisations::OrgRef;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

fn demo() -> DemoData {
    demo_data(&FIRST_CALL_2026, 2026, today(), &Catalogue::embedded().unwrap()).unwrap()
}

/// The demo with three weeks of usage from the simulator.
fn demo_with_usage() -> DemoData {
    let mut d = demo();
    let config = crate::sim::SimConfig { warm_up_seconds: 86_400, ..crate::sim::SimConfig::default() };
    d.simulate_usage(&Catalogue::embedded().unwrap(), config, 21);
    d
}

#[test]
fn the_demo_round_matches_the_first_2026_call_exactly() {
    let d = demo();
    assert_eq!(d.requests.len(), 514);
    let asked_gpus: u64 = d.requests.iter().map(|r| r.amount * 8).sum();
    assert_eq!(asked_gpus, 13_712);
    assert_eq!(d.allocations.len(), 159);
    assert_eq!(d.requests.iter().filter(|r| r.state.is_awarded()).count(), 159);
    let servers: u64 = d.allocations.iter().map(|a| a.amount).sum();
    let gpus: u64 = d.allocations.iter().filter_map(|a| a.gpus).sum();
    assert_eq!((servers, gpus), (528, 4_224));
    let sector: HashMap<_, _> = d.requests.iter().map(|r| (r.id, r.sector)).collect();
    let mut by_group: BTreeMap<&str, u64> = BTreeMap::new();
    for a in &d.allocations {
        let group = match sector[&a.request] {
            Sector::University => "academia",
            Sector::GovernmentInstitute => "institutes",
            _ => "industry",
        };
        *by_group.entry(group).or_default() += a.gpus.unwrap();
    }
    assert_eq!(by_group, BTreeMap::from([("academia", 2_624), ("industry", 1_288), ("institutes", 312)]));
}

#[test]
fn the_demo_is_labelled_and_deterministic() {
    let (a, b) = (demo(), demo());
    assert_eq!(a, b);
    assert!(a.demo && a.source == DataSource::Demo);
    let other = demo_data(&FIRST_CALL_2026, 7, today(), &Catalogue::embedded().unwrap()).unwrap();
    assert_ne!(a.requests, other.requests);
    assert_eq!(other.allocations.iter().map(|x| x.amount).sum::<u64>(), 528);
}

#[test]
fn the_demo_records_are_consistent() {
    let d = demo_with_usage();
    assert_eq!(d.reviews.len(), 514 * 3);
    assert!(!d.conflicts.is_empty(), "some reviewers share an organisation with applicants");
    for r in &d.reviews {
        let req = &d.requests[r.request.0 as usize - 1];
        assert!(!req.org().same(OrgRef::new(r.reviewer_organisation_id.as_deref(), &r.reviewer_organisation)));
        assert!(req.organisation_id.is_some() && r.reviewer_organisation_id.is_some(), "the demo names resolve");
    }
    for p in &d.round.pools {
        let held: u64 = d.allocations.iter().filter(|a| a.pool == p.pool).map(|a| a.amount).sum();
        assert!(held <= p.capacity);
    }
    let decisions =
        d.audit.iter().filter(|e| e.action == crate::allocation::audit::AuditAction::DecisionRecorded).count();
    assert_eq!(decisions, 514);
    assert!(d.audit.windows(2).all(|w| w[0].at <= w[1].at && w[0].seq + 1 == w[1].seq));
    assert!(d.usage.iter().all(|u| u.gpu_hours >= 0.0 && u.day < today()));
    let roles: Vec<_> = d.accounts.iter().map(|a| a.role).collect();
    for role in crate::allocation::roles::Role::ALL {
        assert!(roles.contains(&role), "{role:?}");
    }
}

#[test]
fn the_demo_overview_flags_idle_allocations() {
    let d = demo_with_usage();
    let input = OverviewInput {
        round: &d.round,
        requests: &d.requests,
        allocations: &d.allocations,
        usage: &d.usage,
        today: today(),
        idle: IdlePolicy::default(),
        metering: &Default::default(),
    };
    let o = RoundOverview::build(&input);
    let idle: u32 = o.pools.iter().map(|p| p.idle_allocations).sum();
    assert!(idle > 0 && idle < 40, "{idle} idle");
    assert!(o.pools.iter().all(|p| p.oversubscription > 1.0 && p.awarded == p.capacity));
    assert!(o.fairness.jain_sectors.is_some_and(|j| j > 0.5 && j <= 1.0));
}

#[test]
fn the_public_page_holds_nothing_from_reviews_or_rejected_requests() {
    let d = demo();
    let page = PublicRound::build(&d.round, &d.requests, &d.allocations, Some(DataSource::Demo));
    assert_eq!((page.requests, page.awards, page.projects.len()), (514, 159, 159));
    let json = serde_json::to_string(&page).unwrap();
    for r in &d.reviews {
        assert!(!json.contains(&r.reviewer) && !json.contains(&r.comment));
    }
    for r in d.requests.iter().filter(|r| r.state == crate::allocation::state::RequestState::Rejected) {
        let unique = !d.requests.iter().any(|o| o.state.is_awarded() && o.title_ko == r.title_ko);
        if unique {
            assert!(!json.contains(&r.title_ko), "rejected title {} leaked", r.title_ko);
        }
        assert!(!json.contains(&r.abstract_text) && !json.contains(&r.pi));
    }
    for forbidden in ["abstract", "\"pi\"", "score", "comment", "rationale", "applicant"] {
        assert!(!json.contains(forbidden), "{forbidden} in public JSON");
    }
    assert_eq!(page.pools.iter().map(|p| p.awarded_gpus.unwrap()).sum::<u64>(), 4_224);
}

#[test]
fn the_public_page_says_how_much_of_each_pools_awarded_capacity_was_used_lately() {
    let d = demo_with_usage();
    let page = PublicRound::build(&d.round, &d.requests, &d.allocations, Some(DataSource::Demo)).with_recent_use(
        &d.round,
        &d.allocations,
        &d.usage,
        today(),
    );
    for p in &page.pools {
        let used = p.used_30d.unwrap_or_else(|| panic!("{} has awards running and usage", p.pool));
        assert!(used > 0.0 && used <= 1.0, "{}: {used}", p.pool);
    }
    // Without usage records every running award used nothing.
    let idle = PublicRound::build(&d.round, &d.requests, &d.allocations, None).with_recent_use(
        &d.round,
        &d.allocations,
        &[],
        today(),
    );
    assert!(idle.pools.iter().all(|p| p.used_30d == Some(0.0)), "{:?}", idle.pools);
    // Before any award ran there is nothing to say.
    let before = PublicRound::build(&d.round, &d.requests, &d.allocations, None).with_recent_use(
        &d.round,
        &d.allocations,
        &d.usage,
        d.round.period_start,
    );
    assert!(before.pools.iter().all(|p| p.used_30d.is_none()), "{:?}", before.pools);
}

#[test]
fn a_proposal_for_the_demo_round_fills_every_pool_within_capacity() {
    let d = demo();
    // As if nothing were decided yet.
    let mut open = d.requests.clone();
    for r in &mut open {
        r.state = crate::allocation::RequestState::UnderReview;
    }
    let p = propose(&d.round, &Candidate::all(&open, &d.reviews, &[]), &ProposalConfig::default());
    for t in &p.pools {
        assert!(t.proposed <= t.capacity && t.proposed + 2 >= t.capacity, "{t:?}");
    }
    // Decided, the proposal keeps every decision as it was made.
    let p = propose(&d.round, &Candidate::all(&d.requests, &d.reviews, &d.allocations), &ProposalConfig::default());
    assert!(p.lines.iter().all(|l| l.decided));
    for l in &p.lines {
        let awarded: u64 = d.allocations.iter().filter(|a| a.request == l.request).map(|a| a.amount).sum();
        assert_eq!(l.proposed, awarded, "request {}", l.request.0);
    }
}

#[test]
fn the_demo_allocations_use_about_what_their_simulated_users_want() {
    let d = demo_with_usage();
    // Over the last 7 of the 21 simulated days (no idle profile changes inside it).
    let from = today().checked_sub_days(chrono::Days::new(7)).unwrap();
    let accounts = d.sim_accounts();
    let mut wanted = 0.0;
    for a in &accounts {
        let t = crate::time::kst_midnight(from);
        wanted += a.demand_gpus(t) * 24.0 * 7.0;
    }
    let used: f64 = d.usage.iter().filter(|u| u.day >= from && u.day < today()).map(|u| u.gpu_hours).sum();
    assert!((0.8..1.2).contains(&(used / wanted)), "used {used:.0} of {wanted:.0} GPU-hours wanted");
}

#[test]
fn the_demos_fictional_accounts_have_names() {
    use super::display_name;
    assert_eq!(display_name("reviewer05").as_deref(), Some("심사위원 5 (데모)"));
    assert_eq!(display_name("committee1").as_deref(), Some("배분위원 1 (데모)"));
    assert_eq!(display_name("ops1").as_deref(), Some("운영자 1 (데모)"));
    assert_eq!(display_name("admin").as_deref(), Some("운영사무국 (데모)"));
    assert_eq!(display_name("reviewer99"), None, "not one of the demo's");
    assert_eq!(display_name("kim"), None);
}
