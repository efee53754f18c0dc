//! The subscription pages, rendered on the server as plain HTML forms: they
//! work without JavaScript (and without downloading an app), from any mail
//! client's browser. `/subscribe` (e-mail or webhook, chosen systems, the
//! e-mails' language), `/subscriptions/confirm?token=` and
//! `/subscriptions/unsubscribe?token=`: a link only shows a button, so a
//! mail scanner that opens links confirms or ends nothing; the button does.
//! The language is `?lang=`, else the portal's language cookie.

use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use kairr_shared::advisor::field_error::FieldErrors;
use kairr_shared::i18n::Locale;
use kairr_shared::subscriptions::{SubscribeInput, Subscribed, SubscriptionKind};
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::{csrf_cookie, csrf_cookie_nonce, same_token, set_cookie, ClientAddr};
use crate::error::AppError;
use crate::state::AppState;
use crate::subscriptions::{LinkKey, Purpose, SubscriptionView};
use crate::whole_page::{page, Visitor};

/// The class of these pages' `<main>`.
const SUBSCRIPTION: &str = "subscription-page";

/// `?lang=` and `?token=` of the pages.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `ko` or `en` (default: the `kairr_locale` cookie, else Korean).
    #[serde(default)]
    pub lang: Option<String>,
    /// The link's token (confirmation and unsubscribe pages).
    #[serde(default)]
    pub token: Option<String>,
}

/// The subscription form as posted (`systems` repeated).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SubscribeForm {
    /// `email` or `webhook`.
    pub kind: String,
    pub target: String,
    pub systems: Vec<String>,
    pub locale: String,
    /// The anonymous CSRF token the form page put in its hidden field.
    pub csrf: String,
}

/// Korean or English text.
use crate::whole_page::pick as s;

fn locale(q: &PageQuery, headers: &HeaderMap) -> Locale {
    crate::whole_page::locale(q.lang.as_deref(), headers)
}

fn respond(status: StatusCode, markup: Markup, cookie: Option<axum::http::HeaderValue>) -> Response {
    let mut response = (status, Html(markup.into_string())).into_response();
    let headers = response.headers_mut();
    for (name, value) in set_cookie(cookie) {
        headers.append(name, value);
    }
    headers.insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response
}

/// The form's values, as posted (systems repeated).
#[derive(Debug, Default)]
struct Posted {
    input: SubscribeInput,
    csrf: String,
}

fn posted(pairs: Vec<(String, String)>) -> Posted {
    let mut p = Posted::default();
    for (k, v) in pairs {
        match k.as_str() {
            "kind" => p.input.kind = v,
            "target" => p.input.target = v,
            "systems" => p.input.systems.push(v),
            "locale" => p.input.locale = v,
            "csrf" => p.csrf = v,
            _ => {}
        }
    }
    p
}

