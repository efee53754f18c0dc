//! State shared by the handlers: settings, storage, the live snapshot.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use kairr_shared::api::{DailyUptime, QueueSnapshot, QueuesResponse, StatusHistory, StatusSummary};
use kairr_shared::catalogue::Catalogue;
use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::storage::Storage;

/// The latest snapshot, with its JSON serialised (and gzipped) once per tick
/// for the hot path.
#[derive(Debug, Clone)]
pub struct Live {
    pub summary: StatusSummary,
    pub json: Bytes,
    /// `json` gzipped, for clients that accept it.
    pub json_gzip: Bytes,
    /// Each pool's queue, for wait prediction.
    pub queues: Arc<QueuesResponse>,
}

impl Live {
    /// Wraps a summary and the queues, serialising and compressing once.
    pub fn new(summary: StatusSummary, queues: Vec<QueueSnapshot>) -> Live {
        let json = serde_json::to_vec(&summary).map(Bytes::from).unwrap_or_default();
        let json_gzip = gzip(&json);
        let queues = Arc::new(QueuesResponse { source: summary.source, queues });
        Live { summary, json, json_gzip, queues }
    }
}

impl Live {
    /// The summary as of `now` (Unix seconds): marked stale, system by
    /// system, once no new snapshot has come for longer than it allows.
    pub fn summary_at(&self, now: i64) -> StatusSummary {
        let mut s = self.summary.clone();
        if s.aged(now) {
            s.stale = true;
            for sys in &mut s.systems {
                sys.stale = true;
            }
        }
        s
    }
}

/// Gzips `data` (empty on the impossible in-memory write failure).
pub fn gzip(data: &[u8]) -> Bytes {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 4), flate2::Compression::default());
    match enc.write_all(data).and_then(|_| enc.finish()) {
        Ok(v) => Bytes::from(v),
        Err(_) => Bytes::new(),
    }
}

/// Cached history answers: (system, range) → its slot, answered from the
/// slot at once once read and refreshed in the background once older than
/// a recording interval (see [`crate::kept::Kept`]): one database read per
/// history and interval whatever the crowd, and none waited for once there
/// has been an answer. Keys are known systems × ranges.
pub type HistoryCache = Mutex<HashMap<(String, &'static str), HistorySlot>>;

/// One history's place in [`HistoryCache`].
pub type HistorySlot = Arc<crate::kept::Kept<Arc<StatusHistory>>>;

/// Cached 90-day uptime bars: system → its slot, kept as histories are. Every
/// range of a system's history shows the same days, so they are read once
/// for all of them (the slow part of a history: every sample of 90 days).
pub type UptimeCache = Mutex<HashMap<String, Arc<crate::kept::Kept<Arc<Vec<DailyUptime>>>>>>;

/// Cached public pages: requested round (`None` = the default) → (built at, page).
/// Only rounds that exist are cached, so the map is as small as the list of rounds.
pub type PublicCache = Mutex<HashMap<Option<String>, (Instant, Arc<kairr_shared::allocation::PublicRound>)>>;

/// Everything a handler may need (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub catalogue: Arc<Catalogue>,
    pub storage: Storage,
    pub live: watch::Receiver<Arc<Live>>,
    pub metrics: Arc<Metrics>,
    pub history_cache: Arc<HistoryCache>,
    pub uptime_cache: Arc<UptimeCache>,
    /// Set once every history the status page draws has been read after
    /// start-up (`handlers::history::warm`), or at once when they are not
    /// read ahead: `/healthz` says so (`histories_ready`).
    pub histories_ready: Arc<std::sync::atomic::AtomicBool>,
    /// The anonymous transparency page, built at most once per round every
    /// few seconds per replica whatever the traffic (and at once after a
    /// change on this replica).
    pub public_cache: Arc<PublicCache>,
    /// Placements being computed now (at most `MAX_CONCURRENT_PLACEMENTS`).
    pub placement_slots: Arc<tokio::sync::Semaphore>,
    /// Sign-in limits and password checks.
    pub sign_in: Arc<crate::auth::SignIn>,
    /// The key of anonymous CSRF tokens (shared by the replicas).
    pub csrf: crate::auth::CsrfKey,
    /// Programme events for SSE clients, shared with the other replicas.
    pub bus: crate::replica::Bus,
    /// The status page's first HTML, rendered per snapshot and language.
    pub first_view: Arc<crate::first_view::FirstView>,
    /// Institutional sign-in providers.
    pub oidc: Arc<crate::oidc::Oidc>,
}
