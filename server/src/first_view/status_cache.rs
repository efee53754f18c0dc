//! The status page as served: rendered once per snapshot and language (the
//! whole page and its live part), with the incidents and the systems' day
//! histories read from the database within [`super::DB_LIMIT`]; other
//! counts and ranges rendered per request from the same snapshot.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use kairr_shared::api::{IncidentsResponse, PagePart, StatusHistory, StatusSummary};
use kairr_shared::display::status_query::StatusQuery;
use kairr_shared::history::HistoryRange;
use kairr_shared::i18n::Locale;

use super::status::{self, Histories};
use super::{Template, DB_LIMIT};
use crate::state::AppState;

/// The status pages rendered from the newest snapshot, one per language.
/// Held while a page renders, so concurrent requests after a new snapshot
/// wait for one render (one read of the incidents) instead of each doing it.
#[derive(Debug, Default)]
pub struct StatusPages(tokio::sync::Mutex<Vec<Rendered>>);

impl StatusPages {
    /// Forgets the rendered pages (the next request renders them again).
    pub async fn clear(&self) {
        self.0.lock().await.clear();
    }
}

/// A rendered page and the snapshot it shows.
#[derive(Debug, Clone)]
struct Rendered {
    locale: Locale,
    updated_at: DateTime<Utc>,
    stale: bool,
    html: Bytes,
    /// The same page without the histories ([`PagePart::Live`]).
    live_html: Bytes,
    /// The incidents it shows, for the same page asking about another count.
    incidents: Option<IncidentsResponse>,
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

/// The status page (or its live part) in `loc` for `query`, from the newest snapshot.
pub async fn page(state: &AppState, template: &Template, loc: Locale, query: StatusQuery, part: PagePart) -> Bytes {
    let mut pages = state.first_view.pages.0.lock().await;
    // Read after the lock: a request that waited renders the newest snapshot.
    let now = Utc::now();
    let summary = state.live.borrow().summary_at(now.timestamp());
    let cached = pages.iter().position(|p| {
        p.locale == loc
            && p.updated_at == summary.updated_at
            && p.stale == summary.stale
            // The live part needs no histories: a page without them serves it.
            && (p.complete || p.at.elapsed() < RETRY_PARTIAL || (part == PagePart::Live && p.incidents.is_some()))
    });
    let index = match cached {
        Some(i) => i,
        None => {
            let (incidents, histories) = tokio::join!(
                within_limit("incidents", crate::handlers::incidents::load(state)),
                histories(state, &summary, HistoryRange::Day),
            );
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
        return match part {
            PagePart::Whole => pages[index].html.clone(),
            PagePart::Live => pages[index].live_html.clone(),
        };
    }
    // Another count or range: the same snapshot and incidents, rendered
    // for this request outside the lock and not kept, so odd queries cannot
    // crowd the shared page out or queue behind one another.
    let Rendered { incidents, histories, .. } = pages[index].clone();
    drop(pages);
    let page = PageData { summary: &summary, incidents: incidents.as_ref(), now };
    let histories = match (part, query.range) {
        (PagePart::Live, _) => return render(template, loc, &page, Histories::Kept, query),
        (PagePart::Whole, HistoryRange::Day) => histories,
        (PagePart::Whole, range) => self::histories(state, &summary, range).await,
    };
    render(template, loc, &page, Histories::Drawn(&histories), query)
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

/// Every system's history over `range` (the uptime bars and load charts)
/// that could be read within [`DB_LIMIT`], read side by side. A system whose
/// history fails or is late goes without (its frames say so); the others are
/// still drawn. Each read is its own task: one the page stops waiting for
/// still finishes and fills the history cache, so the next rendering has it.
async fn histories(state: &AppState, summary: &StatusSummary, range: HistoryRange) -> Vec<Arc<StatusHistory>> {
    let reads: Vec<_> = summary
        .systems
        .iter()
        .map(|s| tokio::spawn(crate::handlers::history::load(state.clone(), s.id.clone(), range)))
        .collect();
    let deadline = tokio::time::Instant::now() + DB_LIMIT;
    let mut out = Vec::with_capacity(reads.len());
    for read in reads {
        match tokio::time::timeout_at(deadline, read).await {
            Ok(Ok(Ok(history))) => out.push(history),
            Ok(Ok(Err(e))) => tracing::warn!(error = %e, "a system's history is unavailable for the status page"),
            Ok(Err(e)) => tracing::warn!(error = %e, "a history read did not finish"),
            Err(_) => {
                tracing::warn!("a system's history took too long for the status page; its next refresh reads it again");
            }
        }
    }
    out
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
