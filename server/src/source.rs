//! Where status comes from. A [`StatusSource`] answers "what does the fleet
//! look like now?"; the demo source runs the simulator from `kairr-shared`,
//! `prometheus` reads GPU telemetry. Each is polled by its own task on its
//! [`Schedule`] (see `monitor`).

use std::time::Duration;

use futures_util::future::BoxFuture;
use kairr_shared::accounting::AccountUsage;
use kairr_shared::api::{DataSource, Maintenance, QueueSnapshot, SystemStatus};
use kairr_shared::catalogue::Catalogue;
use kairr_shared::feeds::Backoff;
use kairr_shared::sim::{SimAccount, SimConfig, Simulator};
use kairr_shared::telemetry::PoolTelemetry;

pub mod limit;
pub mod prometheus;
pub mod slurm;

/// When a source is polled: every `interval` while it answers, each poll cut
/// off after `timeout`, retried after `backoff` while it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Between polls while the source answers.
    pub interval: Duration,
    /// Longest a poll may take before it counts as failed.
    pub timeout: Duration,
    /// Waits between retries while it fails.
    pub backoff: Backoff,
}

/// What one poll of a source returns.
#[derive(Debug, Clone, Default)]
pub struct SourcePoll {
    /// Unix seconds the figures describe.
    pub at: i64,
    pub systems: Vec<SystemStatus>,
    /// Maintenance windows the source knows of (past, current and planned).
    pub maintenance: Vec<Maintenance>,
    /// Each pool's running jobs and queue (empty when the source has none).
    pub queues: Vec<QueueSnapshot>,
    /// GPU telemetry per pool (telemetry sources only).
    pub telemetry: Vec<PoolTelemetry>,
    /// GPU-seconds per (pool, project account) since the source started:
    /// cumulative counters (empty when the source has none). The monitor
    /// turns their growth into daily usage of allocations.
    pub usage: Vec<AccountUsage>,
}

/// A source failed to answer. `message` says what failed in plain words: it
/// becomes the public `stale_reason`, so it never holds URLs, paths, PromQL
/// or commands; those are in `detail`, which is logged (at warn) when the
/// error is made.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct SourceError {
    pub source_name: String,
    pub message: String,
    /// What exactly failed, for operators (the log); never shown to the public.
    pub detail: String,
}

impl SourceError {
    /// The error of source `name` for `failure`, its detail logged.
    pub fn new(name: &str, failure: limit::Failure) -> SourceError {
        tracing::warn!(source = name, reason = %failure.public, detail = %failure.detail, "source poll failed");
        SourceError { source_name: name.to_owned(), message: failure.public, detail: failure.detail }
    }
}

/// A sink for replayed history: called once per sample time.
pub type ReplaySink<'a> = dyn FnMut(i64, &[SystemStatus]) + Send + 'a;

/// A provider of live status.
pub trait StatusSource: Send {
    /// Short name for logs and metrics.
    fn name(&self) -> &str;

    /// Which kind of data it returns.
    fn kind(&self) -> DataSource;

    /// The fleet at `now` (Unix seconds).
    fn poll(&mut self, now: i64) -> BoxFuture<'_, Result<SourcePoll, SourceError>>;

    /// Replays history from `from` to `to` every `every` seconds into `sink`,
    /// for sources that can (the simulator); returns false otherwise.
    /// CPU-bound: call it from a blocking thread.
    fn replay(&mut self, _from: i64, _to: i64, _every: i64, _sink: &mut ReplaySink<'_>) -> bool {
        false
    }

    /// The usage counters at the source's current time (Unix seconds, counters),
    /// for sources that can tell outside a poll: read after a replay.
    fn usage_now(&self) -> Option<(i64, Vec<AccountUsage>)> {
        None
    }
}

/// Days of planned maintenance the demo announces ahead.
const MAINTENANCE_AHEAD_S: i64 = 30 * 86_400;
/// Days of past maintenance it reports.
const MAINTENANCE_BEHIND_S: i64 = 90 * 86_400;

/// The seeded simulation of the national fleet.
pub struct DemoSource {
    sim: Simulator,
}

impl DemoSource {
    /// A simulation whose clock starts at `start` (Unix seconds).
    pub fn new(catalogue: Catalogue, config: SimConfig, start: i64) -> DemoSource {
        DemoSource { sim: Simulator::new(catalogue, config, start) }
    }

    /// Like [`DemoSource::new`], with the programme's `accounts` running
    /// their share of the jobs (their usage is reported per account).
    pub fn with_accounts(catalogue: Catalogue, config: SimConfig, accounts: Vec<SimAccount>, start: i64) -> DemoSource {
        DemoSource { sim: Simulator::with_accounts(catalogue, config, accounts, start) }
    }
}

impl StatusSource for DemoSource {
    fn name(&self) -> &str {
        "demo"
    }

    fn kind(&self) -> DataSource {
        DataSource::Demo
    }

    fn poll(&mut self, now: i64) -> BoxFuture<'_, Result<SourcePoll, SourceError>> {
        self.sim.advance_to(now);
        let at = self.sim.now();
        let poll = SourcePoll {
            at,
            systems: self.sim.systems(),
            maintenance: self.sim.planned_maintenance(at - MAINTENANCE_BEHIND_S, at + MAINTENANCE_AHEAD_S),
            queues: self.sim.queue_snapshots(),
            telemetry: Vec::new(),
            usage: self.sim.account_usage(),
        };
        Box::pin(async move { Ok(poll) })
    }

    fn replay(&mut self, from: i64, to: i64, every: i64, sink: &mut ReplaySink<'_>) -> bool {
        let mut t = from.max(self.sim.now());
        while t <= to {
            self.sim.advance_to(t);
            sink(t, &self.sim.systems());
            t += every.max(1);
        }
        true
    }

    fn usage_now(&self) -> Option<(i64, Vec<AccountUsage>)> {
        Some((self.sim.now(), self.sim.account_usage()))
    }
}
