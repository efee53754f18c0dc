//! `GET /`: the built `index.html` with the current status in it as HTML
//! ([`status`]): the status page's only rendering, which the browser keeps
//! live by fetching it again (`app/src/status/live_page.rs`); and
//! `/allocations` with its round as HTML ([`allocations`]) and as the JSON
//! its app starts from. Readable before (and without) the WebAssembly;
//! rendered once per snapshot and language, so a crowd opening the page
//! during an outage costs what `/api/v1/status` costs.

mod allocations;
pub mod apps;
pub mod frame;
pub mod intro;
mod status;
mod status_cache;

use std::collections::HashMap;
use std::path::Path;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kairr_shared::allocation::{InitialPublicRound, PublicRound};
use kairr_shared::api::{InitialSession, PagePart, FIRST_VIEW_ID, INITIAL_SESSION_ID, INITIAL_STATUS_ID};
use serde::Serialize;

use crate::handlers::programme::RoundQuery;
use kairr_shared::display::status_query::StatusQuery;
use kairr_shared::i18n::Locale;

use crate::state::AppState;
use apps::App;

/// How long a first view waits for the database (incidents, the public
/// round); past it the page goes without them and the app loads them itself.
pub(crate) const DB_LIMIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// The built page split around the content of `<body>`.
#[derive(Debug, Clone)]
struct Template {
    /// Everything up to and including `<body>`.
    head: String,
    /// What the build put in `<body>` (the `<noscript>` note), then the end.
    tail: String,
}

impl Template {
    /// Splits `html` after its `<body>` tag; `None` if it has none. The
    /// head loses its preload links: a page with its content in the HTML
    /// fetches its script and wasm after that content is painted (the
    /// loader in `app/Trunk.toml`), so they must not start earlier and take
    /// a slow link's bandwidth from the stylesheet.
    fn parse(html: &str) -> Option<Template> {
        let open = html.find("<body")?;
        let body_start = open + html[open..].find('>')? + 1;
        Some(Template { head: without_preloads(&html[..body_start]), tail: html[body_start..].to_owned() })
    }

    /// The page in `loc` with `body` and, for each `(id, json)` of `data`,
    /// a `<script type=application/json>` element (`json` already safe in one).
    fn fill(&self, loc: Locale, body: &str, data: &[(&str, &str)]) -> String {
        let head = match loc {
            Locale::Ko => self.head.clone(),
            // The built page says `lang=ko` (minified) or `lang="ko"`.
            Locale::En => self.head.replacen("lang=ko", "lang=en", 1).replacen("lang=\"ko\"", "lang=\"en\"", 1),
        };
        let scripts: String = data
            .iter()
            .map(|(id, json)| format!("<script type=\"application/json\" id=\"{id}\">{json}</script>"))
            .collect();
        format!("{head}<div id=\"{FIRST_VIEW_ID}\">{body}</div>{scripts}{}", self.tail)
    }

    /// [`Template::fill`] with `title` (in the reader's language) as the
    /// page's `<title>`, so a page's first view is titled in its reader's language and as its app titles it.
    fn fill_titled(&self, loc: Locale, title: &str, body: &str, data: &[(&str, &str)]) -> String {
        let page = self.fill(loc, body, data);
        const END: &str = "</title>";
        match (page.find("<title>"), page.find(END)) {
            (Some(start), Some(end)) if start < end => {
                let title = maud::html! { title { (title) } }.into_string();
                format!("{}{title}{}", &page[..start], &page[end + END.len()..])
            }
            _ => page,
        }
    }
}

/// The committee's page of one request, whose first view is the frame alone.
pub const COMMITTEE_REQUEST: &str = "/committee/requests/{id}";

/// The templates (read once at start-up) and the status pages rendered from
/// the newest snapshot, one per language.
#[derive(Debug, Default)]
pub struct FirstView {
    /// The status page's (`dist/index.html`).
    template: Option<Template>,
    /// Each app's page (`dist/<dir>/index.html`), for its first views.
    apps: HashMap<App, Template>,
    /// The status pages of the newest snapshot.
    pages: status_cache::StatusPages,
}

