//! `GET /`: the built `index.html` with the current status in it as HTML
//! ([`status`]): the status page's only rendering, which the browser keeps
//! live by fetching it again (`app/src/status/live_page.rs`); and
//! `/allocations` with its round as HTML ([`allocations`]) and as the JSON
//! its app starts from. Readable before (and without) the WebAssembly;
//! rendered once per snapshot and language, so a crowd opening the page
//! during an outage costs what `/api/v1/status` costs.

mod allocations;
pub mod frame;
pub mod intro;
mod status;

use status::Histories;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kairr_shared::allocation::{InitialPublicRound, PublicRound};
use kairr_shared::api::{InitialSession, FIRST_VIEW_ID, INITIAL_SESSION_ID, INITIAL_STATUS_ID, LOCALE_COOKIE};
use serde::Serialize;

use crate::handlers::programme::RoundQuery;
use kairr_shared::api::{IncidentsResponse, StatusHistory, StatusSummary};
use kairr_shared::display::status_query::StatusQuery;
use kairr_shared::history::HistoryRange;
use kairr_shared::i18n::Locale;

use crate::state::AppState;

/// How long a first view waits for the database (incidents, the public
/// round); past it the page goes without them and the app loads them itself.
const DB_LIMIT: std::time::Duration = std::time::Duration::from_millis(1500);

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
    /// page's `<title>`: for a page no app retitles (the status page).
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

/// A rendered page and the snapshot it shows.
#[derive(Debug, Clone)]
struct Rendered {
    locale: Locale,
    updated_at: DateTime<Utc>,
    stale: bool,
    html: Bytes,
    /// The same page without the histories ([`Part::Live`]).
    live_html: Bytes,
    /// The incidents it shows, for the same page asking about another count.
    incidents: Option<kairr_shared::api::IncidentsResponse>,
    /// The systems' histories over a day it shows (empty when they could not be read).
    histories: Vec<Arc<StatusHistory>>,
    /// When it was rendered.
    at: Instant,
    /// False when it went without incidents or histories (the database was
    /// slow or failing): then it serves only for [`RETRY_PARTIAL`], so the
    /// page fills in without waiting for the next snapshot.
    complete: bool,
}

/// How long a page rendered without incidents or histories is served
/// before the database is asked again (a crowd on a slow database asks it
/// at most this often).
const RETRY_PARTIAL: std::time::Duration = std::time::Duration::from_secs(2);

/// The folder of `dist/` (and the path its assets are served under) of the
/// transparency page's app, `kairr-allocations`.
pub const ALLOCATIONS_APP_DIR: &str = "allocations-app";

/// The templates (read once at start-up) and the status pages rendered from
/// the newest snapshot, one per language.
#[derive(Debug, Default)]
pub struct FirstView {
    template: Option<Template>,
    /// The programme app's page, for the programme's pages with an introduction.
    programme: Option<Template>,
    /// The transparency page's own app (`/allocations`).
    allocations: Option<Template>,
    /// The wizard's page.
    advisor: Option<Template>,
    /// The administration's page.
    admin: Option<Template>,
    /// Held while a page renders, so concurrent requests after a new
    /// snapshot wait for one render (one read of the incidents) instead of
    /// each doing it.
    pages: tokio::sync::Mutex<Vec<Rendered>>,
}

