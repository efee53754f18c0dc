//! The permalinks of the status history: `/incidents/{id}` (one incident
//! with every update) and `/maintenance/{id}` (one maintenance window),
//! rendered whole on the server (`crate::whole_page`), so a link in an
//! e-mail, a chat or the Atom feed opens in any browser without the app.
//! The status page links each incident and window here; the data is what
//! `GET /api/v1/incidents/{id}` and `GET /api/v1/maintenance/{id}` answer.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use kairr_shared::api::{Incident, Maintenance};
use kairr_shared::display::format::{duration, thousands};
use kairr_shared::display::labels;
use kairr_shared::i18n::{tfs, ts, Locale};
use maud::{html, Markup};
use serde::Deserialize;

use crate::first_view::frame;
use crate::handlers::incidents;
use crate::state::AppState;
use crate::whole_page::{page, pick, Visitor};

/// `?lang=` of the pages.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// `ko` or `en` (default: the `kairr_locale` cookie, else Korean).
    #[serde(default)]
    pub lang: Option<String>,
}

/// The class of these pages' `<main>`.
const CLASS: &str = "history-page";

/// `GET /incidents/{id}`: one incident, its impact, system, times and every update.
#[utoipa::path(get, path = "/incidents/{id}", tag = "pages",
    params(("id" = String, Path, description = "The incident's id"), LangQuery),
    responses((status = 200, description = "The incident's page", content_type = "text/html"),
              (status = 404, description = "No incident has this id: a page that says so", content_type = "text/html")))]
pub async fn incident_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    uri: Uri,
    headers: HeaderMap,
    visitor: Visitor,
) -> Response {
    let loc = crate::whole_page::locale(q.lang.as_deref(), &headers);
    let found = incidents::incident(&state, &id)
        .await
        .map(|found| found.map(|i| (loc.pick(&i.title_ko, &i.title_en).to_owned(), incident(&state, loc, &i))));
    answer(&state, loc, &visitor, uri.path(), found, pick(loc, "장애 기록을 찾을 수 없습니다", "Incident not found"))
}

/// `GET /maintenance/{id}`: one maintenance window, its state as of now.
#[utoipa::path(get, path = "/maintenance/{id}", tag = "pages",
    params(("id" = String, Path, description = "The maintenance window's id"), LangQuery),
    responses((status = 200, description = "The maintenance window's page", content_type = "text/html"),
              (status = 404, description = "No maintenance window has this id: a page that says so", content_type = "text/html")))]
pub async fn maintenance_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    uri: Uri,
    headers: HeaderMap,
    visitor: Visitor,
) -> Response {
    let loc = crate::whole_page::locale(q.lang.as_deref(), &headers);
    let found = incidents::maintenance(&state, &id)
        .await
        .map(|found| found.map(|m| (loc.pick(&m.title_ko, &m.title_en).to_owned(), maintenance(&state, loc, &m))));
    answer(
        &state,
        loc,
        &visitor,
        uri.path(),
        found,
        pick(loc, "점검 기록을 찾을 수 없습니다", "Maintenance window not found"),
    )
}

/// The page at `here`: the record's title and body when `found`, else a 404
/// page titled `missing`, or a 503 page when the record could not be read.
fn answer(
    state: &AppState,
    loc: Locale,
    visitor: &Visitor,
    here: &str,
    found: Result<Option<(String, Markup)>, crate::error::AppError>,
    missing: &str,
) -> Response {
    match found {
        Ok(Some((title, body))) => respond(StatusCode::OK, page(state, loc, visitor, &title, here, CLASS, body)),
        Ok(None) => not_found(state, loc, visitor, here, missing),
        Err(e) => unavailable(state, loc, visitor, e),
    }
}

/// The system's and the pool's names as the status page writes them (the ids if the catalogue has neither).
fn where_(state: &AppState, loc: Locale, system_id: &str, pool_id: &str) -> String {
    if let Some((ko, en)) = state.catalogue.pool_names(pool_id) {
        return loc.pick(&ko, &en).to_owned();
    }
    state
        .catalogue
        .system(system_id)
        .map_or_else(|| system_id.to_owned(), |s| loc.pick(&s.name_ko, &s.name_en).to_owned())
}

/// Seconds from `from` to `to` (0 if `to` is earlier).
fn seconds(from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
    u64::try_from((to - from).num_seconds()).unwrap_or(0)
}

