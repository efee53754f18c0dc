//! Figures and times for display: [`kairr_shared::display::format`] in the
//! current UI language (the language-free ones re-exported as they are).

pub use kairr_shared::display::format::{
    date, fixed, iso, kilowatts, kst_axis_label, kst_minute, percent, period, thousands,
};

use crate::common::i18n::current_locale;

/// A duration in seconds as hours and minutes ("6시간 12분" / "6 h 12 min").
pub fn duration(seconds: u64) -> String {
    kairr_shared::display::format::duration(current_locale(), seconds)
}

/// "N초 전" / "N분 전" / "N시간 전" for an age in seconds.
pub fn ago(seconds: i64) -> String {
    kairr_shared::display::format::ago(current_locale(), seconds)
}
