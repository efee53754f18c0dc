//! State fed by the API: the live summary (SSE with a fetch fallback) and
//! the event stream's loop both it and the status page follow.
//! Hooks follow the `use_x(arg) -> struct of signals` shape; they call
//! [`crate::common::api`] and hold no rendering.

use std::time::Duration;

use futures_util::future::{abortable, select, AbortHandle, Either};
use futures_util::StreamExt;
use gloo_net::eventsource::State;
use gloo_timers::future::TimeoutFuture;
use kairr_shared::api::StatusSummary;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::MessageEvent;

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

/// The live summary.
#[derive(Debug, Clone, Copy)]
pub struct LiveStatus {
    /// The newest snapshot received (`None` until the first arrives).
    pub summary: RwSignal<Option<StatusSummary>>,
    /// The last failed fetch or undecodable event; cleared by the next snapshot.
    pub error: RwSignal<Option<FetchError>>,
}

impl LiveStatus {
    /// Stores `summary` unless a newer snapshot is already shown.
    fn apply(self, summary: StatusSummary) {
        let newer = self.summary.with_untracked(|old| old.as_ref().is_none_or(|o| o.updated_at <= summary.updated_at));
        if newer {
            self.summary.set(Some(summary));
        }
        self.error.set(None);
    }
}

/// Fetches the summary once, then follows its `status` events (see
/// [`follow_status_events`]), fetching it again after each gap in the
/// stream. Stops when the owner is dropped.
pub fn use_live_status() -> LiveStatus {
    let live = LiveStatus { summary: RwSignal::new(None), error: RwSignal::new(None) };
    spawn_owned(async move { fetch_summary(live).await });
    let on_event = move |message: &MessageEvent| match api::decode_status_event(message) {
        Ok(summary) => live.apply(summary),
        Err(e) => live.error.set(Some(e)),
    };
    spawn_owned(follow_status_events(on_event, |_| {}, move || fetch_summary(live)));
    live
}

async fn fetch_summary(live: LiveStatus) {
    match api::fetch_status().await {
        Ok(s) => live.apply(s),
        Err(e) => live.error.set(Some(e)),
    }
}

/// Follows the `status` events of `/api/v1/events` as long as it is polled:
/// `on_event` for each; `on_down(true)` when the stream is down (the browser
/// closed it, or it has been reconnecting for [`CONNECTING_GRACE_S`]
/// seconds) and `on_down(false)` when events flow again. A closed stream is
/// reopened with back-off, and `after_gap` runs before each reopening (to
/// catch up on what the gap missed). Needs no Leptos owner: the status
/// page's wasm runs it without one.
pub async fn follow_status_events<G, F>(on_event: impl Fn(&MessageEvent), on_down: impl Fn(bool), after_gap: G)
where
    G: Fn() -> F,
    F: std::future::Future<Output = ()>,
{
    let mut pause = RECONNECT_MS.0;
    loop {
        if let Ok((source, mut events)) = api::subscribe_status() {
            let mut connecting_s = 0;
            loop {
                match select(events.next(), TimeoutFuture::new(1_000)).await {
                    Either::Left((Some(Ok((_, message))), _)) => {
                        pause = RECONNECT_MS.0;
                        on_down(false);
                        on_event(&message);
                    }
                    // An error means the browser gave up and closed the source.
                    Either::Left((Some(Err(_)) | None, _)) => break,
                    Either::Right(((), _)) => {
                        connecting_s = if source.state() == State::Connecting { connecting_s + 1 } else { 0 };
                        if connecting_s >= CONNECTING_GRACE_S {
                            on_down(true);
                        }
                    }
                }
            }
        }
        on_down(true);
        TimeoutFuture::new(pause).await;
        after_gap().await;
        pause = (pause * 2).min(RECONNECT_MS.1);
    }
}

/// A counter that increases every `seconds`, to trigger refetches.
pub fn use_refresh_tick(seconds: u64) -> Signal<u32> {
    let tick = RwSignal::new(0u32);
    every(Duration::from_secs(seconds), move || tick.update(|n| *n = n.wrapping_add(1)));
    tick.into()
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
