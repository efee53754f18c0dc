//! Awards become enforced Slurm accounts (issue 13 §1), against a real
//! slurmctld + slurmdbd + MariaDB (`scripts/slurm-cluster.sh --accounting`):
//! a decision provisions the project's account with its members and its
//! node-minute limit (`sacctmgr show assoc` is the oracle); a job runs under
//! it; one that would pass the limit is held by Slurm; a limit changed by
//! hand is put back; an account the portal does not know is reported and
//! left; with slurmdbd down the pass fails visibly and loses nothing, and
//! the next one converges (here: an allocation the admin ended is closed).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing fast is the point

use crate::slurm_cluster::{require_slurm, wait_until, Cluster};
use crate::support::db::{execute, texts, Arg};
use crate::support::{self, Caller, TestApp};

use std::process::Command;
use std::time::{Duration, Instant};

use kairr_server::provision::SlurmProvisioning;
use serde_json::{json, Value};

const ROUND: &str = "2027-9";
/// A cluster login the jobs run as (created on this machine when missing).
const LOGIN: &str = "kairrprov1";

fn require_accounting() {
    for b in ["slurmdbd", "mariadbd", "sacctmgr", "sacct"] {
        let found = Command::new("sh").args(["-c", &format!("command -v {b}")]).output().unwrap().status.success();
        assert!(found, "{b} is missing: run ./kairr test, or apt-get install slurmdbd mariadb-server");
    }
}

