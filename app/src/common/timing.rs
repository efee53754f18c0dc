//! Render timings the performance checks read: a finished measurement is
//! marked (`end`), measured from `start` for the developer tools' timeline
//! (`measure`), and its duration (ms) appended to the global array `global`
//! of `window`, which the browser tests read.

use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};

/// Records a duration of `duration` ms that began at mark `start`.
pub fn record(global: &str, start: &str, end: &str, measure: &str, duration: f64) {
    let Some(perf) = window().performance() else { return };
    if perf.mark(end).is_ok() {
        // Only for the developer tools' timeline; the duration is `duration`.
        let _ = perf.measure_with_start_mark_and_end_mark(measure, start, end);
    }
    let key = JsValue::from_str(global);
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
