//! The Slurm source against a real Slurm 22.05 (munged, slurmctld, four
//! slurmd with fake GPUs, one node without slurmd, slurmrestd with JWT) that
//! `scripts/slurm-cluster.sh` starts on free loopback ports. Jobs run and
//! pend, a node is drained; then every way of reading it (slurmrestd
//! v0.0.36, v0.0.37, v0.0.38, auto-detected, and `sinfo`/`squeue --json`)
//! must agree with what `sinfo` and `squeue` print. Stopping slurmctld makes
//! a poll fail within its timeout; it works again after a restart.
//!
//! Needs root and Debian's `slurm-wlm slurmctld slurmd slurmrestd
//! slurm-client munge slurm-wlm-jwt-plugin` (`./kairr test` installs them).
//! Without them the test fails, saying so.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing fast is the point

use crate::slurm_cluster;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kairr_server::source::slurm::{CliConfig, RestConfig, SlurmConfig, SlurmMode, SlurmSource, VersionChoice};
use kairr_server::source::{SourcePoll, StatusSource};
use kairr_shared::api::MaintenanceState;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::slurm::{ApiVersion, SlurmMapping};
use slurm_cluster::{load, require_slurm, Cluster};

/// Seconds a poll may take in these tests.
const TIMEOUT_S: u32 = 4;

/// What `sinfo` and `squeue` say about one partition.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Oracle {
    up: u32,
    down: u32,
    drained: u32,
    gpus_total: u32,
    gpus_used: u32,
    running: u32,
    pending: u32,
    /// Pending jobs by reason code.
    reasons: BTreeMap<String, u32>,
}

/// A GRES string's GPU count, read independently of the code under test.
fn gpus_in(gres: &str) -> u32 {
    gres.split(',')
        .filter(|e| e.starts_with("gpu"))
        .filter_map(|e| e.split('(').next().unwrap().rsplit(':').next().unwrap().parse::<u32>().ok())
        .sum()
}

fn oracle(c: &Cluster, partition: &str) -> Oracle {
    let mut o = Oracle::default();
    for line in
        c.slurm(&["sinfo", "-h", "-N", "-p", partition, "-O", "NodeList:|,StateLong:|,Gres:|,GresUsed:|"]).lines()
    {
        let f: Vec<&str> = line.split('|').collect();
        let state = f[1];
        let base = state.trim_end_matches(['*', '~', '#', '!', '%', '$', '@', '^', '-']);
        if base.starts_with("drain") || base.starts_with("maint") {
            o.drained += 1;
        } else if state.ends_with('*') || !["idle", "mixed", "allocated", "completing", "planned"].contains(&base) {
            o.down += 1;
        } else {
            o.up += 1;
        }
        o.gpus_total += gpus_in(f[2]);
        o.gpus_used += gpus_in(f[3]);
    }
    for line in c.slurm(&["squeue", "-h", "-p", partition, "-t", "R,PD", "-o", "%T|%r"]).lines() {
        let (state, reason) = line.split_once('|').unwrap();
        if state == "RUNNING" {
            o.running += 1;
        } else {
            o.pending += 1;
            *o.reasons.entry(reason.split(',').next().unwrap().to_owned()).or_default() += 1;
        }
    }
    o
}

/// The same figures from one poll of the source.
fn seen(poll: &SourcePoll, pool: &str) -> Oracle {
    let p = poll.systems[0].pools.iter().find(|p| p.id == pool).unwrap_or_else(|| panic!("no pool {pool}"));
    let q = poll.queues.iter().find(|q| q.pool_id == pool).unwrap();
    Oracle {
        up: p.nodes.up,
        down: p.nodes.down,
        drained: p.nodes.drained,
        gpus_total: p.gpus.iter().map(|g| g.total).sum(),
        gpus_used: p.gpus.iter().map(|g| g.allocated).sum(),
        running: p.running_jobs,
        pending: p.pending_jobs,
        reasons: q.pending_reasons.iter().map(|r| (r.reason.clone(), r.jobs)).collect(),
    }
}