impl FirstView {
    /// The built page's stylesheet links (`<link rel=stylesheet …>`), for
    /// pages the server renders whole.
    pub fn stylesheets(&self) -> String {
        // The programme's page links the shared sheet and the forms' one.
        let Some(t) = self.apps.get(&App::Programme).or(self.template.as_ref()) else { return String::new() };
        let mut out = String::new();
        let mut rest = t.head.as_str();
        while let Some(start) = rest.find("<link") {
            let Some(len) = rest[start..].find('>') else { break };
            let tag = &rest[start..=start + len];
            if tag.contains("stylesheet") {
                out.push_str(tag);
            }
            rest = &rest[start + len + 1..];
        }
        out
    }

    /// Reads `static_dir/index.html`; without it (or without `<body>`) the
    /// first view is off and `/` is served as a plain file.
    pub fn load(static_dir: &Path) -> FirstView {
        let read = |path: std::path::PathBuf| {
            let template = std::fs::read_to_string(&path).ok().and_then(|html| Template::parse(&html));
            if template.is_none() {
                tracing::warn!(path = %path.display(), "no usable page template: served without its first view");
            }
            template
        };
        FirstView {
            template: read(static_dir.join("index.html")),
            apps: App::ALL
                .into_iter()
                .filter_map(|app| Some((app, read(static_dir.join(app.dir()).join("index.html"))?)))
                .collect(),
            pages: status_cache::StatusPages::default(),
        }
    }

    /// True when `/` is rendered with the status in it.
    pub fn enabled(&self) -> bool {
        self.template.is_some()
    }

    /// The built page of `app`, if there is one.
    fn template_of(&self, app: App) -> Option<&Template> {
        self.apps.get(&app)
    }

    /// True when the server renders the page at `path` itself (with its
    /// first view): `/allocations` with its round, the pages with an
    /// introduction; the router serves the others as their app's `index.html`.
    pub fn renders(&self, path: &str) -> bool {
        match path {
            "/allocations" => self.template_of(App::Allocations).is_some(),
            COMMITTEE_REQUEST => self.template_of(App::Committee).is_some(),
            _ => intro::find(path).is_some_and(|p| self.template_of(p.app).is_some()),
        }
    }

    /// Forgets the rendered pages (an operator posted an incident or a
    /// window: the next request renders them, rather than at the next snapshot).
    pub async fn invalidate(&self) {
        self.pages.clear().await;
    }
}

/// `head` without its `<link rel=preload>` and `<link rel=modulepreload>`
/// elements (written by trunk, minified or not).
fn without_preloads(head: &str) -> String {
    let mut out = String::with_capacity(head.len());
    let mut rest = head;
    while let Some(start) = rest.find("<link") {
        let Some(len) = rest[start..].find('>') else { break };
        let tag = &rest[start..=start + len];
        out.push_str(&rest[..start]);
        let preload = ["rel=preload", "rel=\"preload\"", "rel=modulepreload", "rel=\"modulepreload\""]
            .iter()
            .any(|r| tag.split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').any(|a| a == *r));
        if !preload {
            out.push_str(tag);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The language of the first view: the `kairr_locale` cookie the app sets
/// when the language is chosen; Korean otherwise.
pub(crate) fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(kairr_shared::api::locale_from_cookies)
        .unwrap_or_default()
}

/// JSON that cannot end the `<script>` element it sits in: every `<` (which
/// JSON only has inside strings) written as `\u003c`.
fn script_safe_json(data: &impl Serialize) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_string(data)?.replace('<', "\\u003c"))
}

/// An HTML page that depends on the language cookie, revalidated on every visit.
fn html_response(html: Bytes) -> Response {
    html_response_varying(html, "accept-encoding, cookie")
}

/// An HTML page revalidated on every visit that depends on the request
/// headers `vary` names (the encoding is chosen by the compression layer).
fn html_response_varying(html: Bytes, vary: &'static str) -> Response {
    let mut res = html.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static(vary));
    res
}

