//! `GET /api/v1/status` and `GET /api/v1/queues`: answered from the
//! in-memory snapshot, never from the database.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kairr_shared::api::QueuesResponse;

use crate::error::AppError;
use crate::state::{gzip, AppState};

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|e| e.trim().split(';').next() == Some("gzip")))
}

/// The live status of every system (gzip served pre-compressed).
#[utoipa::path(get, path = "/api/v1/status", tag = "status",
    responses((status = 200, description = "Live status summary", body = kairr_shared::api::StatusSummary)))]
pub async fn get_status(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let live = state.live.borrow().clone();
    let now = chrono::Utc::now().timestamp();
    let (json, json_gzip) = if live.summary.aged(now) {
        let json = Bytes::from(serde_json::to_vec(&live.summary_at(now)).map_err(anyhow::Error::from)?);
        let z = gzip(&json);
        (json, z)
    } else {
        (live.json.clone(), live.json_gzip.clone())
    };
    let mut res = if accepts_gzip(&headers) && !json_gzip.is_empty() {
        let mut r = json_gzip.into_response();
        r.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        json.into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(res)
}

/// Every pool's running jobs and queue, the input of wait prediction.
#[utoipa::path(get, path = "/api/v1/queues", tag = "placement",
    responses((status = 200, description = "Queue snapshots per pool", body = QueuesResponse)))]
pub async fn get_queues(State(state): State<AppState>) -> Json<QueuesResponse> {
    let live = state.live.borrow().clone();
    Json(QueuesResponse::clone(&live.queues))
}
