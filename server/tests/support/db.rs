//! The database a test runs on: with `KAIRR_TEST_DATABASE_URL` set (a
//! PostgreSQL server where that user may create databases, e.g.
//! `postgres://postgres@localhost/postgres?host=/tmp/pg`), each test gets a
//! fresh database of its own there; otherwise a temporary SQLite file.
//! `./kairr test` runs the integration tests both ways.

use std::sync::atomic::{AtomicU32, Ordering};

use kairr_server::settings::Settings;
use kairr_server::storage::Db;
use sqlx::Connection;

/// Environment variable naming the PostgreSQL server of the tests.
pub const TEST_DATABASE_URL: &str = "KAIRR_TEST_DATABASE_URL";

/// The PostgreSQL server to test against, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var(TEST_DATABASE_URL).ok().filter(|u| !u.is_empty())
}

/// `url` with its database name replaced by `name` (query string kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Creates an empty database on the test server and returns its URL.
pub async fn fresh_postgres(server: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let name = format!("kairr_test_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut admin = sqlx::PgConnection::connect(server).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await.unwrap();
    admin.close().await.unwrap();
    with_database(server, &name)
}

/// Points `settings` at a fresh database (PostgreSQL when configured).
pub async fn use_fresh_database(settings: &mut Settings) {
    if let Some(server) = postgres_server() {
        let url = fresh_postgres(&server).await;
        settings.database.url = Some(serde_json::from_value(serde_json::Value::String(url)).unwrap());
        // Tests run in parallel: keep well under a default server's 100 connections.
        settings.database.max_connections = 4;
    }
}

/// A connection pool to the database `settings` name.
pub async fn connect(settings: &Settings) -> Db {
    match &settings.database.url {
        Some(url) => Db::postgres(url.expose(), 2).await.unwrap(),
        None => Db::sqlite(&settings.database_path).await.unwrap(),
    }
}

/// A bound value of a raw test query.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Int(i64),
}

macro_rules! bound {
    ($sql:expr, $args:expr) => {{
        let mut q = sqlx::query($sql);
        for a in $args {
            q = match *a {
                Arg::Text(s) => q.bind(s),
                Arg::Int(i) => q.bind(i),
            };
        }
        q
    }};
}

/// Runs `sql` (`$1`-style parameters, both dialects) and returns the rows it changed.
pub async fn execute(db: &Db, sql: &str, args: &[Arg<'_>]) -> Result<u64, sqlx::Error> {
    match db {
        Db::Sqlite(p) => Ok(bound!(sql, args).execute(p).await?.rows_affected()),
        Db::Postgres(p) => Ok(bound!(sql, args).execute(p).await?.rows_affected()),
    }
}

/// The first column of every row, as text.
pub async fn texts(db: &Db, sql: &str, args: &[Arg<'_>]) -> Vec<String> {
    use sqlx::Row;
    match db {
        Db::Sqlite(p) => bound!(sql, args).fetch_all(p).await.unwrap().iter().map(|r| r.get(0)).collect(),
        Db::Postgres(p) => bound!(sql, args).fetch_all(p).await.unwrap().iter().map(|r| r.get(0)).collect(),
    }
}

/// The first column of the first row, as an integer.
pub async fn int(db: &Db, sql: &str, args: &[Arg<'_>]) -> i64 {
    use sqlx::Row;
    match db {
        Db::Sqlite(p) => bound!(sql, args).fetch_one(p).await.unwrap().get(0),
        Db::Postgres(p) => bound!(sql, args).fetch_one(p).await.unwrap().get(0),
    }
}

/// The first column of the first row, as a float.
pub async fn float(db: &Db, sql: &str, args: &[Arg<'_>]) -> f64 {
    use sqlx::Row;
    match db {
        Db::Sqlite(p) => bound!(sql, args).fetch_one(p).await.unwrap().get(0),
        Db::Postgres(p) => bound!(sql, args).fetch_one(p).await.unwrap().get(0),
    }
}

/// Puts round `id` under review with its review window closed and no review
/// minimum: for tests that insert requests under review directly (without
/// reviews) to decide them. The lifecycle's own gates are tested through the
/// API in `lifecycle_api`.
pub async fn open_for_decisions(db: &Db, id: &str) {
    let body = texts(db, "SELECT body FROM rounds WHERE id = $1", &[Arg::Text(id)]).await;
    let mut round: serde_json::Value = serde_json::from_str(&body[0]).unwrap();
    round["stage"] = "under_review".into();
    round["review_closes"] = "2000-01-01".into();
    round["policy"]["min_reviews"] = 0.into();
    let json = round.to_string();
    execute(
        db,
        "UPDATE rounds SET stage = 'under_review', body = $1 WHERE id = $2",
        &[Arg::Text(&json), Arg::Text(id)],
    )
    .await
    .unwrap();
}
