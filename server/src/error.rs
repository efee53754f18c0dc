//! The one error type of the HTTP layer, mapped once to a status code and
//! the JSON body `ApiError { error, field, message, fields }`.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kairr_shared::advisor::FieldErrors;
use kairr_shared::allocation::usecase::Refusal;
use kairr_shared::api::ApiError;

use crate::programme::WriteError;

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
    /// The command clashes with what is recorded, with a stable code the app
    /// translates (`over_capacity`, `not_under_review`, `changed`, …).
    #[error("{message}")]
    Clash { code: &'static str, field: Option<&'static str>, message: String },
    /// Too many of these requests are in flight (429, retry shortly).
    #[error("too many {0} requests in flight; retry in a second")]
    Busy(&'static str),
    /// The body is larger than the endpoint accepts.
    #[error("request body is larger than this endpoint accepts")]
    TooLarge,
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
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::TooLarge;
        }
        AppError::BadBody(r.body_text())
    }
}

/// A refused use case: its field errors (400) or its clash (409).
impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Invalid(f) => AppError::InvalidInput(f),
            Refusal::Conflict { code, field, message } => AppError::Clash { code, field, message },
        }
    }
}

/// A programme command not written: refused, not found, or lost a race (409).
impl From<WriteError> for AppError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Refused(r) => r.into(),
            WriteError::NotFound(what) => AppError::NotFound(what.to_owned()),
            changed @ WriteError::Changed(_) => {
                AppError::Clash { code: "changed", field: None, message: changed.to_string() }
            }
            WriteError::Db(e) => AppError::Internal(e),
        }
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
            AppError::Clash { code, field, .. } => (StatusCode::CONFLICT, *code, field.map(str::to_owned)),
            AppError::Busy(_) => (StatusCode::TOO_MANY_REQUESTS, "busy", None),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", Some("body".to_owned())),
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
        let retry_after = match &self {
            AppError::Busy(_) => Some(1),
            AppError::TooManyAttempts(wait) => Some((*wait).max(1)),
            _ => None,
        };
        let fields = match self {
            AppError::InvalidInput(errors) => errors.0,
            _ => Vec::new(),
        };
        let body = ApiError { error: code.to_owned(), field, message, fields };
        let mut response = (status, Json(body)).into_response();
        if let Some(s) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(s));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    /// The error codes written in the server's and the use cases' sources:
    /// `(StatusCode::X, "code"`, `StatusCode::X => ("code",`, `code: "code"`,
    /// `conflict("code"` and `error: "code"`, whitespace ignored.
    fn codes_in_sources() -> std::collections::BTreeSet<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [root.join("src"), root.join("../shared/src/allocation")] {
            collect(&dir, &mut files);
        }
        let mut out = std::collections::BTreeSet::new();
        for f in files {
            let src = std::fs::read_to_string(&f).unwrap_or_default();
            // Without the inline test module, and without any whitespace, so
            // rustfmt's line breaks (`conflict(\n "code"`) do not hide a code.
            let src = src.split("mod tests {").next().unwrap_or_default();
            let flat: String = src.chars().filter(|c| !c.is_whitespace()).collect();
            for part in flat.split('"').collect::<Vec<_>>().windows(2) {
                let (before, literal) = (part[0], part[1]);
                // After a status: `StatusCode::X, "code"` or `StatusCode::X => ("code"`.
                let after_status = before.rsplit_once("StatusCode::").is_some_and(|(_, t)| {
                    let rest = t.trim_start_matches(|c: char| c.is_ascii_uppercase() || c == '_');
                    rest.len() < t.len() && (rest == "," || rest == "=>(")
                });
                let is_code_position = after_status
                    || before.ends_with("code:")
                    || before.ends_with("conflict(")
                    || before.ends_with("error:");
                // A code is one snake_case word as written (not a sentence whose spaces were removed).
                if is_code_position
                    && !literal.is_empty()
                    && literal.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    && src.contains(&format!("\"{literal}\""))
                {
                    out.insert(literal.to_owned());
                }
            }
        }
        out
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("tests.rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_error_code_the_server_sends_is_one_the_app_translates() {
        let found = codes_in_sources();
        assert!(found.len() >= 20, "the scan found too few codes ({found:?}): its patterns are out of date");
        // Codes written in each style the sources use (one wrapped by rustfmt).
        for known in ["request_quota", "over_capacity", "conflict_of_interest", "timeout", "too_many_clients"] {
            assert!(found.contains(known), "the scan misses {known}: {found:?}");
        }
        let unknown: Vec<_> =
            found.iter().filter(|c| !kairr_shared::api::API_ERROR_CODES.contains(&c.as_str())).collect();
        assert!(unknown.is_empty(), "codes missing from kairr_shared::api::API_ERROR_CODES: {unknown:?}");
    }
}
