//! Property tests of the public parsers fed from outside: the placement form
//! (`WorkloadInput::parse`), Slurm's JSON of every supported version (and
//! `scontrol`'s text), Prometheus's JSON and Slurm host lists. Arbitrary
//! input never panics (no overflow in debug builds, no unbounded recursion)
//! and what comes out is bounded.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing fast is the point

use kairr_shared::advisor::workload::WorkloadInput;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::slurm::hostlist::{self, Budget, MAX_HOSTS};
use kairr_shared::slurm::{
    parse_jobs, parse_nodes, parse_partitions, parse_partitions_text, parse_reservations, parse_reservations_text,
    view, Cluster, SlurmMapping,
};
use kairr_shared::telemetry::{parse_query, PoolTelemetry};
use proptest::prelude::*;
use serde_json::{json, Value};

fn catalogue() -> Catalogue {
    Catalogue::embedded().unwrap()
}

/// Strings shaped like host lists, with extreme ranges and nesting.
fn host_list() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        Just("0".to_owned()),
        Just("007".to_owned()),
        Just("999999999".to_owned()),
        Just("18446744073709551615".to_owned()),
        Just("99999999999999999999999".to_owned()),
        (0u64..2_000).prop_map(|n| n.to_string()),
    ];
    let part = prop_oneof![
        number.clone(),
        (number.clone(), number).prop_map(|(a, b)| format!("{a}-{b}")),
        "[a-z,\\-\\[\\]]{0,3}",
    ];
    let group = prop::collection::vec(part, 1..4).prop_map(|parts| format!("[{}]", parts.join(",")));
    let expr = prop::collection::vec(prop_oneof!["[a-z]{0,3}", group], 0..5).prop_map(|p| p.concat());
    prop_oneof![
        prop::collection::vec(expr, 0..4).prop_map(|e| e.join(",")),
        any::<String>(),
        "[\\[\\]\\-,0-9a-z]{0,40}",
    ]
}

/// Integers Slurm might send, with the edges that overflow naive arithmetic.
fn slurm_int() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(u64::MAX)),
        Just(json!(4_294_967_294_i64)),
        Just(json!(4_294_967_295_i64)),
        Just(json!(-1)),
        Just(json!(1.5)),
        any::<i64>().prop_map(|n| json!(n)),
        (0i64..100_000).prop_map(|n| json!(n)),
    ]
}

/// GRES / TRES strings with absurd counts.
fn gres() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("gpu:4294967295")),
        Just(json!("gres:gpu:a100:4294967295,gres/gpu=4294967295")),
        Just(json!("gpu:a100:99999999999999999999")),
        "[a-z0-9:=/,()]{0,24}".prop_map(|s| json!(s)),
        Just(json!(null)),
    ]
}

/// One job of a fixture with fields replaced by hostile values.
fn mutate_job(job: &mut Value, m: &JobMutation) {
    let o = job.as_object_mut().unwrap();
    o.insert("node_count".into(), m.node_count.clone());
    o.insert("tasks".into(), m.tasks.clone());
    o.insert("time_limit".into(), m.time_limit.clone());
    o.insert("start_time".into(), m.start_time.clone());
    o.insert("end_time".into(), m.end_time.clone());
    o.insert("submit_time".into(), m.submit_time.clone());
    o.insert("priority".into(), m.priority.clone());
    o.insert("tres_per_node".into(), m.tres.clone());
    o.insert("tres_per_task".into(), m.tres.clone());
    o.insert("nodes".into(), json!(m.nodes));
    o.insert("gres_detail".into(), json!([m.tres.clone(), m.tres.clone()]));
    if let Some(state) = &m.state {
        o.insert("job_state".into(), json!(state));
    }
}

#[derive(Debug, Clone)]
struct JobMutation {
    node_count: Value,
    tasks: Value,
    time_limit: Value,
    start_time: Value,
    end_time: Value,
    submit_time: Value,
    priority: Value,
    tres: Value,
    nodes: String,
    state: Option<String>,
}

fn job_mutation() -> impl Strategy<Value = JobMutation> {
    (
        (slurm_int(), slurm_int(), slurm_int(), slurm_int()),
        (slurm_int(), slurm_int(), slurm_int()),
        gres(),
        host_list(),
        prop::option::of(prop_oneof![Just("RUNNING".to_owned()), Just("PENDING".to_owned()), "[A-Z]{0,8}"]),
    )
        .prop_map(
            |((node_count, tasks, time_limit, start_time), (end_time, submit_time, priority), tres, nodes, state)| {
                JobMutation {
                    node_count,
                    tasks,
                    time_limit,
                    start_time,
                    end_time,
                    submit_time,
                    priority,
                    tres,
                    nodes,
                    state,
                }
            },
        )
}

