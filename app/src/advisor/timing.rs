//! Render timings for the performance check: an input event marks
//! `kairr:input`; once the reactive update has run (a zero-delay timeout
//! fires after the microtasks that apply it to the DOM) `kairr:rendered` is
//! marked, `kairr:render` measured, and its duration (ms) appended to
//! `window.__kairrRenderTimings`.

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::{set_timeout, window};
use wasm_bindgen::{JsCast, JsValue};

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
    let duration = perf.now() - start;
    if perf.mark("kairr:rendered").is_ok() {
        // Only for the developer tools' timeline; the duration is `duration`.
        let _ = perf.measure_with_start_mark_and_end_mark("kairr:render", "kairr:input", "kairr:rendered");
    }
    let key = JsValue::from_str(TIMINGS_GLOBAL);
    let global = window();
    let array = match js_sys::Reflect::get(&global, &key).map(JsCast::dyn_into::<js_sys::Array>) {
        Ok(Ok(a)) => a,
        _ => {
            let a = js_sys::Array::new();
            if js_sys::Reflect::set(&global, &key, &a).is_err() {
                return;
            }
            a
        }
    };
    array.push(&JsValue::from_f64(duration));
}
