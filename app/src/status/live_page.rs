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
use kairr_shared::api::{PagePart as Part, FIRST_VIEW_ID};
use kairr_shared::display::format::AgeUnit;
use kairr_shared::display::status_query::StatusQuery;
use kairr_shared::history::HistoryRange;
use kairr_shared::i18n::Locale;
use kairr_shared::start_now::{parse_gpu_count, GpuCountError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, MouseEvent};

use super::{swap, uptime};
use crate::common::address;
use crate::common::api;
use crate::common::dom::{document, on, target_within, warn};
use crate::common::i18n::store_locale;
use crate::common::live::{follow_status_events, now_ms, REFRESH_SECONDS};

const GPU_INPUT_ID: &str = "gpu-input";
const GPU_HINT_ID: &str = "gpu-input-hint";
const GPU_ERROR_ID: &str = "gpu-input-error";

/// The page's state. Refreshes are numbered: `asked` is the newest asked
/// for, `shown` the newest put in place (an older answer arriving later is
/// dropped, a newer one is shown even while still newer ones are on their
/// way, so the page follows a fast stream of events). `whole_asked`: the
/// newest whole page asked for, due until one as new is in (meanwhile live
/// refreshes ask for the whole page, so a range or language change is never
/// overtaken by a page keeping the old histories). `switching`: a language
/// asked for, by refresh `switch_asked`, until a page as new is in. And
/// whether the event stream is down.
#[derive(Debug, Default)]
struct Live {
    asked: Cell<u64>,
    shown: Cell<u64>,
    whole_asked: Cell<u64>,
    switching: Cell<Option<Locale>>,
    switch_asked: Cell<u64>,
    disconnected: Cell<bool>,
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
        move |_| {
            refresh(&on_event, Part::Live);
        },
        move |down| set_disconnected(&on_down, down),
        move || {
            refresh(&after_gap, Part::Whole);
            std::future::ready(())
        },
    ));
    let ticking = live.clone();
    Interval::new(1_000, move || tick(&ticking)).forget();
    let refreshing = live.clone();
    Interval::new(REFRESH_SECONDS as u32 * 1_000, move || {
        refresh(&refreshing, Part::Whole);
    })
    .forget();
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
/// language cookie) and puts it in place unless a newer one is shown.
/// Returns the refresh's number.
fn refresh(live: &Rc<Live>, part: Part) -> u64 {
    let mine = live.asked.get() + 1;
    live.asked.set(mine);
    let whole_due = live.whole_asked.get() > live.shown.get();
    let part = if part == Part::Whole || whole_due { Part::Whole } else { Part::Live };
    if part == Part::Whole {
        live.whole_asked.set(mine);
    }
    let url = web_sys::window().map_or_else(String::new, |w| {
        let location = w.location();
        format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default())
    });
    let live = live.clone();
    spawn_local(async move {
        let page = api::fetch_page(&url, part).await;
        if mine <= live.shown.get() {
            return;
        }
        match page.ok().and_then(|html| swap::parse(&html)) {
            Some(fresh) => {
                let complete = swap::swap(&fresh);
                live.shown.set(mine);
                if mine >= live.switch_asked.get() {
                    live.switching.set(None);
                }
                check_gpu_input();
                tick(&live);
                if !complete && part == Part::Live {
                    // A system the page had no history for yet.
                    refresh(&live, Part::Whole);
                }
            }
            None => {
                warn("the status page could not be refreshed; it is tried again");
                // The language stays as the page is: so does the stored choice.
                if mine >= live.switch_asked.get() && live.switching.take().is_some() {
                    store_locale(shown_locale());
                }
            }
        }
    });
    mine
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
/// error (kept on the hint, in the page's language) in the error line the
/// server leaves hidden (kept through refreshes, so an error is announced
/// once, not at every refresh); the count when valid.
fn check_gpu_input() -> Option<u32> {
    let input = gpu_input()?;
    let doc = document()?;
    let raw = input.value();
    let error = doc.get_element_by_id(GPU_ERROR_ID)?;
    let (gpus, words) = match parse_gpu_count(&raw) {
        Ok(gpus) => (Some(gpus), None),
        Err(_) if raw.trim().is_empty() => (None, Some("data-error-empty")),
        Err(GpuCountError::Zero) => (None, Some("data-error-zero")),
        Err(GpuCountError::NotANumber) => (None, Some("data-error-not-a-number")),
    };
    let text = words.and_then(|w| doc.get_element_by_id(GPU_HINT_ID)?.get_attribute(w));
    if error.text_content().unwrap_or_default() != text.clone().unwrap_or_default() {
        error.set_text_content(text.as_deref());
    }
    error.toggle_attribute_with_force("hidden", text.is_none()).ok();
    let described = if text.is_some() { format!("{GPU_HINT_ID} {GPU_ERROR_ID}") } else { GPU_HINT_ID.to_owned() };
    input.set_attribute("aria-invalid", if text.is_some() { "true" } else { "false" }).ok();
    input.set_attribute("aria-describedby", &described).ok();
    gpus
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
            let asked = refresh(&live, Part::Whole);
            live.switch_asked.set(asked);
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
