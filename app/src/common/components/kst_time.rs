//! A point in time shown in KST inside `<time datetime>` with the ISO form on hover.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;

use crate::common::format::{iso, kst_minute};

/// `<time datetime="ISO" title="ISO">2026-11-21 14:05 KST</time>`.
#[component]
pub fn KstTime(
    /// The instant (UTC) to show.
    at: DateTime<Utc>,
) -> impl IntoView {
    let stamp = iso(at);
    let title = stamp.clone();
    view! { <time datetime=stamp title=title>{kst_minute(at)}</time> }
}

/// `<time datetime="2026-11-20">2026-11-20</time>` for a KST calendar day.
#[component]
pub fn KstDate(
    /// The day, already in KST.
    date: NaiveDate,
) -> impl IntoView {
    let text = crate::common::format::date(date);
    let (stamp, title) = (text.clone(), text.clone());
    view! { <time datetime=stamp title=title>{text}</time> }
}
