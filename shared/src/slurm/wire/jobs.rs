//! `/jobs` and `squeue --json`. The fields read here have the same names and
//! meanings in v0.0.36 to v0.0.38 (v0.0.38 adds `container`, `prefer` and
//! `group_name`; v0.0.36 leaves `user_name` empty).

use serde::Deserialize;

use super::super::gres::gpu_count;
use super::super::hostlist;
use super::super::model::{Job, JobState, Parsed};
use super::super::SlurmError;
use super::{body, finite, read, time};

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    jobs: Vec<JobV36>,
}

#[derive(Deserialize)]
struct JobV36 {
    job_id: u64,
    name: Option<String>,
    account: Option<String>,
    user_name: Option<String>,
    partition: Option<String>,
    job_state: Option<String>,
    state_reason: Option<String>,
    state_description: Option<String>,
    submit_time: Option<i64>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    time_limit: Option<i64>,
    node_count: Option<i64>,
    nodes: Option<String>,
    tres_per_node: Option<String>,
    tres_per_job: Option<String>,
    tres_per_task: Option<String>,
    tasks: Option<i64>,
    #[serde(default)]
    gres_detail: Vec<String>,
    priority: Option<i64>,
}

/// Reads a `/jobs` answer (or `squeue --json`) of any supported version.
pub fn parse_jobs(text: &str) -> Result<Parsed<Job>, SlurmError> {
    read(text, "jobs", |_, text| {
        let mut budget = hostlist::Budget::default();
        body::<Answer>(text, "jobs")?.jobs.into_iter().map(|j| job(j, &mut budget)).collect()
    })
}

fn job(j: JobV36, budget: &mut hostlist::Budget) -> Result<Job, SlurmError> {
    let node_count = finite(j.node_count).unwrap_or(0).max(1);
    let allocated: u32 = j.gres_detail.iter().map(|d| gpu_count(d)).fold(0, u32::saturating_add);
    let requested = gpu_count(j.tres_per_node.as_deref().unwrap_or_default())
        .saturating_mul(node_count)
        .saturating_add(gpu_count(j.tres_per_job.as_deref().unwrap_or_default()))
        .saturating_add(
            gpu_count(j.tres_per_task.as_deref().unwrap_or_default()).saturating_mul(finite(j.tasks).unwrap_or(1)),
        );
    let nodes = hostlist::expand_within(j.nodes.as_deref().unwrap_or_default(), budget)
        .map_err(|source| SlurmError::HostList { what: "jobs", source })?;
    let partitions = j
        .partition
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(Job {
        id: j.job_id,
        name: j.name.unwrap_or_default(),
        account: j.account.unwrap_or_default(),
        user: j.user_name.unwrap_or_default(),
        partitions,
        state: JobState::parse(j.job_state.as_deref().unwrap_or("PENDING")),
        reason: j.state_reason.unwrap_or_default(),
        reason_detail: j.state_description.unwrap_or_default(),
        submit_time: time(j.submit_time).unwrap_or(0),
        start_time: time(j.start_time),
        end_time: time(j.end_time),
        time_limit_minutes: finite(j.time_limit),
        node_count,
        nodes,
        gpus: if allocated > 0 { allocated } else { requested },
        priority: j.priority.and_then(|p| u64::try_from(p).ok()).unwrap_or(0),
    })
}
