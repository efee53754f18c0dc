//! Usage from Slurm's accounting (issue 13 §2): every job `sacct` reports
//! for the cluster since a little before the last reading, metered with
//! [`kairr_shared::accounting::meter_jobs`] (each job counted once, short
//! jobs whole), mapped to allocations by account and added to `usage` as
//! GPU-hours per KST day with source `accounting`, together with the jobs'
//! marks and the reading's end, in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kairr_shared::accounting::{meter_jobs, parse_sacct, SACCT_FORMAT};
use kairr_shared::allocation::{AccountMap, Allocation, DailyUsage};
use sqlx::Row;

use super::SlurmProvisioning;
use crate::programme::CHUNK;
use crate::storage::{with_db, Storage};

/// Seconds read again before the last reading's end (jobs that ended just
/// before it and were recorded late; clocks a little apart).
const OVERLAP_S: i64 = 600;
/// How far back the first reading goes.
pub(super) const FIRST_READ_S: i64 = 7 * 86_400;
/// The longest span one `sacct` call covers.
const SLICE_S: i64 = 6 * 3_600;
/// The source recorded on usage rows from accounting.
pub const SOURCE: &str = "accounting";

/// What one reading found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metered {
    pub jobs: usize,
    /// (allocation, day) rows added.
    pub rows: usize,
    pub gpu_hours: f64,
}

impl SlurmProvisioning {
    /// The pool of jobs of `partition`: the configured mapping, else the one pool of the site.
    fn pool_of(&self, partition: &str) -> Option<String> {
        if let Some(pool) = self.partitions.get(partition) {
            return Some(pool.clone());
        }
        match self.pools.as_slice() {
            [only] if self.partitions.is_empty() => Some(only.clone()),
            _ => None,
        }
    }
}

/// Reads the cluster's accounting since the last reading and records the
/// usage, in slices of at most [`SLICE_S`] (after a long outage of slurmdbd
/// or of the portal, a busy cluster's backlog is read a bounded piece at a
/// time, each piece recorded as it is read, so a failure keeps what was read).
pub async fn meter_once(storage: &Storage, slurm: &SlurmProvisioning, now: DateTime<Utc>) -> anyhow::Result<Metered> {
    let now_s = now.timestamp();
    let allocations: Vec<_> =
        storage.metered_allocations().await?.into_iter().filter(|a| slurm.pools.contains(&a.pool)).collect();
    // Only the portal's accounts: other accounts' jobs would be read to be dropped.
    let mut accounts: Vec<String> = allocations.iter().map(|a| a.account_code()).collect();
    accounts.sort();
    accounts.dedup();
    let mut total = Metered::default();
    if accounts.is_empty() {
        // Nothing to read: no reading is recorded (the first one, once there
        // are awards, goes back `FIRST_READ_S` as usual).
        return Ok(total);
    }
    let slices = Slices { slurm, allocations: &allocations, accounts: &accounts.join(",") };
    let mut read_until = storage.accounting_read_until(&slurm.cluster).await?;
    loop {
        let since = read_until.map_or(now_s - FIRST_READ_S, |t| t - OVERLAP_S);
        let until = now_s.min(since + SLICE_S);
        let Some(m) = slices.meter(storage, read_until, since, until).await? else { return Ok(total) };
        total.jobs += m.jobs;
        total.rows += m.rows;
        total.gpu_hours += m.gpu_hours;
        if until >= now_s {
            return Ok(total);
        }
        read_until = Some(until);
    }
}

/// What every slice of one reading shares: the site, its pools' allocations
/// and their accounts (`sacct --accounts`).
struct Slices<'a> {
    slurm: &'a SlurmProvisioning,
    allocations: &'a [Allocation],
    accounts: &'a str,
}

impl Slices<'_> {
    /// Reads and records `since..until` (the reading started from
    /// `read_until`); `None` when another reading was recorded first (this
    /// one is dropped).
    async fn meter(
        &self,
        storage: &Storage,
        read_until: Option<i64>,
        since: i64,
        until: i64,
    ) -> anyhow::Result<Option<Metered>> {
        let (slurm, allocations) = (self.slurm, self.allocations);
        let at =
            |t: i64| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S").to_string();
        let args = [
            "-a".to_owned(),
            "-X".to_owned(),
            "-n".to_owned(),
            "-P".to_owned(),
            format!("--clusters={}", slurm.cluster),
            format!("--accounts={}", self.accounts),
            format!("--format={SACCT_FORMAT}"),
            format!("--starttime={}", at(since)),
            // The next whole second: sacct compares whole seconds, and a job of this very second counts.
            format!("--endtime={}", at(until + 1)),
        ];
        let text = slurm.run(&slurm.sacct, &args).await.map_err(|e| anyhow::anyhow!("sacct: {e}"))?;
        let jobs = parse_sacct(&text).map_err(|e| anyhow::anyhow!("sacct: {e}"))?;
        let ids: Vec<u64> = jobs.iter().map(|j| j.id).collect();
        let counted = storage.counted_jobs(&slurm.cluster, &ids).await?;
        // Jobs still running at the slice's end count up to it (the next slice goes on from there).
        let (deltas, marks) = meter_jobs(&jobs, &counted, until, |p| slurm.pool_of(p));
        let rows = AccountMap::new(allocations).daily_usage(&deltas);
        let metered = Metered { jobs: jobs.len(), rows: rows.len(), gpu_hours: rows.iter().map(|r| r.gpu_hours).sum() };
        // The first reading takes over the days it covers from the running-jobs
        // integration (accounting is complete; adding to those rows would count twice).
        let replace = read_until
            .is_none()
            .then(|| (kairr_shared::time::kst_day(since), allocations.iter().map(|a| a.id).collect::<Vec<_>>()));
        let reading = Reading { cluster: &slurm.cluster, previous: read_until, until, prune_before: since - 86_400 };
        if !storage.record_accounted(&reading, &rows, &marks, replace).await? {
            tracing::info!(cluster = %slurm.cluster, "another reading of the accounting was recorded first; this one is dropped");
            return Ok(None);
        }
        Ok(Some(metered))
    }
}

