//! The monitor: every source is polled by its own task on its own schedule
//! (`feed.rs`); every tick the monitor assembles each system from its feeds'
//! last good answers (`kairr_shared::feeds::assemble`: stale with a reason
//! while a feed fails), tracks incidents and records samples of the systems
//! that are fresh, and publishes the snapshot (which SSE clients receive).
//! At start-up, sources that can replay (the demo) fill the history.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use kairr_shared::api::{Incident, Maintenance, QueueSnapshot, StatusSummary, SystemStatus};
use kairr_shared::catalogue::StatusPolicy;
use kairr_shared::feeds::assemble;
use kairr_shared::incidents::IncidentTracker;
use tokio::sync::watch;

use crate::state::Live;
use crate::storage::{PoolSample, Storage};

pub mod feed;
pub mod plan;
pub mod usage;

pub use feed::{Feed, FeedState};
pub use plan::SystemPlan;

/// Days replayed per blocking batch during pre-simulation.
const REPLAY_BATCH_S: i64 = 86_400;

/// Owns the feeds, the per-system plans and the incident tracker.
pub struct Monitor {
    pub feeds: Vec<Feed>,
    pub plans: Vec<SystemPlan>,
    pub policy: StatusPolicy,
    pub tracker: IncidentTracker,
    pub storage: Storage,
    pub record_every: i64,
    pub stale_after: u32,
    last_recorded: i64,
    last_maintenance_write: Option<i64>,
    /// Usage counters → daily usage of allocations (`usage.rs`).
    pub usage: usage::UsageRecorder,
}

fn samples(at: i64, systems: &[SystemStatus], out: &mut Vec<PoolSample>) {
    for s in systems {
        for p in &s.pools {
            out.push(PoolSample { system_id: s.id.clone(), ts: at, pool: p.clone(), source: s.source });
        }
    }
}

impl Monitor {
    /// A monitor over `feeds`, assembling systems as `plans` say.
    pub fn new(
        feeds: Vec<Feed>,
        plans: Vec<SystemPlan>,
        policy: StatusPolicy,
        storage: Storage,
        record_every: u32,
        stale_after: u32,
    ) -> Monitor {
        Monitor {
            feeds,
            plans,
            policy,
            tracker: IncidentTracker::default(),
            storage,
            record_every: i64::from(record_every),
            stale_after,
            last_recorded: i64::MIN,
            last_maintenance_write: None,
            usage: usage::UsageRecorder::default(),
        }
    }

    /// Ids of the systems whose nodes come from feed `i`.
    fn systems_of(&self, i: usize) -> BTreeSet<String> {
        self.plans.iter().filter(|p| p.base == Some(i)).map(|p| p.system.id.clone()).collect()
    }

    /// Replays `[from, to]` through the feeds that can (the demo) into the
    /// database: samples and incidents of the systems those feeds serve.
    pub async fn presimulate(mut self, from: i64, to: i64) -> anyhow::Result<Monitor> {
        for i in 0..self.feeds.len() {
            let ids = self.systems_of(i);
            if ids.is_empty() {
                continue;
            }
            self = self.replay_feed(i, ids, from, to).await?;
        }
        tracing::info!(from, to, "pre-simulated history recorded");
        Ok(self)
    }

    async fn replay_feed(mut self, i: usize, ids: BTreeSet<String>, from: i64, to: i64) -> anyhow::Result<Monitor> {
        let every = self.record_every;
        let mut t = from - from.rem_euclid(every);
        while t <= to {
            // Batches end at KST midnight, so each day's usage is read exactly.
            let end = (t + REPLAY_BATCH_S - every).min(kairr_shared::time::next_kst_midnight(t)).min(to);
            let Some(mut source) = self.feeds[i].source.take() else { return Ok(self) };
            let mut tracker = std::mem::take(&mut self.tracker);
            let ids2 = ids.clone();
            let (source, tracker, replayed, rows, changes) = tokio::task::spawn_blocking(move || {
                let mut rows = Vec::new();
                let mut changes: Vec<Incident> = Vec::new();
                let replayed = source.replay(t, end, every, &mut |at, systems| {
                    let mine: Vec<SystemStatus> = systems.iter().filter(|s| ids2.contains(&s.id)).cloned().collect();
                    samples(at, &mine, &mut rows);
                    changes.extend(tracker.observe(at, &mine));
                });
                (source, tracker, replayed, rows, changes)
            })
            .await?;
            let counters = source.usage_now();
            self.feeds[i].source = Some(source);
            self.tracker = tracker;
            if let Some((at, counters)) = counters.filter(|_| replayed) {
                let (name, kind) = (self.feeds[i].name.clone(), self.feeds[i].kind);
                self.usage.observe(&self.storage, &name, kind, at, &counters).await?;
            }
            if !replayed {
                return Ok(self);
            }
            self.storage.record_samples(&rows).await?;
            self.storage.upsert_incidents(&latest_versions(changes)).await?;
            self.last_recorded = end;
            t = end + every;
        }
        Ok(self)
    }

