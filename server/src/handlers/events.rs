//! `GET /api/v1/events`: Server-Sent Events, one `status` event per snapshot
//! and one `programme` event per stored programme change (from any replica).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use futures_util::StreamExt;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};

use crate::state::AppState;

/// Decrements the SSE client gauge when the stream is dropped.
struct ClientGuard(std::sync::Arc<crate::metrics::Metrics>);

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.0.sse_client(-1);
    }
}

/// The current snapshot at once, then every new one as it is published;
/// between them, a `programme` event whenever a round changes.
#[utoipa::path(get, path = "/api/v1/events", tag = "status",
    responses((status = 200, description = "text/event-stream of `status` events whose data is a StatusSummary, and `programme` events whose data is a ProgrammeEvent (round id and what changed)", content_type = "text/event-stream")))]
pub async fn get_events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    state.metrics.sse_client(1);
    let guard = ClientGuard(state.metrics.clone());
    let status = WatchStream::new(state.live.clone()).map(move |live| {
        let _keep = &guard;
        let data = String::from_utf8_lossy(&live.json).into_owned();
        Ok(Event::default().event("status").id(live.summary.updated_at.timestamp().to_string()).data(data))
    });
    // A client too slow for the broadcast's buffer skips the events it missed.
    let programme = BroadcastStream::new(state.bus.subscribe()).filter_map(|event| async move {
        let data = serde_json::to_string(&event.ok()?).ok()?;
        Some(Ok(Event::default().event("programme").data(data)))
    });
    Sse::new(futures_util::stream::select(status, programme))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
