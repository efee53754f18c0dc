//! Tests of job attribution: accounts get about what their users want,
//! idle users use nothing, counters only grow, every busy GPU-second is
//! someone's, and the job stream is the same with or without accounts.

use super::*;
use crate::sim::SimConfig;

const START: i64 = 1_790_000_000;
const DAY: i64 = 86_400;

/// `count` accounts of `servers` servers each on nhn-b200, busy `share`.
fn accounts(prefix: &str, count: usize, servers: u32, share: f64) -> Vec<SimAccount> {
    (0..count)
        .map(|k| SimAccount {
            account: format!("{prefix}-{k}"),
            pool_id: "nhn-b200".into(),
            awarded_gpus: f64::from(servers * 8),
            max_job_nodes: servers,
            active_from: START - 10 * DAY,
            active_until: START + 400 * DAY,
            busy_share: share,
            idle_from: None,
        })
        .collect()
}

fn programme() -> Vec<SimAccount> {
    let mut all = accounts("big", 6, 16, 0.8);
    all.extend(accounts("mid", 12, 4, 0.6));
    all.extend(accounts("small", 20, 1, 0.9));
    all.extend(accounts("never", 2, 2, 0.0));
    let mut idle = accounts("idle", 4, 4, 0.9);
    for a in &mut idle {
        a.idle_from = Some(START + 20 * DAY);
    }
    all.extend(idle);
    all
}

fn sim(faults: bool, accounts: Vec<SimAccount>) -> Simulator {
    let config = SimConfig { faults, warm_up_seconds: DAY, ..SimConfig::default() };
    Simulator::with_accounts(Catalogue::embedded().unwrap(), config, accounts, START)
}

fn used(sim: &Simulator, prefix: &str) -> u64 {
    sim.account_usage().iter().filter(|u| u.account.starts_with(prefix)).map(|u| u.gpu_seconds_total).sum()
}

#[test]
fn over_a_long_run_each_kind_of_account_uses_about_its_busy_share_of_its_award() {
    let mut s = sim(false, programme());
    let before: Vec<u64> = ["big", "mid", "small"].iter().map(|p| used(&s, p)).collect();
    s.advance_to(START + 60 * DAY);
    for (k, (prefix, count, gpus, share)) in
        [("big", 6.0, 128.0, 0.8), ("mid", 12.0, 32.0, 0.6), ("small", 20.0, 8.0, 0.9)].into_iter().enumerate()
    {
        let expected = count * gpus * share * (60 * DAY) as f64;
        let ratio = (used(&s, prefix) - before[k]) as f64 / expected;
        assert!((0.75..1.25).contains(&ratio), "{prefix}: used {ratio:.2} of its busy share × award");
    }
    assert_eq!(used(&s, "never"), 0, "accounts whose users never start use nothing");
}

#[test]
fn users_who_went_idle_record_nothing_once_their_last_jobs_ended() {
    let mut s = sim(true, programme());
    s.advance_to(START + 20 * DAY);
    let at_idle = used(&s, "idle");
    assert!(at_idle > 0, "busy before going idle");
    // The longest cloud job runs a week: after that nothing of theirs runs.
    s.advance_to(START + 27 * DAY);
    let week_after = used(&s, "idle");
    s.advance_to(START + 40 * DAY);
    assert_eq!(used(&s, "idle"), week_after);
}

#[test]
fn counters_only_grow_and_attributed_plus_other_is_every_busy_gpu_second() {
    let mut s = sim(true, programme());
    let pool = s.pools().iter().position(|p| !p.ledger.accounts.is_empty()).unwrap();
    let mut last = s.account_usage();
    for h in 1..=(30 * 24) {
        s.advance_to(START + h * 3_600);
        let now = s.account_usage();
        for (a, b) in last.iter().zip(&now) {
            assert_eq!(a.account, b.account);
            assert!(b.gpu_seconds_total >= a.gpu_seconds_total, "{} went down", a.account);
        }
        last = now;
        let attributed: u64 = last.iter().map(|u| u.gpu_seconds_total).sum();
        let busy = s.pools()[pool].ledger.busy.value(s.now());
        assert_eq!(attributed + s.other_gpu_seconds(pool), busy, "hour {h}");
    }
    assert!(s.other_gpu_seconds(pool) > 0 && used(&s, "") > 0);
}

#[test]
fn accounts_leave_the_job_stream_unchanged_and_the_same_seed_gives_the_same_usage() {
    let mut plain = sim(true, Vec::new());
    let mut a = sim(true, programme());
    let mut b = sim(true, programme());
    for t in [START + DAY, START + 5 * DAY] {
        plain.advance_to(t);
        a.advance_to(t);
        b.advance_to(t);
        assert_eq!(a.summary(30), plain.summary(30));
        assert_eq!(a.account_usage(), b.account_usage());
    }
    let other_seed = Simulator::with_accounts(
        Catalogue::embedded().unwrap(),
        SimConfig { seed: 9, faults: true, warm_up_seconds: DAY },
        programme(),
        START + 5 * DAY,
    );
    assert_ne!(a.account_usage(), other_seed.account_usage());
}