/// The subscription form, with `input` as entered and `errors` at their fields.
fn form(state: &AppState, loc: Locale, csrf: &str, input: &SubscribeInput, errors: &FieldErrors) -> Markup {
    let error = |field: &str| errors.get(field).map(|e| loc.pick(&e.message_ko, &e.message_en).to_owned());
    let kind = if input.kind.is_empty() { "email" } else { input.kind.as_str() };
    let chosen_locale = if input.locale.is_empty() { loc.tag() } else { input.locale.as_str() };
    let invalid = |field: &str| if errors.get(field).is_some() { "true" } else { "false" };
    html! {
        p { (s(loc,
            "장애가 나거나 점검이 예정되면 알려 드립니다. 전자우편은 확인 링크를 연 뒤부터 받고, 모든 메일에 한 번에 구독을 끊는 링크가 있습니다. 웹훅은 서명된 JSON으로 보내며 실패하면 다시 보냅니다.",
            "Be told when an incident starts, changes or ends, and when maintenance is scheduled. E-mail starts once you open the confirmation link, and every e-mail has a one-click unsubscribe link. Webhooks receive signed JSON, retried when they fail.")) }
        @if !errors.is_empty() {
            div.notice.notice-warning role="alert" data-testid="subscribe-errors" {
                p { (s(loc, "입력을 확인해 주세요.", "Please check the form.")) }
            }
        }
        form.subscribe-form method="post" action={ "/subscribe?lang=" (loc.tag()) } data-testid="subscribe-form" novalidate {
            input type="hidden" name="csrf" value=(csrf);
            fieldset.field {
                legend { (s(loc, "받는 방법", "How")) }
                label.radio { input type="radio" name="kind" value="email" checked[kind == "email"]; " " (s(loc, "전자우편", "E-mail")) }
                label.radio { input type="radio" name="kind" value="webhook" checked[kind == "webhook"]; " " (s(loc, "웹훅 (HTTPS)", "Webhook (HTTPS)")) }
                @if let Some(e) = error("kind") { p.field-error { (e) } }
            }
            div.field {
                label for="sub-target" { (s(loc, "전자우편 주소 또는 웹훅 주소(https://)", "E-mail address or webhook address (https://)")) }
                input #sub-target type="text" name="target" value=(input.target) autocomplete="email" required
                    aria-invalid=(invalid("target")) aria-describedby="sub-target-error" data-testid="subscribe-target";
                p #sub-target-error .field-error { @if let Some(e) = error("target") { (e) } }
            }
            fieldset.field {
                legend { (s(loc, "시스템 (고르지 않으면 전체)", "Systems (none chosen: every system)")) }
                @for sys in &state.catalogue.systems {
                    label.radio {
                        input type="checkbox" name="systems" value=(sys.id) checked[input.systems.contains(&sys.id)];
                        " " (loc.pick(&sys.name_ko, &sys.name_en))
                    }
                }
                @if let Some(e) = error("systems") { p.field-error { (e) } }
            }
            div.field {
                label for="sub-locale" { (s(loc, "메일 언어", "Language of the e-mails")) }
                select #sub-locale name="locale" {
                    option value="ko" selected[chosen_locale == "ko"] { "한국어" }
                    option value="en" selected[chosen_locale == "en"] { "English" }
                }
            }
            button.button type="submit" data-testid="subscribe-submit" { (s(loc, "구독하기", "Subscribe")) }
        }
    }
}

/// A CSRF nonce for this caller (theirs, or a new one with its cookie).
fn nonce(state: &AppState, headers: &HeaderMap) -> (String, Option<axum::http::HeaderValue>) {
    match csrf_cookie_nonce(headers) {
        Some(n) => (n, None),
        None => {
            let n = crate::auth::new_token();
            let cookie = csrf_cookie(&n, state.settings.cookie_secure);
            (n, cookie)
        }
    }
}

/// `GET /subscribe`.
#[utoipa::path(get, path = "/subscribe", tag = "pages", params(PageQuery),
    responses((status = 200, description = "The subscription form (plain HTML, no script)", content_type = "text/html"),
              (status = 400, description = "A query parameter does not parse", body = kairr_shared::api::ApiError)))]
pub async fn get_subscribe(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Response {
    let loc = locale(&q, &headers);
    let (nonce, cookie) = nonce(&state, &headers);
    let title = s(loc, "장애·점검 알림 구독", "Subscribe to incident and maintenance notices");
    let body = form(&state, loc, &state.csrf.token_for(&nonce), &SubscribeInput::default(), &FieldErrors::default());
    respond(StatusCode::OK, page(&state, loc, &visitor, title, "/subscribe", SUBSCRIPTION, body), cookie)
}

/// `POST /subscribe` (the form).
#[utoipa::path(post, path = "/subscribe", tag = "pages", params(PageQuery),
    request_body(content = SubscribeForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Subscribed (pending confirmation, or a webhook's secret shown once)", content_type = "text/html"),
              (status = 400, description = "The form again, every invalid field named", content_type = "text/html"),
              (status = 403, description = "The form's CSRF token is missing or stale: the form again", content_type = "text/html"),
              (status = 409, description = "E-mail asked but no mail server is configured", content_type = "text/html"),
              (status = 413, description = "Body too large", body = kairr_shared::api::ApiError),
              (status = 429, description = "Too many requests from this address", content_type = "text/html"),
              (status = 500, description = "Could not be stored", content_type = "text/html")))]
