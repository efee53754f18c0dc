//! The election: a replica leads while it holds the advisory lock
//! [`MONITOR_LOCK`] on a connection of its own (PostgreSQL releases it the
//! moment that session ends, so a dead leader frees it without any timeout
//! of ours). Followers retry every `retry`; the leader pings its connection
//! as often and stops polling as soon as the ping fails.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use sqlx::postgres::PgConnection;
use sqlx::{Connection, PgPool};
use tokio::sync::watch;

use super::{relay, Poller, Replica};
use crate::state::Live;
use crate::storage::Db;

/// Key of the advisory lock whose holder polls the sources ("KAIRRMON").
pub const MONITOR_LOCK: i64 = 0x4B41_4952_524D_4F4E;

/// This replica's claim on leadership.
pub enum Candidate {
    /// SQLite: one process, always the leader.
    Local,
    /// PostgreSQL: a dedicated connection, which holds the lock while leading.
    Postgres { pool: PgPool, conn: Option<PgConnection>, holds: bool },
}

impl Candidate {
    /// A candidate for `db` (nothing is connected yet).
    pub fn new(db: &Db) -> Candidate {
        match db {
            Db::Sqlite(_) => Candidate::Local,
            Db::Postgres(pool) => Candidate::Postgres { pool: pool.clone(), conn: None, holds: false },
        }
    }

    /// Tries once to take the lock; true when this replica now leads.
    pub async fn try_acquire(&mut self) -> anyhow::Result<bool> {
        let Candidate::Postgres { pool, conn, holds } = self else { return Ok(true) };
        if *holds {
            return Ok(true);
        }
        let c = match conn {
            Some(c) => c,
            None => conn.insert(PgConnection::connect_with(&pool.connect_options()).await?),
        };
        let got = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(MONITOR_LOCK).fetch_one(&mut *c).await;
        match got {
            Ok(got) => {
                *holds = got;
                Ok(got)
            }
            Err(e) => {
                *conn = None; // reconnect next time
                Err(e.into())
            }
        }
    }

    /// Returns when the lock is lost (the connection stops answering); never
    /// for SQLite. Checks every `every`.
    async fn lost(&mut self, every: std::time::Duration) {
        let Candidate::Postgres { conn, holds, .. } = self else { return std::future::pending().await };
        loop {
            tokio::time::sleep(every).await;
            let alive = match conn {
                Some(c) => c.ping().await.is_ok(),
                None => false,
            };
            if !alive {
                *conn = None;
                *holds = false;
                return;
            }
        }
    }

    /// Gives the lock up (closing the connection ends the session, which releases it).
    async fn release(&mut self) {
        if let Candidate::Postgres { conn, holds, .. } = self {
            *holds = false;
            if let Some(c) = conn.take() {
                let _ = c.close().await;
            }
        }
    }
}

/// The election loop: lead (run the poller and, on PostgreSQL, share its
/// snapshots) while the lock is held; otherwise retry every `retry`.
pub(super) async fn elect(
    replica: Arc<Replica>,
    mut candidate: Candidate,
    mut first: Option<BoxFuture<'static, anyhow::Result<()>>>,
    poller: Poller,
    tx: watch::Sender<Arc<Live>>,
) {
    loop {
        match candidate.try_acquire().await {
            Ok(true) => {}
            Ok(false) => {
                tokio::time::sleep(replica.retry).await;
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "leader election: cannot reach the database");
                tokio::time::sleep(replica.retry).await;
                continue;
            }
        }
        tracing::info!(replica = replica.id, "this replica polls the status sources");
        replica.set_leader(true);
        // At start-up the current snapshot is this replica's own first one; on a
        // take-over it is the old leader's, already shared: only new ones go out.
        let own_current = first.is_some();
        let job = first.take().unwrap_or_else(|| poller(tx.clone()));
        let share = relay::share(replica.clone(), tx.subscribe(), own_current);
        tokio::select! {
            r = job => match r {
                Ok(()) => tracing::warn!("the status poller stopped"),
                Err(e) => tracing::warn!(error = %e, "the status poller failed"),
            },
            () = candidate.lost(replica.retry) => tracing::warn!("lost the leader lock: no longer polling"),
            () = share => {}
        }
        replica.set_leader(false);
        candidate.release().await;
        tokio::time::sleep(replica.retry).await;
    }
}