fn incident(state: &AppState, loc: Locale, i: &Incident) -> Markup {
    let now = Utc::now();
    let lasted = seconds(i.started_at, i.resolved_at.unwrap_or(now));
    html! {
        article class={ "incident history-item impact-" (i.impact.as_str()) } data-testid="incident-page"
            data-incident-id=(i.id) data-state=(i.state.as_str()) {
            p.incident-meta {
                (frame::badge(loc, i.impact, "incident-impact"))
                span { (where_(state, loc, &i.system_id, &i.pool_id)) }
            }
            dl.history-facts {
                div { dt { (pick(loc, "상태", "State")) } dd data-testid="incident-state" { (labels::incident_state(loc, i.state)) } }
                div { dt { (ts(loc, "incident.started")) } dd { (frame::time(i.started_at)) } }
                @if let Some(r) = i.resolved_at {
                    div { dt { (ts(loc, "incident.resolved")) } dd { (frame::time(r)) } }
                }
                div {
                    dt { (if i.resolved_at.is_some() { pick(loc, "지속 시간", "Lasted") } else { pick(loc, "경과 시간", "Ongoing for") }) }
                    dd data-testid="incident-duration" { (duration(loc, lasted)) }
                }
            }
            h3 { (pick(loc, "경과 (최신순)", "Updates (newest first)")) }
            ol.updates {
                @for u in i.updates.iter().rev() {
                    li.update data-testid="incident-update" data-state=(u.state.as_str()) {
                        p.update-head { strong { (labels::incident_state(loc, u.state)) } " · " (frame::time(u.at)) }
                        p { (loc.pick(&u.body_ko, &u.body_en)) }
                    }
                }
            }
            (links(loc, &format!("/api/v1/incidents/{}", i.id)))
        }
    }
}

fn maintenance(state: &AppState, loc: Locale, m: &Maintenance) -> Markup {
    let state_class = m.state.as_str();
    html! {
        article class={ "window history-item window-" (state_class) } data-testid="maintenance-page"
            data-maintenance-id=(m.id) data-state=(state_class) {
            p.window-head {
                span class={ "pill pill-" (state_class) } { (labels::maintenance_state(loc, m.state)) }
                span { (where_(state, loc, &m.system_id, &m.pool_id)) }
            }
            dl.history-facts {
                div { dt { (pick(loc, "시작", "Starts")) } dd { (frame::time(m.starts_at)) } }
                div { dt { (pick(loc, "종료", "Ends")) } dd { (frame::time(m.ends_at)) } }
                div { dt { (pick(loc, "기간", "Length")) } dd data-testid="maintenance-duration" { (duration(loc, seconds(m.starts_at, m.ends_at))) } }
                @if m.nodes_affected > 0 {
                    div {
                        dt { (pick(loc, "대상", "Affects")) }
                        // Under "Affects": the count alone ("노드 20개"), not the card's sentence.
                        dd { (tfs(loc, "maintenance.node_count", &[("n", thousands(u64::from(m.nodes_affected)))])) }
                    }
                }
            }
            (links(loc, &format!("/api/v1/maintenance/{}", m.id)))
        }
    }
}

/// Back to the status page's history, and the same record as JSON.
fn links(loc: Locale, json: &str) -> Markup {
    html! {
        ul.history-links {
            li { a href="/#past-title" rel="external" { (pick(loc, "현황 페이지의 지난 장애와 점검", "Past incidents and maintenance on the status page")) } }
            li { a href=(json) rel="external" { (pick(loc, "이 기록의 JSON", "This record as JSON")) } }
        }
    }
}

fn not_found(state: &AppState, loc: Locale, visitor: &Visitor, here: &str, title: &str) -> Response {
    let main = html! {
        p { (pick(loc, "주소가 맞는지 확인해 주세요. 지난 장애와 점검은 현황 페이지에 있습니다.", "Check the address. Past incidents and maintenance are listed on the status page.")) }
        (links(loc, "/api/v1/incidents"))
    };
    respond(StatusCode::NOT_FOUND, page(state, loc, visitor, title, here, CLASS, main))
}

fn unavailable(state: &AppState, loc: Locale, visitor: &Visitor, e: crate::error::AppError) -> Response {
    tracing::error!(error = %e, "cannot read the status history");
    let title = pick(loc, "지금은 기록을 읽을 수 없습니다", "The record cannot be read now");
    let main = html! { p { (pick(loc, "잠시 후 다시 열어 주세요.", "Please open this page again in a moment.")) } };
    respond(StatusCode::SERVICE_UNAVAILABLE, page(state, loc, visitor, title, "/", CLASS, main))
}

/// An HTML page that changes with the record's updates: revalidated on every visit.
fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut res = (status, Html(markup.into_string())).into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("cookie"));
    res
}
