//! Render timings for the performance check: an input event marks
//! `kairr:input`; once the reactive update has run (a zero-delay timeout
//! fires after the microtasks that apply it to the DOM) `kairr:rendered` is
//! marked, `kairr:render` measured, and its duration (ms) appended to
//! `window.__kairrRenderTimings`.

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::{set_timeout, window};

/// Global array the browser test reads.
pub const TIMINGS_GLOBAL: &str = "__kairrRenderTimings";

thread_local! {
    static STARTED_MS: Cell<Option<f64>> = const { Cell::new(None) };
}

/// Marks the start of an input's handling.
pub fn input_started() {
    let Some(perf) = window().performance() else { return };
    if perf.mark("kairr:input").is_err() {
        return;
    }
    let first = STARTED_MS.with(|s| s.replace(Some(perf.now())).is_none());
    if first {
        set_timeout(finish, Duration::ZERO);
    }
}

fn finish() {
    let Some(perf) = window().performance() else { return };
    let Some(start) = STARTED_MS.with(Cell::take) else { return };
    crate::common::timing::record(TIMINGS_GLOBAL, "kairr:input", "kairr:rendered", "kairr:render", perf.now() - start);
}
