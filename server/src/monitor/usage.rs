//! The monitor's usage step: each source's cumulative usage counters (per
//! pool and project account) → their growth since the last reading →
//! GPU-hours per allocation per KST day, added to the `usage` table. The
//! maths (counter increases, day split, account → allocation) is
//! `kairr_shared::accounting` and `AccountMap`; this only reads and stores.

use std::collections::HashMap;
use std::sync::Arc;

use kairr_shared::accounting::{AccountUsage, UsageMeter};
use kairr_shared::allocation::AccountMap;
use kairr_shared::api::DataSource;

use super::feed::Feed;
use crate::source::SourcePoll;
use crate::storage::Storage;

/// Seconds between readings of a source's counters (they are cumulative:
/// reading less often loses nothing).
const READ_EVERY_S: i64 = 60;
/// Seconds (source time) before the account → allocation map may be reloaded
/// for an account it does not know.
const MAP_MAX_AGE_S: i64 = 300;

/// Counter state per source and the account map.
#[derive(Debug, Default)]
pub struct UsageRecorder {
    meters: HashMap<String, UsageMeter>,
    map: AccountMap,
    /// When the map was loaded (source time), if ever.
    map_loaded_at: Option<i64>,
    /// Pools whose usage comes from a scheduler's accounting instead.
    skipped: std::collections::BTreeSet<String>,
}

impl UsageRecorder {
    /// Leaves `pools` out: their usage is read from the scheduler's accounting.
    pub fn skip_pools(&mut self, pools: impl IntoIterator<Item = String>) {
        self.skipped.extend(pools);
    }

    /// Takes the counters `source` read at `at` and stores what grew.
    pub async fn observe(
        &mut self,
        storage: &Storage,
        source: &str,
        kind: DataSource,
        at: i64,
        counters: &[AccountUsage],
    ) -> anyhow::Result<()> {
        let deltas = self.meters.entry(source.to_owned()).or_default().observe(at, counters);
        if deltas.is_empty() {
            return Ok(());
        }
        // Reloaded when an account is unknown (a new allocation), at most every few minutes.
        let unknown = deltas.iter().any(|d| self.map.allocation(&d.pool_id, &d.account).is_none());
        let old = self.map_loaded_at.is_none_or(|t| (at - t).abs() >= MAP_MAX_AGE_S);
        if self.map_loaded_at.is_none() || (unknown && old) {
            let mut allocations = storage.metered_allocations().await?;
            allocations.retain(|a| !self.skipped.contains(&a.pool));
            self.map = AccountMap::new(&allocations);
            self.map_loaded_at = Some(at);
        }
        let rows = self.map.daily_usage(&deltas);
        if !rows.is_empty() {
            storage.add_usage(&rows, kind).await?;
        }
        Ok(())
    }

    /// The feeds' last good answers whose counters are due for a reading
    /// (once a minute); pass them to [`UsageRecorder::observe_all`].
    pub fn due(&self, feeds: &[Feed]) -> Vec<Reading> {
        feeds
            .iter()
            .filter_map(|f| {
                let poll = f.state.last_good.as_ref().filter(|p| !p.usage.is_empty())?;
                let last = self.meters.get(&f.name).and_then(UsageMeter::last_at);
                let due = last.is_none_or(|t| poll.at - t >= READ_EVERY_S);
                due.then(|| Reading { source: f.name.clone(), kind: f.kind, poll: Arc::clone(poll) })
            })
            .collect()
    }

    /// Takes each reading's counters and stores what grew.
    pub async fn observe_all(&mut self, storage: &Storage, readings: Vec<Reading>) -> anyhow::Result<()> {
        for r in readings {
            self.observe(storage, &r.source, r.kind, r.poll.at, &r.poll.usage).await?;
        }
        Ok(())
    }
}

/// A source's answer whose usage counters are to be read.
pub struct Reading {
    source: String,
    kind: DataSource,
    poll: Arc<SourcePoll>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests fail fast

    use super::*;
    use kairr_shared::allocation::{demo_data, FIRST_CALL_2026};
    use kairr_shared::catalogue::Catalogue;
    use kairr_shared::time::kst_midnight;

    fn counter(a: &kairr_shared::allocation::Allocation, total: u64) -> AccountUsage {
        AccountUsage { pool_id: a.pool.clone(), account: a.account_code(), gpu_seconds_total: total }
    }

    #[tokio::test]
    async fn counter_growth_is_stored_per_allocation_and_day_and_accumulates() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(&dir.path().join("t.sqlite")).await.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let demo = demo_data(&FIRST_CALL_2026, 2026, today, &Catalogue::embedded().unwrap()).unwrap();
        storage.replace_demo_programme(&demo).await.unwrap();
        let (a, b) = (&demo.allocations[0], &demo.allocations[1]);
        let noon = kst_midnight(today) + 12 * 3_600;
        let mut rec = UsageRecorder::default();
        let other =
            AccountUsage { pool_id: a.pool.clone(), account: "not-in-the-programme".into(), gpu_seconds_total: 9 };
        let read = |x: u64, y: u64| vec![counter(a, x), counter(b, y), other.clone()];
        rec.observe(&storage, "demo", DataSource::Demo, noon, &read(1_000, 50)).await.unwrap();
        rec.observe(&storage, "demo", DataSource::Demo, noon + 60, &read(1_000 + 7_200, 50)).await.unwrap();
        rec.observe(&storage, "demo", DataSource::Demo, noon + 120, &read(1_000 + 10_800, 50 + 3_600)).await.unwrap();
        let rows = storage.round_records("2026-1").await.unwrap().usage;
        let got: Vec<(u64, String, f64)> =
            rows.iter().map(|u| (u.allocation.0, u.day.to_string(), u.gpu_hours)).collect();
        assert_eq!(got, vec![(a.id.0, "2026-06-15".into(), 3.0), (b.id.0, "2026-06-15".into(), 1.0)]);
    }
}
