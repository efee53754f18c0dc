//! The route table, and the layers every response goes through (sessions,
//! security headers, compression, tracing).

use std::collections::BTreeSet;
use std::path::Path;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Response};
use axum::routing::{delete, get, patch, post, put};
use axum::{middleware, Router};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::first_view::apps::App;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};

use crate::handlers::{
    auth, events, feed, health, history, incidents, notifications, organisations, people, placement, programme,
    provisioning, status, status_ops, subscriptions,
};
use crate::metrics;
use crate::openapi;
use crate::state::AppState;
use crate::static_files;

/// Largest JSON body of an API call (a decision, a review, adjustments, a sign-in).
pub const API_BODY_LIMIT: usize = 64 * 1024;
/// Largest body of a placement (a workload or a workflow of at most a few stages).
pub const PLACEMENT_BODY_LIMIT: usize = 32 * 1024;
/// Largest body of a request submission: its texts (4,000 characters of
/// abstract, up to 4 bytes each) and the attached advisor draft (`MAX_DRAFT_BYTES`).
pub const REQUEST_BODY_LIMIT: usize = 96 * 1024;

/// Every route: the API, feeds, operations endpoints and the front end;
/// sessions kept in `session_store` (the database's own sqlx store).
pub fn build<S: SessionStore + Clone>(state: AppState, session_store: S) -> Router {
    let api = Router::new()
        .route("/v1/status", get(status::get_status))
        .route("/v1/status/history", get(history::get_history))
        .route("/v1/incidents", get(incidents::get_incidents))
        .route("/v1/incidents/{id}", get(incidents::get_incident))
        .route("/v1/maintenance/{id}", get(incidents::get_maintenance))
        .route("/v1/events", get(events::get_events))
        .route("/v1/queues", get(status::get_queues))
        .route("/v1/catalogue", get(placement::get_catalogue))
        .route("/v1/placement", post(placement::post_placement).layer(DefaultBodyLimit::max(PLACEMENT_BODY_LIMIT)))
        .route(
            "/v1/placement/workflow",
            post(placement::post_workflow).layer(DefaultBodyLimit::max(PLACEMENT_BODY_LIMIT)),
        )
        .route("/v1/allocations/public", get(programme::get_public))
        .route("/v1/committee/overview", get(programme::get_overview))
        .route("/v1/committee/proposal", get(programme::get_proposal))
        .route("/v1/committee/export/requests.csv", get(programme::get_requests_csv))
        .route("/v1/committee/requests", get(programme::get_requests))
        .route("/v1/committee/export/reviews.csv", get(programme::get_reviews_csv))
        .route("/v1/committee/export/allocations.csv", get(programme::get_allocations_csv))
        .route("/v1/requests/mine", get(programme::get_mine))
        .route("/v1/rounds", get(programme::get_rounds))
        .route("/v1/organisations", get(organisations::get_organisations))
        .route("/v1/subscriptions/unsubscribe", post(subscriptions::post_unsubscribe))
        .route("/v1/rounds/open", get(programme::get_open_round))
        .route("/v1/reviews/assigned", get(programme::get_assigned))
        .route("/v1/committee/requests/{id}", get(programme::get_request))
        .route("/v1/admin/conflicts", get(programme::get_conflicts))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(|| async { AppError::NotFound("no such API endpoint".into()) });
    let static_dir = state.settings.static_dir.clone();
    let mut front = Router::new();
    if state.first_view.enabled() {
        front = front.route("/", get(crate::first_view::index));
    }
    if state.first_view.renders("/allocations") {
        front = front.route("/allocations", get(crate::first_view::allocations));
    }
    if state.first_view.renders(crate::first_view::COMMITTEE_REQUEST) {
        front = front.route(crate::first_view::COMMITTEE_REQUEST, get(crate::first_view::committee_request_page));
    }
    {
        use crate::subscription_pages as pages;
        // The server's whole pages: their language link's choice is remembered.
        let whole_pages = Router::new()
            .route("/subscribe", get(pages::get_subscribe).post(pages::post_subscribe))
            .route("/subscriptions/confirm", get(pages::get_confirm).post(pages::post_confirm))
            .route("/subscriptions/unsubscribe", get(pages::get_unsubscribe).post(pages::post_unsubscribe_page))
            .route("/incidents/{id}", get(crate::history_pages::incident_page))
            .route("/maintenance/{id}", get(crate::history_pages::maintenance_page))
            .route_layer(middleware::from_fn(crate::whole_page::remember_language));
        front = front.merge(whole_pages);
    }
    // Pages that open with an introduction have it in their first HTML.
    for page in crate::first_view::intro::PAGES {
        if state.first_view.renders(page.path) {
            front = front.route(page.path, get(crate::first_view::intro_page));
        }
    }
    // Every app's pages it does not render itself are its built `index.html`; its assets are its folder.
    for app in App::ALL {
        let dir = static_dir.join(app.dir());
        let index = static_files::file(&dir.join("index.html"));
        for path in app.pages() {
            if !state.first_view.renders(path) {
                front = front.route_service(path, index.clone());
            }
        }
        front = front.nest_service(&app.assets_path(), static_files::service(&dir));
    }
    let front = front
        .route("/index.html", get(crate::whole_page::index_html))
        .fallback_service(static_files::service_or(
            &static_dir,
            axum::handler::Handler::with_state(crate::whole_page::not_found, state.clone()),
        ))
        .layer(middleware::from_fn(static_files::cache_headers));
    let auth_routes = Router::new()
        .route("/v1/committee/requests/{id}/decision", post(programme::post_decision))
        .route("/v1/requests", post(programme::post_request).layer(DefaultBodyLimit::max(REQUEST_BODY_LIMIT)))
        .route("/v1/committee/proposal/adjust", post(programme::post_adjust))
        .route("/v1/committee/proposal/draft", get(programme::get_draft).put(programme::put_draft))
        .route("/v1/committee/proposal/adopt", post(programme::post_adopt))
        .route("/v1/requests/{id}", get(programme::get_own_request))
        .route("/v1/requests/{id}", put(programme::put_own_request).layer(DefaultBodyLimit::max(REQUEST_BODY_LIMIT)))
        .route("/v1/requests/{id}/withdraw", post(programme::post_withdraw))
        .route("/v1/requests/{id}/reviews", post(programme::post_review))
        .route("/v1/requests/{id}/conflict", post(programme::post_conflict))
        .route("/v1/requests/{id}/reviews/mine", put(programme::put_my_review))
        .route("/v1/committee/assignments", get(programme::get_assignments))
        .route("/v1/committee/assignments/auto", post(programme::post_auto_assign))
        .route("/v1/committee/requests/{id}/assignments", post(programme::post_assignment))
        .route("/v1/committee/requests/{id}/assignments/{reviewer}", delete(programme::delete_assignment))
        .route("/v1/admin/rounds", get(programme::get_admin_rounds).post(programme::post_admin_round))
        .route("/v1/admin/rounds/{id}", put(programme::put_admin_round))
        .route("/v1/admin/rounds/{id}/stage", post(programme::post_round_stage))
        .route("/v1/admin/allocations/{id}/period", post(programme::post_allocation_period))
        .route("/v1/admin/provisioning", get(provisioning::get_provisioning))
        .route("/v1/admin/provisioning/run", post(provisioning::post_provisioning_run))
        .route("/v1/admin/provisioning/kubernetes", get(provisioning::get_kubernetes))
        .route("/v1/admin/people", get(people::get_people).post(people::post_person))
        .route("/v1/admin/organisations", post(organisations::post_organisation))
        .route("/v1/admin/organisations/{id}", put(organisations::put_organisation))
        .route("/v1/admin/people/{username}", patch(people::patch_person))
        .route("/v1/admin/people/{username}/invite", post(people::post_person_invite))
        .route("/v1/auth/invite", post(people::post_accept_invite))
        .route("/v1/me/notifications", get(notifications::get_notifications))
        .route("/v1/me/notifications/read", post(notifications::post_read))
        .route("/v1/me/preferences", put(notifications::put_preferences))
        .route("/v1/subscriptions", post(subscriptions::post_subscription))
        .route("/v1/ops/incidents", post(status_ops::post_incident))
        .route("/v1/ops/incidents/{id}/updates", post(status_ops::post_incident_update))
        .route("/v1/ops/maintenance", post(status_ops::post_maintenance))
        .route("/v1/auth/session", get(auth::get_session))
        .route("/v1/auth/login", post(auth::post_login))
        .route("/v1/auth/logout", post(auth::post_logout))
        .route("/v1/auth/oidc/{provider}/start", get(auth::get_oidc_start))
        .route("/v1/auth/oidc/{provider}/callback", get(auth::get_oidc_callback))
        .route_layer(middleware::from_fn_with_state(state.clone(), crate::auth::csrf_guard));
    let sessions = SessionManagerLayer::new(session_store)
        .with_name("kairr_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.settings.cookie_secure)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::hours(8)));
    let csp = content_security_policy(&inline_script_hashes(&state.settings.static_dir));
    let hsts = state.settings.cookie_secure.then_some(HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    Router::new()
        .nest("/api", api.merge(auth_routes).layer(DefaultBodyLimit::max(API_BODY_LIMIT)))
        .route("/feed.atom", get(feed::feed))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .merge(front)
        .layer(sessions)
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .method_not_allowed_fallback(crate::serve::method_not_allowed)
        // URI and header limits, the request timeout, JSON bodies for axum's plain-text errors.
        .layer(middleware::from_fn(crate::serve::guard))
        // Security headers on every response (a handler may set its own first).
        .layer(SetResponseHeaderLayer::if_not_present(CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::if_not_present(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        // HSTS only when served over TLS (`cookie_secure`).
        .layer(SetResponseHeaderLayer::if_not_present(STRICT_TRANSPORT_SECURITY, move |_: &Response<Body>| {
            hsts.clone()
        }))
        .with_state(state)
}

/// The Content-Security-Policy: only the portal's own scripts, styles,
/// images and connections, WebAssembly allowed to compile
/// (`'wasm-unsafe-eval'`), never framed. `script_hashes` are the sources of
/// the inline scripts of the built pages (trunk injects one that loads the
/// wasm), so they run and no other inline script does.
pub fn content_security_policy(script_hashes: &[String]) -> HeaderValue {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for h in script_hashes {
        script_src.push(' ');
        script_src.push_str(h);
    }
    let csp = format!(
        "default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    );
    HeaderValue::from_str(&csp).unwrap_or_else(|_| {
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
    })
}

/// `'sha256-…'` sources of every inline script of the built pages (the
/// `.html` files of `static_dir` and its sub-folders), read once at start-up:
/// rebuild the front end, restart the server.
pub fn inline_script_hashes(static_dir: &Path) -> Vec<String> {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let mut pages = Vec::new();
    let mut dirs = vec![(static_dir.to_path_buf(), 0)];
    while let Some((dir, depth)) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && depth < 2 {
                dirs.push((path, depth + 1));
            } else if path.extension().is_some_and(|e| e == "html") {
                pages.push(path);
            }
        }
    }
    let mut hashes = BTreeSet::new();
    for page in pages {
        let Ok(html) = std::fs::read_to_string(&page) else { continue };
        for script in inline_scripts(&html) {
            // Browsers hash the script text after the HTML parser's newline normalisation.
            let text = script.replace("\r\n", "\n").replace('\r', "\n");
            let digest = Sha256::digest(text.as_bytes());
            hashes.insert(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
    }
    hashes.into_iter().collect()
}

/// The contents of the `<script>` elements of `html` that have no `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    // ASCII lower-casing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<script") {
        let start = pos + found;
        let Some(tag_len) = lower[start..].find('>') else { break };
        let body = start + tag_len + 1;
        let Some(body_len) = lower[body..].find("</script") else { break };
        let tag = &lower[start..body - 1];
        let has_src = tag.split(|c: char| c.is_ascii_whitespace()).any(|a| a == "src" || a.starts_with("src="));
        if !has_src {
            scripts.push(&html[body..body + body_len]);
        }
        pos = body + body_len;
    }
    scripts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What trunk 0.21 writes into a built page (its default initializer).
    const TRUNK_PAGE: &str = "<!DOCTYPE html><html><head>\
<link rel=\"modulepreload\" href=\"/kairr-app-1.js\" crossorigin=\"anonymous\" integrity=\"sha384-x\">\
<script src=\"/other.js\"></script></head><body>\n<SCRIPT type=\"module\">\nimport init, * as bindings from '/kairr-app-1.js';\n\
const wasm = await init({ module_or_path: '/kairr-app-1_bg.wasm' });\n</script></body></html>";

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let s = inline_scripts(TRUNK_PAGE);
        assert_eq!(s.len(), 1);
        assert!(s[0].starts_with("\nimport init"), "{:?}", s[0]);
        assert!(s[0].ends_with("_bg.wasm' });\n"), "{:?}", s[0]);
    }

    #[test]
    fn the_policy_lists_the_hash_of_each_inline_script() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("advisor")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<script>alert(1)</script>").unwrap();
        std::fs::write(dir.path().join("advisor/index.html"), "<script>alert(1)</script><script>x\r\n</script>")
            .unwrap();
        let hashes = inline_script_hashes(dir.path());
        // `printf 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert!(hashes.contains(&"'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='".to_owned()), "{hashes:?}");
        assert_eq!(hashes.len(), 2, "one per distinct script");
        let csp = content_security_policy(&hashes);
        let csp = csp.to_str().unwrap();
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    }
}