/// `GET /`: the status page with its first view.
#[utoipa::path(get, path = "/", tag = "pages",
    responses((status = 200, description = "The status page, the live status already in its HTML (language from the `kairr_locale` cookie; only its live part with `X-Kairr-Part: live`)", content_type = "text/html"),
              (status = 404, description = "No front end is built on this server (an API-only deployment)")))]
pub async fn index(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    session: tower_sessions::Session,
) -> Response {
    let Some(template) = &state.first_view.template else {
        return (StatusCode::NOT_FOUND, "no front end").into_response();
    };
    let loc = locale_of(&headers);
    // `?gpus=128&range=7d` asks about 128 GPUs and charts a week (what is not understood: the default).
    let query = StatusQuery::parse(uri.query().unwrap_or_default());
    let part = PagePart::from_header(headers.get(kairr_shared::api::PART_HEADER).map(|v| v.as_bytes()));
    // The visitor is read beside the page, so a signed-in one waits for no more than the slower of the two.
    let (html, visitor) = tokio::join!(
        status_cache::page(&state, template, loc, query, part),
        crate::whole_page::Visitor::read(&state, &session)
    );
    html_response_varying(for_visitor(html, loc, &visitor), "accept-encoding, cookie, x-kairr-part")
}

/// The status page, rendered once for everyone, with a signed-in visitor's
/// entries (home, notifications, name) in place of its sign-in link: only
/// that item is theirs, so the crowd still costs one rendering (an anonymous
/// visitor's session is not read: it has no cookie).
fn for_visitor(html: Bytes, loc: Locale, visitor: &crate::whole_page::Visitor) -> Bytes {
    let Some(user) = &visitor.0 else { return html };
    let Ok(text) = std::str::from_utf8(&html) else { return html };
    let item = frame::sign_in_item(loc, frame::NavPage::Status).into_string();
    if !text.contains(&item) {
        return html;
    }
    Bytes::from(text.replacen(&item, &frame::account_links(loc, user).into_string(), 1))
}

/// `GET /allocations`: the public page with its round's figures in it. A
/// round that cannot be shown (unknown, bad id, database down) leaves the
/// first view without it; the app then says why, as it does for the API.
#[utoipa::path(get, path = "/allocations", tag = "pages", params(RoundQuery),
    responses((status = 200, description = "The public allocations page, its round's figures already in its HTML", content_type = "text/html"),
              (status = 404, description = "No front end is built on this server (an API-only deployment)")))]
pub async fn allocations(
    State(state): State<AppState>,
    Query(q): Query<RoundQuery>,
    session: tower_sessions::Session,
    headers: HeaderMap,
) -> Response {
    let loc = locale_of(&headers);
    let Some(template) = state.first_view.template_of(App::Allocations) else {
        return (StatusCode::NOT_FOUND, "no front end").into_response();
    };
    let requested = q.round.clone();
    let (page, visitor) = tokio::join!(
        async {
            match tokio::time::timeout(DB_LIMIT, crate::handlers::programme::public_round(&state, q)).await {
                Ok(page) => page.ok(),
                Err(_) => None,
            }
        },
        PageSession::read(&state, &session, &headers)
    );
    let body = allocations::allocations_page(loc, &state.catalogue, page.as_deref(), visitor.signed_in()).into_string();
    let json = match page {
        Some(page) => {
            let initial = InitialPublicRound { requested, page: PublicRound::clone(&page) };
            script_safe_json(&initial).unwrap_or_else(|_| "null".into())
        }
        None => "null".into(),
    };
    let session_json = visitor.json();
    let mut data = vec![(INITIAL_STATUS_ID, json.as_str())];
    if let Some(s) = &session_json {
        data.push((INITIAL_SESSION_ID, s.as_str()));
    }
    let title = kairr_shared::i18n::t_programme(loc, "programme.page_title").unwrap_or_default();
    visitor.respond(html_response(Bytes::from(template.fill_titled(loc, &title, &body, &data))))
}

