//! Programme events for SSE clients (`event: programme`): sent after a
//! request, review or decision is stored, to this replica's clients at once
//! and, on PostgreSQL, to the other replicas' through `NOTIFY
//! kairr_programme` (each replica ignores its own echo).
//!
//! The stream is public, so an event says only which round changed and how:
//! clients that may see more re-fetch it through the protected endpoints.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tokio::sync::broadcast;

pub use kairr_shared::api::{ProgrammeChange, ProgrammeEvent};

use super::relay::PROGRAMME_CHANNEL;
use crate::storage::Db;

/// What travels between replicas: the event and the replica that sent it.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    origin: String,
    event: ProgrammeEvent,
}

/// Events queued per SSE client before the slowest skips some.
const CAPACITY: usize = 256;

/// Publishes programme events to this replica's SSE clients and the others'.
#[derive(Debug, Clone)]
pub struct Bus {
    tx: broadcast::Sender<ProgrammeEvent>,
    origin: Arc<str>,
    pg: Option<PgPool>,
}

impl Bus {
    /// A bus for the replica `origin` on `db` (NOTIFY only on PostgreSQL).
    pub fn new(origin: &str, db: &Db) -> Bus {
        let pg = match db {
            Db::Postgres(pool) => Some(pool.clone()),
            Db::Sqlite(_) => None,
        };
        Bus { tx: broadcast::channel(CAPACITY).0, origin: origin.into(), pg }
    }

    /// A receiver of every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ProgrammeEvent> {
        self.tx.subscribe()
    }

    /// Sends `event` to local clients and notifies the other replicas. A
    /// failed NOTIFY is logged, not returned: the change itself is stored.
    pub async fn publish(&self, event: ProgrammeEvent) {
        let _ = self.tx.send(event.clone()); // no subscriber is not an error
        let Some(pool) = &self.pg else { return };
        let envelope = Envelope { origin: self.origin.to_string(), event };
        let sent = match serde_json::to_string(&envelope) {
            Ok(payload) => sqlx::query("SELECT pg_notify($1, $2)")
                .bind(PROGRAMME_CHANNEL)
                .bind(payload)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(anyhow::Error::from),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "cannot notify the other replicas of a programme change");
        }
    }

    /// Hands a notification from another replica to local clients.
    pub(super) fn received(&self, payload: &str) {
        match serde_json::from_str::<Envelope>(payload) {
            Ok(env) if *env.origin != *self.origin => {
                let _ = self.tx.send(env.event);
            }
            Ok(_) => {} // our own, already delivered
            Err(e) => tracing::warn!(error = %e, "ignoring a malformed programme notification"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> ProgrammeEvent {
        ProgrammeEvent { round: "2026-1".into(), change: ProgrammeChange::Decision, at: chrono::DateTime::UNIX_EPOCH }
    }

    fn bus(origin: &str) -> Bus {
        Bus { tx: broadcast::channel(4).0, origin: origin.into(), pg: None }
    }

    #[test]
    fn a_notification_from_another_replica_reaches_local_clients_but_our_own_echo_does_not() {
        let b = bus("a");
        let mut rx = b.subscribe();
        let own = serde_json::to_string(&Envelope { origin: "a".into(), event: event() }).unwrap();
        b.received(&own);
        assert!(rx.try_recv().is_err(), "our own echo is dropped");
        let other = serde_json::to_string(&Envelope { origin: "b".into(), event: event() }).unwrap();
        b.received(&other);
        assert_eq!(rx.try_recv().unwrap(), event());
        b.received("not json");
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn the_event_json_names_the_round_and_the_change_only() {
        let v = serde_json::to_value(event()).unwrap();
        assert_eq!(v, serde_json::json!({"round": "2026-1", "change": "decision", "at": "1970-01-01T00:00:00Z"}));
    }
}
