use super::*;
use crate::allocation::{RequestId, RoundId};

fn site() -> SlurmSite {
    SlurmSite { cluster: "kisti6".into(), pools: vec!["kisti6-gh200".into()], parent: "root".into(), fairshare: None }
}

fn day(d: &str) -> NaiveDate {
    d.parse().unwrap()
}

fn award(id: u64, pool: &str, unit: PoolUnit, amount: u64, users: &[&str]) -> Award {
    Award {
        allocation: Allocation {
            id: AllocationId(id),
            request: RequestId(id + 40),
            round: RoundId("2027-1".into()),
            account: format!("r2027-1-{:04}", id + 40),
            pool: pool.into(),
            unit,
            amount,
            gpus: (unit == PoolUnit::Servers).then_some(amount * 4),
            start: day("2027-03-01"),
            end: day("2027-08-31"),
        },
        organisation: "KAIST".into(),
        users: users.iter().map(|u| (*u).to_owned()).collect(),
    }
}

#[test]
fn awards_become_accounts_with_their_unit_as_the_limit_and_open_only_in_their_period() {
    let awards = [
        award(1, "kisti6-gh200", PoolUnit::GpuHours, 1000, &["minji", "jisoo"]),
        award(2, "kisti6-gh200", PoolUnit::NodeHours, 50, &["minji"]),
        award(3, "kisti6-gh200", PoolUnit::Servers, 2, &["hana"]),
        award(4, "kakao-b200", PoolUnit::GpuHours, 99, &["other"]),
    ];
    let want = desired(&site(), &awards, day("2027-03-01"));
    assert_eq!(want.len(), 3, "the cloud pool is not this site's");
    assert_eq!(want[0].account, "r2027-1-0041");
    assert_eq!(want[0].limits.grp_tres_mins, BTreeMap::from([(GPU_TRES.to_owned(), 60_000)]));
    assert_eq!(want[0].users, BTreeSet::from(["jisoo".to_owned(), "minji".to_owned()]));
    assert_eq!(want[0].organisation, "kaist");
    assert_eq!(want[1].limits.grp_tres_mins, BTreeMap::from([(NODE_TRES.to_owned(), 3_000)]));
    assert_eq!(want[2].limits.grp_tres, BTreeMap::from([(GPU_TRES.to_owned(), 8)]));
    assert!(want[2].limits.grp_tres_mins.is_empty());
    assert!(want.iter().all(|s| s.limits.open));
    // The last day is inside; the day before the first and after the last are not.
    assert!(desired(&site(), &awards, day("2027-08-31"))[0].limits.open);
    assert!(!desired(&site(), &awards, day("2027-02-28"))[0].limits.open);
    assert!(!desired(&site(), &awards, day("2027-09-01"))[0].limits.open);
}

#[test]
fn an_empty_cluster_gets_the_account_then_its_limits_then_its_users() {
    let want = desired(&site(), &[award(1, "kisti6-gh200", PoolUnit::GpuHours, 10, &["minji"])], day("2027-04-01"));
    let r = reconcile(&site(), want, &SlurmState::default());
    let args: Vec<String> = r.changes.iter().map(|(_, c)| c.sacctmgr_args("kisti6").join(" ")).collect();
    assert_eq!(
        args,
        [
            "-i add account r2027-1-0041 cluster=kisti6 parent=root description=kairr 2027-1 request 41 organization=kaist",
            "-i modify account where name=r2027-1-0041 cluster=kisti6 set GrpTRESMins=gres/gpu=600 GrpTRES=gres/gpu=-1 \
             GrpJobs=-1 GrpSubmitJobs=-1",
            "-i add user minji account=r2027-1-0041 cluster=kisti6",
        ]
    );
    assert!(r.changes.iter().all(|(ids, _)| ids == &[AllocationId(1)]));
}

#[test]
fn a_cluster_that_holds_the_award_needs_nothing_and_drift_is_corrected_not_deleted() {
    let text = "root|||||||1\nroot|root||||||1\n\
                r2027-1-0041||gres/gpu=600||||1\nr2027-1-0041|minji|||||1\nr2027-1-0041|hand.added|||||1\n\
                lab-x||cpu=5||||1\n";
    let observed = parse_associations(text).unwrap();
    let want = || desired(&site(), &[award(1, "kisti6-gh200", PoolUnit::GpuHours, 10, &["minji"])], day("2027-04-01"));
    let r = reconcile(&site(), want(), &observed);
    assert!(r.changes.is_empty(), "{:?}", r.changes);
    assert_eq!(r.unmanaged_accounts, ["lab-x"]);
    assert_eq!(r.unmanaged_users, [AccountUser { account: "r2027-1-0041".into(), user: "hand.added".into() }]);

    // Someone raised the limit and added a node limit by hand: both are put back, nothing else.
    let drifted = text.replace("gres/gpu=600|", "gres/gpu=99999,node=5|");
    let r = reconcile(&site(), want(), &parse_associations(&drifted).unwrap());
    assert_eq!(r.changes.len(), 1);
    assert_eq!(
        r.changes[0].1.sacctmgr_args("kisti6")[6..],
        ["set", "GrpTRESMins=gres/gpu=600,node=-1", "GrpTRES=gres/gpu=-1", "GrpJobs=-1", "GrpSubmitJobs=-1"]
    );
    // A closed account (GrpJobs=0) inside the period is opened again; after it, it is closed.
    let closed = text.replace("gres/gpu=600||||1", "gres/gpu=600||0|0|1");
    assert_eq!(reconcile(&site(), want(), &parse_associations(&closed).unwrap()).changes.len(), 1);
    let after = desired(&site(), &[award(1, "kisti6-gh200", PoolUnit::GpuHours, 10, &["minji"])], day("2027-09-01"));
    assert!(reconcile(&site(), after.clone(), &parse_associations(&closed).unwrap()).changes.is_empty());
    let r = reconcile(&site(), after, &observed);
    assert!(r.changes[0].1.sacctmgr_args("kisti6").ends_with(&["GrpJobs=0".into(), "GrpSubmitJobs=0".into()]));
}

#[test]
fn fair_share_is_managed_only_when_the_site_sets_it() {
    let observed = parse_associations("r2027-1-0041||gres/gpu=600||||1\nr2027-1-0041|minji|||||1\n").unwrap();
    let awards = [award(1, "kisti6-gh200", PoolUnit::GpuHours, 10, &["minji"])];
    let weighted = SlurmSite { fairshare: Some(10), ..site() };
    let r = reconcile(&weighted, desired(&weighted, &awards, day("2027-04-01")), &observed);
    assert_eq!(r.changes[0].1.sacctmgr_args("kisti6").last().unwrap(), "Fairshare=10");
}

#[test]
fn unreadable_associations_are_an_error_naming_the_line() {
    assert!(parse_associations("r1||gres/gpu=abc||||1").unwrap_err().contains("gres/gpu=abc"));
    assert!(parse_associations("just-one-field").is_err());
    assert_eq!(parse_associations("\n").unwrap(), SlurmState::default());
}

#[test]
fn organisations_and_descriptions_are_words_sacctmgr_keeps() {
    assert_eq!(slurm_word("Seoul Nat'l Univ."), "seoul-nat-l-univ-");
    assert_eq!(slurm_word("한국과학기술원"), "-------");
    assert_eq!(slurm_word(""), "unknown");
}
