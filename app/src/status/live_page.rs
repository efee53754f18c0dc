//! The status page in the browser. The server renders the whole page —
//! banner, systems, pools, the "would it start now?" answers, the uptime
//! bars and the load charts (`server/src/first_view/status.rs`, from the
//! live snapshot, in the reader's language, for the page's `?gpus=` and
//! `?range=`); this keeps it live without rendering any of it again, and
//! without Leptos (no view of its own):
//!
//! - every `status` event of `/api/v1/events` it fetches the page's live
//!   part (`X-Kairr-Part: live`: the page without the systems' histories,
//!   which change once a recording interval) and puts it in place
//!   ([`swap`]), keeping the GPU input, the histories shown, the focus and
//!   what is open; every [`REFRESH_SECONDS`], after a gap in the stream and
//!   when the range or the language changes, the whole page;
//! - the GPU input checks what is typed (the server's words for each error,
//!   next to it), keeps the count in the address and asks for the answers;
//!   the charts' range links do the same without a reload;
//! - the language toggle stores the choice and fetches the page in it;
//! - "updated N s ago" ticks, and a lost event stream is said;
//! - the uptime bars can be explored by keyboard and pointer ([`uptime`]).
//!
//! See ARCHITECTURE.md ("The status page").

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use kairr_shared::api::FIRST_VIEW_ID;
use kairr_shared::display::format::AgeUnit;
use kairr_shared::display::status_query::StatusQuery;
use kairr_shared::history::HistoryRange;
use kairr_shared::i18n::Locale;
use kairr_shared::start_now::{parse_gpu_count, GpuCountError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, MouseEvent};

use super::dom::{document, on, target_within, warn};
use super::{swap, uptime};
use crate::common::address;
use crate::common::api;
use crate::common::i18n::store_locale;
use crate::common::live::{follow_status_events, now_ms, REFRESH_SECONDS};

const GPU_INPUT_ID: &str = "gpu-input";
const GPU_HINT_ID: &str = "gpu-input-hint";
const GPU_ERROR_ID: &str = "gpu-input-error";

/// The page's state: the newest refresh asked for, whether the whole page
/// is due (asked for and not yet in: a live refresh meanwhile asks for the
/// whole page instead, so a range or language change is never overtaken by
/// a page keeping the old histories), a language asked for (until its page
/// is in), and whether the event stream is down.
#[derive(Debug, Default)]
struct Live {
    asked: Cell<u32>,
    whole_due: Cell<bool>,
    switching: Cell<Option<Locale>>,
    disconnected: Cell<bool>,
}

/// What a refresh fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The page without the histories (each status event).
    Live,
    /// The whole page.
    Whole,
}

/// Starts keeping the server's status page live.
pub fn start() {
    let Some(view) = document().and_then(|d| d.get_element_by_id(FIRST_VIEW_ID)) else {
        // The server answers every other address with its own 404 page.
        warn("no status page in this document: nothing to keep live");
        return;
    };
    let live = Rc::new(Live::default());
    follow_gpu_input(&live);
    follow_clicks(&live);
    uptime::follow();
    let (on_event, on_down, after_gap) = (live.clone(), live.clone(), live.clone());
    spawn_local(follow_status_events(
        move |_| refresh(&on_event, Part::Live),
        move |down| set_disconnected(&on_down, down),
        move || {
            refresh(&after_gap, Part::Whole);
            std::future::ready(())
        },
    ));
    let ticking = live.clone();
    Interval::new(1_000, move || tick(&ticking)).forget();
    let refreshing = live.clone();
    Interval::new(REFRESH_SECONDS as u32 * 1_000, move || refresh(&refreshing, Part::Whole)).forget();
    // The page is the app's now (the first view's id marks a page not yet taken over).
    view.remove_attribute("id").ok();
}

/// The language the page is in (`<html lang>`).
fn shown_locale() -> Locale {
    document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|l| Locale::from_tag(&l))
        .unwrap_or_default()
}

/// Fetches the page (or its live part) as it is now (its address, the
/// language cookie) and puts it in place; an answer to a refresh that a
/// newer one superseded is dropped.
fn refresh(live: &Rc<Live>, part: Part) {
    let mine = live.asked.get().wrapping_add(1);
    live.asked.set(mine);
    if part == Part::Whole {
        live.whole_due.set(true);
    }
    let part = if live.whole_due.get() { Part::Whole } else { Part::Live };
    let url = web_sys::window().map_or_else(String::new, |w| {
        let location = w.location();
        format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default())
    });
    let live = live.clone();
    spawn_local(async move {
        let page = api::fetch_page(&url, (part == Part::Live).then_some("live")).await;
        if live.asked.get() != mine {
            return;
        }
        match page.ok().and_then(|html| swap::parse(&html)) {
            Some(fresh) => {
                let complete = swap::swap(&fresh);
                if part == Part::Whole {
                    live.whole_due.set(false);
                }
                live.switching.set(None);
                check_gpu_input();
                tick(&live);
                if !complete {
                    // A system the page had no history for yet.
                    refresh(&live, Part::Whole);
                }
            }
            None => {
                warn("the status page could not be refreshed; it is tried again");
                // The language stays as the page is: so does the stored choice.
                if live.switching.take().is_some() {
                    store_locale(shown_locale());
                }
            }
        }
    });
}