const VERSIONS: [&str; 3] = ["v0.0.36", "v0.0.37", "v0.0.38"];

fn fixture(version: &str, what: &str) -> Value {
    let path = format!("{}/tests/fixtures/slurm/rest_{version}_{what}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Parses the four answers and runs the whole view: the status, queues and
/// maintenance the portal shows. Only `Result`s, never a panic.
fn read_all(nodes: &str, jobs: &str, partitions: &str, reservations: Option<&str>, cat: &Catalogue) {
    let (Ok(nodes), Ok(jobs), Ok(partitions)) = (parse_nodes(nodes), parse_jobs(jobs), parse_partitions(partitions))
    else {
        return;
    };
    let reservations = reservations.and_then(|r| parse_reservations(r).ok()).map(|r| r.items).unwrap_or_default();
    let total: usize = jobs.items.iter().map(|j| j.nodes.len()).sum::<usize>()
        + partitions.items.iter().map(|p| p.nodes.len()).sum::<usize>();
    assert!(total <= 2 * MAX_HOSTS, "expansion stays within the budget of each answer");
    let cluster = Cluster::assemble(nodes.items, partitions.items, jobs.items, reservations);
    let mapping = SlurmMapping::default();
    let v = view(&cluster, &mapping, cat, 1_795_277_000);
    for pool in &v.system.pools {
        assert!(pool.utilisation.is_finite());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn host_lists_never_panic_and_stay_within_the_budget(list in host_list()) {
        let mut budget = Budget::new(10_000, 1_000_000);
        if let Ok(names) = hostlist::expand_within(&list, &mut budget) {
            prop_assert!(names.len() <= 10_000);
            prop_assert!(names.iter().map(String::len).sum::<usize>() <= 1_000_000);
        }
        if let Ok(names) = hostlist::expand(&list) {
            prop_assert!(names.len() <= MAX_HOSTS);
        }
    }

    #[test]
    fn slurm_json_of_every_version_never_panics(
        version in 0usize..3,
        jobs in prop::collection::vec(job_mutation(), 1..4),
        node_gres in gres(),
        node_cpus in slurm_int(),
        partition_nodes in host_list(),
        partition_limits in (slurm_int(), slurm_int(), slurm_int()),
    ) {
        let v = VERSIONS[version];
        let mut j = fixture(v, "jobs");
        let list = j["jobs"].as_array_mut().unwrap();
        for (job, m) in list.iter_mut().zip(jobs.iter().cycle()) {
            mutate_job(job, m);
        }
        let mut n = fixture(v, "nodes");
        for node in n["nodes"].as_array_mut().unwrap() {
            node["gres"] = node_gres.clone();
            node["gres_used"] = node_gres.clone();
            node["cpus"] = node_cpus.clone();
            node["alloc_cpus"] = node_cpus.clone();
        }
        let mut p = fixture(v, "partitions");
        for part in p["partitions"].as_array_mut().unwrap() {
            part["nodes"] = json!(partition_nodes);
            part["max_time_limit"] = partition_limits.0.clone();
            part["default_time_limit"] = partition_limits.1.clone();
            part["maximum_nodes_per_job"] = partition_limits.2.clone();
        }
        let r = (v != "v0.0.36").then(|| {
            let mut r = fixture(v, "reservations");
            for resv in r["reservations"].as_array_mut().unwrap() {
                resv["node_list"] = json!(partition_nodes);
                resv["start_time"] = partition_limits.0.clone();
                resv["end_time"] = partition_limits.1.clone();
            }
            r.to_string()
        });
        read_all(&n.to_string(), &j.to_string(), &p.to_string(), r.as_deref(), &catalogue());
    }

    #[test]
    fn arbitrary_text_to_the_slurm_parsers_never_panics(text in any::<String>(), version in 0usize..3) {
        let _ = parse_nodes(&text);
        let _ = parse_jobs(&text);
        let _ = parse_partitions(&text);
        let _ = parse_reservations(&text);
        let _ = parse_partitions_text(&text);
        let _ = parse_reservations_text(&text);
        // The envelope of a real version with a body that is not its schema.
        let wrapped = format!(r#"{{"meta":{{"plugin":{{"type":"openapi/{}"}}}},"errors":[],"jobs":{text:?}}}"#, VERSIONS[version]);
        let _ = parse_jobs(&wrapped);
    }

    #[test]
    fn scontrol_text_never_panics(nodes in host_list(), time in "[0-9:\\-A-Z]{0,16}", n in any::<u64>()) {
        let line = format!("PartitionName=gpu Nodes={nodes} MaxTime={time} DefaultTime={n}:{n}:{n} MaxNodes={n}\n");
        if let Ok(p) = parse_partitions_text(&line) {
            prop_assert!(p.iter().map(|p| p.nodes.len()).sum::<usize>() <= MAX_HOSTS);
        }
        let resv = format!("ReservationName=m Nodes={nodes} StartTime=2026-01-01T00:00:00 EndTime=2026-01-02T00:00:00 Flags=MAINT\n");
        let _ = parse_reservations_text(&resv);
        let _ = kairr_shared::slurm::duration_minutes(&format!("{n}-{n}:{n}:{n}"));
    }

    #[test]
    fn prometheus_json_never_panics(
        text in any::<String>(),
        values in prop::collection::vec(prop_oneof![
            Just("NaN".to_owned()), Just("+Inf".to_owned()), Just("-Inf".to_owned()), Just("1e308".to_owned()),
            Just("-1e308".to_owned()), any::<f64>().prop_map(|v| v.to_string()), "[0-9.eE+\\-a-z]{0,12}",
        ], 0..6),
        time in prop_oneof![any::<f64>().prop_map(|t| json!(t)), Just(json!("x")), Just(json!(null))],
        kind in 0usize..4,
    ) {
        let _ = parse_query(&text);
        let result: Vec<Value> = values.iter().map(|v| match kind {
            1 => json!({"metric": {"Hostname": "g1"}, "values": [[time.clone(), v]]}),
            _ => json!({"metric": {"Hostname": "g1"}, "value": [time.clone(), v]}),
        }).collect();
        let body = match kind {
            0 => json!({"status": "success", "data": {"resultType": "vector", "result": result}}),
            1 => json!({"status": "success", "data": {"resultType": "matrix", "result": result}}),
            2 => json!({"status": "success", "data": {"resultType": "scalar", "result": [time, values.first()]}}),
            _ => json!({"status": "error", "errorType": values.first(), "error": values.last()}),
        };
        if let Ok(samples) = parse_query(&body.to_string()) {
            prop_assert!(samples.len() <= values.len().max(1));
            if let Ok(t) = PoolTelemetry::from_samples("p", &samples, &samples, &samples) {
                prop_assert!(t.gpu_utilisation.is_none_or(|u| (0.0..=1.0).contains(&u)));
            }
        }
    }

    #[test]
    fn workload_forms_never_panic_and_report_few_errors(
        fields in prop::collection::btree_map(
            prop_oneof![
                Just("purpose"), Just("precision"), Just("fp64_share"), Just("gpus"), Just("gpu_memory_gb"),
                Just("model_params_b"), Just("sharded"), Just("nodes"), Just("coupling"), Just("run_hours"),
                Just("gpu_hours"), Just("measured_on"), Just("container"), Just("dataset_tb"),
                Just("data_location"), Just("sector"), Just("cpu_memory_gb"), Just("stack"),
            ],
            prop_oneof![
                Just(json!(null)), Just(json!(f64::MAX)), Just(json!(-1)), Just(json!(0)), Just(json!(1e-300)),
                Just(json!("NaN")), Just(json!("inf")), Just(json!("1e400")), Just(json!(u64::MAX)),
                any::<f64>().prop_map(|v| json!(v)), any::<String>().prop_map(|s| json!(s)),
                any::<bool>().prop_map(|b| json!(b)),
                prop::collection::vec("[a-z_]{0,10}", 0..40).prop_map(|v| json!(v)),
            ],
            0..18,
        ),
    ) {
        let form: serde_json::Map<String, Value> = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let Ok(input) = serde_json::from_value::<WorkloadInput>(Value::Object(form)) else { return Ok(()) };
        if let Err(errors) = input.parse(&catalogue()) {
            // Each field reports at most a few errors, whatever its size.
            prop_assert!(errors.0.len() <= 64, "{} errors", errors.0.len());
        }
    }
}

#[test]
fn a_hostile_host_list_in_each_version_is_an_error_not_a_hang() {
    for v in VERSIONS {
        let mut j = fixture(v, "jobs");
        j["jobs"][0]["nodes"] = json!("gpu[0-999999999]");
        let err = parse_jobs(&j.to_string()).unwrap_err();
        assert!(err.to_string().contains("host list"), "{v}: {err}");
        let mut p = fixture(v, "partitions");
        p["partitions"][0]["nodes"] = json!("a[1-99999]b[1-99999]");
        assert!(parse_partitions(&p.to_string()).is_err(), "{v}");
    }
    let err = parse_partitions_text("PartitionName=x Nodes=gpu[0-999999999]\n").unwrap_err();
    assert!(err.to_string().contains("host list"), "{err}");
}