    /// Polls every feed once now (concurrently, each with its timeout) and
    /// returns the snapshot: the first one, published at start-up.
    pub async fn tick(&mut self, now: i64) -> anyhow::Result<Live> {
        join_all(self.feeds.iter_mut().map(|f| f.poll_now(now))).await;
        self.snapshot(now).await
    }

    /// Assembles every system from its feeds at `now`; tracks incidents and
    /// records samples of the fresh ones (a stale system's figures are old).
    pub async fn snapshot(&mut self, now: i64) -> anyhow::Result<Live> {
        let systems: Vec<SystemStatus> = self.plans.iter().map(|p| self.assemble(p, now)).collect();
        let fresh: Vec<SystemStatus> = systems.iter().filter(|s| !s.stale).cloned().collect();
        let readings = self.usage.due(&self.feeds);
        if let Err(e) = self.usage.observe_all(&self.storage, readings).await {
            tracing::warn!(error = %e, "usage not recorded");
        }
        let changes = self.tracker.observe(now, &fresh);
        if !changes.is_empty() {
            self.storage.upsert_incidents(&latest_versions(changes)).await?;
        }
        let slot = now - now.rem_euclid(self.record_every);
        if slot > self.last_recorded {
            let mut rows = Vec::new();
            samples(slot, &fresh, &mut rows);
            self.storage.record_samples(&rows).await?;
            self.last_recorded = slot;
        }
        if self.last_maintenance_write.is_none_or(|t| now - t >= 3_600) {
            self.storage.upsert_maintenance(&self.maintenance()).await?;
            self.last_maintenance_write = Some(now);
        }
        Ok(Live::new(StatusSummary::new(now, systems, self.stale_after).with_policy(&self.policy), self.queues()))
    }

    fn assemble(&self, plan: &SystemPlan, now: i64) -> SystemStatus {
        let id = plan.system.id.as_str();
        let base = plan.base.map(|i| self.feeds[i].view(|p| p.systems.iter().find(|s| s.id == id)));
        let telemetry = plan.telemetry.map(|i| self.feeds[i].view(|p| Some(&p.telemetry[..])));
        assemble(&plan.system, &self.policy, base, telemetry, now)
    }

    /// Maintenance windows each base feed knows for the systems it serves.
    fn maintenance(&self) -> Vec<Maintenance> {
        let mut out = Vec::new();
        for (i, f) in self.feeds.iter().enumerate() {
            let ids = self.systems_of(i);
            let known = f.state.last_good.iter().flat_map(|p| &p.maintenance);
            out.extend(known.filter(|m| ids.contains(&m.system_id)).cloned());
        }
        out
    }

    /// Queues each base feed gives for the pools of the systems it serves.
    fn queues(&self) -> Vec<QueueSnapshot> {
        let mut out = Vec::new();
        for (i, f) in self.feeds.iter().enumerate() {
            let pools: BTreeSet<&str> = self
                .plans
                .iter()
                .filter(|p| p.base == Some(i))
                .flat_map(|p| p.system.pools.iter().map(|x| x.id.as_str()))
                .collect();
            let known = f.state.last_good.iter().flat_map(|p| &p.queues);
            out.extend(known.filter(|q| pools.contains(q.pool_id.as_str())).cloned());
        }
        out
    }

    /// Starts one polling task per feed, then assembles and publishes a
    /// snapshot every `tick` forever. A failing source only makes its systems
    /// stale; the others keep updating. Dropping this future stops the pollers.
    pub async fn run(mut self, tick: Duration, tx: watch::Sender<Arc<Live>>) {
        let mut receivers = Vec::new();
        for f in &mut self.feeds {
            let (ftx, frx) = watch::channel(f.state.clone());
            if let Some(source) = f.source.take() {
                tokio::spawn(feed::run(source, f.schedule, ftx));
            }
            receivers.push(frx);
        }
        // The first snapshot was published at start-up: the next is one tick later.
        let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + tick, tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            for (f, rx) in self.feeds.iter_mut().zip(&receivers) {
                f.state = rx.borrow().clone();
            }
            let now = chrono::Utc::now().timestamp();
            match self.snapshot(now).await {
                Ok(live) => {
                    // Only a newer snapshot is news (clients key on `updated_at`).
                    tx.send_if_modified(|current| {
                        let newer = live.summary.updated_at > current.summary.updated_at;
                        if newer {
                            *current = Arc::new(live);
                        }
                        newer
                    });
                }
                Err(e) => tracing::warn!(error = %e, "status snapshot failed"),
            }
        }
    }
}

/// Keeps only the newest version of each incident (by number of updates).
fn latest_versions(changes: Vec<Incident>) -> Vec<Incident> {
    let mut by_id: std::collections::BTreeMap<String, Incident> = std::collections::BTreeMap::new();
    for i in changes {
        match by_id.get(&i.id) {
            Some(old) if old.updates.len() >= i.updates.len() => {}
            _ => {
                by_id.insert(i.id.clone(), i);
            }
        }
    }
    by_id.into_values().collect()
}
