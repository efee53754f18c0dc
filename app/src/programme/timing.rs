//! Render timing of the committee overview for the performance check: when
//! the data arrives `kairr:committee-data` is marked; once the reactive
//! update, the tables and the charts have run (a zero-delay timeout fires
//! after the microtasks that apply them) `kairr:committee-rendered` is marked,
//! `kairr:committee-render` measured, and its duration (ms) appended to
//! `window.__kairrCommitteeRender`.

use std::time::Duration;

use leptos::prelude::{set_timeout, window};

/// Global array the browser test reads.
pub const TIMINGS_GLOBAL: &str = "__kairrCommitteeRender";
const START: &str = "kairr:committee-data";
const END: &str = "kairr:committee-rendered";
/// Name of the performance measure.
pub const MEASURE: &str = "kairr:committee-render";

/// Marks the arrival of the data; call just before storing it in its signals.
pub fn data_arrived() {
    let Some(perf) = window().performance() else { return };
    let start = perf.now();
    if perf.mark(START).is_err() {
        return;
    }
    set_timeout(move || finish(start), Duration::ZERO);
}

fn finish(start: f64) {
    let Some(perf) = window().performance() else { return };
    crate::common::timing::record(TIMINGS_GLOBAL, START, END, MEASURE, perf.now() - start);
}