impl FirstView {
    /// The built page's stylesheet links (`<link rel=stylesheet …>`), for
    /// pages the server renders whole.
    pub fn stylesheets(&self) -> String {
        // The programme's page links the shared sheet and the forms' one.
        let Some(t) = self.programme.as_ref().or(self.template.as_ref()) else { return String::new() };
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
            programme: read(static_dir.join("programme").join("index.html")),
            allocations: read(static_dir.join(ALLOCATIONS_APP_DIR).join("index.html")),
            advisor: read(static_dir.join("advisor").join("index.html")),
            admin: read(static_dir.join("admin-app").join("index.html")),
            pages: tokio::sync::Mutex::default(),
        }
    }

    /// True when `/` is rendered with the status in it.
    pub fn enabled(&self) -> bool {
        self.template.is_some()
    }

    /// True when `/allocations` is rendered with its round in it.
    pub fn allocations_enabled(&self) -> bool {
        self.allocations.is_some()
    }

    /// The built page of `app`, if there is one.
    fn template_of(&self, app: intro::App) -> Option<&Template> {
        match app {
            intro::App::Advisor => self.advisor.as_ref(),
            intro::App::Programme => self.programme.as_ref(),
            intro::App::Admin => self.admin.as_ref(),
        }
    }

    /// True when the page at `path` is rendered with its introduction.
    pub fn intro_enabled(&self, path: &str) -> bool {
        intro::find(path).is_some_and(|p| self.template_of(p.app).is_some())
    }

    /// Forgets the rendered pages (an operator posted an incident or a
    /// window: the next request renders them, rather than at the next snapshot).
    pub async fn invalidate(&self) {
        self.pages.lock().await.clear();
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
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LOCALE_COOKIE)
        .and_then(|(_, value)| Locale::from_tag(value.trim()))
        .unwrap_or_default()
}

/// JSON that cannot end the `<script>` element it sits in: every `<` (which
/// JSON only has inside strings) written as `\u003c`.
fn script_safe_json(data: &impl Serialize) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_string(data)?.replace('<', "\\u003c"))
}

/// An HTML page that depends on the language cookie, revalidated on every visit.
fn html_response(html: Bytes) -> Response {
    let mut res = html.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // The language comes from a cookie; the encoding is chosen by the compression layer.
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding, cookie"));
    res
}

/// `GET /`: the status page with its first view.
#[utoipa::path(get, path = "/", tag = "pages",
    responses((status = 200, description = "The status page, the live status already in its HTML (language from the `kairr_locale` cookie)", content_type = "text/html"),
              (status = 404, description = "No front end is built on this server (an API-only deployment)")))]
pub async fn index(State(state): State<AppState>, uri: axum::http::Uri, headers: HeaderMap) -> Response {
    let loc = locale_of(&headers);
    // `?gpus=128&range=7d` asks about 128 GPUs and charts a week (what is not understood: the default).
    let query = StatusQuery::parse(uri.query().unwrap_or_default());
    let part = Part::of(&headers);
    match page(&state, loc, query, part).await {
        Ok(html) => {
            let mut res = html_response(html);
            res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding, cookie, x-kairr-part"));
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot render the status page");
            (StatusCode::INTERNAL_SERVER_ERROR, "the status page could not be rendered").into_response()
        }
    }
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
    let Some(template) = &state.first_view.allocations else {
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
    visitor.respond(html_response(Bytes::from(template.fill(loc, &body, &data))))
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
        intro::Badge::Never => None,
    };
    let body = intro::intro_page(loc, page, source, visitor.signed_in()).into_string();
    let session_json = visitor.json();
    let data: Vec<(&str, &str)> = session_json.iter().map(|s| (INITIAL_SESSION_ID, s.as_str())).collect();
    visitor.respond(html_response(Bytes::from(template.fill(loc, &body, &data))))
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

/// Which part of the status page a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The whole page.
    Whole,
    /// The page without the systems' histories (`X-Kairr-Part: live`): what
    /// the browser fetches on every status event, keeping the histories it
    /// shows (they change once a recording interval; it fetches the whole
    /// page every minute). A third of the bytes to send and to parse.
    Live,
}

impl Part {
    fn of(headers: &HeaderMap) -> Part {
        match headers.get(kairr_shared::api::PART_HEADER).map(|v| v.as_bytes()) {
            Some(v) if v == kairr_shared::api::LIVE_PART.as_bytes() => Part::Live,
            _ => Part::Whole,
        }
    }
}

