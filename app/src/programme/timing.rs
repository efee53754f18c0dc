//! Render timing of the committee overview for the performance check: when
//! the data arrives `kairr:committee-data` is marked; once the reactive
//! update, the tables and the charts have run (a zero-delay timeout fires
//! after the microtasks that apply them) `kairr:committee-rendered` is marked,
//! `kairr:committee-render` measured, and its duration (ms) appended to
//! `window.__kairrCommitteeRender`.

use std::time::Duration;

use leptos::prelude::{set_timeout, window};
use wasm_bindgen::{JsCast, JsValue};

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
    let duration = perf.now() - start;
    if perf.mark(END).is_ok() {
        // Only for the developer tools' timeline; the duration is `duration`.
        let _ = perf.measure_with_start_mark_and_end_mark(MEASURE, START, END);
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
