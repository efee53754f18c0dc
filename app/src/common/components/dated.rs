//! Running text whose dates and numbered names stay whole (`date_runs`): browsers break a line after the
//! hyphens of `2027-01-20`, so on a phone a period such as
//! "2027-01-20 ~ 2027-11-15" could read "2027-01-20 ~ 2027-11-" / "15".

use kairr_shared::display::format::date_runs;
use leptos::either::Either;
use leptos::prelude::*;

/// The longest organisation name [`short_name`] keeps on one line in a table
/// ("(주)가람소프트", "한국과학기술원"): wider ones would stretch the column.
pub const ORGANISATION_WHOLE: usize = 12;

/// A name that reads as one word ("(주)가람소프트", "KAIST") kept on one
/// line when it is short (`max_chars` characters or fewer): browsers break
/// after a closing parenthesis, so a narrow column showed "(주)" / "가람소프트".
/// A longer name wraps as any text does.
pub fn short_name(text: String, max_chars: usize) -> impl IntoView {
    if text.chars().count() <= max_chars {
        Either::Left(view! { <span class="nowrap">{text}</span> })
    } else {
        Either::Right(text)
    }
}

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
