//! `GET /healthz` and `GET /metrics`.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kairr_shared::api::Health;

use crate::error::AppError;
use crate::state::AppState;

/// Liveness and readiness: the database answers and a snapshot exists
/// (503 otherwise), and whether the status page's histories are read yet.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Healthy", body = Health), (status = 503, description = "Unhealthy", body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> Response {
    let age = chrono::Utc::now().timestamp() - state.live.borrow().summary.updated_at.timestamp();
    let db = state.storage.ping().await;
    let body = Health {
        status: if db { "ok".into() } else { "database unavailable".into() },
        snapshot_age_seconds: Some(age),
        version: env!("CARGO_PKG_VERSION").into(),
        histories_ready: state.histories_ready.load(std::sync::atomic::Ordering::Acquire),
    };
    let code = if db { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, Json(body)).into_response()
}

/// Whether `given` is the metrics `token`, compared in constant time (over
/// SHA-256 digests, so neither the content nor the length leaks through timing).
fn token_matches(given: Option<&str>, token: &str) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let Some(given) = given else { return false };
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(token.as_bytes()));
    bool::from(a.as_slice().ct_eq(b.as_slice()))
}

/// OpenMetrics text exposition of the server's own metrics.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "OpenMetrics when `Accept` asks for it (as Prometheus does), else the \
        classic Prometheus text format 0.0.4", content_type = "text/plain"),
              (status = 401, description = "metrics_token is set and was not given", body = kairr_shared::api::ApiError)))]
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    if let Some(token) = &state.settings.metrics_token {
        let given =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if !token_matches(given, token.expose()) {
            return Err(AppError::Unauthorised);
        }
    }
    let live = state.live.borrow().clone();
    let text = state.metrics.render(&live.summary, chrono::Utc::now().timestamp());
    // Prometheus asks for OpenMetrics in `Accept`; anything else gets the classic text format.
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if accept.contains("application/openmetrics-text") {
        return Ok(([(header::CONTENT_TYPE, crate::metrics::OPENMETRICS_CONTENT_TYPE)], text).into_response());
    }
    let classic = crate::metrics::to_prometheus_text(&text);
    Ok(([(header::CONTENT_TYPE, crate::metrics::PROMETHEUS_TEXT_CONTENT_TYPE)], classic).into_response())
}

#[cfg(test)]
mod tests {
    use super::token_matches;

    #[test]
    fn the_metrics_token_must_match_exactly() {
        assert!(token_matches(Some("s3cret"), "s3cret"));
        assert!(!token_matches(Some("s3cre"), "s3cret"));
        assert!(!token_matches(Some("s3cret2"), "s3cret"));
        assert!(!token_matches(None, "s3cret"));
    }
}
