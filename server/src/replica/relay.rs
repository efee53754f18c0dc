//! Snapshots between replicas (PostgreSQL only): the leader writes each one
//! to the `live_snapshot` row and notifies `kairr_status` in the same
//! transaction; every replica listens, and a follower reads the row and
//! publishes it into its own watch channel. A NOTIFY payload is limited to
//! 8000 bytes, so the snapshot travels through the table, not the payload.

use std::sync::Arc;

use kairr_shared::api::{QueueSnapshot, StatusSummary};
use sqlx::postgres::PgListener;
use sqlx::{PgPool, Row};
use tokio::sync::watch;

use super::{Bus, Replica};
use crate::state::Live;
use crate::storage::{Db, Storage};

/// Channel announcing a new snapshot (payload: its Unix time).
pub const STATUS_CHANNEL: &str = "kairr_status";
/// Channel carrying programme events (payload: `bus::Envelope` JSON).
pub const PROGRAMME_CHANNEL: &str = "kairr_programme";

const WRITE_SQL: &str = "INSERT INTO live_snapshot (id, updated_at, leader, summary, queues) \
     VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, \
     leader = excluded.leader, summary = excluded.summary, queues = excluded.queues \
     WHERE live_snapshot.updated_at <= excluded.updated_at";

/// The stored snapshot, if a leader wrote one (always `None` on SQLite).
pub(super) async fn read_snapshot(storage: &Storage) -> anyhow::Result<Option<Live>> {
    let Db::Postgres(pool) = storage.db() else { return Ok(None) };
    let Some(row) = sqlx::query("SELECT summary, queues FROM live_snapshot WHERE id = 1").fetch_optional(pool).await?
    else {
        return Ok(None);
    };
    let summary: StatusSummary = serde_json::from_str(&row.try_get::<String, _>("summary")?)?;
    let queues: Vec<QueueSnapshot> = serde_json::from_str(&row.try_get::<String, _>("queues")?)?;
    Ok(Some(Live::new(summary, queues)))
}

async fn write_snapshot(pool: &PgPool, leader: &str, live: &Live) -> anyhow::Result<()> {
    let at = live.summary.updated_at.timestamp();
    let mut tx = pool.begin().await?;
    sqlx::query(WRITE_SQL)
        .bind(at)
        .bind(leader)
        .bind(std::str::from_utf8(&live.json)?)
        .bind(serde_json::to_string(&live.queues.queues)?)
        .execute(&mut *tx)
        .await?;
    sqlx::query("SELECT pg_notify($1, $2)").bind(STATUS_CHANNEL).bind(at.to_string()).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// While leading: stores and announces every new snapshot, and the current
/// one first when `current` (this replica's own). Never returns (pending
/// forever on SQLite, where nobody listens).
pub(super) async fn share(replica: Arc<Replica>, mut rx: watch::Receiver<Arc<Live>>, current: bool) {
    let Db::Postgres(pool) = replica.storage.db() else { return std::future::pending().await };
    if !current && rx.changed().await.is_err() {
        return std::future::pending().await;
    }
    loop {
        let live = rx.borrow_and_update().clone();
        match write_snapshot(pool, &replica.id, &live).await {
            Ok(()) => replica.metrics.snapshot_published(),
            Err(e) => tracing::warn!(error = %e, "cannot share the status snapshot with the other replicas"),
        }
        if rx.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

/// Publishes the stored snapshot into `tx` when it is newer than ours.
async fn catch_up(replica: &Replica, tx: &watch::Sender<Arc<Live>>) {
    if replica.is_leader() {
        return;
    }
    match read_snapshot(&replica.storage).await {
        Ok(Some(live)) => {
            let newer = tx.send_if_modified(|current| {
                let newer = live.summary.updated_at > current.summary.updated_at;
                if newer {
                    *current = Arc::new(live);
                }
                newer
            });
            if newer {
                replica.metrics.snapshot_relayed();
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "cannot read the shared status snapshot"),
    }
}

/// Every replica: listens for new snapshots (followers publish them) and for
/// programme events (handed to `bus`); catches up after every (re)connection,
/// since notifications sent while disconnected are lost.
pub(super) async fn listen(replica: Arc<Replica>, pool: PgPool, tx: watch::Sender<Arc<Live>>, bus: Bus) {
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for other replicas' updates");
                tokio::time::sleep(replica.retry).await;
                continue;
            }
        };
        if let Err(e) = listener.listen_all([STATUS_CHANNEL, PROGRAMME_CHANNEL]).await {
            tracing::warn!(error = %e, "cannot listen for other replicas' updates");
            tokio::time::sleep(replica.retry).await;
            continue;
        }
        catch_up(&replica, &tx).await;
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) if n.channel() == STATUS_CHANNEL => catch_up(&replica, &tx).await,
                Ok(Some(n)) => bus.received(n.payload()),
                Ok(None) => catch_up(&replica, &tx).await, // reconnected: may have missed some
                Err(e) => {
                    tracing::warn!(error = %e, "lost the notification connection");
                    tokio::time::sleep(replica.retry).await;
                    break;
                }
            }
        }
    }
}