/// `GET` of a page that opens with an introduction ([`intro::PAGES`]): the
/// frame (with the signed-in user's entries where the app shows them) and
/// the introduction in its HTML; the app brings the rest.
pub async fn intro_page(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let (Some(page), loc) = (intro::find(uri.path()), locale_of(&headers)) else {
        return (StatusCode::NOT_FOUND, "no such page").into_response();
    };
    let Some(template) = state.first_view.template_of(page.app) else {
        return (StatusCode::NOT_FOUND, "no front end").into_response();
    };
    let visitor =
        if page.account { PageSession::read(&state, &session, &headers).await } else { PageSession::default() };
    let demo = state.settings.demo.programme || state.settings.demo.accounts;
    let source = match page.badge {
        intro::Badge::Status => Some(state.live.borrow().summary.source),
        intro::Badge::Programme => demo.then_some(kairr_shared::api::DataSource::Demo),
    };
    let body = intro::intro_page(loc, page, source, visitor.signed_in()).into_string();
    let session_json = visitor.json();
    let data: Vec<(&str, &str)> = session_json.iter().map(|s| (INITIAL_SESSION_ID, s.as_str())).collect();
    visitor.respond(html_response(Bytes::from(template.fill_titled(loc, &page.document_title(loc), &body, &data))))
}

/// `GET /committee/requests/{id}`: the committee's page of one request, its
/// frame in the first HTML (the header with the visitor's entries), titled
/// by the request's number; the committee's app renders the request below it.
pub async fn committee_request_page(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let loc = locale_of(&headers);
    let Some(template) = state.first_view.template_of(App::Committee) else {
        return (StatusCode::NOT_FOUND, "no front end").into_response();
    };
    let visitor = PageSession::read(&state, &session, &headers).await;
    let demo = state.settings.demo.programme || state.settings.demo.accounts;
    let source = demo.then_some(kairr_shared::api::DataSource::Demo);
    let body = intro::frame_page(loc, "programme-main request-detail", source, visitor.signed_in()).into_string();
    let app = App::Committee;
    let name = kairr_shared::i18n::fill(app.text(loc, "programme.request_page"), &[("id", id)]);
    let title = kairr_shared::i18n::page_title(&name, &app.text(loc, app.title_key()));
    let session_json = visitor.json();
    let data: Vec<(&str, &str)> = session_json.iter().map(|s| (INITIAL_SESSION_ID, s.as_str())).collect();
    visitor.respond(html_response(Bytes::from(template.fill_titled(loc, &title, &body, &data))))
}

/// The session a programme page is rendered for (what the session endpoint
/// would answer, with the unread notices), or nothing when it could not be
/// read in time: the page then shows the sign-in link and the app fetches
/// the session itself.
#[derive(Debug, Default)]
struct PageSession {
    initial: Option<InitialSession>,
    /// The anonymous visitor's new CSRF cookie, as the session endpoint sets it.
    cookie: Option<HeaderValue>,
}

