//! `GET /api/v1/status`: answered from the in-memory snapshot.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::{AppState, Live};

/// The live status of every system.
#[utoipa::path(get, path = "/api/v1/status", tag = "status",
    responses((status = 200, description = "Live status summary", body = kairr_shared::api::StatusSummary)))]
pub async fn get_status(State(state): State<AppState>) -> Result<Response, AppError> {
    let live = state.live.borrow().clone();
    let now = chrono::Utc::now().timestamp();
    let body = if live.summary.aged(now) {
        let mut s = live.summary.clone();
        s.stale = true;
        for sys in &mut s.systems {
            sys.stale = true;
        }
        Live::new(s).json
    } else {
        live.json.clone()
    };
    Ok(([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-cache")], body).into_response())
}