async fn page(state: &AppState, loc: Locale, query: StatusQuery, part: Part) -> anyhow::Result<Bytes> {
    let view = &state.first_view;
    let Some(template) = &view.template else { anyhow::bail!("no template") };
    let mut pages = view.pages.lock().await;
    // Read after the lock: a request that waited renders the newest snapshot.
    let now = Utc::now();
    let summary = state.live.borrow().summary_at(now.timestamp());
    let cached = pages.iter().position(|p| {
        p.locale == loc
            && p.updated_at == summary.updated_at
            && p.stale == summary.stale
            // The live part needs no histories: a page without them serves it.
            && (p.complete || p.at.elapsed() < RETRY_PARTIAL || (part == Part::Live && p.incidents.is_some()))
    });
    let index = match cached {
        Some(i) => i,
        None => {
            let (incidents, histories) = tokio::join!(
                within_limit("incidents", crate::handlers::incidents::load(state)),
                within_limit("histories", histories(state, &summary, HistoryRange::Day)),
            );
            let histories = histories.unwrap_or_default();
            let complete = incidents.is_some() && histories.len() == summary.systems.len();
            let page = PageData { summary: &summary, incidents: incidents.as_ref(), now };
            let html = render(template, loc, &page, Histories::Drawn(&histories), StatusQuery::default());
            let live_html = render(template, loc, &page, Histories::Kept, StatusQuery::default());
            pages.retain(|p| p.locale != loc);
            pages.push(Rendered {
                locale: loc,
                updated_at: summary.updated_at,
                stale: summary.stale,
                html,
                live_html,
                incidents,
                histories,
                at: Instant::now(),
                complete,
            });
            pages.len() - 1
        }
    };
    if query.is_default() {
        return Ok(match part {
            Part::Whole => pages[index].html.clone(),
            Part::Live => pages[index].live_html.clone(),
        });
    }
    // Another count or range: the same snapshot and incidents, rendered
    // for this request outside the lock and not kept, so odd queries cannot
    // crowd the shared page out or queue behind one another.
    let Rendered { incidents, histories, .. } = pages[index].clone();
    drop(pages);
    let page = PageData { summary: &summary, incidents: incidents.as_ref(), now };
    let histories = match (part, query.range) {
        (Part::Live, _) => return Ok(render(template, loc, &page, Histories::Kept, query)),
        (Part::Whole, HistoryRange::Day) => histories,
        (Part::Whole, range) => {
            within_limit("histories", self::histories(state, &summary, range)).await.unwrap_or_default()
        }
    };
    Ok(render(template, loc, &page, Histories::Drawn(&histories), query))
}

/// What `future` reads from the database, or `None` when it failed or took
/// longer than [`DB_LIMIT`]: a slow database must not hold the page back
/// (the page goes without `what`; its next refresh reads it again).
async fn within_limit<T, E: std::fmt::Display>(
    what: &str,
    future: impl std::future::Future<Output = Result<T, E>>,
) -> Option<T> {
    match tokio::time::timeout(DB_LIMIT, future).await {
        Ok(Ok(v)) => Some(v),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "{what} unavailable for the status page; its next refresh reads them again");
            None
        }
        Err(_) => {
            tracing::warn!("{what} took too long for the status page; its next refresh reads them again");
            None
        }
    }
}

/// Every system's history over `range` (the uptime bars and load charts),
/// read side by side. Each read is its own task: one the page stops waiting
/// for ([`within_limit`]) still finishes and fills the history cache, so
/// the next rendering has it.
async fn histories(
    state: &AppState,
    summary: &StatusSummary,
    range: HistoryRange,
) -> anyhow::Result<Vec<Arc<StatusHistory>>> {
    let reads: Vec<_> = summary
        .systems
        .iter()
        .map(|s| tokio::spawn(crate::handlers::history::load(state.clone(), s.id.clone(), range)))
        .collect();
    let mut out = Vec::with_capacity(reads.len());
    // A system whose history cannot be read goes without (its frames say
    // so); the others are still drawn.
    for read in reads {
        match read.await {
            Ok(Ok(history)) => out.push(history),
            Ok(Err(e)) => tracing::warn!(error = %e, "a system's history is unavailable for the status page"),
            Err(e) => tracing::warn!(error = %e, "a history read did not finish"),
        }
    }
    Ok(out)
}

