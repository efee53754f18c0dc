//! The route table.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{middleware, Router};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeFile;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};

use crate::handlers::{auth, events, feed, health, history, incidents, placement, programme, status};
use crate::metrics;
use crate::openapi;
use crate::state::AppState;
use crate::static_files;

/// Every route: the API, feeds, operations endpoints and the front end;
/// sessions kept in `session_store` (the database's own sqlx store).
pub fn build<S: SessionStore + Clone>(state: AppState, session_store: S) -> Router {
    let api = Router::new()
        .route("/v1/status", get(status::get_status))
        .route("/v1/status/history", get(history::get_history))
        .route("/v1/incidents", get(incidents::get_incidents))
        .route("/v1/events", get(events::get_events))
        .route("/v1/queues", get(status::get_queues))
        .route("/v1/catalogue", get(placement::get_catalogue))
        .route("/v1/placement", post(placement::post_placement))
        .route("/v1/placement/workflow", post(placement::post_workflow))
        .route("/v1/allocations/public", get(programme::get_public))
        .route("/v1/committee/overview", get(programme::get_overview))
        .route("/v1/committee/proposal", get(programme::get_proposal))
        .route("/v1/committee/export/requests.csv", get(programme::get_requests_csv))
        .route("/v1/committee/requests", get(programme::get_requests))
        .route("/v1/committee/export/reviews.csv", get(programme::get_reviews_csv))
        .route("/v1/committee/export/allocations.csv", get(programme::get_allocations_csv))
        .route("/v1/requests/mine", get(programme::get_mine))
        .route("/v1/rounds/open", get(programme::get_open_round))
        .route("/v1/reviews/assigned", get(programme::get_assigned))
        .route("/v1/committee/requests/{id}", get(programme::get_request))
        .route("/v1/admin/conflicts", get(programme::get_conflicts))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(|| async { AppError::NotFound("no such API endpoint".into()) });
    let static_dir = state.settings.static_dir.clone();
    let programme_index = ServeFile::new(static_dir.join("programme").join("index.html"));
    let mut front = Router::new();
    for path in ["/allocations", "/login", "/committee", "/committee/{*rest}", "/requests/{*rest}", "/reviews"] {
        front = front.route_service(path, programme_index.clone());
    }
    let front = front
        .nest_service("/programme", static_files::service(&static_dir.join("programme")))
        .nest_service("/advisor", static_files::service(&static_dir.join("advisor")))
        .fallback_service(static_files::service(&static_dir))
        .layer(middleware::from_fn(static_files::cache_headers));
    let auth_routes = Router::new()
        .route("/v1/committee/requests/{id}/decision", post(programme::post_decision))
        .route("/v1/requests", post(programme::post_request))
        .route("/v1/committee/proposal/adjust", post(programme::post_adjust))
        .route("/v1/requests/{id}/reviews", post(programme::post_review))
        .route("/v1/auth/session", get(auth::get_session))
        .route("/v1/auth/login", post(auth::post_login))
        .route("/v1/auth/logout", post(auth::post_logout))
        .route_layer(middleware::from_fn(crate::auth::csrf_guard));
    let sessions = SessionManagerLayer::new(session_store)
        .with_name("kairr_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.settings.cookie_secure)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::hours(8)));
    Router::new()
        .nest("/api", api.merge(auth_routes))
        .route("/feed.atom", get(feed::feed))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .merge(front)
        .layer(sessions)
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .method_not_allowed_fallback(|| async { (StatusCode::METHOD_NOT_ALLOWED, "method not allowed") })
        .with_state(state)
}
