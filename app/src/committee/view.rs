//! The committee's pages as HTML, from data and [`Text`] alone (`maud`):
//! each function renders one region, an element with a stable `id` whose
//! markup the page compares with what is shown and puts in place by
//! `common::morph` when it changed. Tested natively (no browser).

pub mod charts;
pub mod overview;
pub mod page;
pub mod proposal;
pub mod queue;
pub mod request;

use kairr_shared::display::format::date_runs;
use maud::{html, Markup};

pub use super::text::Text;

/// `text` with each ISO date and numbered name in a `nowrap` span: browsers
/// break a line after their hyphens ("2027-01-" / "20").
pub fn dated(text: &str) -> Markup {
    html! {
        @for (run, whole) in date_runs(text) {
            @if whole { span.nowrap { (run) } } @else { (run) }
        }
    }
}
