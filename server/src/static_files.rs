//! Serving the built front end: files from `static_dir` (under an app's
//! folder, its `index.html` for any other path there; at the root, the
//! server's 404 page), precompressed when the
//! build left `.br`/`.gz` siblings, with cache headers: content-hashed
//! assets are immutable, everything else revalidates.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

/// The service for `dir`, falling back to its `index.html`. A file's
/// precompressed sibling (`.br`, `.gz`, written by the build) is sent when the
/// client accepts it, so the wasm is not compressed again on every request.
pub fn service(dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(file(&dir.join("index.html")))
}

/// The files of `dir` like [`service`], and `otherwise` for a path that is
/// none of them (the site's root: a 404 page, not an app's shell).
pub fn service_or<F>(dir: &Path, otherwise: F) -> ServeDir<F> {
    ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(otherwise)
}

/// One file, with its precompressed siblings like [`service`].
pub fn file(path: &Path) -> ServeFile {
    ServeFile::new(path).precompressed_br().precompressed_gzip()
}

/// True for trunk's hashed file names such as `kairr-app-1a2b3c4d5e6f7a8b_bg.wasm`.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split(['-', '_', '.']).any(|part| part.len() >= 16 && part.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Adds `Cache-Control` (and `Vary: accept-encoding`) to static responses.
pub async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if hashed && !is_html && res.status().is_success() {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    } else if !res.headers().contains_key(header::CACHE_CONTROL) {
        // A page that said how it may be kept keeps it (`no-store` on the
        // subscription pages, which show a webhook's secret once).
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    // The body depends on Accept-Encoding (a precompressed sibling or not):
    // shared caches must keep one copy per encoding.
    if !res.headers().contains_key(header::VARY) {
        res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("/kairr-app-9f86d081884c7d65_bg.wasm"));
        assert!(is_hashed("/main-9f86d081884c7d65.css"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/favicon.svg"));
    }
}
