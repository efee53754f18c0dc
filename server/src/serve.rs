//! Serving connections, and the HTTP-level guards every request passes.
//!
//! - [`serve`]: hyper's connection builder with a header-read timeout, so a
//!   client that never finishes its request head is disconnected (axum's own
//!   `serve` sets no timer, and such connections stayed open forever).
//! - [`guard`]: URI and header size limits (414 and 431), a time limit on
//!   every request but the SSE stream (503), and JSON `ApiError` bodies for
//!   the errors axum's extractors and routing answer in plain text or empty
//!   (400 for a repeated query parameter, 405, 413, 415, 422).

use std::future::Future;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use kairr_shared::api::ApiError;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client may take to send a request's head (request line and headers).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request may take, SSE excepted.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest request target (path and query) accepted, bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The most header bytes (names and values) accepted. hyper itself refuses
/// a request head over about 400 KiB or with more than 100 headers, with an
/// empty 431 that cannot be customised; below that, this limit answers JSON.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The path not under the request timeout (a stream that lasts).
const SSE_PATH: &str = "/api/v1/events";

/// How connections are served.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    pub header_read_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions { header_read_timeout: HEADER_READ_TIMEOUT }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops
/// accepting and waits for open connections to finish (as `axum::serve`'s
/// graceful shutdown does). Each request carries `ConnectInfo<SocketAddr>`.
/// HTTP/1.1 without upgrades, as before (the portal uses no WebSocket).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: ServeOptions,
) -> std::io::Result<()> {
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(options.header_read_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: wait, as axum::serve does.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router.clone().map_request(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            req.map(Body::new)
        });
        let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection closed with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// An `ApiError` answer.
fn api_error(status: StatusCode, error: &str, field: Option<&str>, message: String) -> Response {
    let body = ApiError { error: error.to_owned(), field: field.map(str::to_owned), message, fields: Vec::new() };
    (status, Json(body)).into_response()
}

/// The 405 answer (the router's method-not-allowed fallback; axum adds `Allow`).
pub async fn method_not_allowed() -> Response {
    api_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None, "this method is not allowed here".into())
}

/// Size limits, the request timeout and JSON error bodies (see the module doc).
pub async fn guard(req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return api_error(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            Some("uri"),
            format!("the request target is longer than {MAX_URI_BYTES} bytes"),
        );
    }
    let header_bytes: usize = req.headers().iter().map(|(k, v)| k.as_str().len() + v.len()).sum();
    if header_bytes > MAX_HEADER_BYTES {
        return api_error(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            Some("headers"),
            format!("the request headers are larger than {MAX_HEADER_BYTES} bytes"),
        );
    }
    let res = if req.uri().path() == SSE_PATH {
        next.run(req).await
    } else {
        match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
            Ok(res) => res,
            Err(_) => {
                let mut res = api_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "timeout",
                    None,
                    format!("the request took longer than {} s", REQUEST_TIMEOUT.as_secs()),
                );
                res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                return res;
            }
        }
    };
    json_error_body(res).await
}

/// Rewrites a plain-text or empty error answer from axum's extractors and
/// routing into the `ApiError` JSON body, keeping the status and headers.
async fn json_error_body(res: Response) -> Response {
    let status = res.status();
    let (code, field) = match status {
        StatusCode::BAD_REQUEST => ("invalid_parameter", Some("query")),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", None),
        StatusCode::PAYLOAD_TOO_LARGE => ("body_too_large", Some("body")),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", Some("Content-Type")),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid_body", Some("body")),
        _ => return res,
    };
    // JSON already, or a page the server rendered (the subscription forms answer 400 with the form).
    let is_json_or_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.contains("+json") || v.starts_with("text/html"));
    if is_json_or_page {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // The rejection texts are short; anything longer is cut.
    let text = axum::body::to_bytes(body, 4 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    let message = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_lowercase() } else { text };
    let body = ApiError { error: code.to_owned(), field: field.map(str::to_owned), message, fields: Vec::new() };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_client_that_never_finishes_its_headers_is_disconnected() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let options = ServeOptions { header_read_timeout: Duration::from_millis(500) };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app, async move { drop(stopped.await) }, options));

        // A complete request is answered.
        let mut ok = tokio::net::TcpStream::connect(addr).await.unwrap();
        ok.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
        let mut answer = String::new();
        ok.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"), "{answer}");

        // A partial request line, never finished: closed once the timeout runs out.
        let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HT").await.unwrap();
        let started = std::time::Instant::now();
        let mut buf = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "the connection must be closed by the server");
        assert!(started.elapsed() >= Duration::from_millis(400), "not before the timeout");
        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(5), server).await.unwrap().unwrap().unwrap();
    }
}
