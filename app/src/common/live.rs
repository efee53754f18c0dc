//! Reactive state fed by the API: the live summary (SSE with a fetch fallback)
//! and per-system history, each refreshed on its own schedule.
//! Hooks follow the `use_x(arg) -> struct of signals` shape; they call
//! [`crate::common::api`] and hold no rendering.

use std::time::Duration;

use futures_util::future::{abortable, select, AbortHandle, Either};
use futures_util::StreamExt;
use gloo_net::eventsource::futures::{EventSource, EventSourceSubscription};
use gloo_net::eventsource::State;
use gloo_timers::future::TimeoutFuture;
use kairr_shared::api::{StatusHistory, StatusSummary};
use kairr_shared::history::HistoryRange;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::{self, FetchError};

/// How often history and incidents are fetched again, in seconds.
pub const REFRESH_SECONDS: u64 = 60;
/// First and longest pause before reopening a closed event stream, in milliseconds.
const RECONNECT_MS: (u32, u32) = (1_000, 30_000);
/// Seconds the event stream may spend reconnecting before the page says so.
const CONNECTING_GRACE_S: u32 = 3;

/// Milliseconds since the Unix epoch on the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The browser's clock as an instant (for the shared rules that take `now`).
pub fn now_utc() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(now_ms() as i64).unwrap_or_default()
}

/// The live summary and how fresh it is.
#[derive(Debug, Clone, Copy)]
pub struct LiveStatus {
    /// The newest snapshot received (`None` until the first arrives).
    pub summary: RwSignal<Option<StatusSummary>>,
    /// Browser time (ms) when that snapshot arrived.
    pub received_ms: RwSignal<Option<f64>>,
    /// The last failed fetch or undecodable event; cleared by the next snapshot.
    pub error: RwSignal<Option<FetchError>>,
    /// True while the event stream is closed and being reopened.
    pub disconnected: RwSignal<bool>,
}

impl LiveStatus {
    /// Stores `summary` unless a newer snapshot is already shown.
    fn apply(self, summary: StatusSummary) {
        let newer = self.summary.with_untracked(|old| old.as_ref().is_none_or(|o| o.updated_at <= summary.updated_at));
        if newer {
            self.summary.set(Some(summary));
        }
        self.received_ms.set(Some(now_ms()));
        self.error.set(None);
        self.disconnected.set(false);
    }
}

/// Starts from `initial` (the summary embedded in the page) or fetches the
/// summary once, then follows `/api/v1/events`; reopens the stream with
/// back-off when the browser gives up. Stops when the owner is dropped.
pub fn use_live_status(initial: Option<StatusSummary>) -> LiveStatus {
    let live = LiveStatus {
        summary: RwSignal::new(None),
        received_ms: RwSignal::new(None),
        error: RwSignal::new(None),
        disconnected: RwSignal::new(false),
    };
    match initial {
        Some(summary) => live.apply(summary),
        None => spawn_owned(async move { fetch_summary(live).await }),
    }
    spawn_owned(follow_events(live));
    live
}

async fn fetch_summary(live: LiveStatus) {
    match api::fetch_status().await {
        Ok(s) => live.apply(s),
        Err(e) => live.error.set(Some(e)),
    }
}

async fn follow_events(live: LiveStatus) {
    let mut pause = RECONNECT_MS.0;
    loop {
        match api::subscribe_status() {
            Ok((source, events)) => {
                if read_events(live, &source, events).await {
                    pause = RECONNECT_MS.0;
                }
            }
            Err(e) => live.error.set(Some(e)),
        }
        live.disconnected.set(true);
        TimeoutFuture::new(pause).await;
        fetch_summary(live).await;
        // Even when the plain fetch worked the stream did not: stale until it is back.
        live.disconnected.set(true);
        pause = (pause * 2).min(RECONNECT_MS.1);
    }
}

/// Applies `status` events until the browser closes the stream; returns whether any arrived.
///
/// While the browser silently retries a dropped connection the source sits in
/// `Connecting`; after [`CONNECTING_GRACE_S`] seconds of that the page is marked
/// disconnected (the stale warning shows) without waiting for `stale_after_seconds`.
async fn read_events(live: LiveStatus, source: &EventSource, mut events: EventSourceSubscription) -> bool {
    let mut received = false;
    let mut connecting_s = 0;
    loop {
        let next = events.next();
        let tick = TimeoutFuture::new(1_000);
        match select(next, tick).await {
            Either::Left((Some(Ok((_, message))), _)) => match api::decode_status_event(&message) {
                Ok(summary) => {
                    live.apply(summary);
                    received = true;
                }
                Err(e) => live.error.set(Some(e)),
            },
            // An error means the browser gave up and closed the source.
            Either::Left((Some(Err(_)) | None, _)) => return received,
            Either::Right(((), _)) => {
                connecting_s = if source.state() == State::Connecting { connecting_s + 1 } else { 0 };
                if connecting_s >= CONNECTING_GRACE_S {
                    live.disconnected.set(true);
                }
            }
        }
    }
}

/// A counter that increases every `seconds`, to trigger refetches.
pub fn use_refresh_tick(seconds: u64) -> Signal<u32> {
    let tick = RwSignal::new(0u32);
    every(Duration::from_secs(seconds), move || tick.update(|n| *n = n.wrapping_add(1)));
    tick.into()
}

/// History of one system for the chosen range.
#[derive(Debug, Clone, Copy)]
pub struct History {
    /// The last good answer for the current range (the 90 uptime days come with any range).
    pub data: RwSignal<Option<StatusHistory>>,
    /// The last failure; cleared by the next success.
    pub error: RwSignal<Option<FetchError>>,
    /// True while a request is in flight.
    pub loading: RwSignal<bool>,
}

/// Loads the history of `system_id` for `range`, again when `range` or `refresh` changes.
/// Answers to superseded requests are dropped.
pub fn use_history(system_id: String, range: Signal<HistoryRange>, refresh: Signal<u32>) -> History {
    let state = History { data: RwSignal::new(None), error: RwSignal::new(None), loading: RwSignal::new(false) };
    let generation = RwSignal::new(0u32);
    Effect::new(move |_| {
        let range = range.get();
        refresh.track();
        let id = system_id.clone();
        let mine = generation.with_untracked(|g| g.wrapping_add(1));
        generation.set(mine);
        state.loading.set(true);
        spawn_owned(async move {
            let result = api::fetch_history(&id, range).await;
            if generation.get_untracked() != mine {
                return;
            }
            match result {
                Ok(h) => {
                    state.data.set(Some(h));
                    state.error.set(None);
                }
                Err(e) => state.error.set(Some(e)),
            }
            state.loading.set(false);
        });
    });
    state
}

/// Runs `task` on the browser's event loop and aborts it when the current owner is cleaned up.
pub(crate) fn spawn_owned(task: impl std::future::Future<Output = ()> + 'static) {
    let (task, handle): (_, AbortHandle) = abortable(task);
    spawn_local(async move {
        // `Err(Aborted)` only means the component went away.
        let _ = task.await;
    });
    on_cleanup(move || handle.abort());
}

/// Calls `f` every `period` until the current owner is cleaned up.
fn every(period: Duration, f: impl Fn() + 'static) {
    match set_interval_with_handle(f, period) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => leptos::logging::error!("setInterval failed: {e:?}"),
    }
}
