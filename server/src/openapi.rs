//! The OpenAPI 3 document, generated from the handlers' annotations and the
//! wire types in `kairr_shared::api` (`GET /api/openapi.json`).

use axum::Json;
use utoipa::OpenApi;

use crate::handlers;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "KAIRR portal API", description = "Status of Korea's national AI research compute. Figures marked `source: demo` come from a simulation."),
    paths(
        handlers::status::get_status,
        handlers::history::get_history,
        handlers::incidents::get_incidents,
        handlers::incidents::get_incident,
        handlers::incidents::get_maintenance,
        handlers::events::get_events,
        handlers::status::get_queues,
        handlers::placement::post_placement,
        handlers::placement::post_workflow,
        handlers::placement::get_catalogue,
        handlers::feed::feed,
        handlers::programme::get_public,
        handlers::programme::get_overview,
        handlers::programme::get_proposal,
        handlers::programme::get_requests_csv,
        handlers::programme::get_requests,
        handlers::programme::post_decision,
        handlers::programme::post_request,
        handlers::programme::get_mine,
        handlers::programme::get_own_request,
        handlers::programme::put_own_request,
        handlers::programme::post_withdraw,
        handlers::subscriptions::post_subscription,
        handlers::subscriptions::post_unsubscribe,
        handlers::programme::post_review,
        handlers::programme::put_my_review,
        handlers::programme::get_conflicts,
        handlers::programme::post_adjust,
        handlers::programme::get_reviews_csv,
        handlers::programme::get_allocations_csv,
        handlers::programme::get_rounds,
        handlers::programme::get_open_round,
        handlers::programme::get_assigned,
        handlers::programme::get_request,
        handlers::programme::get_draft,
        handlers::programme::put_draft,
        handlers::programme::post_adopt,
        handlers::programme::get_assignments,
        handlers::programme::post_auto_assign,
        handlers::programme::post_assignment,
        handlers::programme::delete_assignment,
        handlers::programme::post_conflict,
        handlers::programme::get_admin_rounds,
        handlers::programme::post_admin_round,
        handlers::programme::put_admin_round,
        handlers::programme::post_round_stage,
        handlers::programme::post_allocation_period,
        handlers::provisioning::get_provisioning,
        handlers::provisioning::post_provisioning_run,
        handlers::provisioning::get_kubernetes,
        handlers::organisations::get_organisations,
        handlers::organisations::post_organisation,
        handlers::organisations::put_organisation,
        handlers::people::get_people,
        handlers::people::post_person,
        handlers::people::patch_person,
        handlers::people::post_person_invite,
        handlers::people::post_accept_invite,
        handlers::auth::get_session,
        handlers::auth::post_login,
        handlers::auth::post_logout,
        handlers::auth::get_oidc_start,
        handlers::auth::get_oidc_callback,
        handlers::notifications::get_notifications,
        handlers::notifications::post_read,
        handlers::notifications::put_preferences,
        handlers::status_ops::post_incident,
        handlers::status_ops::post_incident_update,
        handlers::status_ops::post_maintenance,
        handlers::health::healthz,
        handlers::health::metrics,
        crate::first_view::index,
        crate::first_view::allocations,
        crate::history_pages::incident_page,
        crate::whole_page::index_html,
        crate::history_pages::maintenance_page,
        crate::subscription_pages::get_subscribe,
        crate::subscription_pages::post_subscribe,
        crate::subscription_pages::get_confirm,
        crate::subscription_pages::post_confirm,
        crate::subscription_pages::get_unsubscribe,
        crate::subscription_pages::post_unsubscribe_page,
    ),
    components(schemas(
        kairr_shared::api::StatusSummary,
        kairr_shared::api::SystemStatus,
        kairr_shared::api::PoolStatus,
        kairr_shared::api::GpuCounts,
        kairr_shared::api::StatusHistory,
        kairr_shared::api::DailyUptime,
        kairr_shared::api::SeriesPoint,
        kairr_shared::api::IncidentsResponse,
        kairr_shared::api::Incident,
        kairr_shared::api::IncidentUpdate,
        kairr_shared::api::Maintenance,
        kairr_shared::api::ApiError,
        kairr_shared::api::Health,
        kairr_shared::api::QueuesResponse,
        kairr_shared::advisor::FieldError,
        kairr_shared::auth::SessionInfo,
        kairr_shared::auth::UserInfo,
        kairr_shared::auth::Role,
        kairr_shared::auth::LoginRequest,
        crate::replica::ProgrammeEvent,
        crate::replica::ProgrammeChange,
    )),
    tags((name = "status"), (name = "incidents"), (name = "placement"), (name = "allocation"), (name = "administration"), (name = "auth"), (name = "notifications"), (name = "operations")),
    modifiers(&SessionCookie)
)]
pub struct ApiDoc;

/// Declares the `session` security scheme (the `kairr_session` cookie) that
/// protected operations name; the scopes list the roles allowed.
pub struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components
            .add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("kairr_session"))));
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