fn config(c: &Cluster, mode: SlurmMode, version: VersionChoice) -> SlurmConfig {
    let mut mapping = SlurmMapping { system_id: "testhpc".into(), ..SlurmMapping::default() };
    mapping.partitions.insert("gpu".into(), "testhpc-gpu".into());
    SlurmConfig {
        mapping,
        mode,
        rest: Some(RestConfig {
            url: c.url.clone(),
            version,
            user: "root".into(),
            token: None,
            token_file: Some(c.token()),
            token_env: None,
        }),
        cli: CliConfig { slurm_conf: Some(c.conf()), ..CliConfig::default() },
        interval_seconds: 5,
        timeout_seconds: TIMEOUT_S,
        backoff_max_seconds: 10,
        max_response_bytes: 64 * 1024 * 1024,
    }
}

/// Every way of reading the cluster, labelled.
fn sources(c: &Cluster) -> Vec<(&'static str, SlurmSource)> {
    let cat = || Catalogue::embedded().unwrap();
    let rest = |v| SlurmSource::new(config(c, SlurmMode::Rest, v), cat()).unwrap();
    vec![
        ("rest v0.0.36", rest(VersionChoice::Fixed(ApiVersion::V0036))),
        ("rest v0.0.37", rest(VersionChoice::Fixed(ApiVersion::V0037))),
        ("rest v0.0.38", rest(VersionChoice::Fixed(ApiVersion::V0038))),
        ("rest auto", rest(VersionChoice::Auto)),
        ("cli", SlurmSource::new(config(c, SlurmMode::Cli, VersionChoice::Auto), cat()).unwrap()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_slurm_source_reads_a_real_cluster_as_sinfo_and_squeue_report_it() {
    require_slurm();
    let c = Cluster::start();
    load(&c);
    let mut sources = sources(&c);

    let before = (oracle(&c, "gpu"), oracle(&c, "cpu"));
    let mut polls = Vec::new();
    for (label, source) in &mut sources {
        let now = chrono::Utc::now().timestamp();
        polls.push((*label, source.poll(now).await.unwrap_or_else(|e| panic!("{label}: {e}"))));
    }
    let after = (oracle(&c, "gpu"), oracle(&c, "cpu"));
    assert_eq!(before, after, "the cluster changed while it was read");
    let (gpu, cpu) = before;
    assert_eq!((gpu.up, gpu.down, gpu.drained), (2, 1, 1), "setup: g1 g2 up, g4 not responding, g3 draining");
    assert_eq!((gpu.gpus_total, gpu.running, gpu.pending), (28, 4, 4), "setup: {gpu:?}");
    assert!(gpu.reasons.contains_key("ReqNodeNotAvail") && gpu.reasons.contains_key("JobHeldUser"), "{gpu:?}");

    eprintln!("sinfo/squeue: gpu {gpu:?}\n             cpu {cpu:?}");
    for (label, poll) in &polls {
        assert_eq!(seen(poll, "testhpc-gpu"), gpu, "{label}: gpu partition");
        assert_eq!(seen(poll, "cpu"), cpu, "{label}: cpu partition (unmapped: pool id = partition name)");
        let system = &poll.systems[0];
        assert_eq!((system.id.as_str(), system.source), ("testhpc", kairr_shared::api::DataSource::Slurm));
        // The advisor's queue: whole nodes held add up to the up nodes that run jobs,
        // and only jobs waiting for resources or priority are queued.
        let q = poll.queues.iter().find(|q| q.pool_id == "testhpc-gpu").unwrap();
        assert_eq!(q.nodes_up, gpu.up, "{label}");
        assert_eq!(q.busy_nodes(), 2, "{label}: g1 and g2 run jobs");
        let waiting = gpu.reasons.get("Resources").unwrap_or(&0) + gpu.reasons.get("Priority").unwrap_or(&0);
        assert_eq!(q.pending.len() as u32, waiting, "{label}");
        assert!(q.running.iter().all(|r| r.remaining_seconds > 0 && r.remaining_seconds <= 120 * 60), "{label}");
        let maint: Vec<_> = poll.maintenance.iter().map(|m| (m.pool_id.as_str(), m.state)).collect();
        let want_maint =
            if label.contains("v0.0.36") { vec![] } else { vec![("testhpc-gpu", MaintenanceState::Scheduled)] };
        assert_eq!(maint, want_maint, "{label}: maintenance reservations (none in v0.0.36)");
        let limit = poll.systems[0].pools.iter().find(|p| p.id == "testhpc-gpu").unwrap().walltime_limit_hours;
        assert_eq!(limit, Some(48), "{label}: the partition's MaxTime");
        let next = poll.systems[0].pools.iter().map(|p| (p.id.as_str(), p.maintenance_in_seconds)).collect::<Vec<_>>();
        assert!(next.iter().all(|(_, m)| m.is_none()), "{label}: maint-g2 takes only g2: {next:?}");
    }

    // A maintenance of the whole gpu partition tomorrow, within its 48 h limit:
    // every source that reads reservations says when it starts, for that pool only.
    c.slurm(&[
        "scontrol",
        "create",
        "reservation",
        "reservationname=maint-all",
        "starttime=now+1day",
        "duration=600",
        "nodes=g[1-4]",
        "flags=maint,ignore_jobs",
        "users=root",
    ]);
    for (label, source) in &mut sources {
        let now = chrono::Utc::now().timestamp();
        let poll = source.poll(now).await.unwrap_or_else(|e| panic!("{label}: {e}"));
        let pool = |id: &str| poll.systems[0].pools.iter().find(|p| p.id == id).unwrap().maintenance_in_seconds;
        assert_eq!(pool("cpu"), None, "{label}: c1 is not in maint-all");
        let gpu = pool("testhpc-gpu");
        if label.contains("v0.0.36") {
            assert_eq!(gpu, None, "{label}: no reservations in v0.0.36");
        } else {
            // Slurm keeps whole seconds of the time it was asked at; the poll came later.
            assert!(gpu.is_some_and(|s| (86_400 - 120..=86_400).contains(&s)), "{label}: {gpu:?}");
        }
    }
    assert_eq!(sources[3].1.api_version(), Some(ApiVersion::V0038), "auto-detection picks the newest version");
    let usage = sources[2].1.usage();
    assert!(usage.iter().any(|u| u.account == "proj-a" && u.pool_id == "testhpc-gpu"), "{usage:?}");

    // The controller goes away: every poll fails, within its timeout.
    c.script_cmd("ctld-stop");
    for (label, source) in &mut sources {
        let start = Instant::now();
        let result = source.poll(chrono::Utc::now().timestamp()).await;
        let took = start.elapsed();
        let err = result.err().unwrap_or_else(|| panic!("{label}: a poll without slurmctld must fail"));
        eprintln!("{label}: without slurmctld, after {took:?}: {err}");
        assert!(took < Duration::from_secs(u64::from(TIMEOUT_S) + 2), "{label}: took {took:?}: {err}");
        assert!(err.to_string().starts_with("slurm:testhpc: "), "{label}: {err}");
    }

    // It comes back: every source recovers by itself.
    c.script_cmd("ctld-start");
    for (label, source) in &mut sources {
        let start = Instant::now();
        loop {
            match source.poll(chrono::Utc::now().timestamp()).await {
                Ok(poll) => {
                    eprintln!("{label}: recovered after {:?}", start.elapsed());
                    assert_eq!(seen(&poll, "testhpc-gpu").running, 4, "{label}: jobs survive the restart");
                    break;
                }
                Err(e) if start.elapsed() < Duration::from_secs(40) => {
                    eprintln!("{label}: not yet: {e}");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("{label}: no recovery after restart: {e}"),
            }
        }
    }
}