fn ensure_unix_user(name: &str) {
    if Command::new("id").arg(name).output().unwrap().status.success() {
        return;
    }
    let out = Command::new("useradd").args(["-M", "-N", "-s", "/usr/sbin/nologin", name]).output().unwrap();
    assert!(out.status.success(), "useradd {name}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The first day of the allocation period: three days ago, so that the
/// allocation can be ended now (yesterday its last day) as well as used.
fn period_start() -> String {
    (chrono::Utc::now().date_naive() - chrono::Days::new(3)).to_string()
}

/// A round on the GH200 batch pool (node-hours) whose allocation period began three days ago.
fn round_form() -> Value {
    let today = chrono::Utc::now().date_naive();
    let day = |d: u64| (today + chrono::Days::new(d)).to_string();
    json!({
        "id": ROUND, "title_ko": "프로비저닝 시험 공모", "title_en": "Provisioning test call",
        "opens": today.to_string(), "closes": day(30), "review_closes": day(40),
        "period_start": period_start(), "period_end": day(200),
        "pools": [{"pool": "kisti6-gh200", "unit": "node_hours", "capacity": 100000}],
        "sector_targets": {}, "min_score": 1.0, "min_reviews": 1, "reviewers_per_request": 1
    })
}

/// Submitted, reviewed and decided early by the admin (with a reason): `amount` node-hours.
async fn award(app: &TestApp, admin: &Caller, amount: u64) -> u64 {
    let (code, round) = admin.post("/api/v1/admin/rounds", &round_form()).await;
    assert_eq!(code, 200, "{round}");
    let stage = format!("/api/v1/admin/rounds/{ROUND}/stage");
    assert_eq!(admin.post(&stage, &json!({"from": "draft", "to": "open"})).await.0, 200);
    let researcher = app.person(LOGIN, "부산대학교", "researcher").await;
    let _co = app.person("jisoo", "부산대학교", "researcher").await;
    // jisoo's login on the cluster is not their portal username.
    let (code, person) = admin.patch("/api/v1/admin/people/jisoo", &json!({"cluster_login": "kim_js"})).await;
    assert_eq!((code, person["cluster_login"].as_str()), (200, Some("kim_js")), "{person}");
    let today = chrono::Utc::now().date_naive();
    let request = json!({
        "title_ko": "핵융합 시뮬레이션", "title_en": "Fusion simulation", "abstract": "시험", "pi": "김연구",
        "organisation": "부산대학교", "sector": "university", "region": "non_capital", "pool": "kisti6-gh200",
        "amount": amount, "period_start": period_start(),
        "period_end": (today + chrono::Days::new(30)).to_string(), "co_investigators": ["jisoo"]
    });
    let (code, req) = researcher.post(&format!("/api/v1/requests?round={ROUND}"), &request).await;
    assert_eq!(code, 200, "{req}");
    let id = req["id"].as_u64().unwrap();
    assert_eq!(admin.post(&stage, &json!({"from": "open", "to": "under_review"})).await.0, 200);
    let reviewer = app.caller("demo.reviewer").await;
    let scores = json!({"technical_merit": 5, "impact": 4, "ecosystem": 4, "team_readiness": 4, "comment": "좋음"});
    let (code, review) = reviewer.post(&format!("/api/v1/requests/{id}/reviews"), &scores).await;
    assert_eq!(code, 200, "{review}");
    let decide = json!({"kind": "approve", "rationale": "우수", "override_reason": "프로비저닝 시험"});
    let (code, decided) = admin.post(&format!("/api/v1/committee/requests/{id}/decision"), &decide).await;
    assert_eq!(code, 200, "{decided}");
    id
}

async fn provisioning(admin: &Caller) -> Value {
    let (code, report) = admin.get("/api/v1/admin/provisioning").await;
    assert_eq!(code, 200, "{report}");
    report
}

/// Associations of `account` as `account|user|GrpTRESMins|GrpJobs|GrpSubmit` lines.
fn assoc(c: &Cluster, account: &str) -> Vec<String> {
    let out = c.slurm(&[
        "sacctmgr",
        "-n",
        "-P",
        "show",
        "assoc",
        "cluster=kairrtest",
        &format!("account={account}"),
        "format=account,user,grptresmins,grpjobs,grpsubmit",
    ]);
    let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
    // The account's own association (no user) first, then its users by name.
    lines.sort_by_key(|l| (l.split('|').nth(1).is_some_and(|u| !u.is_empty()), l.clone()));
    lines
}

async fn run_pass(admin: &Caller) -> Value {
    let (code, run) = admin.post("/api/v1/admin/provisioning/run", &json!({})).await;
    assert_eq!(code, 200, "{run}");
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_provisions_an_enforced_slurm_account_and_the_reconciler_heals_drift() {
    require_slurm();
    require_accounting();
    ensure_unix_user(LOGIN);
    let c = Cluster::start_accounting();
    let slurm = SlurmProvisioning {
        slurm_conf: Some(c.conf()),
        interval_seconds: 3_600,
        usage_from_accounting: false,
        ..SlurmProvisioning::new("kairrtest", &["kisti6-gh200"])
    };
    let app = support::spawn_with(move |s| s.provisioning.slurm = Some(slurm)).await;
    let admin = app.caller("demo.admin").await;

    // Demo awards are never provisioned: before the real decision, nothing is.
    assert_eq!(provisioning(&admin).await["allocations"], json!([]));
    let request = award(&app, &admin, 1).await;
    let account = format!("r{ROUND}-{request:04}");

    // The decision wakes the leader's reconciler: provisioned within seconds, no one typed sacctmgr.
    let start = Instant::now();
    let row = loop {
        let report = provisioning(&admin).await;
        let rows = report["allocations"].as_array().unwrap().clone();
        if let Some(row) = rows.iter().find(|r| r["account"] == account.as_str() && r["state"] == "provisioned") {
            assert_eq!(rows.len(), 1, "only the real award: {report}");
            break row.clone();
        }
        assert!(start.elapsed() < Duration::from_secs(40), "not provisioned: {report}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!((row["cluster"].as_str(), row["pool"].as_str()), (Some("kairrtest"), Some("kisti6-gh200")));
    // 1 node-hour = 60 node-minutes on the account; applicant and co-investigator (by the
    // cluster login an admin set) are its users; open.
    assert_eq!(
        assoc(&c, &account),
        [format!("{account}||node=60||"), format!("{account}|{LOGIN}|||"), format!("{account}|kim_js|||")]
    );

    // A job under the account runs; one that would pass the node-minute limit is held by Slurm.
    let sbatch = |nodes: &str, minutes: &str| {
        let out = c.slurm(&[
            "sbatch",
            "--parsable",
            "--uid",
            LOGIN,
            "-A",
            &account,
            "-p",
            "gpu",
            "-N",
            nodes,
            "--gres",
            "gpu:1",
            "-t",
            minutes,
            "-o",
            "/dev/null",
            "--wrap",
            "sleep 1",
        ]);
        out.trim().to_owned()
    };
    let small = sbatch("1", "1");
    wait_until(30, "the small job to complete", || {
        c.slurm(&["sacct", "-n", "-X", "-P", "-j", &small, "-o", "state"]).trim() == "COMPLETED"
    });
    let big = sbatch("2", "60");
    wait_until(20, "the big job to be held", || {
        c.slurm(&["squeue", "-h", "-j", &big, "-o", "%T|%r"]).trim() == "PENDING|AssocGrpNodeMinutes"
    });

    // Drift by hand: the limit raised, an account the portal does not know added. One pass heals
    // the limit (audited), reports the stranger and leaves it.
    c.slurm(&[
        "sacctmgr",
        "-i",
        "modify",
        "account",
        "where",
        &format!("name={account}"),
        "set",
        "GrpTRESMins=node=99999",
    ]);
    c.slurm(&["sacctmgr", "-i", "add", "account", "lab-x", "cluster=kairrtest"]);
    // Two passes asked for at once (two admins, or an admin and the leader's schedule) run one
    // after the other: the second finds nothing left, so the change is made and audited once.
    let (first, second) = tokio::join!(run_pass(&admin), run_pass(&admin));
    let changes = [first["changes"].as_u64(), second["changes"].as_u64()];
    assert!(changes == [Some(1), Some(0)] || changes == [Some(0), Some(1)], "{first} {second}");
    let run = if first["changes"] == 1 { first } else { second };
    assert_eq!((run["ok"].as_bool(), run["changes"].as_u64()), (Some(true), Some(1)), "{run}");
    assert_eq!(run["unmanaged_accounts"], json!(["lab-x"]));
    assert_eq!(assoc(&c, &account)[0], format!("{account}||node=60||"));
    assert_eq!(assoc(&c, "lab-x").len(), 1, "never deleted");
    let db = app.db().await;
    let audited = texts(
        &db,
        "SELECT actor || ' ' || action FROM audit_log WHERE subject LIKE 'allocation:%' \
         AND action = 'scheduler_account_changed' ORDER BY seq",
        &[],
    )
    .await;
    // Account, two users, limits at the decision; the limit again after the drift.
    assert_eq!(audited, ["system:provisioning scheduler_account_changed"; 5]);
    assert_eq!(run_pass(&admin).await["changes"], 0, "converged: nothing more to do");

    // slurmdbd down: the admin ends the allocation now (yesterday its last day, through the
    // API as the request page does); the pass fails visibly and loses nothing; with slurmdbd
    // back, the next pass closes the account.
    c.script_cmd("dbd-stop");
    let (_, detail) = admin.get(&format!("/api/v1/committee/requests/{request}")).await;
    assert_eq!(detail["period_changeable"], true, "{detail}");
    let allocation = detail["allocation"]["id"].as_u64().unwrap();
    let today = kairr_shared::time::kst_day(chrono::Utc::now().timestamp());
    let change = json!({"period_start": period_start(), "period_end": (today - chrono::Days::new(1)).to_string(),
                        "reason": "과제 조기 종료"});
    let (code, ended) = admin.post(&format!("/api/v1/admin/allocations/{allocation}/period"), &change).await;
    assert_eq!(code, 200, "{ended}");
    // The change wakes the leader's reconciler, whose pass fails visibly (no one pressed anything).
    let start = Instant::now();
    let report = loop {
        let report = provisioning(&admin).await;
        if report["allocations"][0]["state"] == "failed" {
            break report;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no failed pass after the change: {report}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    let row = &report["allocations"][0];
    assert!(row["failures"].as_u64().unwrap() >= 1, "{row}");
    assert!(!row["reason"].as_str().unwrap().is_empty());
    assert_eq!(report["runs"][0]["ok"], false, "{report}");
    assert!(report["runs"][0]["error"].as_str().unwrap().contains("could not be read"), "{report}");
    c.script_cmd("dbd-start");
    let run = run_pass(&admin).await;
    assert_eq!(run["ok"], true, "{run}");
    let row = provisioning(&admin).await["allocations"][0].clone();
    assert_eq!((row["state"].as_str(), row["failures"].as_u64()), (Some("provisioned"), Some(0)), "{row}");
    assert_eq!(assoc(&c, &account)[0], format!("{account}||node=60|0|0"), "closed after its period");

    // Without a scheduler configured, a pass on demand is refused with its code.
    let plain = support::spawn().await;
    let admin = plain.caller("demo.admin").await;
    let (code, err) = admin.post("/api/v1/admin/provisioning/run", &json!({})).await;
    assert_eq!((code, err["error"].as_str()), (409, Some("provisioning_not_configured")), "{err}");
    assert_eq!(provisioning(&admin).await["configured"], false);
}

/// GPU-hours of `account`'s jobs as Slurm's own accounting reports them (the oracle):
/// Σ ElapsedRaw × allocated GPUs of every job.
fn sacct_gpu_hours(c: &Cluster, account: &str) -> f64 {
    let out =
        c.slurm(&["sacct", "-a", "-X", "-n", "-P", "-A", account, "-S", "now-1days", "-o", "elapsedraw,alloctres"]);
    out.lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(secs, tres)| {
            let gpus =
                tres.split(',').find_map(|p| p.strip_prefix("gres/gpu=")).map_or(0.0, |g| g.parse::<f64>().unwrap());
            secs.parse::<f64>().unwrap() * gpus / 3_600.0
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_comes_from_accounting_with_short_jobs_counted_exactly_and_once() {
    require_slurm();
    require_accounting();
    ensure_unix_user(LOGIN);
    let c = Cluster::start_accounting();
    let meter = SlurmProvisioning {
        slurm_conf: Some(c.conf()),
        interval_seconds: 3_600,
        usage_interval_seconds: 3_600,
        ..SlurmProvisioning::new("kairrtest", &["kisti6-gh200"])
    };
    // The app provisions; the test takes the readings (the leader's loop would read at start).
    let slurm = SlurmProvisioning { usage_from_accounting: false, ..meter.clone() };
    let app = support::spawn_with(move |s| s.provisioning.slurm = Some(slurm)).await;
    let admin = app.caller("demo.admin").await;
    let request = award(&app, &admin, 1).await;
    let account = format!("r{ROUND}-{request:04}");
    let start = Instant::now();
    while provisioning(&admin).await["allocations"][0]["state"] != "provisioned" {
        assert!(start.elapsed() < Duration::from_secs(40), "not provisioned");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let storage = kairr_server::storage::Storage::connect(&app.settings).await.unwrap();
    let db = app.db().await;
    let used = || async {
        let rows = texts(
            &db,
            "SELECT CAST(u.gpu_hours AS TEXT) || '|' || u.source FROM usage u JOIN allocations a \
             ON a.id = u.allocation_id WHERE a.source = 'real'",
            &[],
        )
        .await;
        rows.iter()
            .map(|r| {
                let (h, source) = r.split_once('|').unwrap();
                assert_eq!(source, "accounting", "{rows:?}");
                h.parse::<f64>().unwrap()
            })
            .sum::<f64>()
    };

    // Three short jobs that start and end between two readings, with 1, 2 and 4 GPUs.
    let run = |gpus: &str, secs: &str| {
        c.slurm(&[
            "sbatch",
            "--parsable",
            "--uid",
            LOGIN,
            "-A",
            &account,
            "-p",
            "gpu",
            "-N",
            "1",
            "--gres",
            gpus,
            "-t",
            "1",
            "-o",
            "/dev/null",
            "--wrap",
            &format!("sleep {secs}"),
        ])
        .trim()
        .to_owned()
    };
    let ids = [run("gpu:1", "1"), run("gpu:2", "2"), run("gpu:4", "1")];
    wait_until(60, "the short jobs to complete", || {
        ids.iter().all(|id| c.slurm(&["sacct", "-n", "-X", "-P", "-j", id, "-o", "state"]).trim() == "COMPLETED")
    });
    // Before accounting, the running-jobs integration had recorded some of today (source `slurm`):
    // the first reading takes those days over rather than adding to them.
    let today = kairr_shared::time::kst_day(chrono::Utc::now().timestamp()).to_string();
    execute(
        &db,
        "INSERT INTO usage (allocation_id, day, gpu_hours, source) SELECT id, $1, 5.0, 'slurm' FROM allocations \
         WHERE source = 'real'",
        &[Arg::Text(&today)],
    )
    .await
    .unwrap();
    // Two readings at once (a failover overlap, say): one is recorded, the other dropped whole.
    let now = chrono::Utc::now();
    let (r1, r2) = tokio::join!(
        kairr_server::provision::meter_once(&storage, &meter, now),
        kairr_server::provision::meter_once(&storage, &meter, now)
    );
    let (r1, r2) = (r1.unwrap(), r2.unwrap());
    // (Read together, the second finds the first's claim and is dropped; had it started after the
    // first was recorded, it would have added nothing. Either way nothing is counted twice. A
    // reading after them re-reads the last ten minutes: it adds what they might have missed, and
    // nothing twice.)
    let r3 = kairr_server::provision::meter_once(&storage, &meter, chrono::Utc::now()).await.unwrap();
    assert!(r1.jobs + r2.jobs + r3.jobs >= 3, "{r1:?} {r2:?} {r3:?}");
    let oracle = sacct_gpu_hours(&c, &account);
    assert!(oracle > 0.0);
    assert!((used().await - oracle).abs() < 1e-9, "portal {} vs sacct {oracle}", used().await);

    // Read again: the same jobs add nothing.
    kairr_server::provision::meter_once(&storage, &meter, chrono::Utc::now()).await.unwrap();
    assert!((used().await - oracle).abs() < 1e-9, "re-read changed usage: {} vs {oracle}", used().await);

    // A job read while it runs is counted as it goes, and whole once it ended.
    let long = run("gpu:2", "5");
    // (slurmctld tells slurmdbd of a start a moment later: wait until the accounting has it.)
    wait_until(20, "the accounting to see the long job run", || {
        c.slurm(&["sacct", "-n", "-X", "-P", "-j", &long, "-o", "state"]).trim() == "RUNNING"
    });
    std::thread::sleep(Duration::from_secs(1));
    let read = kairr_server::provision::meter_once(&storage, &meter, chrono::Utc::now()).await.unwrap();
    let partial = used().await;
    assert!(partial > oracle, "a running job adds as it runs: {read:?}, {partial} vs {oracle}");
    wait_until(30, "the long job to complete", || {
        c.slurm(&["sacct", "-n", "-X", "-P", "-j", &long, "-o", "state"]).trim() == "COMPLETED"
    });
    kairr_server::provision::meter_once(&storage, &meter, chrono::Utc::now()).await.unwrap();
    let oracle = sacct_gpu_hours(&c, &account);
    // The running reading used the portal's clock, the end Slurm's: within a second of GPU-time.
    assert!((used().await - oracle).abs() < 2.0 / 3_600.0 + 1e-9, "portal {} vs sacct {oracle}", used().await);
}
