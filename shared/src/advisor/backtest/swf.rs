//! Backtests on a real job log in the Standard Workload Format of the
//! Parallel Workloads Archive [S13] (Slurm's accounting converts to it; so
//! does [`to_swf`] for the demo fleet). At every sampled submission the
//! queue is rebuilt from the log as the submitting user saw it (jobs started
//! and not yet ended, with their requested walltimes; jobs submitted and not
//! yet started, in submission order) and the predictor and Slurm's estimate
//! are compared with the wait the log records.

use std::collections::VecDeque;
use std::fmt::Write as _;

use chrono::DateTime;

use crate::api::{DataSource, PendingJob, QueueSnapshot, RunningJob};
use crate::catalogue::WaitModel;
pub use crate::sim::LoggedJob;

use super::{observation_of, Observation};

/// A parsed log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwfLog {
    /// The jobs, by submission time.
    pub jobs: Vec<LoggedJob>,
    /// `; MaxNodes:` of the header, if given.
    pub max_nodes: Option<u32>,
    /// `; MaxProcs:` of the header, if given.
    pub max_procs: Option<u32>,
}

/// A line of the log that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct SwfError {
    pub line: usize,
    pub problem: String,
}

/// Reads a log. Jobs whose wait, run time, size or requested time is
/// unknown (-1), or that never ran, are left out, as archive users do.
pub fn parse_swf(text: &str) -> Result<SwfLog, SwfError> {
    let mut log = SwfLog { jobs: Vec::new(), max_nodes: None, max_procs: None };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        let bad = |problem: String| SwfError { line: i + 1, problem };
        if let Some(comment) = line.strip_prefix(';') {
            let header = |key: &str| comment.trim().strip_prefix(key).and_then(|v| v.trim().parse::<u32>().ok());
            log.max_nodes = log.max_nodes.or(header("MaxNodes:"));
            log.max_procs = log.max_procs.or(header("MaxProcs:"));
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let fields: Vec<f64> = line
            .split_whitespace()
            .map(str::parse::<f64>)
            .collect::<Result<_, _>>()
            .map_err(|_| bad("a field is not a number".into()))?;
        if fields.len() < 9 || fields.iter().any(|f| !f.is_finite()) {
            return Err(bad(format!("{} fields where SWF has 18", fields.len())));
        }
        let int = |k: usize| fields[k].clamp(-1.0, 1e15) as i64;
        let (submit, wait, runtime, alloc, requested, walltime) = (int(1), int(2), int(3), int(4), int(7), int(8));
        let procs = if alloc > 0 { alloc } else { requested };
        if submit < 0 || wait < 0 || runtime <= 0 || procs <= 0 || walltime <= 0 {
            continue;
        }
        let procs = u32::try_from(procs).map_err(|_| bad("size out of range".into()))?;
        log.jobs.push(LoggedJob { submit, wait, runtime, procs, walltime: walltime.max(runtime) });
    }
    log.jobs.sort_by_key(|j| j.submit);
    Ok(log)
}

/// Writes `jobs` as an SWF log of a machine of `max_nodes` nodes.
pub fn to_swf(jobs: &[LoggedJob], max_nodes: u32, procs_per_node: u32) -> String {
    let mut out = format!(
        "; Version: 2.2\n; MaxNodes: {max_nodes}\n; MaxProcs: {}\n",
        u64::from(max_nodes) * u64::from(procs_per_node)
    );
    for (i, j) in jobs.iter().enumerate() {
        let _ = writeln!(
            out,
            "{} {} {} {} {} -1 -1 {} {} -1 1 -1 -1 -1 -1 -1 -1 -1",
            i + 1,
            j.submit,
            j.wait,
            j.runtime,
            j.procs,
            j.procs,
            j.walltime
        );
    }
    out
}

/// How to read a log as a pool.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Replay {
    /// Processors (or GPUs) per node: job sizes are rounded up to whole nodes.
    pub procs_per_node: u32,
    /// Nodes of the machine (default: the header's, else the widest job's).
    pub nodes: Option<u32>,
    /// Probe one submission in this many.
    pub probe_every: usize,
}

/// Run-time ratios of the jobs the snapshot carries.
const RATIO_WINDOW: usize = 256;

/// Observations at every `probe_every`-th submission of `log`, under `model`
/// (calibrated as the pool `swf` if the model has a curve of that name).
pub fn replay(log: &SwfLog, how: &Replay, model: &WaitModel) -> Vec<Observation> {
    let ppn = how.procs_per_node.max(1);
    let nodes_of = |j: &LoggedJob| j.procs.div_ceil(ppn);
    let widest = log.jobs.iter().map(nodes_of).max().unwrap_or(1);
    let header_nodes = log.max_nodes.or(log.max_procs.map(|p| p.div_ceil(ppn)));
    let nodes_up = how.nodes.or(header_nodes).unwrap_or(widest).max(widest);
    let mut ends: Vec<(i64, u16)> = log
        .jobs
        .iter()
        .map(|j| {
            let ratio = (j.runtime as f64 / j.walltime.max(1) as f64).clamp(0.0, 1.0);
            (j.submit + j.wait + j.runtime, (ratio * 1_000.0).round() as u16)
        })
        .collect();
    ends.sort_unstable();
    let (mut ratios, mut next_end) = (VecDeque::new(), 0);
    let mut out = Vec::new();
    for (k, job) in log.jobs.iter().enumerate().filter(|(k, _)| k % how.probe_every.max(1) == 0) {
        let now = job.submit;
        while next_end < ends.len() && ends[next_end].0 <= now {
            ratios.push_back(ends[next_end].1);
            if ratios.len() > RATIO_WINDOW {
                ratios.pop_front();
            }
            next_end += 1;
        }
        let earlier = &log.jobs[..k];
        let running = earlier
            .iter()
            .filter(|j| j.submit + j.wait <= now && now < j.submit + j.wait + j.runtime)
            .map(|j| RunningJob {
                nodes: nodes_of(j),
                remaining_seconds: (j.submit + j.wait + j.walltime - now).max(0) as u64,
            })
            .collect();
        let pending = earlier
            .iter()
            .filter(|j| now < j.submit + j.wait)
            .map(|j| PendingJob { nodes: nodes_of(j), walltime_seconds: j.walltime as u64 })
            .collect();
        let snapshot = QueueSnapshot {
            pool_id: "swf".into(),
            at: DateTime::from_timestamp(now, 0).unwrap_or_default(),
            nodes_up,
            gpus_per_node: ppn,
            running,
            pending,
            pending_reasons: Vec::new(),
            runtime_ratio_permille: ratios.iter().copied().collect(),
            source: DataSource::Demo,
        };
        let asked = (nodes_of(job), job.walltime as u64);
        out.extend(observation_of(0, &snapshot, asked, job.wait as u64, now as u64, model));
    }
    out
}
