//! Several replicas on one database. Exactly one replica, the **leader**,
//! polls the status sources: it holds a PostgreSQL advisory lock on a
//! dedicated connection (`leader.rs`), runs the monitor, and writes each
//! snapshot to `live_snapshot` with a `NOTIFY kairr_status`. The others,
//! **followers**, `LISTEN`, read the row and publish it into their own watch
//! channel (`relay.rs`), so their `/api/v1/status` and SSE serve the same
//! state; they retry the lock and take over when the leader's connection dies.
//! Programme changes travel the same way to every replica's SSE clients
//! (`bus.rs`).
//!
//! On SQLite there is one process: it always leads, and events stay in-process.
//! The monitor itself knows nothing of this; the leader runs it through a
//! [`Poller`].

mod bus;
mod leader;
mod relay;

pub use bus::{Bus, ProgrammeChange, ProgrammeEvent};
pub use leader::Candidate;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use kairr_shared::api::StatusSummary;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::metrics::Metrics;
use crate::state::Live;
use crate::storage::{Db, Storage};

/// Starts the monitor for a new leader and runs it until cancelled: given the
/// replica's watch sender, it publishes every snapshot there.
pub type Poller = Arc<dyn Fn(watch::Sender<Arc<Live>>) -> BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// One replica's view of the replication: who it is and whether it leads.
pub struct Replica {
    /// Random id of this process (written beside the snapshots it leads with).
    pub id: String,
    pub storage: Storage,
    pub metrics: Arc<Metrics>,
    /// Between lock attempts, and between the leader's checks of its lock.
    pub retry: Duration,
    leader: AtomicBool,
}

impl Replica {
    /// A replica over `storage` with a fresh random id.
    pub fn new(storage: Storage, metrics: Arc<Metrics>, retry: Duration) -> Arc<Replica> {
        let id = format!("replica-{}", crate::accounts::random_password());
        Arc::new(Replica { id, storage, metrics, retry, leader: AtomicBool::new(false) })
    }

    /// True while this replica polls the sources.
    pub fn is_leader(&self) -> bool {
        self.leader.load(Ordering::Relaxed)
    }

    fn set_leader(&self, leads: bool) {
        self.leader.store(leads, Ordering::Relaxed);
        self.metrics.set_replica_leader(leads);
    }

    /// The snapshot to serve before any arrives: the last one a leader
    /// stored (PostgreSQL), else an empty summary from 1970 (stale at once).
    pub async fn initial_snapshot(&self, stale_after_seconds: u32) -> anyhow::Result<Live> {
        if let Some(live) = relay::read_snapshot(&self.storage).await? {
            return Ok(live);
        }
        Ok(Live::new(StatusSummary::new(0, Vec::new(), stale_after_seconds), Vec::new()))
    }

    /// Spawns the replica's background work into `tasks`: the election loop
    /// (which runs `first` at once when `lock` is already held, then `poller`
    /// whenever this replica wins the lock) and, on PostgreSQL, the listener
    /// relaying snapshots and programme events from the other replicas.
    pub fn spawn(
        self: &Arc<Self>,
        tasks: &mut JoinSet<()>,
        candidate: Candidate,
        first: Option<BoxFuture<'static, anyhow::Result<()>>>,
        poller: Poller,
        tx: watch::Sender<Arc<Live>>,
        bus: Bus,
    ) {
        if first.is_some() {
            self.set_leader(true); // already holds the lock: say so before serving
        }
        if let Db::Postgres(pool) = self.storage.db() {
            tasks.spawn(relay::listen(self.clone(), pool.clone(), tx.clone(), bus));
        }
        tasks.spawn(leader::elect(self.clone(), candidate, first, poller, tx));
    }
}
