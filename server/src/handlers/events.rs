//! `GET /api/v1/events`: Server-Sent Events, one `status` event per snapshot
//! and one `programme` event per stored programme change (from any replica).
//! At most [`crate::metrics::MAX_SSE_CLIENTS`] clients at once per replica;
//! beyond it a 503 `ApiError` with `Retry-After`.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::Stream;
use futures_util::StreamExt;
use kairr_shared::api::ApiError;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};

use crate::metrics::SseClient;
use crate::state::AppState;

/// Seconds a refused client is asked to wait before trying again.
pub const SSE_RETRY_AFTER_S: u32 = 30;

/// The answer to a client beyond the limit: 503 with `Retry-After`.
pub fn busy() -> Response {
    let body = ApiError {
        error: "too_many_clients".into(),
        field: None,
        message: format!("too many live-update clients; try again in {SSE_RETRY_AFTER_S} s"),
        fields: Vec::new(),
    };
    (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, SSE_RETRY_AFTER_S.to_string())], Json(body))
        .into_response()
}

/// The current snapshot at once, then every new one as it is published;
/// between them, a `programme` event whenever a round changes.
#[utoipa::path(get, path = "/api/v1/events", tag = "status",
    responses((status = 200, description = "text/event-stream of `status` events whose data is a StatusSummary, and `programme` events whose data is a ProgrammeEvent (round id and what changed)", content_type = "text/event-stream"),
              (status = 503, description = "Too many live-update clients; retry after `Retry-After` seconds", body = ApiError)))]
pub async fn get_events(State(state): State<AppState>) -> Response {
    match state.metrics.sse_admit() {
        Some(client) => stream(&state, client).into_response(),
        None => busy(),
    }
}

fn stream(state: &AppState, client: SseClient) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let status = WatchStream::new(state.live.clone()).map(move |live| {
        let _counted = &client;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;
    use std::sync::Arc;

    #[tokio::test]
    async fn beyond_the_limit_a_client_gets_a_json_503_with_retry_after() {
        let metrics = Arc::new(Metrics::default());
        metrics.set_sse_limit(1);
        let first = metrics.sse_admit().unwrap();
        assert!(metrics.sse_admit().is_none());
        let busy = busy();
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()[header::RETRY_AFTER], "30");
        assert_eq!(busy.headers()[header::CONTENT_TYPE], "application/json");
        let body = axum::body::to_bytes(busy.into_body(), 4096).await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"], "too_many_clients");
        assert!(json["message"].as_str().unwrap().contains("30 s"));
        drop(first);
        assert!(metrics.sse_admit().is_some(), "a slot frees when a client leaves");
    }
}
