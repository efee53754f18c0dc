//! The monitor loop: poll the source every tick, track incidents, record
//! samples every `record_interval_seconds`, publish the snapshot (which SSE
//! clients receive). At start-up, sources that can replay fill the history.

use std::sync::Arc;
use std::time::Duration;

use kairr_shared::api::{DataSource, Incident, StatusSummary, SystemStatus};
use kairr_shared::incidents::IncidentTracker;
use tokio::sync::watch;

use crate::source::{SourcePoll, StatusSource};
use crate::state::Live;
use crate::storage::{PoolSample, Storage};

/// Days replayed per blocking batch during pre-simulation.
const REPLAY_BATCH_S: i64 = 86_400;

/// Owns the source and the incident tracker.
pub struct Monitor {
    pub source: Box<dyn StatusSource>,
    pub tracker: IncidentTracker,
    pub storage: Storage,
    pub record_every: i64,
    pub stale_after: u32,
    last_recorded: i64,
    last_maintenance_write: Option<i64>,
}

fn samples(at: i64, systems: &[SystemStatus], out: &mut Vec<PoolSample>) {
    for s in systems {
        for p in &s.pools {
            out.push(PoolSample { system_id: s.id.clone(), ts: at, pool: p.clone(), source: s.source });
        }
    }
}

impl Monitor {
    /// A monitor over `source`.
    pub fn new(source: Box<dyn StatusSource>, storage: Storage, record_every: u32, stale_after: u32) -> Monitor {
        Monitor {
            source,
            tracker: IncidentTracker::default(),
            storage,
            record_every: i64::from(record_every),
            stale_after,
            last_recorded: i64::MIN,
            last_maintenance_write: None,
        }
    }

    /// Replays `[from, to]` through the source (when it can) into the
    /// database: samples, and incidents as the tracker sees them.
    pub async fn presimulate(mut self, from: i64, to: i64) -> anyhow::Result<Monitor> {
        let every = self.record_every;
        let mut t = from - from.rem_euclid(every);
        while t <= to {
            let end = (t + REPLAY_BATCH_S - every).min(to);
            let (m, rows, changes) = tokio::task::spawn_blocking(move || {
                let mut rows = Vec::new();
                let mut changes: Vec<Incident> = Vec::new();
                let mut tracker = std::mem::take(&mut self.tracker);
                let replayed = self.source.replay(t, end, every, &mut |at, systems| {
                    samples(at, systems, &mut rows);
                    changes.extend(tracker.observe(at, systems));
                });
                self.tracker = tracker;
                (replayed.then_some(self), rows, changes)
            })
            .await?;
            let Some(m) = m else {
                anyhow::bail!("source cannot replay history");
            };
            self = m;
            self.storage.record_samples(&rows).await?;
            self.storage.upsert_incidents(&latest_versions(changes)).await?;
            self.last_recorded = end;
            t = end + every;
        }
        tracing::info!(from, to, "pre-simulated history recorded");
        Ok(self)
    }

    /// One poll: track, record, and return the new snapshot.
    pub async fn tick(&mut self, now: i64) -> anyhow::Result<Live> {
        let poll: SourcePoll = self.source.poll(now).await?;
        let changes = self.tracker.observe(poll.at, &poll.systems);
        if !changes.is_empty() {
            self.storage.upsert_incidents(&latest_versions(changes)).await?;
        }
        let slot = poll.at - poll.at.rem_euclid(self.record_every);
        if slot > self.last_recorded {
            let mut rows = Vec::new();
            samples(slot, &poll.systems, &mut rows);
            self.storage.record_samples(&rows).await?;
            self.last_recorded = slot;
        }
        if self.last_maintenance_write.is_none_or(|t| poll.at - t >= 3_600) {
            self.storage.upsert_maintenance(&poll.maintenance).await?;
            self.last_maintenance_write = Some(poll.at);
        }
        Ok(Live::new(StatusSummary::new(poll.at, poll.systems, self.stale_after), poll.queues))
    }

    /// Polls every `tick` forever, publishing each snapshot. Failures are
    /// logged and retried at the next tick; the last good snapshot stays
    /// published and turns stale by age.
    pub async fn run(mut self, tick: Duration, tx: watch::Sender<Arc<Live>>) {
        // The first snapshot was published at start-up: the next is one tick later.
        let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + tick, tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let now = chrono::Utc::now().timestamp();
            match self.tick(now).await {
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
                Err(e) => {
                    tracing::warn!(source = self.source.name(), error = %e, "status poll failed")
                }
            }
        }
    }

    /// Which kind of data the source delivers.
    pub fn kind(&self) -> DataSource {
        self.source.kind()
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
