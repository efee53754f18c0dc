//! State shared by the handlers: settings, storage, the live snapshot.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use kairr_shared::api::{StatusHistory, StatusSummary};
use kairr_shared::catalogue::Catalogue;
use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::storage::Storage;

/// The latest snapshot, with its JSON pre-serialised for the hot path.
#[derive(Debug, Clone)]
pub struct Live {
    pub summary: StatusSummary,
    pub json: Bytes,
}

impl Live {
    /// Wraps a summary, serialising it once.
    pub fn new(summary: StatusSummary) -> Live {
        let json = serde_json::to_vec(&summary).map(Bytes::from).unwrap_or_default();
        Live { summary, json }
    }
}

/// Cached history answers: (system, range) → (computed at, answer).
pub type HistoryCache = Mutex<HashMap<(String, &'static str), (Instant, Arc<StatusHistory>)>>;

/// Everything a handler may need (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub catalogue: Arc<Catalogue>,
    pub storage: Storage,
    pub live: watch::Receiver<Arc<Live>>,
    pub metrics: Arc<Metrics>,
    pub history_cache: Arc<HistoryCache>,
}
