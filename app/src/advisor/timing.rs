//! Render timings for the performance check: an input event marks
//! `kairr:input`; once its change is rendered and in the page
//! `kairr:rendered` is marked, `kairr:render` measured, and its duration
//! (ms) appended to `window.__kairrRenderTimings`.

use std::cell::Cell;

/// Global array the browser test reads.
pub const TIMINGS_GLOBAL: &str = "__kairrRenderTimings";

thread_local! {
    static STARTED_MS: Cell<Option<f64>> = const { Cell::new(None) };
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Marks the start of an input's handling.
pub fn input_started() {
    let Some(perf) = performance() else { return };
    if perf.mark("kairr:input").is_ok() {
        STARTED_MS.with(|s| s.set(Some(perf.now())));
    }
}

/// Records the time since [`input_started`] (nothing when no input is being handled).
pub fn rendered() {
    let Some(perf) = performance() else { return };
    let Some(start) = STARTED_MS.with(Cell::take) else { return };
    crate::common::timing::record(TIMINGS_GLOBAL, "kairr:input", "kairr:rendered", "kairr:render", perf.now() - start);
}
