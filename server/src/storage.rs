//! Storage through sqlx on SQLite (default) or PostgreSQL (`storage/db.rs`),
//! schema managed by `sqlx::migrate!` (`server/migrations/{sqlite,postgres}/`,
//! the same numbering and behaviour in both). Every query the server runs is
//! here or in `programme.rs`, `programme/live.rs`, `accounts.rs` and `replica/`.

use std::path::Path;

use kairr_shared::api::{DataSource, Incident, Maintenance, PoolStatus};
use kairr_shared::history::{BucketSums, HistoryRange, StatusCount};
use kairr_shared::status::Status;
use serde::de::DeserializeOwned;
use sqlx::{QueryBuilder, Row};

mod db;
pub use db::{is_postgres_url, Backend, Db};
pub(crate) use db::{params, upsert, with_db};

use crate::settings::Settings;

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
    db: Db,
    /// Held while a provisioning pass runs in this process (see `provisioning_pass`).
    pub(crate) passes: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// Rows per multi-row INSERT (15 columns each, well under both databases' parameter limits).
const INSERT_CHUNK: usize = 500;

/// Columns of `pool_samples`, in insert order.
const SAMPLE_COLUMNS: [&str; 15] = [
    "pool_id",
    "system_id",
    "ts",
    "severity",
    "nodes_total",
    "nodes_up",
    "nodes_down",
    "nodes_drained",
    "gpus_total",
    "gpus_allocated",
    "running_jobs",
    "pending_jobs",
    "median_wait_s",
    "power_kw",
    "source",
];

/// The `source` column's value for `s`.
pub(crate) fn source_str(s: DataSource) -> &'static str {
    match s {
        DataSource::Demo => "demo",
        DataSource::Slurm => "slurm",
        DataSource::Prometheus => "prometheus",
        DataSource::Operator => "operator",
    }
}

/// Decodes the JSON `body` column of every row.
pub(crate) fn decode<R, T>(rows: &[R]) -> anyhow::Result<Vec<T>>
where
    R: Row,
    T: DeserializeOwned,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'s> &'s str: sqlx::ColumnIndex<R>,
{
    rows.iter().map(|r| Ok(serde_json::from_str(&r.try_get::<String, _>("body")?)?)).collect()
}

/// A count column as `u32` (0 when absent or NULL, saturating).
fn count<R>(row: &R, col: &str) -> u32
where
    R: Row,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'s> &'s str: sqlx::ColumnIndex<R>,
{
    row.try_get::<i64, _>(col).map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX))
}

impl Storage {
    /// Opens and migrates the database the settings name: PostgreSQL when
    /// `database.url` is set, else the SQLite file `database_path`.
    pub async fn connect(settings: &Settings) -> anyhow::Result<Storage> {
        match &settings.database.url {
            Some(url) => Storage::open_postgres(url.expose(), settings.database.max_connections).await,
            None => Storage::open(&settings.database_path).await,
        }
    }

    /// Opens (creating folder and file when missing) and migrates an SQLite database.
    pub async fn open(path: &Path) -> anyhow::Result<Storage> {
        Storage::migrated(Db::sqlite(path).await?).await
    }

    /// Connects to and migrates a PostgreSQL database.
    pub async fn open_postgres(url: &str, max_connections: u32) -> anyhow::Result<Storage> {
        Storage::migrated(Db::postgres(url, max_connections).await?).await
    }

    async fn migrated(db: Db) -> anyhow::Result<Storage> {
        db.migrate().await?;
        Ok(Storage { db, passes: Default::default() })
    }