/// What one status page shows.
struct PageData<'a> {
    summary: &'a StatusSummary,
    incidents: Option<&'a IncidentsResponse>,
    now: DateTime<Utc>,
}

/// The status page showing `page` for `query`.
fn render(
    template: &Template,
    loc: Locale,
    page: &PageData<'_>,
    histories: Histories<'_>,
    query: StatusQuery,
) -> Bytes {
    let body = status::status_page(loc, page.summary, page.incidents, histories, page.now, query).into_string();
    Bytes::from(template.fill_titled(loc, &kairr_shared::i18n::ts(loc, "app.title"), &body, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_summary() -> kairr_shared::api::StatusSummary {
        use kairr_shared::sim::{SimConfig, Simulator};
        let cat = kairr_shared::catalogue::Catalogue::embedded().unwrap();
        let config = SimConfig { warm_up_seconds: 6 * 3600, ..SimConfig::default() };
        Simulator::new(cat, config, 1_780_000_000).summary(30)
    }

    #[test]
    fn the_first_view_shows_every_system_and_pool_escaped_in_either_language() {
        let mut summary = demo_summary();
        summary.systems[0].name_ko = "<b>KISTI</b> & co".into();
        let now = summary.updated_at;
        let pools: usize = summary.systems.iter().map(|s| s.pools.len()).sum();
        for loc in [Locale::Ko, Locale::En] {
            let html = status::status_page(loc, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default())
                .into_string();
            assert_eq!(html.matches("data-testid=\"system\"").count(), summary.systems.len());
            assert_eq!(html.matches("data-testid=\"pool-card\"").count(), pools);
            assert_eq!(html.matches("data-testid=\"start-answer\"").count(), pools);
            assert!(html.contains(&format!("data-status=\"{}\"", summary.status.as_str())));
            assert!(!html.contains("<b>KISTI"), "names are escaped");
        }
        let ko = status::status_page(Locale::Ko, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default())
            .into_string();
        assert!(ko.contains("&lt;b&gt;KISTI&lt;/b&gt; &amp; co"));
        let en = status::status_page(Locale::En, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default())
            .into_string();
        assert!(en.contains(&summary.systems[0].name_en));
        assert!(en.contains(kairr_shared::i18n::ts(Locale::En, "system.section_title").as_str()));
    }

    #[test]
    fn the_first_view_answers_for_the_gpu_count_asked() {
        let summary = demo_summary();
        let now = summary.updated_at;
        let default =
            status::status_page(Locale::En, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default())
                .into_string();
        let asked = status::status_page(
            Locale::En,
            &summary,
            None,
            Histories::Drawn(&[]),
            now,
            StatusQuery { gpus: 1024, ..StatusQuery::default() },
        )
        .into_string();
        assert!(
            default.contains(&format!("value=\"{}\"", kairr_shared::start_now::DEFAULT_GPUS))
                && asked.contains("value=\"1024\"")
        );
        assert!(asked.contains("1,024 GPUs") && !default.contains("1,024 GPUs"), "the question names the count");
    }

    /// A day of 15-minute samples and 90 days of uptime for `system`.
    fn history(system: &str, now: DateTime<Utc>, range: HistoryRange) -> Arc<StatusHistory> {
        use kairr_shared::api::{DailyUptime, DataSource, SeriesPoint};
        use kairr_shared::status::Status;
        let day0 = now.date_naive() - chrono::Duration::days(89);
        let uptime_days = (0..90)
            .map(|i| DailyUptime {
                date: day0 + chrono::Duration::days(i),
                uptime: (i != 10).then_some(if i == 50 { 0.9 } else { 1.0 }),
                worst: (i != 10).then_some(if i == 50 { Status::MajorOutage } else { Status::Operational }),
                minutes_major_outage: if i == 50 { 144 } else { 0 },
                minutes_partial_outage: 0,
                minutes_degraded: 0,
                minutes_maintenance: 0,
            })
            .collect();
        let bucket = range.bucket_seconds();
        let points = range.seconds() / i64::from(bucket);
        let series = (0..points)
            .map(|i| SeriesPoint {
                t: now - chrono::Duration::seconds((points - i) * i64::from(bucket)),
                utilisation: 0.5,
                running_jobs: 10.0,
                pending_jobs: 30.0,
            })
            .collect();
        Arc::new(StatusHistory {
            system: system.to_owned(),
            range: range.as_str().to_owned(),
            source: DataSource::Demo,
            uptime_days,
            uptime_fraction: Some(0.999),
            bucket_seconds: bucket,
            series,
        })
    }

    #[test]
    fn each_system_shows_its_ninety_days_and_its_load_drawn_by_the_server() {
        let summary = demo_summary();
        let now = summary.updated_at;
        let histories: Vec<_> = summary.systems.iter().map(|s| history(&s.id, now, HistoryRange::Day)).collect();
        let html =
            status::status_page(Locale::En, &summary, None, Histories::Drawn(&histories), now, StatusQuery::default())
                .into_string();
        let systems = summary.systems.len();
        assert_eq!(html.matches("data-testid=\"uptime-day\"").count(), 90 * systems);
        assert_eq!(html.matches("data-status=\"major_outage\" role=\"img\"").count(), systems, "day 50 was an outage");
        assert!(html.contains("uptime 90.00% · outage 144 min · Major outage"), "a day is named by its facts");
        assert_eq!(html.matches("tabindex=\"0\"").count(), systems, "one tab stop per bar: today");
        assert_eq!(html.matches("class=\"chart-utilisation\"").count(), systems);
        assert_eq!(html.matches("99.90% uptime").count(), systems);
        assert!(html.contains("mean GPU utilisation 50%, now 50%, at most 30 jobs pending"));
        // The day range is the current one; the week link keeps the rest of the page's query.
        assert!(html.contains("href=\"/\" data-testid=\"range-24h\" data-range=\"24h\" aria-current=\"true\""));
        assert!(html.contains("href=\"/?range=7d\" data-testid=\"range-7d\""));
        let week: Vec<_> = summary.systems.iter().map(|s| history(&s.id, now, HistoryRange::Week)).collect();
        let query = StatusQuery { gpus: 8, range: HistoryRange::Week };
        let html = status::status_page(Locale::Ko, &summary, None, Histories::Drawn(&week), now, query).into_string();
        assert!(html.contains("data-testid=\"range-7d\" data-range=\"7d\" aria-current=\"true\""));
        assert!(html.contains("href=\"/?gpus=8\" data-testid=\"range-24h\""));
        assert!(html.contains("name=\"range\" value=\"7d\""), "the GPU form keeps the range");
        assert!(html.contains("최근 7일"), "the chart names its range");
        // The live part keeps the browser's histories: a marked place per system, nothing drawn.
        let live =
            status::status_page(Locale::En, &summary, None, Histories::Kept, now, StatusQuery::default()).into_string();
        assert_eq!(live.matches("data-kept").count(), systems);
        assert!(!live.contains("data-testid=\"uptime-day\"") && !live.contains("data-testid=\"load-chart\""));
        assert!(live.len() * 2 < html.len(), "the live part is the lighter one: {} vs {}", live.len(), html.len());
        // Without histories the frames stay and say why.
        let none = status::status_page(Locale::En, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default())
            .into_string();
        assert_eq!(none.matches("data-testid=\"uptime-day\"").count(), 0);
        assert_eq!(none.matches("data-testid=\"load-chart\"").count(), systems);
        assert!(none.contains("Could not load the history of"));
    }

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
        let mut summary = demo_summary();
        summary.systems[0].name_en = "</script><script>alert(1)</script>".into();
        let json = script_safe_json(&summary).unwrap();
        assert!(!json.contains('<'));
        let back: kairr_shared::api::StatusSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, summary);
    }
}