pub async fn post_subscribe(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    visitor: Visitor,
    body: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let loc = locale(&q, &headers);
    let title = s(loc, "장애·점검 알림 구독", "Subscribe to incident and maintenance notices");
    let Posted { mut input, csrf } = body.map(|Form(pairs)| posted(pairs)).unwrap_or_default();
    let nonce = csrf_cookie_nonce(&headers);
    let fresh = nonce.as_deref().is_some_and(|n| same_token(&csrf, &state.csrf.token_for(n)));
    if input.locale.is_empty() {
        input.locale = loc.tag().into();
    }
    let (nonce, cookie) = self::nonce(&state, &headers);
    let token = state.csrf.token_for(&nonce);
    if !fresh {
        let main = html! {
            p.notice.notice-warning role="alert" { (s(loc, "양식이 만료되었습니다. 다시 보내 주세요.", "The form expired. Please send it again.")) }
            (form(&state, loc, &token, &input, &FieldErrors::default()))
        };
        return respond(
            StatusCode::FORBIDDEN,
            page(&state, loc, &visitor, title, "/subscribe", SUBSCRIPTION, main),
            cookie,
        );
    }
    match crate::handlers::subscriptions::subscribe(&state, addr, &input).await {
        Ok(done) => respond(
            StatusCode::OK,
            page(&state, loc, &visitor, title, "/subscribe", SUBSCRIPTION, subscribed(loc, &input, &done)),
            cookie,
        ),
        Err(AppError::InvalidInput(errors)) => respond(
            StatusCode::BAD_REQUEST,
            page(&state, loc, &visitor, title, "/subscribe", SUBSCRIPTION, form(&state, loc, &token, &input, &errors)),
            cookie,
        ),
        Err(e) => {
            let (status, message) = match &e {
                AppError::TooManyAttempts(_) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    s(
                        loc,
                        "요청이 너무 많습니다. 잠시 뒤에 다시 해 주세요.",
                        "Too many requests. Please try again later.",
                    ),
                ),
                AppError::Clash { .. } => (
                    StatusCode::CONFLICT,
                    s(
                        loc,
                        "이 포털은 전자우편을 보내지 않습니다. 웹훅이나 Atom 피드를 쓰세요.",
                        "This portal sends no e-mail: use a webhook or the Atom feed.",
                    ),
                ),
                _ => {
                    tracing::error!(error = %e, "subscription not stored");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        s(
                            loc,
                            "저장하지 못했습니다. 잠시 뒤에 다시 해 주세요.",
                            "Could not store it. Please try again later.",
                        ),
                    )
                }
            };
            let main = html! {
                p.notice.notice-warning role="alert" { (message) }
                (form(&state, loc, &token, &input, &FieldErrors::default()))
            };
            respond(status, page(&state, loc, &visitor, title, "/subscribe", SUBSCRIPTION, main), cookie)
        }
    }
}

