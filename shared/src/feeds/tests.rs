//! Tests of a system assembled from its feeds.

use super::*;
use crate::catalogue::Catalogue;

fn cat() -> Catalogue {
    Catalogue::embedded().unwrap()
}

fn good(at: i64) -> SourceHealth {
    let mut h = SourceHealth::default();
    h.succeeded(at);
    h
}

fn reading(pool: &str, util: f64, up: u32, down: u32) -> PoolTelemetry {
    PoolTelemetry {
        pool_id: pool.into(),
        gpu_utilisation: Some(util),
        power_kw: Some(2.5),
        nodes_up: up,
        nodes_down: down,
    }
}

#[test]
fn telemetry_only_before_any_answer_is_a_degraded_stale_skeleton() {
    let c = cat();
    let sys = c.system("kakao").unwrap();
    let h = SourceHealth::default();
    let t = FeedView { name: "prometheus", kind: DataSource::Prometheus, data: None, health: &h, stale_after_s: 30 };
    let s = assemble(sys, &c.status_policy, None, Some(t), 1_000);
    assert_eq!((s.status, s.source, s.stale), (Status::Degraded, DataSource::Prometheus, true));
    assert_eq!(s.stale_reason.as_deref(), Some("prometheus: no answer yet"));
    assert_eq!(s.last_good_at, None);
}

#[test]
fn telemetry_only_with_a_reading_is_fresh_and_built_from_it() {
    let c = cat();
    let sys = c.system("kakao").unwrap();
    let h = good(990);
    let r = [reading("kakao-b200", 0.75, 4, 0)];
    let t = FeedView {
        name: "prometheus",
        kind: DataSource::Prometheus,
        data: Some(&r[..]),
        health: &h,
        stale_after_s: 30,
    };
    let s = assemble(sys, &c.status_policy, None, Some(t), 1_000);
    assert_eq!((s.status, s.stale, s.stale_reason.clone()), (Status::Operational, false, None));
    assert_eq!(s.last_good_at, Some(utc(990)));
    assert_eq!((s.pools[0].nodes.up, s.pools[0].utilisation, s.power_kw), (4, 0.75, 2.5));
}

#[test]
fn a_failing_feed_keeps_its_last_good_data_and_names_the_reason() {
    let c = cat();
    let sys = c.system("kisti6").unwrap();
    let mut base = skeleton(sys, DataSource::Slurm);
    base.pools[0].status = Status::Operational;
    base.pools[0].nodes.up = 2_124;
    let bh = good(995);
    let mut th = good(960);
    th.failed("connection refused");
    let r = [reading("kisti6-gh200", 0.4, 1, 0)];
    let b = FeedView { name: "slurm", kind: DataSource::Slurm, data: Some(&base), health: &bh, stale_after_s: 30 };
    let t = FeedView {
        name: "prometheus",
        kind: DataSource::Prometheus,
        data: Some(&r[..]),
        health: &th,
        stale_after_s: 30,
    };
    let s = assemble(sys, &c.status_policy, Some(b), Some(t), 1_000);
    assert!(s.stale);
    assert_eq!(s.stale_reason.as_deref(), Some("prometheus: connection refused"));
    assert_eq!(s.last_good_at, Some(utc(960)), "the older of the two feeds");
    assert_eq!(s.source, DataSource::Slurm);
    let p = &s.pools[0];
    assert_eq!((p.nodes.up, p.gpu_utilisation, p.power_kw, s.status), (2_124, Some(0.4), 2.5, Status::Operational));
}

#[test]
fn every_failing_feed_is_named() {
    let c = cat();
    let sys = c.system("kisti6").unwrap();
    let mut bh = SourceHealth::default();
    bh.failed("slurmrestd answered 500");
    let mut th = SourceHealth::default();
    th.failed("timed out after 5 s");
    let b = FeedView { name: "slurm", kind: DataSource::Slurm, data: None, health: &bh, stale_after_s: 30 };
    let t = FeedView { name: "prometheus", kind: DataSource::Prometheus, data: None, health: &th, stale_after_s: 30 };
    let s = assemble(sys, &c.status_policy, Some(b), Some(t), 1_000);
    assert_eq!(s.stale_reason.as_deref(), Some("slurm: slurmrestd answered 500; prometheus: timed out after 5 s"));
    assert_eq!(s.status, Status::Degraded);
}

#[test]
fn a_fresh_demo_system_passes_through_unchanged() {
    let c = cat();
    let sys = c.system("nhn").unwrap();
    let mut demo = skeleton(sys, DataSource::Demo);
    demo.pools[0].status = Status::Operational;
    demo.pools[0].power_kw = 12.0;
    demo.status = Status::Operational;
    demo.stale = false;
    demo.power_kw = 12.0;
    let h = good(1_000);
    let b = FeedView { name: "demo", kind: DataSource::Demo, data: Some(&demo), health: &h, stale_after_s: 30 };
    let s = assemble(sys, &c.status_policy, Some(b), None, 1_000);
    assert_eq!(s, SystemStatus { last_good_at: Some(utc(1_000)), ..demo });
}