/// One reading's bounds: the cluster, the `read_until` it started from, its end.
struct Reading<'a> {
    cluster: &'a str,
    previous: Option<i64>,
    until: i64,
    prune_before: i64,
}

impl Storage {
    /// Up to when `cluster`'s accounting was last read (Unix seconds).
    pub async fn accounting_read_until(&self, cluster: &str) -> anyhow::Result<Option<i64>> {
        const SQL: &str = "SELECT read_until FROM accounting_reads WHERE cluster = $1";
        Ok(with_db!(self.db(), |p| sqlx::query_scalar(SQL).bind(cluster).fetch_optional(p).await?))
    }

    /// When `cluster`'s accounting was first read and up to when it was last
    /// read (Unix seconds): usage from it is complete from the first reading's
    /// start to the last one's end.
    pub async fn accounting_reads(&self, cluster: &str) -> anyhow::Result<Option<(i64, i64)>> {
        const SQL: &str = "SELECT first_read, read_until FROM accounting_reads WHERE cluster = $1";
        Ok(with_db!(self.db(), |p| sqlx::query_as(SQL).bind(cluster).fetch_optional(p).await?))
    }

    /// How far each of `ids` has been counted.
    async fn counted_jobs(&self, cluster: &str, ids: &[u64]) -> anyhow::Result<HashMap<u64, i64>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(CHUNK) {
            let rows: Vec<(i64, i64)> = with_db!(self.db(), |p, DB| {
                let mut q =
                    sqlx::QueryBuilder::<DB>::new("SELECT job_id, counted_until FROM accounted_jobs WHERE cluster = ");
                q.push_bind(cluster.to_owned()).push(" AND job_id IN (");
                let mut sep = q.separated(", ");
                for id in chunk {
                    sep.push_bind(i64::try_from(*id).unwrap_or(i64::MAX));
                }
                q.push(")");
                q.build()
                    .fetch_all(p)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .collect::<Result<_, sqlx::Error>>()?
            });
            out.extend(rows.into_iter().map(|(id, t)| (u64::try_from(id).unwrap_or(0), t)));
        }
        Ok(out)
    }

    /// Adds `rows` to the usage (source `accounting`), records each job's
    /// mark and the reading's end, and forgets marks older than its prune
    /// bound, in one transaction: a reading is recorded whole or not at all.
    /// Only if the last reading's end is still the one this reading started
    /// from (false: another replica recorded first, nothing is written).
    /// `replace` (first reading): other sources' rows of these allocations
    /// from that day on are removed first.
    async fn record_accounted(
        &self,
        reading: &Reading<'_>,
        rows: &[DailyUsage],
        marks: &[(u64, i64)],
        replace: Option<(chrono::NaiveDate, Vec<kairr_shared::allocation::AllocationId>)>,
    ) -> anyhow::Result<bool> {
        const FIRST: &str = "INSERT INTO accounting_reads (cluster, first_read, read_until) VALUES ($1, $2, $2) \
                             ON CONFLICT (cluster) DO NOTHING";
        const NEXT: &str = "UPDATE accounting_reads SET read_until = $1 WHERE cluster = $2 AND read_until = $3";
        const REPLACE: &str = "DELETE FROM usage WHERE allocation_id = $1 AND day >= $2 AND source <> 'accounting'";
        const USAGE: &str = "INSERT INTO usage (allocation_id, day, gpu_hours, source) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (allocation_id, day) DO UPDATE SET gpu_hours = usage.gpu_hours + excluded.gpu_hours, \
                             source = excluded.source";
        const MARK: &str = "INSERT INTO accounted_jobs (cluster, job_id, counted_until) VALUES ($1, $2, $3) \
                            ON CONFLICT (cluster, job_id) DO UPDATE SET counted_until = excluded.counted_until \
                            WHERE accounted_jobs.counted_until < excluded.counted_until";
        const PRUNE: &str = "DELETE FROM accounted_jobs WHERE cluster = $1 AND counted_until < $2";
        let cluster = reading.cluster;
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            // First: the reading's claim (on PostgreSQL a concurrent one waits here, then finds it taken).
            let claimed = match reading.previous {
                None => sqlx::query(FIRST).bind(cluster).bind(reading.until).execute(&mut *tx).await?,
                Some(previous) => {
                    sqlx::query(NEXT).bind(reading.until).bind(cluster).bind(previous).execute(&mut *tx).await?
                }
            };
            if claimed.rows_affected() == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            if let Some((from, allocations)) = &replace {
                for id in allocations {
                    sqlx::query(REPLACE).bind(id.0 as i64).bind(from.to_string()).execute(&mut *tx).await?;
                }
            }
            for r in rows {
                sqlx::query(USAGE)
                    .bind(r.allocation.0 as i64)
                    .bind(r.day.to_string())
                    .bind(r.gpu_hours)
                    .bind(SOURCE)
                    .execute(&mut *tx)
                    .await?;
            }
            for (id, until) in marks {
                sqlx::query(MARK)
                    .bind(cluster)
                    .bind(i64::try_from(*id).unwrap_or(i64::MAX))
                    .bind(until)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(PRUNE).bind(cluster).bind(reading.prune_before).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(true)
    }
}
