//! Tests of telemetry readings and their merge into a pool.

use std::collections::BTreeMap;

use super::*;
use crate::status::Status;

fn policy() -> StatusPolicy {
    StatusPolicy {
        degraded_down_fraction: 0.03,
        partial_outage_down_fraction: 0.10,
        major_outage_down_fraction: 0.50,
        partial_outage_downtime_weight: 0.3,
    }
}

fn sample(labels: &[(&str, &str)], value: f64) -> PromSample {
    PromSample { labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(), value }
}

fn ups(values: &[f64]) -> Vec<PromSample> {
    values.iter().enumerate().map(|(i, v)| sample(&[("instance", &format!("n{i}:9400"))], *v)).collect()
}

fn pool() -> PoolStatus {
    let cat = crate::catalogue::Catalogue::embedded().unwrap();
    let system = cat.system("kakao").unwrap();
    crate::feeds::skeleton(system, crate::api::DataSource::Prometheus).pools.remove(0)
}

#[test]
fn the_real_sample_gives_the_mean_of_its_series() {
    let util = parse_query(include_str!("testdata/prom_query.json")).unwrap();
    let t = PoolTelemetry::from_samples("p", &util, &[], &ups(&[1.0])).unwrap();
    assert!((t.gpu_utilisation.unwrap() - (87.0 + 12.0 + 100.0) / 300.0).abs() < 1e-12);
    assert_eq!(t.power_kw, None);
    let by_host = parse_query(include_str!("testdata/prom_query_range.json")).unwrap();
    let t = PoolTelemetry::from_samples("p", &by_host, &[], &ups(&[1.0])).unwrap();
    assert_eq!(t.gpu_utilisation, Some(0.7475));
}

#[test]
fn power_is_summed_in_kilowatts_and_liveness_counted() {
    let power = [sample(&[("Hostname", "g1")], 700.25), sample(&[("Hostname", "g2")], 349.75), sample(&[], f64::NAN)];
    let t = PoolTelemetry::from_samples("kakao-b200", &[], &power, &ups(&[1.0, 0.0, 1.0])).unwrap();
    assert_eq!(
        t,
        PoolTelemetry {
            pool_id: "kakao-b200".into(),
            gpu_utilisation: None,
            power_kw: Some(1.1),
            nodes_up: 2,
            nodes_down: 1
        }
    );
}

#[test]
fn readings_that_cannot_describe_a_pool_are_errors() {
    assert_eq!(PoolTelemetry::from_samples("p", &[], &[], &[]), Err(TelemetryError::NoTargets));
    assert_eq!(PoolTelemetry::from_samples("p", &[], &[], &ups(&[1.0, 0.5])), Err(TelemetryError::BadUp(0.5)));
}

#[test]
fn utilisation_is_clamped_and_non_finite_values_skipped() {
    let util = [sample(&[], 130.0), sample(&[], f64::INFINITY), sample(&[], 90.0)];
    let t = PoolTelemetry::from_samples("p", &util, &[], &ups(&[1.0])).unwrap();
    assert_eq!(t.gpu_utilisation, Some(1.0));
}

#[test]
fn a_telemetry_only_pool_takes_nodes_and_gpus_from_liveness() {
    let mut p = pool();
    let t = PoolTelemetry {
        pool_id: p.id.clone(),
        gpu_utilisation: Some(0.5),
        power_kw: Some(9.3),
        nodes_up: 2,
        nodes_down: 1,
    };
    apply(&mut p, &t, true, &policy());
    assert_eq!(p.nodes, NodeCounts { total: 3, up: 2, down: 1, drained: 0 });
    assert_eq!(p.status, Status::PartialOutage, "1 of 3 nodes not answering");
    let g = &p.gpus[0];
    assert_eq!((g.model.as_str(), g.total, g.allocated, g.free, g.unavailable), ("B200", 24, 8, 8, 8));
    assert_eq!((p.utilisation, p.gpu_utilisation, p.power_kw), (0.5, Some(0.5), 9.3));
    assert_eq!((p.largest_startable_gpus, p.backfill_gpus, p.pending_jobs), (8, 8, 0));
}

#[test]
fn a_scheduler_pool_keeps_its_nodes_and_takes_only_utilisation_and_power() {
    let mut p = pool();
    p.nodes = NodeCounts { total: 10, up: 9, down: 1, drained: 0 };
    p.status = Status::PartialOutage;
    p.utilisation = 0.9;
    let before = p.clone();
    let t = PoolTelemetry {
        pool_id: p.id.clone(),
        gpu_utilisation: Some(0.25),
        power_kw: None,
        nodes_up: 0,
        nodes_down: 5,
    };
    apply(&mut p, &t, false, &policy());
    assert_eq!(p, PoolStatus { gpu_utilisation: Some(0.25), ..before }, "up == 0 does not override the scheduler");
}

#[test]
fn queries_get_the_pool_selector() {
    let q = PoolQueries { selector: r#"job="dcgm",cluster="b200""#.into(), ..PoolQueries::default() };
    assert_eq!(
        q.rendered(),
        [
            r#"avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL{job="dcgm",cluster="b200"})"#.to_owned(),
            r#"sum by (Hostname) (DCGM_FI_DEV_POWER_USAGE{job="dcgm",cluster="b200"})"#.to_owned(),
            r#"up{job="dcgm",cluster="b200"}"#.to_owned(),
        ]
    );
}
