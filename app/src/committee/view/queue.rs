//! The committee's request queue: filters (sector, state, text), sorting and
//! pages, all answered by the server; and the pager the paged lists share.

use kairr_shared::advisor::Sector;
use kairr_shared::allocation::{PoolUnit, RequestPage, RequestState};
use kairr_shared::display::format::{fixed, thousands};
use maud::{html, Markup};

use super::Text;
use crate::committee::model::Load;
use crate::programme::api::QueueQuery;

/// Rows per page of the queue.
pub const QUEUE_PER_PAGE: u32 = 25;

/// The ways the queue sorts, with their labels.
const SORTS: [(&str, &str); 4] = [
    ("id", "programme.queue.sort_id"),
    ("score", "programme.queue.sort_score"),
    ("amount", "programme.queue.sort_amount"),
    ("organisation", "programme.queue.sort_organisation"),
];

/// A list's previous/next buttons with "page N of M"; the buttons carry
/// `data-action="page:<name>:-1"` / `:1`.
pub fn pager(x: &Text, name: &str, page: usize, pages: usize) -> Markup {
    html! {
        nav.pager aria-label=(x.t("programme.pager.label")) data-testid=(format!("pager-{name}")) data-page=(page) data-pages=(pages) {
            button.button.secondary type="button" data-action=(format!("page:{name}:-1")) disabled[page <= 1] { (x.t("programme.pager.previous")) }
            span aria-live="polite" { (x.f("programme.pager.page_of", &[("page", page.to_string()), ("pages", pages.to_string())])) }
            button.button.secondary type="button" data-action=(format!("page:{name}:1")) disabled[page >= pages] { (x.t("programme.pager.next")) }
        }
    }
}

/// The queue panel: its filters as `query` says, the count, one page of
/// requests (each linking to its page), the pager. `units`: each pool's unit.
pub fn queue(x: &Text, query: &QueueQuery, queue: &Load<RequestPage>, units: &[(String, PoolUnit)]) -> Markup {
    let missing = queue.error.as_ref().and_then(crate::programme::api::http_status) == Some(404);
    let pages = queue.data.as_ref().map_or(1, |d| d.total.div_ceil(QUEUE_PER_PAGE).max(1)) as usize;
    let select = |id: &str, bind: &str, label: &str, chosen: &str, options: Vec<(String, String)>| {
        html! {
            div.filter-row {
                label for=(id) { (x.t(label)) }
                select id=(id) data-bind=(bind) {
                    @for (value, text) in &options { option value=(value) selected[value == chosen] { (text) } }
                }
            }
        }
    };
    let any = || (String::new(), x.t("programme.queue.any"));
    let sectors =
        std::iter::once(any()).chain(Sector::ALL.iter().map(|s| (s.as_str().to_owned(), x.sector(*s)))).collect();
    let states =
        std::iter::once(any()).chain(RequestState::ALL.iter().map(|s| (s.as_str().to_owned(), x.state(*s)))).collect();
    let sorts = SORTS.iter().map(|(v, k)| ((*v).to_owned(), x.t(k))).collect();
    html! {
        section #c-queue .panel aria-labelledby="queue-title" data-testid="queue" {
            h3 #queue-title { (x.t("programme.queue.title")) }
            @if missing {
                p.notice data-testid="queue-unavailable" { (x.t("programme.queue.unavailable")) }
            } @else {
                @if let Some(e) = &queue.error {
                    div.fetch-error role="alert" data-testid="fetch-error" {
                        p.fetch-error-title { (x.t("programme.queue.error")) }
                        p.fetch-error-detail { (e.detail_in(x.loc)) }
                    }
                }
                div.filters {
                    (select("queue-sector", "queue-sector", "programme.queue.sector", &query.sector, sectors))
                    (select("queue-state", "queue-state", "programme.queue.state", &query.state, states))
                    div.filter-row {
                        label for="queue-q" { (x.t("programme.queue.text")) }
                        input #queue-q type="search" data-bind="queue-q" value=(query.q);
                    }
                    (select("queue-sort", "queue-sort", "programme.queue.sort", &query.sort, sorts))
                }
                p role="status" {
                    @if let Some(d) = &queue.data { (x.f("programme.queue.count", &[("n", thousands(u64::from(d.total)))])) }
                }
                div.table-scroll tabindex="0" role="region" aria-labelledby="queue-title" {
                    table.data-table data-testid="queue-table" aria-labelledby="queue-title" {
                        thead { tr {
                            th scope="col" { (x.t("programme.proposal.col_request")) }
                            th scope="col" { (x.t("programme.projects.col_title")) }
                            th scope="col" { (x.t("programme.projects.col_organisation")) }
                            th scope="col" { (x.t("programme.projects.col_pool")) }
                            th.num scope="col" { (x.t("programme.proposal.col_asked")) }
                            th scope="col" { (x.t("programme.queue.state")) }
                            th.num scope="col" { (x.t("programme.proposal.col_score")) }
                        } }
                        tbody {
                            @for i in queue.data.iter().flat_map(|d| &d.items) {
                                @let r = &i.request;
                                @let unit = units.iter().find(|(p, _)| *p == r.pool).map(|(_, u)| *u);
                                tr {
                                    th scope="row" { a href=(format!("/committee/requests/{}", r.id.0)) data-testid="queue-open" { "#" (r.id.0) } }
                                    td { (x.pick(&r.title_ko, &r.title_en)) }
                                    td { (short_name(&r.organisation)) br; span.muted { (x.sector(r.sector)) } }
                                    td { (x.pool(&r.pool)) @if let Some(u) = unit { br; span.muted { (x.unit(u)) } } }
                                    td.num { (thousands(r.amount)) }
                                    td { (x.state(r.state)) }
                                    td.num { (i.mean_score.map_or_else(|| "—".to_owned(), |s| fixed(s, 2))) }
                                }
                            }
                        }
                    }
                }
                (pager(x, "queue", query.page as usize, pages))
            }
        }
    }
}

/// The longest organisation name kept on one line in a table ("(주)가람소프트"):
/// browsers break after a closing parenthesis; wider names wrap as text does.
const ORGANISATION_WHOLE: usize = 12;

fn short_name(name: &str) -> Markup {
    html! {
        @if name.chars().count() <= ORGANISATION_WHOLE { span.nowrap { (name) } } @else { (name) }
    }
}
