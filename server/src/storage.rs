//! SQLite storage through sqlx, schema managed by `sqlx::migrate!`
//! (`server/migrations/`). Every query the server runs is here.

use std::path::Path;
use std::str::FromStr;

use kairr_shared::api::{DataSource, Incident, Maintenance, PoolStatus};
use kairr_shared::history::{StatusCount, SystemSample};
use kairr_shared::status::Status;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, SqlitePool};

/// A recorded sample of one pool.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSample {
    pub system_id: String,
    pub ts: i64,
    pub pool: PoolStatus,
    pub source: DataSource,
}

/// The database handle (cheap to clone).
#[derive(Debug, Clone)]
pub struct Storage {
    pool: SqlitePool,
}

/// Rows per multi-row INSERT (15 columns each, well under SQLite's limit).
const INSERT_CHUNK: usize = 500;

/// The `source` column's value for `s`.
pub(crate) fn source_str(s: DataSource) -> &'static str {
    match s {
        DataSource::Demo => "demo",
        DataSource::Slurm => "slurm",
        DataSource::Prometheus => "prometheus",
    }
}

impl Storage {
    /// Opens (creating folder and file when missing) and migrates the database.
    pub async fn open(path: &Path) -> anyhow::Result<Storage> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let opts = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(opts).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Storage { pool })
    }

    /// The connection pool (for stores that manage their own tables).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Deletes everything a source recorded (the demo regenerates its history).
    pub async fn clear_source(&self, source: DataSource) -> anyhow::Result<()> {
        let s = source_str(source);
        let mut tx = self.pool.begin().await?;
        for table in ["pool_samples", "incidents", "maintenance"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE source = ?")).bind(s).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records samples in one transaction (replacing any at the same time).
    pub async fn record_samples(&self, samples: &[PoolSample]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        for chunk in samples.chunks(INSERT_CHUNK) {
            let mut q = QueryBuilder::new(
                "INSERT OR REPLACE INTO pool_samples (pool_id, system_id, ts, severity, nodes_total, nodes_up, \
                 nodes_down, nodes_drained, gpus_total, gpus_allocated, running_jobs, pending_jobs, median_wait_s, \
                 power_kw, source) ",
            );
            q.push_values(chunk, |mut b, s| {
                let p = &s.pool;
                let (gt, ga) = p.gpus.iter().fold((0, 0), |(t, a), g| (t + g.total, a + g.allocated));
                b.push_bind(&p.id)
                    .push_bind(&s.system_id)
                    .push_bind(s.ts)
                    .push_bind(i64::from(p.status.severity()))
                    .push_bind(i64::from(p.nodes.total))
                    .push_bind(i64::from(p.nodes.up))
                    .push_bind(i64::from(p.nodes.down))
                    .push_bind(i64::from(p.nodes.drained))
                    .push_bind(i64::from(gt))
                    .push_bind(i64::from(ga))
                    .push_bind(i64::from(p.running_jobs))
                    .push_bind(i64::from(p.pending_jobs))
                    .push_bind(p.median_wait_seconds.map(|w| w as i64))
                    .push_bind(p.power_kw)
                    .push_bind(source_str(s.source));
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Samples of a whole system since `from` (exclusive), its pools combined:
    /// the worst status and summed counts per sample time.
    pub async fn system_samples(&self, system_id: &str, from: i64) -> anyhow::Result<Vec<SystemSample>> {
        let rows = sqlx::query(
            "SELECT ts, MAX(severity) AS sev, SUM(gpus_allocated) AS ga, SUM(gpus_total) AS gt, \
             SUM(running_jobs) AS r, SUM(pending_jobs) AS p FROM pool_samples \
             WHERE system_id = ? AND ts > ? GROUP BY ts ORDER BY ts",
        )
        .bind(system_id)
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        let count = |row: &sqlx::sqlite::SqliteRow, col: &str| -> u32 {
            row.try_get::<i64, _>(col).map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX))
        };
        Ok(rows
            .iter()
            .map(|row| SystemSample {
                ts: row.try_get("ts").unwrap_or_default(),
                status: row
                    .try_get::<i64, _>("sev")
                    .ok()
                    .and_then(|v| u8::try_from(v).ok())
                    .and_then(Status::from_severity)
                    .unwrap_or(Status::Operational),
                gpus_allocated: count(row, "ga"),
                gpus_total: count(row, "gt"),
                running_jobs: count(row, "r"),
                pending_jobs: count(row, "p"),
            })
            .collect())
    }

    /// Samples per KST day and status of a whole system since `from`: each
    /// sample time counts once, in the worst status of the system's pools.
    pub async fn system_status_counts(&self, system_id: &str, from: i64) -> anyhow::Result<Vec<StatusCount>> {
        let rows = sqlx::query(
            "SELECT day, sev, COUNT(*) AS n FROM (SELECT (ts + ?) / 86400 AS day, MAX(severity) AS sev              FROM pool_samples WHERE system_id = ? AND ts > ? GROUP BY ts) GROUP BY day, sev",
        )
        .bind(i64::from(kairr_shared::time::KST_OFFSET_SECONDS))
        .bind(system_id)
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let day: i64 = row.try_get("day")?;
            let sev: i64 = row.try_get("sev")?;
            let n: i64 = row.try_get("n")?;
            let (Some(day), Some(status)) = (
                chrono::DateTime::from_timestamp(day * 86_400, 0).map(|d| d.date_naive()),
                u8::try_from(sev).ok().and_then(Status::from_severity),
            ) else {
                continue;
            };
            out.push(StatusCount { day, status, samples: u32::try_from(n).unwrap_or(u32::MAX) });
        }
        Ok(out)
    }

    /// Inserts or replaces incidents (whole, with their updates).
    pub async fn upsert_incidents(&self, incidents: &[Incident]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        for i in incidents {
            sqlx::query(
                "INSERT OR REPLACE INTO incidents (id, system_id, pool_id, started_at, resolved_at, source, body) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&i.id)
            .bind(&i.system_id)
            .bind(&i.pool_id)
            .bind(i.started_at.timestamp())
            .bind(i.resolved_at.map(|t| t.timestamp()))
            .bind(source_str(i.source))
            .bind(serde_json::to_string(i)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Incidents started since `from`, newest first.
    pub async fn incidents_since(&self, from: i64) -> anyhow::Result<Vec<Incident>> {
        let rows = sqlx::query(
            "SELECT body FROM incidents WHERE started_at >= ? OR resolved_at IS NULL ORDER BY started_at DESC",
        )
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        decode_bodies(&rows)
    }

    /// Inserts or replaces maintenance windows.
    pub async fn upsert_maintenance(&self, windows: &[Maintenance]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        for m in windows {
            sqlx::query(
                "INSERT OR REPLACE INTO maintenance (id, system_id, starts_at, ends_at, source, body) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(&m.id)
            .bind(&m.system_id)
            .bind(m.starts_at.timestamp())
            .bind(m.ends_at.timestamp())
            .bind(source_str(m.source))
            .bind(serde_json::to_string(m)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Maintenance windows ending after `from` and starting before `to`, soonest first.
    pub async fn maintenance_between(&self, from: i64, to: i64) -> anyhow::Result<Vec<Maintenance>> {
        let rows = sqlx::query("SELECT body FROM maintenance WHERE ends_at > ? AND starts_at < ? ORDER BY starts_at")
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        decode_bodies(&rows)
    }
}

fn decode_bodies<T: serde::de::DeserializeOwned>(rows: &[sqlx::sqlite::SqliteRow]) -> anyhow::Result<Vec<T>> {
    rows.iter()
        .map(|r| {
            let body: String = r.try_get("body")?;
            Ok(serde_json::from_str(&body)?)
        })
        .collect()
}