impl PageSession {
    async fn read(state: &AppState, session: &tower_sessions::Session, headers: &HeaderMap) -> PageSession {
        let read = async {
            let (info, cookie) =
                crate::handlers::auth::session_info(session, headers, state, None).await.map_err(anyhow::Error::msg)?;
            let unread = match &info.user {
                Some(user) => state.storage.unread_notices(&user.username).await?,
                None => 0,
            };
            anyhow::Ok(PageSession { initial: Some(InitialSession { session: info, unread }), cookie })
        };
        match tokio::time::timeout(DB_LIMIT, read).await {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "session unreadable for a first view; the app fetches it");
                PageSession::default()
            }
            Err(_) => PageSession::default(),
        }
    }

    /// Who is signed in, for the header.
    fn signed_in(&self) -> Option<frame::SignedIn<'_>> {
        let initial = self.initial.as_ref()?;
        Some(frame::SignedIn { user: initial.session.user.as_ref()?, unread: initial.unread })
    }

    /// The session as JSON for the page (none when it was not read).
    fn json(&self) -> Option<String> {
        self.initial.as_ref().and_then(|i| script_safe_json(i).ok())
    }

    /// `res` with the CSRF cookie, if one is to be set.
    fn respond(self, mut res: Response) -> Response {
        if let Some(cookie) = self.cookie {
            res.headers_mut().append(header::SET_COOKIE, cookie);
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_split_after_body_and_the_language_follows_the_locale() {
        let built =
            "<!doctype html><html lang=ko><head><title>x</title></head><body><noscript>n</noscript></body></html>";
        let t = Template::parse(built).unwrap();
        let ko = t.fill(Locale::Ko, "<p>hi</p>", &[(INITIAL_STATUS_ID, "{}")]);
        assert!(ko.starts_with("<!doctype html><html lang=ko>"));
        assert!(ko.contains("<body><div id=\"first-view\"><p>hi</p></div><script type=\"application/json\" id=\"kairr-initial\">{}</script><noscript>n</noscript></body></html>"));
        assert!(t.fill(Locale::En, "", &[(INITIAL_STATUS_ID, "{}")]).starts_with("<!doctype html><html lang=en>"));
        assert!(t.fill(Locale::Ko, "<p>x</p>", &[]).contains("<div id=\"first-view\"><p>x</p></div><noscript>"));
        let titled = t.fill_titled(Locale::En, "Status & more", "", &[]);
        assert!(titled.contains("<head><title>Status &amp; more</title></head>"), "{titled}");
        assert!(Template::parse("<p>no body</p>").is_none());
    }

    #[test]
    fn a_first_view_page_has_no_preload_links_and_keeps_its_other_links() {
        let built = "<!doctype html><html lang=ko><head><script type=module>start()</script>\
            <link href=/main.css rel=stylesheet><link href=/favicon.svg rel=icon>\
            <link crossorigin href=/app.js integrity=sha384-x rel=modulepreload>\
            <link as=fetch crossorigin href=/app_bg.wasm rel=preload type=application/wasm>\
            <link rel=\"preload\" href=\"/b.wasm\" as=\"fetch\" />\
            <link href=/preload-notes.css rel=stylesheet></head><body></body></html>";
        let t = Template::parse(built).unwrap();
        assert!(
            !t.head.contains("preload\"") && !t.head.contains("rel=preload") && !t.head.contains("modulepreload"),
            "{}",
            t.head
        );
        assert!(!t.head.contains(".wasm") && !t.head.contains("app.js"), "{}", t.head);
        for kept in [
            "<script type=module>start()</script>",
            "<link href=/main.css rel=stylesheet>",
            "<link href=/favicon.svg rel=icon>",
            "<link href=/preload-notes.css rel=stylesheet></head><body>",
        ] {
            assert!(t.head.contains(kept), "{kept} kept: {}", t.head);
        }
    }

    #[test]
    fn the_locale_comes_from_its_cookie_and_defaults_to_korean() {
        let mut h = HeaderMap::new();
        assert_eq!(locale_of(&h), Locale::Ko);
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; kairr_locale=en; c=d"));
        assert_eq!(locale_of(&h), Locale::En);
        h.insert(header::COOKIE, HeaderValue::from_static("kairr_locale=fr"));
        assert_eq!(locale_of(&h), Locale::Ko);
    }

    #[test]
    fn the_initial_json_cannot_close_its_script_element() {
        let data = vec!["</script><script>alert(1)</script>".to_owned(), "a < b".to_owned()];
        let json = script_safe_json(&data).unwrap();
        assert!(!json.contains('<'));
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, data);
    }
}