/// Asks for the page at `query` (kept in the address) unless it is shown:
/// the whole page when the charts' range changes, else its live part.
fn ask(live: &Rc<Live>, query: StatusQuery) {
    let shown = StatusQuery::parse(&address::query());
    if query.to_query() != address::query() {
        address::replace_query(&query.to_query());
        refresh(live, if query.range == shown.range { Part::Live } else { Part::Whole });
    }
}

fn gpu_input() -> Option<HtmlInputElement> {
    document()?.get_element_by_id(GPU_INPUT_ID)?.dyn_into().ok()
}

/// A count typed into the GPU input is checked at once and, when it is
/// one, kept in the address (`?gpus=`) and asked of the server.
fn follow_gpu_input(live: &Rc<Live>) {
    let typed = live.clone();
    on("input", move |e| {
        if target_within(e, &format!("#{GPU_INPUT_ID}")).is_none() {
            return;
        }
        if let Some(gpus) = check_gpu_input() {
            ask(&typed, StatusQuery { gpus, ..StatusQuery::parse(&address::query()) });
        }
    });
    // Enter would send the form (the page without the wasm asks the server
    // that way): the answers are here already.
    on("submit", |e| {
        if target_within(e, "form.gpu-field").is_some() {
            e.prevent_default();
        }
    });
}

/// Marks the GPU input valid or not and shows the server's words for its
/// error (kept on the hint, in the page's language); the count when valid.
fn check_gpu_input() -> Option<u32> {
    let input = gpu_input()?;
    let doc = document()?;
    let raw = input.value();
    let error = doc.get_element_by_id(GPU_ERROR_ID);
    match parse_gpu_count(&raw) {
        Ok(gpus) => {
            if let Some(e) = error {
                e.remove();
            }
            input.set_attribute("aria-invalid", "false").ok();
            input.set_attribute("aria-describedby", GPU_HINT_ID).ok();
            Some(gpus)
        }
        Err(kind) => {
            let hint = doc.get_element_by_id(GPU_HINT_ID)?;
            let words = match kind {
                _ if raw.trim().is_empty() => "data-error-empty",
                GpuCountError::Zero => "data-error-zero",
                GpuCountError::NotANumber => "data-error-not-a-number",
            };
            let error = error.or_else(|| {
                let p = doc.create_element("p").ok()?;
                for (name, value) in
                    [("id", GPU_ERROR_ID), ("class", "field-error"), ("data-testid", GPU_ERROR_ID), ("role", "alert")]
                {
                    p.set_attribute(name, value).ok();
                }
                hint.after_with_node_1(&p).ok()?;
                Some(p)
            });
            if let Some(e) = error {
                e.set_text_content(hint.get_attribute(words).as_deref());
            }
            input.set_attribute("aria-invalid", "true").ok();
            input.set_attribute("aria-describedby", &format!("{GPU_HINT_ID} {GPU_ERROR_ID}")).ok();
            None
        }
    }
}

/// The language toggle (in the header, which refreshes replace) stores the
/// other language and fetches the page in it; a chart range link (a plain
/// click; others open it as a link does) asks for that range.
fn follow_clicks(live: &Rc<Live>) {
    let live = live.clone();
    on("click", move |e| {
        if target_within(e, "[data-testid=lang-toggle]").is_some() {
            let shown = shown_locale();
            let next = live.switching.get().unwrap_or(shown).other();
            // Stored before the request, which carries it as a cookie.
            store_locale(next);
            live.switching.set((next != shown).then_some(next));
            refresh(&live, Part::Whole);
            return;
        }
        let Some(link) = target_within(e, ".chart-range a[data-range]") else { return };
        let plain = e
            .dyn_ref::<MouseEvent>()
            .is_some_and(|m| m.button() == 0 && !(m.ctrl_key() || m.meta_key() || m.shift_key() || m.alt_key()));
        let Some(range) = link.get_attribute("data-range").and_then(|r| r.parse::<HistoryRange>().ok()) else { return };
        if plain {
            e.prevent_default();
            ask(&live, StatusQuery::parse(&address::query()).with_range(range));
        }
    });
}

fn set_disconnected(live: &Live, down: bool) {
    if live.disconnected.get() != down {
        live.disconnected.set(down);
        tick(live);
    }
}

/// Once a second: "updated N s ago" follows the clock (in the words the
/// server put on it), and the warning that the stream is down is shown
/// exactly while it is.
fn tick(live: &Live) {
    let Some(doc) = document() else { return };
    if let Some(warning) = doc.get_element_by_id("stream-down") {
        warning.toggle_attribute_with_force("hidden", !live.disconnected.get()).ok();
    }
    let Ok(Some(el)) = doc.query_selector("[data-testid=updated-ago]") else { return };
    let at_ms = js_sys::Date::parse(&el.get_attribute("data-updated-at").unwrap_or_default());
    if at_ms.is_nan() {
        return;
    }
    let (unit, n) = AgeUnit::of(((now_ms() - at_ms) / 1000.0).floor() as i64);
    let words = match unit {
        AgeUnit::Seconds => "data-ago-seconds",
        AgeUnit::Minutes => "data-ago-minutes",
        AgeUnit::Hours => "data-ago-hours",
    };
    let (Some(template), Ok(Some(time))) = (el.get_attribute(words), el.query_selector("time")) else { return };
    let shown = template.replace("{n}", &n.to_string());
    if time.text_content().as_deref() != Some(shown.as_str()) {
        time.set_text_content(Some(&shown));
    }
}