/// What was done: the e-mail to look for, or the webhook's secret and token (once).
fn subscribed(loc: Locale, input: &SubscribeInput, done: &Subscribed) -> Markup {
    match done.kind {
        SubscriptionKind::Email => html! {
            p.notice role="status" data-testid="subscribe-pending" {
                (s(loc, "확인 메일을 보냈습니다. 메일의 링크를 열어 구독을 확인하면 알림이 시작됩니다. 이미 확인을 기다리는 구독이 여럿이면 메일을 더 보내지 않습니다.",
                       "We sent a confirmation e-mail. Open its link to confirm; notices start then. If the address already has several unconfirmed subscriptions, no more e-mail is sent."))
            }
        },
        SubscriptionKind::Webhook => html! {
            p.notice role="status" data-testid="subscribe-active" { (s(loc, "웹훅 구독이 시작되었습니다.", "The webhook subscription is active.")) }
            p { (s(loc, "아래 두 값은 지금 한 번만 보여 드립니다. 안전한 곳에 적어 두세요.", "The two values below are shown this once: keep them somewhere safe.")) }
            dl.facts {
                dt { (s(loc, "주소", "Address")) } dd { code { (input.target) } }
                dt { (s(loc, "서명 키", "Signing secret")) } dd { code data-testid="webhook-secret" { (done.secret.clone().unwrap_or_default()) } }
                dt { (s(loc, "구독 해지 토큰", "Unsubscribe token")) } dd { code data-testid="webhook-token" { (done.manage_token.clone().unwrap_or_default()) } }
            }
            p { (s(loc,
                "요청마다 X-KAIRR-Signature 헤더(t=시각,v1=서명)가 붙습니다. v1은 서명 키로 계산한 \"t.본문\"의 HMAC-SHA256(16진수)입니다. 2xx가 아니면 다시 보내며, 410을 돌려주면 구독이 끝납니다. 끊으려면 POST /api/v1/subscriptions/unsubscribe?token=구독 해지 토큰.",
                "Each request carries X-KAIRR-Signature: t=<time>,v1=<signature>, where v1 is the hex HMAC-SHA256 of \"t.body\" under the signing secret. Anything but a 2xx is retried; answering 410 ends the subscription. To end it: POST /api/v1/subscriptions/unsubscribe?token=<unsubscribe token>.")) }
        },
    }
}

/// A link's page: the button that does it, or that the link is not valid.
fn link_page(
    state: &AppState,
    loc: Locale,
    visitor: &Visitor,
    purpose: Purpose,
    token: &str,
    view: Option<&SubscriptionView>,
    done: bool,
) -> (StatusCode, Markup) {
    let (title, path) = match purpose {
        Purpose::Confirm => (s(loc, "구독 확인", "Confirm the subscription"), "/subscriptions/confirm"),
        Purpose::Manage => (s(loc, "구독 해지", "Unsubscribe"), "/subscriptions/unsubscribe"),
    };
    let here = format!("{path}?token={token}");
    let Some(view) = view else {
        let main = html! {
            p.notice.notice-warning role="alert" data-testid="link-invalid" {
                (s(loc, "이 링크는 올바르지 않습니다. 메일에 있는 주소 전체를 열어 주세요.", "This link is not valid. Please open the whole address from the e-mail."))
            }
        };
        return (StatusCode::NOT_FOUND, page(state, loc, visitor, title, &here, SUBSCRIPTION, main));
    };
    let systems = if view.systems.is_empty() {
        s(loc, "모든 시스템", "every system").to_owned()
    } else {
        view.systems.join(", ")
    };
    let facts = html! {
        dl.facts {
            dt { (s(loc, "받는 곳", "Sent to")) } dd data-testid="link-target" { (view.target) }
            dt { (s(loc, "시스템", "Systems")) } dd { (systems) }
        }
    };
    let state_text = match (view.state.as_str(), purpose) {
        ("active", Purpose::Confirm) if done => Some(s(
            loc,
            "구독이 확인되었습니다. 이제부터 장애와 점검을 알려 드립니다.",
            "Confirmed. You will be told of incidents and maintenance from now on.",
        )),
        ("active", Purpose::Confirm) => {
            Some(s(loc, "이미 확인된 구독입니다.", "This subscription is already confirmed."))
        }
        ("unsubscribed", _) => Some(s(
            loc,
            "구독이 해지되었습니다. 더 이상 알림을 보내지 않습니다.",
            "Unsubscribed. No more notices will be sent.",
        )),
        _ => None,
    };
    let main = html! {
        (facts)
        @if let Some(text) = state_text {
            p.notice role="status" data-testid="link-done" { (text) }
        } @else {
            form method="post" action={ (here) "&lang=" (loc.tag()) } {
                button.button type="submit" data-testid="link-button" {
                    (match purpose { Purpose::Confirm => s(loc, "구독을 확인합니다", "Confirm"), Purpose::Manage => s(loc, "구독을 해지합니다", "Unsubscribe") })
                }
            }
        }
    };
    (StatusCode::OK, page(state, loc, visitor, title, &here, SUBSCRIPTION, main))
}

