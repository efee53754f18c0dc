//! The Slurm model and its API view on real Slurm 22.05 answers
//! (`shared/tests/fixtures/slurm/`, see its README).

use crate::api::{MaintenanceState, PendingJob, PendingReason, RunningJob};
use crate::catalogue::Catalogue;
use crate::status::{NodeCounts, Status};

use super::*;

/// Captured a little after the jobs started and `maint-g4` began.
const NOW: i64 = 1_795_276_000;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../tests/fixtures/slurm/", $name))
    };
}

/// (label, nodes, jobs, partitions, reservations) of one way to read the cluster.
type Source = (&'static str, &'static str, &'static str, Option<&'static str>, Option<&'static str>);

/// Every way to read the cluster: REST v0.0.36 to v0.0.38 and the command line.
fn sources() -> [Source; 4] {
    [
        (
            "rest v0.0.36",
            fixture!("rest_v0.0.36_nodes.json"),
            fixture!("rest_v0.0.36_jobs.json"),
            Some(fixture!("rest_v0.0.36_partitions.json")),
            None,
        ),
        (
            "rest v0.0.37",
            fixture!("rest_v0.0.37_nodes.json"),
            fixture!("rest_v0.0.37_jobs.json"),
            Some(fixture!("rest_v0.0.37_partitions.json")),
            Some(fixture!("rest_v0.0.37_reservations.json")),
        ),
        (
            "rest v0.0.38",
            fixture!("rest_v0.0.38_nodes.json"),
            fixture!("rest_v0.0.38_jobs.json"),
            Some(fixture!("rest_v0.0.38_partitions.json")),
            Some(fixture!("rest_v0.0.38_reservations.json")),
        ),
        ("cli", fixture!("sinfo.json"), fixture!("squeue.json"), None, None),
    ]
}

fn cluster(nodes: &str, jobs: &str, partitions: Option<&str>, reservations: Option<&str>) -> Cluster {
    Cluster::assemble(
        parse_nodes(nodes).unwrap().items,
        partitions.map(|p| parse_partitions(p).unwrap().items).unwrap_or_default(),
        parse_jobs(jobs).unwrap().items,
        reservations.map(|r| parse_reservations(r).unwrap().items).unwrap_or_default(),
    )
}

fn mapping() -> SlurmMapping {
    SlurmMapping { system_id: "testhpc".into(), ..SlurmMapping::default() }
}

#[test]
fn every_answer_says_its_version() {
    assert_eq!(parse_nodes(fixture!("rest_v0.0.36_nodes.json")).unwrap().version, ApiVersion::V0036);
    assert_eq!(parse_jobs(fixture!("rest_v0.0.37_jobs.json")).unwrap().version, ApiVersion::V0037);
    assert_eq!(parse_partitions(fixture!("rest_v0.0.38_partitions.json")).unwrap().version, ApiVersion::V0038);
    assert_eq!(parse_reservations(fixture!("rest_v0.0.37_reservations.json")).unwrap().version, ApiVersion::V0037);
    assert_eq!(parse_jobs(fixture!("squeue.json")).unwrap().version, ApiVersion::V0038, "squeue --json speaks v0.0.38");
    assert_eq!(parse_nodes(fixture!("sinfo.json")).unwrap().release.as_deref(), Some("22.05.8"));
}

#[test]
fn an_unknown_version_is_an_error_naming_it() {
    let text = fixture!("rest_v0.0.38_nodes.json").replace("openapi/v0.0.38", "openapi/v0.0.40");
    let err = parse_nodes(&text).unwrap_err();
    assert_eq!(err, SlurmError::UnsupportedVersion { found: "openapi/v0.0.40".into() });
    assert!(err.to_string().contains("supported: v0.0.36, v0.0.37, v0.0.38"), "{err}");
    let no_meta = parse_jobs(r#"{"errors":[],"jobs":[]}"#).unwrap_err();
    assert_eq!(no_meta, SlurmError::MissingVersion { what: "jobs" });
}

#[test]
fn errors_reported_by_slurm_and_garbage_are_errors() {
    let err = parse_jobs(r#"{"meta":{"plugin":{"type":"openapi/v0.0.38"}},"errors":[{"error":"Unable to contact slurm controller","error_number":1}],"jobs":[]}"#).unwrap_err();
    assert_eq!(err, SlurmError::Api { what: "jobs", message: "Unable to contact slurm controller".into() });
    assert!(matches!(parse_nodes("Unable find requested URL."), Err(SlurmError::Json { what: "nodes", .. })));
    assert!(matches!(
        parse_reservations(fixture!("rest_v0.0.36_nodes.json")),
        Err(SlurmError::NotInVersion { what: "reservations", version: ApiVersion::V0036 })
    ));
}

#[test]
fn nodes_read_alike_in_every_version_where_the_schema_allows() {
    for (label, nodes, jobs, parts, resv) in sources() {
        let c = cluster(nodes, jobs, parts, resv);
        let names: Vec<_> = c.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["c1", "g1", "g2", "g3", "g4"], "{label}");
        let g1 = &c.nodes[1];
        assert_eq!(g1.partitions, ["gpu"], "{label}: v0.0.36 takes partitions from /partitions");
        assert_eq!((g1.gpu_total(), g1.gpu_used()), (8, 8), "{label}");
        assert_eq!(g1.gpus[0].model.as_deref(), Some("a100"), "{label}");
        let g3 = &c.nodes[3];
        assert_eq!((g3.gpus[0].model.clone(), g3.gpu_total(), g3.gpu_used()), (None, 4, 2), "{label}");
        assert!(g3.flags.drain, "{label}: g3 is draining");
        assert_eq!(g3.reason, "disk check", "{label}");
        assert_eq!(c.nodes[0].gpu_total(), 0, "{label}: the cpu node has no GPUs");
    }
}

#[test]
fn node_classes_follow_state_and_flags() {
    // (label, classes of c1 g1 g2 g3 g4). v0.0.36 has no flags: g4, in a
    // maintenance reservation and not responding, is only `invalid` there.
    use NodeClass::*;
    let want = [
        ("rest v0.0.36", [Up, Up, Up, Drained, Down]),
        ("rest v0.0.37", [Up, Up, Up, Drained, Drained]),
        ("rest v0.0.38", [Up, Up, Up, Drained, Drained]),
        ("cli", [Up, Up, Up, Drained, Drained]),
    ];
    for ((label, nodes, jobs, parts, resv), (l2, classes)) in sources().into_iter().zip(want) {
        assert_eq!(label, l2);
        let c = cluster(nodes, jobs, parts, resv);
        let got: Vec<_> = c.nodes.iter().map(classify).collect();
        assert_eq!(got, classes, "{label}");
    }
}

#[test]
fn jobs_keep_ids_states_reasons_times_and_gpus() {
    for (label, nodes, jobs, parts, resv) in sources() {
        let c = cluster(nodes, jobs, parts, resv);
        let j = |id: u64| c.jobs.iter().find(|j| j.id == id).unwrap();
        assert_eq!(c.jobs.len(), 10, "{label}");
        let j3 = j(3);
        assert_eq!(
            (j3.state.clone(), j3.account.as_str(), j3.gpus, j3.nodes.clone()),
            (JobState::Running, "proj-b", 4, vec!["g1".to_owned()]),
            "{label}"
        );
        assert_eq!(
            (j3.submit_time, j3.start_time, j3.end_time, j3.time_limit_minutes),
            (1_795_275_891, Some(1_795_275_891), Some(1_795_283_091), Some(120)),
            "{label}"
        );
        let j5 = j(5);
        assert_eq!(
            (j5.state.clone(), j5.reason.as_str(), j5.node_count, j5.gpus),
            (JobState::Pending, "Resources", 2, 16),
            "{label}"
        );
        assert_eq!(j5.start_time, Some(1_795_283_091), "{label}: a pending job's start is Slurm's estimate");
        assert_eq!(
            (j(7).reason.as_str(), j(7).reason_detail.as_str()),
            ("ReqNodeNotAvail", "ReqNodeNotAvail, UnavailableNodes:g3"),
            "{label}"
        );
        assert_eq!((j(8).reason.as_str(), j(8).priority), ("JobHeldUser", 0), "{label}");
        assert_eq!((j(9).partitions.clone(), j(9).gpus), (vec!["cpu".to_owned()], 0), "{label}");
    }
}

#[test]
fn the_gpu_partition_maps_to_a_pool_status() {
    for (label, nodes, jobs, parts, resv) in sources() {
        let c = cluster(nodes, jobs, parts, resv);
        let v = view(&c, &mapping(), &Catalogue::embedded().unwrap(), NOW);
        assert_eq!(v.system.id, "testhpc");
        let mut ids: Vec<_> = v.system.pools.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["cpu", "gpu"], "{label}");
        let pool = |id: &str| v.system.pools.iter().find(|p| p.id == id).unwrap();
        let gpu = pool("gpu");
        let (nodes_want, status_want) = if label == "rest v0.0.36" {
            (NodeCounts { total: 4, up: 2, down: 1, drained: 1 }, Status::PartialOutage)
        } else {
            (NodeCounts { total: 4, up: 2, down: 0, drained: 2 }, Status::Maintenance)
        };
        assert_eq!((gpu.nodes, gpu.status), (nodes_want, status_want), "{label}");
        let gpus: Vec<_> =
            gpu.gpus.iter().map(|g| (g.model.as_str(), g.total, g.allocated, g.free, g.unavailable)).collect();
        assert_eq!(gpus, [("A100", 24, 16, 0, 8), ("GPU", 4, 2, 0, 2)], "{label}");
        assert_eq!((gpu.gpus_per_node, gpu.running_jobs, gpu.pending_jobs, gpu.pending_gpus), (8, 4, 4, 26), "{label}");
        assert!((gpu.utilisation - 18.0 / 28.0).abs() < 1e-9, "{label}");
        assert_eq!(gpu.median_wait_seconds, Some(0), "{label}");
        assert_eq!(
            (gpu.largest_startable_gpus, gpu.backfill_gpus, gpu.backfill_window_seconds),
            (0, 0, Some(7_091)),
            "{label}"
        );
        let want_limit = if label == "cli" { None } else { Some(48) };
        assert_eq!(gpu.walltime_limit_hours, want_limit, "{label}: sinfo --json has no partition limits");
        let cpu = pool("cpu");
        assert_eq!(
            (cpu.nodes.up, cpu.gpus.len(), cpu.utilisation, cpu.running_jobs, cpu.pending_jobs),
            (1, 0, 1.0, 1, 1),
            "{label}"
        );
    }
}

#[test]
fn queue_snapshots_hold_whole_nodes_in_queue_order() {
    for (label, nodes, jobs, parts, resv) in sources() {
        let c = cluster(nodes, jobs, parts, resv);
        let v = view(&c, &mapping(), &Catalogue::embedded().unwrap(), NOW);
        let queue = |id: &str| v.queues.iter().find(|q| q.pool_id == id).unwrap();
        let q = queue("gpu");
        assert_eq!((q.pool_id.as_str(), q.nodes_up, q.gpus_per_node), ("gpu", 2, 8), "{label}");
        // g1 is held by job 3 (ends last on it), g2 by job 4; job 1 runs on drained g3.
        assert_eq!(
            q.running,
            [RunningJob { nodes: 1, remaining_seconds: 7_091 }, RunningJob { nodes: 1, remaining_seconds: 5_291 }],
            "{label}"
        );
        // Only jobs waiting for resources or priority, highest priority first.
        let wall_5 = 240 * 60;
        assert_eq!(
            q.pending,
            [PendingJob { nodes: 2, walltime_seconds: wall_5 }, PendingJob { nodes: 1, walltime_seconds: 1_800 }],
            "{label}"
        );
        let reasons: Vec<_> = q.pending_reasons.iter().map(|r| (r.reason.as_str(), r.jobs)).collect();
        assert_eq!(reasons, [("JobHeldUser", 1), ("Priority", 1), ("ReqNodeNotAvail", 1), ("Resources", 1)], "{label}");
        assert_eq!(queue("cpu").pending_reasons, [PendingReason { reason: "Resources".into(), jobs: 1 }], "{label}");
    }
}

#[test]
fn maintenance_reservations_become_maintenance_windows() {
    let (_, nodes, jobs, parts, resv) = sources()[2];
    let v = view(&cluster(nodes, jobs, parts, resv), &mapping(), &Catalogue::embedded().unwrap(), NOW);
    let m: Vec<_> =
        v.maintenance.iter().map(|m| (m.id.as_str(), m.pool_id.as_str(), m.nodes_affected, m.state)).collect();
    assert_eq!(
        m,
        [
            ("slurm-testhpc-maint-g4-gpu", "gpu", 1, MaintenanceState::InProgress),
            ("slurm-testhpc-maint-g2-gpu", "gpu", 1, MaintenanceState::Scheduled),
        ]
    );
    assert_eq!(v.maintenance[0].ends_at.timestamp(), 1_795_283_100);
}

#[test]
fn a_future_maintenance_of_every_node_of_a_partition_bounds_what_starts_now() {
    use crate::start_now::{start_now, StartAnswer};
    let (_, nodes, jobs, parts, resv) = sources()[2];
    let mut c = cluster(nodes, jobs, parts, resv);
    let resv = |name: &str, start: i64, hours: i64, nodes: &[&str], maintenance: bool| Reservation {
        name: name.into(),
        nodes: nodes.iter().map(|n| (*n).to_owned()).collect(),
        start_time: start,
        end_time: start + hours * 3_600,
        maintenance,
    };
    let all = ["g1", "g2", "g3", "g4"];
    // Not maintenance, partial (the fixture's maint-g2 too), later: none of them is the next.
    c.reservations.push(resv("team-all", NOW + 600, 2, &all, false));
    c.reservations.push(resv("maint-later", NOW + 100 * 3_600, 10, &all, true));
    c.reservations.push(resv("maint-g123", NOW + 1_200, 10, &["g1", "g2", "g3"], true));
    c.reservations.push(resv("maint-all", NOW + 7_200, 10, &all, true));
    let cat = Catalogue::embedded().unwrap();
    let in_s = |c: &Cluster, id: &str| {
        let v = view(c, &mapping(), &cat, NOW);
        v.system.pools.iter().find(|p| p.id == id).unwrap().maintenance_in_seconds
    };
    assert_eq!(in_s(&c, "gpu"), Some(7_200));
    assert_eq!(in_s(&c, "cpu"), None, "c1 is not in it");

    // Idle nodes (nothing runs, nothing waits): the planner frees them for any
    // length; the maintenance in 2 h, within the 48 h limit, bounds them.
    let mut idle = c.clone();
    idle.jobs.clear();
    for n in &mut idle.nodes {
        n.gpus.iter_mut().for_each(|g| g.used = 0);
    }
    let v = view(&idle, &mapping(), &cat, NOW);
    let gpu = v.system.pools.iter().find(|p| p.id == "gpu").unwrap();
    assert_eq!((gpu.largest_startable_gpus, gpu.backfill_window_seconds), (16, None));
    assert_eq!(start_now(gpu, 8), StartAnswer::BeforeMaintenance { gpus: 8, seconds: 7_200 });
    idle.reservations.retain(|r| r.name != "maint-all" && r.name != "maint-later");
    let v = view(&idle, &mapping(), &cat, NOW);
    let gpu = v.system.pools.iter().find(|p| p.id == "gpu").unwrap();
    assert_eq!((gpu.maintenance_in_seconds, start_now(gpu, 8)), (None, StartAnswer::Now { gpus: 8 }));

    // One in progress: the pool is in maintenance, the next one is not announced.
    c.reservations.push(resv("maint-now", NOW - 60, 1, &all, true));
    assert_eq!(in_s(&c, "gpu"), None);
}

#[test]
fn the_mapping_names_pools_models_and_hides_partitions() {
    let (_, nodes, jobs, parts, resv) = sources()[2];
    let c = cluster(nodes, jobs, parts, resv);
    let mut m = SlurmMapping { system_id: "kisti6".into(), only_mapped_partitions: true, ..SlurmMapping::default() };
    m.partitions.insert("gpu".into(), "kisti6-gh200".into());
    m.gpu_models.insert("a100".into(), "GH200".into());
    let v = view(&c, &m, &Catalogue::embedded().unwrap(), NOW);
    assert_eq!(v.system.name_en, Catalogue::embedded().unwrap().system("kisti6").unwrap().name_en);
    assert_eq!(v.system.pools.len(), 1, "cpu is not mapped");
    let pool = &v.system.pools[0];
    assert_eq!((pool.id.as_str(), pool.name_en.as_str()), ("kisti6-gh200", "GH200 batch partition"));
    let models: Vec<_> = pool.gpus.iter().map(|g| g.model.as_str()).collect();
    assert_eq!(models, ["GH200"], "untyped GPUs take the catalogue pool's model");
    assert_eq!(v.queues[0].pool_id, "kisti6-gh200");
}

#[test]
fn usage_counts_gpu_seconds_per_account_and_never_decreases() {
    let (_, nodes, jobs, parts, resv) = sources()[2];
    let mut c = cluster(nodes, jobs, parts, resv);
    let mut meter = UsageIntegrator::default();
    let pool_of = |p: &str| Some(p.to_owned());
    let first = meter.observe(&c.jobs, NOW, pool_of);
    // Running since 1_795_275_891: 109 s. proj-a: job 2 (4 GPUs) + job 4 (8); proj-b: job 3 (4). Job 1 has no account.
    let got: Vec<_> = first.iter().map(|u| (u.pool_id.as_str(), u.account.as_str(), u.gpu_seconds_total)).collect();
    assert_eq!(got, [("gpu", "proj-a", 12 * 109), ("gpu", "proj-b", 4 * 109)]);
    // Ten seconds later job 3 has left the list: proj-b keeps what it had.
    c.jobs.retain(|j| j.id != 3);
    let second = meter.observe(&c.jobs, NOW + 10, pool_of);
    let got: Vec<_> = second.iter().map(|u| (u.account.as_str(), u.gpu_seconds_total)).collect();
    assert_eq!(got, [("proj-a", 12 * 119), ("proj-b", 4 * 109)]);
}

#[test]
fn the_reference_samples_read_too() {
    // /work/shared/real-sources/samples, trimmed to two items each (elision markers removed).
    let running = parse_jobs(fixture!("reference_rest_v0.0.36_jobs.json")).unwrap();
    let j: Vec<_> = running.items.iter().map(|j| (j.id, j.state.clone(), j.time_limit_minutes, j.gpus)).collect();
    assert_eq!(j, [(1, JobState::Running, None, 4), (2, JobState::Running, None, 8)], "no time limit: null");
    let q = queue::remaining_seconds(&running.items[0], 1_795_264_848);
    assert_eq!(q, 1_826_800_848 - 1_795_264_848, "an unlimited job ends when Slurm says (a year on)");
    let done = parse_jobs(fixture!("reference_rest_v0.0.38_jobs.json")).unwrap();
    let j: Vec<_> = done.items.iter().map(|j| (j.state.clone(), j.gpus, j.end_time)).collect();
    let finished = JobState::Finished("COMPLETED".into());
    assert_eq!(j, [(finished.clone(), 4, Some(1_795_264_908)), (finished, 8, Some(1_795_264_908))]);
    let nodes = parse_nodes(fixture!("reference_rest_v0.0.37_nodes.json")).unwrap().items;
    let classes: Vec<_> = nodes.iter().map(|n| (n.name.as_str(), classify(n))).collect();
    assert_eq!(classes, [("c1", NodeClass::Up), ("c2", NodeClass::Down)]);
    let parts = parse_partitions(fixture!("reference_rest_v0.0.38_partitions.json")).unwrap().items;
    let p: Vec<_> = parts.iter().map(|p| (p.name.as_str(), p.nodes.join(","), p.max_time_minutes)).collect();
    assert_eq!(p, [("gpu", "g1,g2,g3".to_owned(), None), ("cpu", "c1,c2".to_owned(), None)]);
}
