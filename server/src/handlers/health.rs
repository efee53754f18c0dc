//! `GET /healthz` and `GET /metrics`.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kairr_shared::api::Health;

use crate::error::AppError;
use crate::state::AppState;

/// Liveness and readiness: the database answers and a snapshot exists.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Healthy", body = Health), (status = 503, description = "Unhealthy", body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> Response {
    let age = chrono::Utc::now().timestamp() - state.live.borrow().summary.updated_at.timestamp();
    let db = state.storage.ping().await;
    let body = Health {
        status: if db { "ok".into() } else { "database unavailable".into() },
        snapshot_age_seconds: Some(age),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    let code = if db { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, Json(body)).into_response()
}

/// Prometheus text exposition of the server's own metrics.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"),
              (status = 401, description = "metrics_token is set and was not given", body = kairr_shared::api::ApiError)))]
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    if let Some(token) = &state.settings.metrics_token {
        let given =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if given != Some(token.expose()) {
            return Err(AppError::Unauthorised);
        }
    }
    let live = state.live.borrow().clone();
    let text = state.metrics.render(&live.summary, chrono::Utc::now().timestamp());
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response())
}