async fn link(
    state: &AppState,
    q: &PageQuery,
    headers: &HeaderMap,
    visitor: &Visitor,
    purpose: Purpose,
    act: bool,
) -> Response {
    let loc = locale(q, headers);
    let token = q.token.clone().unwrap_or_default();
    let render = |view: Option<SubscriptionView>, done: bool| {
        let (status, markup) = link_page(state, loc, visitor, purpose, &token, view.as_ref(), done);
        respond(status, markup, None)
    };
    let key = match LinkKey::of(&state.storage).await {
        Ok(k) => k,
        Err(e) => return AppError::Internal(e).into_response(),
    };
    let Some(id) = key.check(purpose, &token) else { return render(None, false) };
    let now = chrono::Utc::now().timestamp();
    let view = match (purpose, act) {
        (_, false) => state.storage.subscription(id).await,
        (Purpose::Confirm, true) => state.storage.confirm_subscription(id, now).await,
        (Purpose::Manage, true) => state.storage.unsubscribe(id, now).await,
    };
    match view {
        Ok(v) => render(v, act),
        Err(e) => AppError::Internal(e).into_response(),
    }
}

/// `GET /subscriptions/confirm?token=`: the button.
#[utoipa::path(get, path = "/subscriptions/confirm", tag = "pages", params(PageQuery),
    responses((status = 200, description = "The subscription and the button that confirms it", content_type = "text/html"),
              (status = 400, description = "A query parameter does not parse", body = kairr_shared::api::ApiError),
              (status = 404, description = "The link is not valid", content_type = "text/html")))]
pub async fn get_confirm(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Response {
    link(&state, &q, &headers, &visitor, Purpose::Confirm, false).await
}

/// `POST /subscriptions/confirm?token=`: confirms.
#[utoipa::path(post, path = "/subscriptions/confirm", tag = "pages", params(PageQuery),
    responses((status = 200, description = "Confirmed (again: nothing changes)", content_type = "text/html"),
              (status = 400, description = "A query parameter does not parse", body = kairr_shared::api::ApiError),
              (status = 404, description = "The link is not valid", content_type = "text/html")))]
pub async fn post_confirm(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Response {
    link(&state, &q, &headers, &visitor, Purpose::Confirm, true).await
}

/// `GET /subscriptions/unsubscribe?token=`: the button.
#[utoipa::path(get, path = "/subscriptions/unsubscribe", tag = "pages", params(PageQuery),
    responses((status = 200, description = "The subscription and the button that ends it", content_type = "text/html"),
              (status = 400, description = "A query parameter does not parse", body = kairr_shared::api::ApiError),
              (status = 404, description = "The link is not valid", content_type = "text/html")))]
pub async fn get_unsubscribe(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Response {
    link(&state, &q, &headers, &visitor, Purpose::Manage, false).await
}

/// `POST /subscriptions/unsubscribe?token=`: ends it (also the e-mails'
/// one-click `List-Unsubscribe-Post`, RFC 8058: no session needed).
#[utoipa::path(post, path = "/subscriptions/unsubscribe", tag = "pages", params(PageQuery),
    responses((status = 200, description = "Unsubscribed (again: nothing changes)", content_type = "text/html"),
              (status = 400, description = "A query parameter does not parse", body = kairr_shared::api::ApiError),
              (status = 404, description = "The link is not valid", content_type = "text/html")))]
pub async fn post_unsubscribe_page(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Response {
    link(&state, &q, &headers, &visitor, Purpose::Manage, true).await
}