    /// The connection pool (for stores that manage their own tables, and tests).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        with_db!(&self.db, |p| sqlx::query("SELECT 1").execute(p).await.is_ok())
    }

    /// Deletes everything a source recorded, the usage it metered included
    /// (the demo regenerates its history, also when a replica takes over).
    pub async fn clear_source(&self, source: DataSource) -> anyhow::Result<()> {
        let s = source_str(source);
        with_db!(&self.db, |p| {
            let mut tx = p.begin().await?;
            for table in ["pool_samples", "incidents", "maintenance", "usage"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE source = $1")).bind(s).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records samples in one transaction (replacing any at the same time).
    pub async fn record_samples(&self, samples: &[PoolSample]) -> anyhow::Result<()> {
        let head = format!("INSERT INTO pool_samples ({}) ", SAMPLE_COLUMNS.join(", "));
        let tail = upsert(&["pool_id", "ts"], &SAMPLE_COLUMNS);
        with_db!(&self.db, |p, DB| {
            let mut tx = p.begin().await?;
            for chunk in samples.chunks(INSERT_CHUNK) {
                let mut q = QueryBuilder::<DB>::new(&head);
                q.push_values(chunk, |mut b, s| {
                    let p = &s.pool;
                    let (gt, ga) = p.gpus.iter().fold((0, 0), |(t, a), g| (t + g.total, a + g.allocated));
                    b.push_bind(p.id.clone())
                        .push_bind(s.system_id.clone())
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
                q.push(&tail);
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The load chart of a whole system over `range` ending at `now`, summed
    /// per bucket by the database ([`kairr_shared::history::bucket_sums`]'s
    /// rule: each sample time once, its pools combined): a few hundred rows
    /// rather than every sample (129,600 over 90 days).
    pub async fn system_series(
        &self,
        system_id: &str,
        range: HistoryRange,
        now: i64,
    ) -> anyhow::Result<Vec<BucketSums>> {
        // `DOUBLE PRECISION` is a float in both dialects (SQLite: REAL affinity).
        const SQL: &str = "SELECT (ts / $1) * $1 AS bucket, \
             CAST(SUM(u) AS DOUBLE PRECISION) AS u, CAST(SUM(r) AS DOUBLE PRECISION) AS r, \
             CAST(SUM(p) AS DOUBLE PRECISION) AS p, COUNT(*) AS n FROM (SELECT ts, \
             CASE WHEN SUM(gpus_total) > 0 THEN CAST(SUM(gpus_allocated) AS DOUBLE PRECISION) \
             / CAST(SUM(gpus_total) AS DOUBLE PRECISION) ELSE 0.0 END AS u, \
             CAST(SUM(running_jobs) AS DOUBLE PRECISION) AS r, CAST(SUM(pending_jobs) AS DOUBLE PRECISION) AS p \
             FROM pool_samples WHERE system_id = $2 AND ts > $3 AND ts <= $4 GROUP BY ts) AS per_ts \
             GROUP BY bucket ORDER BY bucket";
        let width = i64::from(range.bucket_seconds());
        let from = now - range.seconds();
        Ok(with_db!(&self.db, |p| {
            let rows = sqlx::query(SQL).bind(width).bind(system_id).bind(from).bind(now).fetch_all(p).await?;
            rows.iter()
                .map(|row| {
                    Ok(BucketSums {
                        start: row.try_get("bucket")?,
                        utilisation: row.try_get("u")?,
                        running_jobs: row.try_get("r")?,
                        pending_jobs: row.try_get("p")?,
                        samples: count(row, "n"),
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?
        }))
    }

    /// Samples per KST day and status of a whole system since `from`: each
    /// sample time counts once, in the worst status of the system's pools.
    pub async fn system_status_counts(&self, system_id: &str, from: i64) -> anyhow::Result<Vec<StatusCount>> {
        const SQL: &str = "SELECT day, sev, COUNT(*) AS n FROM (SELECT (ts + $1) / 86400 AS day, \
             MAX(severity) AS sev FROM pool_samples WHERE system_id = $2 AND ts > $3 GROUP BY ts) AS per_ts \
             GROUP BY day, sev";
        let offset = i64::from(kairr_shared::time::KST_OFFSET_SECONDS);
        let raw: Vec<(i64, i64, i64)> = with_db!(&self.db, |p| {
            let rows = sqlx::query(SQL).bind(offset).bind(system_id).bind(from).fetch_all(p).await?;
            rows.iter()
                .map(|row| Ok((row.try_get("day")?, row.try_get("sev")?, row.try_get("n")?)))
                .collect::<Result<_, sqlx::Error>>()?
        });
        let mut out = Vec::with_capacity(raw.len());
        for (day, sev, n) in raw {
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
        const COLUMNS: [&str; 7] = ["id", "system_id", "pool_id", "started_at", "resolved_at", "source", "body"];
        let sql =
            format!("INSERT INTO incidents ({}) VALUES {}{}", COLUMNS.join(", "), params(7), upsert(&["id"], &COLUMNS));
        with_db!(&self.db, |p| {
            let mut tx = p.begin().await?;
            for i in incidents {
                sqlx::query(&sql)
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
        });
        Ok(())
    }

    /// Incidents started since `from`, newest first.
    pub async fn incidents_since(&self, from: i64) -> anyhow::Result<Vec<Incident>> {
        const SQL: &str =
            "SELECT body FROM incidents WHERE started_at >= $1 OR resolved_at IS NULL ORDER BY started_at DESC";
        with_db!(&self.db, |p| decode(&sqlx::query(SQL).bind(from).fetch_all(p).await?))
    }

    /// The incident `id`, if it was ever recorded.
    pub async fn incident(&self, id: &str) -> anyhow::Result<Option<Incident>> {
        const SQL: &str = "SELECT body FROM incidents WHERE id = $1";
        with_db!(&self.db, |p| Ok(decode(&sqlx::query(SQL).bind(id).fetch_all(p).await?)?.into_iter().next()))
    }

    /// Incidents started or resolved since `from`, or still open (the subscriptions' scan).
    pub async fn incidents_touched_since(&self, from: i64) -> anyhow::Result<Vec<Incident>> {
        const SQL: &str =
            "SELECT body FROM incidents WHERE started_at >= $1 OR resolved_at IS NULL OR resolved_at >= $1";
        with_db!(&self.db, |p| decode(&sqlx::query(SQL).bind(from).fetch_all(p).await?))
    }

    /// Inserts or replaces maintenance windows.
    pub async fn upsert_maintenance(&self, windows: &[Maintenance]) -> anyhow::Result<()> {
        const COLUMNS: [&str; 6] = ["id", "system_id", "starts_at", "ends_at", "source", "body"];
        let sql = format!(
            "INSERT INTO maintenance ({}) VALUES {}{}",
            COLUMNS.join(", "),
            params(6),
            upsert(&["id"], &COLUMNS)
        );
        with_db!(&self.db, |p| {
            let mut tx = p.begin().await?;
            for m in windows {
                sqlx::query(&sql)
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
        });
        Ok(())
    }

    /// The maintenance window `id`, if it was ever recorded (its stored state may be old).
    pub async fn maintenance_window(&self, id: &str) -> anyhow::Result<Option<Maintenance>> {
        const SQL: &str = "SELECT body FROM maintenance WHERE id = $1";
        with_db!(&self.db, |p| Ok(decode(&sqlx::query(SQL).bind(id).fetch_all(p).await?)?.into_iter().next()))
    }

    /// Maintenance windows ending after `from` and starting before `to`, soonest first.
    pub async fn maintenance_between(&self, from: i64, to: i64) -> anyhow::Result<Vec<Maintenance>> {
        const SQL: &str = "SELECT body FROM maintenance WHERE ends_at > $1 AND starts_at < $2 ORDER BY starts_at";
        with_db!(&self.db, |p| decode(&sqlx::query(SQL).bind(from).bind(to).fetch_all(p).await?))
    }
}
