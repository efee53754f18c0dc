//! Running text whose dates and numbered names stay whole (`date_runs`): browsers break a line after the
//! hyphens of `2027-01-20`, so on a phone a period such as
//! "2027-01-20 ~ 2027-11-15" could read "2027-01-20 ~ 2027-11-" / "15".

use kairr_shared::display::format::date_runs;
use leptos::either::Either;
use leptos::prelude::*;

/// `text` with each ISO date and numbered name ("KISTI-6") in a `nowrap` span (the rest as it is).
pub fn dated(text: String) -> impl IntoView {
    date_runs(&text)
        .into_iter()
        .map(|(run, date)| {
            if date {
                Either::Left(view! { <span class="nowrap">{run.to_owned()}</span> })
            } else {
                Either::Right(run.to_owned())
            }
        })
        .collect_view()
}
