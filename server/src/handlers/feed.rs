//! `GET /feed.atom`: an Atom feed of incidents and maintenance windows.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Text};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kairr_shared::api::{Incident, Maintenance};
use kairr_shared::time::{format_kst, kst};

use crate::error::AppError;
use crate::handlers::incidents::current_maintenance;
use crate::state::AppState;

/// Entries in the feed at most.
const MAX_ENTRIES: usize = 50;

/// How far ahead planned maintenance is listed: a window enters the feed
/// (is "announced") this long before it begins.
const ANNOUNCE_AHEAD_S: i64 = 30 * 86_400;

fn fixed(t: chrono::DateTime<chrono::Utc>) -> FixedDateTime {
    t.with_timezone(&kst())
}

fn incident_entry(base: &str, i: &Incident) -> Entry {
    let updated = i.updates.last().map_or(i.started_at, |u| u.at);
    let body: String = i
        .updates
        .iter()
        .rev()
        .map(|u| format!("[{}] {} — {} / {}\n", format_kst(u.at), u.state.as_str(), u.body_ko, u.body_en))
        .collect();
    Entry {
        id: format!("urn:kairr:incident:{}", i.id),
        title: Text::plain(format!("{} / {}", i.title_ko, i.title_en)),
        updated: fixed(updated),
        published: Some(fixed(i.started_at)),
        links: vec![Link { href: format!("{base}/incidents/{}", i.id), ..Default::default() }],
        content: Some(Content { value: Some(body), content_type: Some("text".into()), ..Default::default() }),
        ..Default::default()
    }
}

/// When a maintenance entry last changed, stable between fetches: when it
/// entered the feed (`ANNOUNCE_AHEAD_S` before its start) while planned, its
/// start while in progress, its end once over.
fn maintenance_updated(m: &Maintenance, now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    if now >= m.ends_at {
        m.ends_at
    } else if now >= m.starts_at {
        m.starts_at
    } else {
        m.starts_at - chrono::Duration::seconds(ANNOUNCE_AHEAD_S)
    }
}

fn maintenance_entry(base: &str, m: &Maintenance, now: chrono::DateTime<chrono::Utc>) -> Entry {
    let announced = m.starts_at - chrono::Duration::seconds(ANNOUNCE_AHEAD_S);
    Entry {
        id: format!("urn:kairr:maintenance:{}", m.id),
        title: Text::plain(format!("{} / {}", m.title_ko, m.title_en)),
        updated: fixed(maintenance_updated(m, now)),
        published: Some(fixed(announced)),
        links: vec![Link { href: format!("{base}/maintenance/{}", m.id), ..Default::default() }],
        content: Some(Content {
            value: Some(format!(
                "{} – {} ({} nodes)",
                format_kst(m.starts_at),
                format_kst(m.ends_at),
                m.nodes_affected
            )),
            content_type: Some("text".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The feed, newest entries first. Entries keep their ids and `updated`
/// dates between fetches (an entry's `updated` moves only when it changes);
/// the feed's `updated` is its newest entry's.
#[utoipa::path(get, path = "/feed.atom", tag = "incidents",
    responses((status = 200, description = "Atom feed", content_type = "application/atom+xml")))]
pub async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let now = chrono::Utc::now().timestamp();
    let incidents = state.storage.incidents_since(now - 30 * 86_400).await?;
    let maintenance = current_maintenance(&state, now - 7 * 86_400, now + ANNOUNCE_AHEAD_S).await?;
    let now_utc = kairr_shared::time::utc(now);
    // Each entry links to its permalink page: on the portal's public address
    // when one is configured, else relative to the feed's own address.
    let base = state.settings.public_url.as_deref().map_or("", |u| u.trim_end_matches('/')).to_owned();
    let mut entries: Vec<Entry> = incidents
        .iter()
        .map(|i| incident_entry(&base, i))
        .chain(maintenance.iter().map(|m| maintenance_entry(&base, m, now_utc)))
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(MAX_ENTRIES);
    // An empty feed has not changed since the epoch: a constant, not the time of the fetch.
    let updated = entries.first().map_or_else(|| fixed(kairr_shared::time::utc(0)), |e| e.updated);
    let feed = Feed {
        id: "urn:kairr:status".into(),
        title: Text::plain("KAIRR 국가 AI 연구자원 현황 / KAIRR status"),
        updated,
        entries,
        ..Default::default()
    };
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], feed.to_string()).into_response())
}
