//! Status-page subscriptions over the API: subscribe (e-mail or webhook) and
//! the one-click unsubscribe that mail clients post (RFC 8058). The pages a
//! person uses (`/subscribe`, the confirmation and unsubscribe links) are
//! [`crate::subscription_pages`].

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use kairr_shared::subscriptions::{SubscribeInput, Subscribed, SubscriptionKind};
use serde::Deserialize;

use crate::auth::{address_bucket, ClientAddr, Verdict};
use crate::error::AppError;
use crate::state::AppState;
use crate::subscriptions::{LinkKey, Purpose, SubscriptionView};

/// Subscription requests one client address may make per sign-in window.
const MAX_PER_ADDRESS: u32 = 20;

/// `?token=` of a subscription link.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// From the link in the e-mail, or given when a webhook was subscribed.
    pub token: String,
}

/// What a subscription request became: `Ok(None)` when the address has too
/// many unconfirmed subscriptions already (answered as if sent: who is
/// subscribed is nobody's business).
pub async fn subscribe(
    state: &AppState,
    addr: Option<std::net::IpAddr>,
    input: &SubscribeInput,
) -> Result<Subscribed, AppError> {
    let now = chrono::Utc::now().timestamp();
    let bucket = format!("subscribe:{}", address_bucket(addr));
    if let Verdict::Refused { wait, .. } = state.sign_in.count(&state.storage, &bucket, MAX_PER_ADDRESS, now).await? {
        return Err(AppError::TooManyAttempts(wait));
    }
    let known: Vec<&str> = state.catalogue.systems.iter().map(|s| s.id.as_str()).collect();
    let sub = input.parse(&known, state.settings.webhooks.policy()).map_err(AppError::InvalidInput)?;
    if sub.kind == SubscriptionKind::Email && state.settings.mail.is_none() {
        return Err(AppError::Clash {
            code: "mail_not_configured",
            field: Some("kind"),
            message: "this portal sends no e-mail: subscribe a webhook or use the Atom feed".into(),
        });
    }
    let secret = (sub.kind == SubscriptionKind::Webhook).then(crate::auth::new_token);
    let id = state.storage.subscribe(&sub, secret.as_deref(), now).await?;
    let manage_token = match (sub.kind, id) {
        (SubscriptionKind::Webhook, Some(id)) => Some(LinkKey::of(&state.storage).await?.token(Purpose::Manage, id)),
        _ => None,
    };
    let state_name = if sub.kind == SubscriptionKind::Email { "pending" } else { "active" };
    Ok(Subscribed { kind: sub.kind, state: state_name.into(), secret, manage_token })
}

/// Subscribes an e-mail address (a confirmation link is sent to it; nothing
/// else is until it is opened) or a webhook (active at once; its signing
/// secret and unsubscribe token are in the answer, once) to incidents and
/// maintenance of the chosen systems.
#[utoipa::path(post, path = "/api/v1/subscriptions", tag = "incidents",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    request_body = SubscribeInput,
    responses((status = 202, description = "Pending confirmation (e-mail) or active (webhook)", body = Subscribed),
              (status = 400, description = "Invalid fields (all listed)", body = kairr_shared::api::ApiError),
              (status = 403, description = "No CSRF token", body = kairr_shared::api::ApiError),
              (status = 409, description = "E-mail asked but no mail server is configured", body = kairr_shared::api::ApiError),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError),
              (status = 429, description = "Too many requests from this address", body = kairr_shared::api::ApiError)))]
pub async fn post_subscription(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    body: Result<Json<SubscribeInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Subscribed>), AppError> {
    let Json(input) = body?;
    Ok((StatusCode::ACCEPTED, Json(subscribe(&state, addr, &input).await?)))
}

/// Ends a subscription: the one-click unsubscribe of the e-mails'
/// `List-Unsubscribe` header (RFC 8058), or a webhook's owner with its
/// token. No session or CSRF token: the token is the permission.
#[utoipa::path(post, path = "/api/v1/subscriptions/unsubscribe", tag = "incidents", params(TokenQuery),
    responses((status = 200, description = "Ended (again: nothing changes)", body = SubscriptionView),
              (status = 400, description = "No token", body = kairr_shared::api::ApiError),
              (status = 404, description = "The token names no subscription", body = kairr_shared::api::ApiError)))]
pub async fn post_unsubscribe(
    State(state): State<AppState>,
    q: Result<Query<TokenQuery>, QueryRejection>,
) -> Result<Json<SubscriptionView>, AppError> {
    let Query(q) = q?;
    let id = LinkKey::of(&state.storage)
        .await?
        .check(Purpose::Manage, &q.token)
        .ok_or_else(|| AppError::NotFound("subscription".into()))?;
    let view = state
        .storage
        .unsubscribe(id, chrono::Utc::now().timestamp())
        .await?
        .ok_or_else(|| AppError::NotFound("subscription".into()))?;
    Ok(Json(view))
}
