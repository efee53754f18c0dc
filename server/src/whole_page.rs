//! Pages the server renders whole, as plain HTML that needs no app: the
//! subscription pages (`crate::subscription_pages`) and the incident and
//! maintenance permalinks (`crate::history_pages`). They share the portal's
//! stylesheets, header and footer; the language is `?lang=`, else the
//! portal's language cookie.

use axum::http::HeaderMap;
use kairr_shared::i18n::Locale;
use maud::{html, Markup, DOCTYPE};

use crate::first_view::frame::skip_link;
use crate::state::AppState;

/// Korean or English text.
pub fn pick(loc: Locale, ko: &'static str, en: &'static str) -> &'static str {
    loc.pick(ko, en)
}

/// The page's language: `lang` (`ko` or `en`), else the language cookie, else Korean.
pub fn locale(lang: Option<&str>, headers: &HeaderMap) -> Locale {
    lang.and_then(Locale::from_tag).unwrap_or_else(|| crate::first_view::locale_of(headers))
}

/// The language cookie a page's language link (`?lang=`) sets, as the apps'
/// toggle does (readable by their script, which rewrites it), so the next
/// page, the server's or an app's, is in the language chosen too.
pub async fn remember_language(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    // The pages' own reading of `?lang=` (a query that is not well formed chooses nothing).
    let chosen = axum::extract::Query::<crate::history_pages::LangQuery>::try_from_uri(req.uri())
        .ok()
        .and_then(|q| q.0.lang.as_deref().and_then(Locale::from_tag));
    let mut res = next.run(req).await;
    if let Some(loc) = chosen {
        let cookie =
            format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", kairr_shared::api::LOCALE_COOKIE, loc.tag());
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            res.headers_mut().append(axum::http::header::SET_COOKIE, value);
        }
    }
    res
}

/// Who opens a whole page: the signed-in account, or nobody (also when the
/// session could not be read within a second and a half: the page then
/// offers the sign-in link rather than wait).
#[derive(Debug, Default)]
pub struct Visitor(pub Option<kairr_shared::auth::UserInfo>);

impl axum::extract::FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(session) = tower_sessions::Session::from_request_parts(parts, state).await else {
            return Ok(Visitor(None));
        };
        Ok(Visitor::read(state, &session).await)
    }
}

impl Visitor {
    /// The account signed in to `session` (no database read without a
    /// session cookie: an anonymous visitor's session is empty).
    pub async fn read(state: &AppState, session: &tower_sessions::Session) -> Visitor {
        let read = crate::auth::current_account(session, &state.storage);
        match tokio::time::timeout(crate::first_view::DB_LIMIT, read).await {
            Ok(Ok(account)) => Visitor(account.map(|a| a.info)),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "session unreadable for a server-rendered page; it offers the sign-in link");
                Visitor(None)
            }
            Err(_) => Visitor(None),
        }
    }
}

/// The whole page around `main`: the portal's header (brand, the demo
/// badge while the status is the demo's, a language link to `here` with
/// `?lang=` of the other language, the apps' navigation, the feed, and the
/// sign-in link or, for a signed-in `visitor`, their pages and name, as the
/// apps show them) and footer, `<main class="programme-main {class}">` with
/// the page's `title` as its heading.
pub fn page(
    state: &AppState,
    loc: Locale,
    visitor: &Visitor,
    title: &str,
    here: &str,
    class: &str,
    main: Markup,
) -> Markup {
    use kairr_shared::i18n::t;
    let other = loc.other();
    // The incidents and maintenance these pages show are the status's: demo while it is.
    let demo = state.live.borrow().summary.source == kairr_shared::api::DataSource::Demo;
    html! {
        (DOCTYPE)
        html lang=(loc.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · KAIRR" }
                link rel="icon" href="/favicon.svg" type="image/svg+xml";
                (maud::PreEscaped(state.first_view.stylesheets()))
            }
            body {
                (skip_link(loc))
                header.site-header {
                    div.brand-row {
                        p.brand {
                            a href="/" rel="external" { span.brand-mark { "KAIRR" } }
                            " "
                            span.brand-name { (pick(loc, "국가 AI 연구자원 현황", "National AI Research Resources Status")) }
                        }
                        div.header-tools {
                            @if demo {
                                span.demo-badge data-testid="demo-badge" title=(t(loc, "header.demo_explained")) { (t(loc, "header.demo_badge")) }
                            }
                            a.lang-toggle href={ (here) (if here.contains('?') { "&" } else { "?" }) "lang=" (other.tag()) }
                                lang=(other.tag()) data-testid="lang-link" {
                                (pick(loc, "English", "한국어"))
                            }
                        }
                    }
                    nav.site-nav aria-label=(t(loc, "nav.label")) {
                        ul {
                            li { a href="/" rel="external" { (t(loc, "nav.status")) } }
                            li { a href="/advisor" rel="external" { (t(loc, "nav.advisor")) } }
                            li { a href="/allocations" rel="external" { (t(loc, "nav.allocations")) } }
                            li { a href="/feed.atom" rel="external" { (pick(loc, "알림 피드 (Atom)", "Notice feed (Atom)")) } }
                            @match &visitor.0 {
                                None => li { a href="/login" rel="external" data-testid="nav-sign-in" { (t(loc, "nav.sign_in")) } },
                                Some(user) => (crate::first_view::frame::account_links(loc, user)),
                            }
                        }
                    }
                }
                main #main class={ "programme-main " (class) } tabindex="-1" {
                    h2 { (title) }
                    (main)
                }
                footer.site-footer {
                    p { (kairr_shared::i18n::t(loc, "footer.times_kst")) }
                    ul.footer-links {
                        li { a href="/api/v1/incidents" rel="external" { "API (JSON)" } }
                        li { a href="/feed.atom" rel="external" { (kairr_shared::i18n::t(loc, "footer.feed_link")) } }
                    }
                }
            }
        }
    }
}

/// Any address nothing else answers (no page, no file of the built front
/// end): a 404 page saying so, in the reader's language, with a way back.
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    q: Result<axum::extract::Query<crate::history_pages::LangQuery>, axum::extract::rejection::QueryRejection>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    visitor: Visitor,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use kairr_shared::i18n::t;
    let q = q.map(|axum::extract::Query(q)| q).unwrap_or_default();
    let loc = locale(q.lang.as_deref(), &headers);
    let main = html! {
        p data-testid="not-found" { (t(loc, "not_found.body")) }
        p { a href="/" rel="external" { (t(loc, "not_found.home")) } }
    };
    let markup = page(&state, loc, &visitor, &t(loc, "not_found.title"), uri.path(), "not-found", main);
    let mut res = (axum::http::StatusCode::NOT_FOUND, axum::response::Html(markup.into_string())).into_response();
    res.headers_mut().insert(axum::http::header::VARY, axum::http::HeaderValue::from_static("cookie"));
    res
}

/// `GET /index.html`: the status page's address is `/` (the file of that
/// name is only its template).
#[utoipa::path(get, path = "/index.html", tag = "pages",
    responses((status = 308, description = "Permanent redirect to `/`, the status page")))]
pub async fn index_html() -> axum::response::Redirect {
    axum::response::Redirect::permanent("/")
}
