//! The one error type of the HTTP layer, mapped once to a status code and
//! the JSON body `ApiError { error, field, message, fields }`.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kairr_shared::advisor::FieldErrors;
use kairr_shared::api::ApiError;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no system with id {0:?}")]
    UnknownSystem(String),
    #[error("{message}")]
    BadParameter { field: &'static str, message: String },
    /// The body is not the JSON the endpoint takes.
    #[error("request body: {0}")]
    BadBody(String),
    /// The body parsed but some fields are invalid.
    #[error("{0}")]
    InvalidInput(FieldErrors),
    #[error("not found: {0}")]
    NotFound(String),
    /// The request clashes with what is recorded (conflict of interest, duplicate).
    #[error("{0}")]
    Conflict(String),
    #[error("sign in first")]
    Unauthorised,
    #[error("your role may not do this")]
    Forbidden,
    #[error("missing or wrong X-CSRF-Token header; fetch /api/v1/auth/session first")]
    CsrfFailed,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("too many failed sign-ins; try again in {0} s")]
    TooManyAttempts(i64),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        AppError::BadBody(r.body_text())
    }
}

/// Every path parameter of the API is a numeric `id`.
impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        AppError::BadParameter { field: "id", message: "an id is a whole number".into() }
    }
}

/// A query string that does not deserialise (axum's text names the parameter).
impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        AppError::BadParameter { field: "query", message: r.body_text() }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, field) = match &self {
            AppError::UnknownSystem(_) => (StatusCode::NOT_FOUND, "unknown_system", Some("system".to_owned())),
            AppError::BadParameter { field, .. } => {
                (StatusCode::BAD_REQUEST, "invalid_parameter", Some((*field).to_owned()))
            }
            AppError::BadBody(_) => (StatusCode::BAD_REQUEST, "invalid_body", Some("body".to_owned())),
            AppError::InvalidInput(errors) => {
                (StatusCode::BAD_REQUEST, "invalid_input", errors.0.first().map(|e| e.field.clone()))
            }
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict", None),
            AppError::Unauthorised => (StatusCode::UNAUTHORIZED, "unauthorised", None),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None),
            AppError::CsrfFailed => (StatusCode::FORBIDDEN, "csrf_failed", Some("X-CSRF-Token".to_owned())),
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials", Some("password".to_owned())),
            AppError::TooManyAttempts(_) => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", Some("username".to_owned()))
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
            }
        };
        let message = match &self {
            AppError::Internal(_) => "internal error; see the server log".to_owned(),
            other => other.to_string(),
        };
        let fields = match self {
            AppError::InvalidInput(errors) => errors.0,
            _ => Vec::new(),
        };
        let body = ApiError { error: code.to_owned(), field, message, fields };
        (status, Json(body)).into_response()
    }
}
