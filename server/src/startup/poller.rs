//! How a leader starts polling: the sources' feeds and system plans, the
//! start-up replay of the demo's history and the first snapshot, then the
//! monitor's own `run` loop (which stops its feed pollers when dropped).
//! Run by the replica that leads at start-up, and again by any replica that
//! takes over later (`replica::Poller`).

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use kairr_shared::allocation::{demo_data, FIRST_CALL_2026};
use kairr_shared::api::DataSource;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::sim::{SimAccount, SimConfig};
use tokio::sync::watch;

use crate::monitor::Monitor;
use crate::replica::Poller;
use crate::settings::Settings;
use crate::source::DemoSource;
use crate::state::Live;
use crate::storage::Storage;

/// What a leader needs to start the monitor.
pub(super) struct MonitorStart {
    pub settings: Settings,
    pub catalogue: Catalogue,
    pub storage: Storage,
}

impl MonitorStart {
    fn tick(&self) -> Duration {
        Duration::from_secs(u64::from(self.settings.demo.tick_seconds))
    }

    /// The simulator's accounts for the demo allocations, which the replica
    /// that led at start-up stored (none when the demo programme is off).
    fn demo_accounts(&self) -> anyhow::Result<Vec<SimAccount>> {
        if !self.settings.demo.programme {
            return Ok(Vec::new());
        }
        let today = kairr_shared::time::kst_day(chrono::Utc::now().timestamp());
        Ok(demo_data(&FIRST_CALL_2026, self.settings.demo.seed, today, &self.catalogue)?.sim_accounts())
    }

    /// Builds the monitor (the demo's users running jobs under `accounts`),
    /// replays the demo's history and takes the first snapshot (every feed
    /// polled once).
    pub async fn begin(&self, accounts: Vec<SimAccount>) -> anyhow::Result<(Monitor, Live)> {
        let settings = &self.settings;
        let now = chrono::Utc::now().timestamp();
        let days = i64::from(settings.demo.presimulate_days);
        let start = now - days * 86_400;
        let config = SimConfig { seed: settings.demo.seed, faults: settings.demo.faults, ..SimConfig::default() };
        let (feeds, plans) = crate::monitor::plan::build(settings, &self.catalogue, || {
            DemoSource::with_accounts(self.catalogue.clone(), config, accounts, start)
        })?;
        // The demo's history is regenerated whenever a leader starts, from its seed.
        self.storage.clear_source(DataSource::Demo).await?;
        let mut monitor = Monitor::new(
            feeds,
            plans,
            self.catalogue.status_policy.clone(),
            self.storage.clone(),
            settings.record_interval_seconds,
            settings.stale_after_seconds,
        );
        // Pools metered from a scheduler's accounting are not metered again from running jobs.
        if let Some(slurm) = settings.provisioning.slurm.as_ref().filter(|s| s.usage_from_accounting) {
            monitor.usage.skip_pools(slurm.pools.iter().cloned());
        }
        if days > 0 {
            tracing::info!(days, "pre-simulating demo history");
            monitor = monitor.presimulate(start, now).await?;
        }
        let first = monitor.tick(chrono::Utc::now().timestamp()).await?;
        Ok((monitor, first))
    }

    /// The monitor's loop, publishing into `tx` until cancelled.
    pub fn run(&self, monitor: Monitor, tx: watch::Sender<Arc<Live>>) -> BoxFuture<'static, anyhow::Result<()>> {
        let tick = self.tick();
        Box::pin(async move {
            monitor.run(tick, tx).await;
            Ok(())
        })
    }

    /// Starts the monitor afresh for a replica that takes over.
    pub fn poller(self: &Arc<Self>) -> Poller {
        let start = self.clone();
        Arc::new(move |tx: watch::Sender<Arc<Live>>| {
            let start = start.clone();
            Box::pin(async move {
                let (monitor, first) = start.begin(start.demo_accounts()?).await?;
                tx.send_if_modified(|current| {
                    let newer = first.summary.updated_at > current.summary.updated_at;
                    if newer {
                        *current = Arc::new(first);
                    }
                    newer
                });
                start.run(monitor, tx).await
            })
        })
    }
}
