//! Usage of allocations comes from the status source: the demo simulator
//! runs each allocation's jobs under its account, the monitor records what
//! they use per KST day, and the committee overview reads it back.
#![allow(clippy::unwrap_used)] // test code fails fast

use crate::support;

use kairr_server::storage::Db;
use support::db::{float, int, texts, Arg};
use support::spawn_with;

/// Days pre-simulated: more than the idle window (7 days), so idle flags mean something.
const DAYS: u32 = 10;

async fn usage_table(db: &Db) -> (f64, i64, String, String, Vec<String>) {
    const ROUND: &str = "FROM usage u JOIN allocations a ON a.id = u.allocation_id WHERE a.round_id = '2026-1'";
    let sum = float(db, &format!("SELECT COALESCE(SUM(u.gpu_hours), 0.0) {ROUND}"), &[]).await;
    let rows = int(db, &format!("SELECT COUNT(*) {ROUND}"), &[]).await;
    let first = texts(db, &format!("SELECT MIN(u.day) {ROUND}"), &[]).await.remove(0);
    let last = texts(db, &format!("SELECT MAX(u.day) {ROUND}"), &[]).await.remove(0);
    let sources = texts(db, "SELECT DISTINCT source FROM usage", &[]).await;
    (sum, rows, first, last, sources)
}

#[tokio::test]
async fn the_overview_shows_usage_recorded_from_the_simulator_and_flags_idle_allocations() {
    let app = spawn_with(|s| s.demo.presimulate_days = DAYS).await;
    let committee = app.client_as("demo.committee").await;
    let o: serde_json::Value =
        committee.get(format!("{}/api/v1/committee/overview", app.base)).send().await.unwrap().json().await.unwrap();
    let pools = o["pools"].as_array().unwrap();
    assert!(!pools.is_empty());
    for p in pools {
        assert!(p["used_gpu_hours"].as_f64().unwrap() > 0.0, "no usage recorded in {}", p["pool"]);
    }
    let used: f64 = pools.iter().map(|p| p["used_gpu_hours"].as_f64().unwrap()).sum();
    let (stored, rows, first, last, sources) = usage_table(&app.db().await).await;
    assert!((used - stored).abs() <= 1e-6 * stored.max(1.0), "overview {used} vs usage table {stored}");
    assert_eq!(sources, vec!["demo".to_string()], "usage rows are labelled demo");
    // Only the monitored window has usage: at most DAYS + 1 KST days (today included).
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let span = (day(&last) - day(&first)).num_days();
    assert!(span <= i64::from(DAYS), "usage from {first} to {last}");
    assert!(rows > 100, "{rows} usage rows");
    // Busy allocations use a good share of 4,224 GPUs around the clock; idle ones nothing.
    let awarded_per_day = 4_224.0 * 24.0;
    assert!(used > 0.3 * awarded_per_day * f64::from(DAYS - 1), "{used} GPU-hours in {DAYS} days");
    assert!(used < 1.2 * awarded_per_day * f64::from(DAYS + 1));
    let idle: u64 = pools.iter().map(|p| p["idle_allocations"].as_u64().unwrap()).sum();
    assert!(idle > 0 && idle < 40, "{idle} allocations flagged idle");
    let flagged = o["idle"].as_array().unwrap().iter().filter(|c| c["flagged"] == true).count() as u64;
    assert_eq!(flagged, idle);
    // Each flag shows its evidence: used against the award's pace, the last day used, the source.
    for c in o["idle"].as_array().unwrap().iter().filter(|c| c["flagged"] == true) {
        assert_eq!(c["source"], "demo", "{c}");
        assert!(c["used_gpu_hours"].as_f64().unwrap() < 0.1 * c["entitled_gpu_hours"].as_f64().unwrap(), "{c}");
        if let Some(last) = c["last_used"].as_str() {
            assert!(day(last) < day(o["today"].as_str().unwrap()), "{c}");
        }
    }
    // The public page says, per pool and anonymously, how much awarded capacity was used lately.
    let (code, public) = app.get_json("/api/v1/allocations/public").await;
    assert_eq!(code, 200, "{public}");
    for p in public["pools"].as_array().unwrap() {
        let share = p["used_30d"].as_f64().unwrap_or_else(|| panic!("no recent use: {p}"));
        assert!(share > 0.0 && share <= 1.0, "{p}");
    }
}

/// Idle notices are judged as the committee's flags are: on a pool metered from Slurm's
/// accounting, days the accounting has not read are not "no use", so no one is told their
/// allocation is idle before the accounting covers the window; on the same records with
/// usage complete all along, the unused allocation is flagged and its holder told.
#[tokio::test]
async fn idle_notices_wait_for_the_accounting_as_the_committee_flags_do() {
    use kairr_server::provision::SlurmProvisioning;
    let slurm = SlurmProvisioning {
        // No Slurm here: every pass and reading fails at once (the metering is what is tested).
        sacctmgr: "/bin/false".into(),
        sacct: "/bin/false".into(),
        interval_seconds: 3_600,
        ..SlurmProvisioning::new("kairrtest", &["kisti6-gh200"])
    };
    let app = spawn_with(move |s| s.provisioning.slurm = Some(slurm)).await;
    let admin = app.caller("demo.admin").await;
    // Began ten days ago, nothing used since: idle by the running-jobs measure.
    let spec = support::award::AwardSpec {
        round: "2027-5",
        pool: "kisti6-gh200",
        unit: "node_hours",
        amount: 2_000,
        back: 10,
    };
    let request = support::award::award(&app, &admin, &spec).await;
    let storage = kairr_server::storage::Storage::connect(&app.settings).await.unwrap();
    let now = chrono::Utc::now();
    let db = app.db().await;
    let key = format!("idle:{request}");
    let sql = "SELECT username FROM notifications WHERE dedup_key = $1";
    let metering = kairr_server::provision::metering(&storage, &app.settings, false).await.unwrap();
    storage.store_due_notices(now, &metering).await.unwrap();
    assert_eq!(
        texts(&db, sql, &[Arg::Text(&key)]).await,
        Vec::<String>::new(),
        "the accounting has not been read: not judged"
    );
    let (_, o) = admin.get("/api/v1/committee/overview?round=2027-5").await;
    assert!(o["idle"].as_array().unwrap().iter().all(|c| c["flagged"] == false), "{o}");

    let complete = kairr_shared::allocation::usage::Metering::default();
    storage.store_due_notices(now, &complete).await.unwrap();
    assert_eq!(texts(&db, sql, &[Arg::Text(&key)]).await, ["demo.researcher"]);
}
