//! The one error type of the HTTP layer, mapped once to a status code and
//! the JSON body `ApiError { error, field, message }`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kairr_shared::api::ApiError;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no system with id {0:?}")]
    UnknownSystem(String),
    #[error("{message}")]
    BadParameter { field: &'static str, message: String },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("no status snapshot yet")]
    NoSnapshot,
    #[error("unauthorised")]
    Unauthorised,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, field) = match &self {
            AppError::UnknownSystem(_) => (StatusCode::NOT_FOUND, "unknown_system", Some("system")),
            AppError::BadParameter { field, .. } => (StatusCode::BAD_REQUEST, "invalid_parameter", Some(*field)),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
            AppError::NoSnapshot => (StatusCode::SERVICE_UNAVAILABLE, "no_snapshot", None),
            AppError::Unauthorised => (StatusCode::UNAUTHORIZED, "unauthorised", None),
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
            }
        };
        let message = match &self {
            AppError::Internal(_) => "internal error; see the server log".to_owned(),
            other => other.to_string(),
        };
        let body = ApiError { error: code.to_owned(), field: field.map(str::to_owned), message };
        (status, Json(body)).into_response()
    }
}
