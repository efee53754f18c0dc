//! The database behind [`Storage`](super::Storage): SQLite (one file, the
//! default) or PostgreSQL (shared by several replicas), chosen by settings.
//!
//! Queries are written once, in the SQL both dialects accept (`$1` numbered
//! parameters, which SQLite reads too; `ON CONFLICT … DO UPDATE` upserts;
//! `CAST(SUM(…) AS BIGINT)` because PostgreSQL sums integers into NUMERIC),
//! and [`with_db!`] compiles each query body once per driver, so both run
//! natively typed with no runtime translation.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// A connection pool to one of the two supported databases (cheap to clone).
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`, for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// `with_db!(db, |pool| body)` runs `body` with `pool` bound to the concrete
/// pool of `db`; `with_db!(db, |pool, DB| body)` also names the sqlx database
/// type `DB`. The body is compiled once per driver, so its SQL must suit both.
/// (Closure syntax, so rustfmt formats the bodies; nothing is a closure.)
macro_rules! with_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::storage::Db::Sqlite($pool) => $body,
            $crate::storage::Db::Postgres($pool) => $body,
        }
    };
    ($db:expr, |$pool:ident, $DB:ident| $body:expr) => {
        match $db {
            $crate::storage::Db::Sqlite($pool) => {
                #[allow(dead_code)]
                type $DB = sqlx::Sqlite;
                $body
            }
            $crate::storage::Db::Postgres($pool) => {
                #[allow(dead_code)]
                type $DB = sqlx::Postgres;
                $body
            }
        }
    };
}
pub(crate) use with_db;

/// True when `url` names a PostgreSQL database.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Db {
    /// Opens (creating folder and file when missing) an SQLite database.
    pub async fn sqlite(path: &Path) -> anyhow::Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let opts = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        Ok(Db::Sqlite(SqlitePoolOptions::new().max_connections(4).connect_with(opts).await?))
    }

    /// Connects to the PostgreSQL database at `url` with up to `max_connections`.
    pub async fn postgres(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        let opts = PgConnectOptions::from_str(url)?.application_name("kairr");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        Ok(Db::Postgres(pool))
    }

    /// Applies the dialect's migrations (`migrations/sqlite` or `migrations/postgres`).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }
}

/// `ON CONFLICT (key) DO UPDATE SET c = excluded.c, …` for every column in
/// `columns` (the key columns are skipped).
pub(crate) fn upsert(key: &[&str], columns: &[&str]) -> String {
    let set: Vec<String> = columns.iter().filter(|c| !key.contains(c)).map(|c| format!("{c} = excluded.{c}")).collect();
    format!(" ON CONFLICT ({}) DO UPDATE SET {}", key.join(", "), set.join(", "))
}

/// `($1, $2, …, $n)`.
pub(crate) fn params(n: usize) -> String {
    let p: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!("({})", p.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upsert_updates_every_column_but_the_key() {
        assert_eq!(
            upsert(&["id"], &["id", "a", "b"]),
            " ON CONFLICT (id) DO UPDATE SET a = excluded.a, b = excluded.b"
        );
        assert_eq!(params(3), "($1, $2, $3)");
    }

    #[test]
    fn only_postgres_urls_select_postgres() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("postgresql://u@h/db"));
        assert!(!is_postgres_url("sqlite://data/kairr.sqlite"));
    }
}
