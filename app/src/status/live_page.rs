//! The status page in the browser. The server renders the whole page
//! (`server/src/first_view/status.rs`, from the live snapshot, in the
//! reader's language, answering the page's `?gpus=`); this keeps it live
//! without rendering it a second time:
//!
//! - every `status` event of `/api/v1/events`, and every
//!   [`REFRESH_SECONDS`], fetches the page again and puts its header, main
//!   and footer in place of the old ones ([`swap`]), keeping the GPU input
//!   (what is being typed) and the systems' history islands, and the focus;
//! - the GPU input checks what is typed (the translated error next to it),
//!   keeps the count in the address and asks the server for the answers;
//! - the language toggle stores the choice and fetches the page in it;
//! - "updated N s ago" ticks, and a lost event stream is said;
//! - each system's uptime bars and load chart ([`SystemHistory`]) are
//!   Leptos islands mounted on the server's placeholders of the same size.
//!
//! The wasm thus holds no second renderer of the page: see ARCHITECTURE.md.

use chrono::{DateTime, Utc};
use futures_util::future::{select, Either};
use futures_util::StreamExt;
use gloo_net::eventsource::State;
use gloo_timers::future::TimeoutFuture;
use kairr_shared::api::FIRST_VIEW_ID;
use kairr_shared::display::format::{ago, kst_minute};
use kairr_shared::display::icons::status_icon_path;
use kairr_shared::history::HistoryRange;
use kairr_shared::i18n::{t, t_status, Locale};
use kairr_shared::start_now::{gpus_query, parse_gpu_count, GpuCountError};
use kairr_shared::status::Status;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use crate::common::address;
use crate::common::api;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::i18n::{current_locale, provide_locale, store_locale, trf};
use crate::common::live::{now_ms, use_history, use_refresh_tick, REFRESH_SECONDS};
use crate::status::components::load_chart::LoadChart;
use crate::status::components::uptime_bars::UptimeBars;

/// The parts of the page the server renders and a refresh replaces.
const REGIONS: [&str; 3] = ["header.site-header", "main", "footer.site-footer"];
/// What a refresh keeps: the GPU input and the history islands.
const KEPT: &str = "#gpu-input, .system-history";
const GPU_INPUT_ID: &str = "gpu-input";
const GPU_HINT_ID: &str = "gpu-input-hint";
const GPU_ERROR_ID: &str = "gpu-input-error";
/// First and longest pause before reopening a closed event stream, ms.
const RECONNECT_MS: (u32, u32) = (1_000, 30_000);
/// Seconds the event stream may spend reconnecting before the page says so.
const CONNECTING_GRACE_S: u32 = 3;

/// The page's state: the language (and one asked for, until its page is
/// in), the newest refresh asked for, and whether the event stream is down.
#[derive(Debug, Clone, Copy)]
struct Live {
    locale: RwSignal<Locale>,
    switching: StoredValue<Option<Locale>>,
    asked: StoredValue<u32>,
    disconnected: StoredValue<bool>,
}

/// Starts the page: keeps the server's status page live.
pub fn start() {
    leptos::mount::mount_to_body(keep_live);
}

/// Adds nothing to the server's page: sets up what keeps it live, within
/// an owner that lives as long as the document (the mount's).
fn keep_live() {
    let locale = provide_locale();
    let Some(view) = document().get_element_by_id(FIRST_VIEW_ID) else {
        // The server answers every other address with its own 404 page.
        leptos::logging::warn!("no status page in this document: nothing to keep live");
        return;
    };
    // The server rendered the page in the reader's language (its cookie).
    if let Some(lang) = document().document_element().and_then(|e| e.get_attribute("lang")) {
        if let Some(loc) = Locale::from_tag(&lang) {
            locale.set(loc);
        }
    }
    let live = Live {
        locale,
        switching: StoredValue::new(None),
        asked: StoredValue::new(0),
        disconnected: StoredValue::new(false),
    };
    mount_islands();
    follow_gpu_input(live);
    follow_language_toggle(live);
    spawn_local(follow_events(live));
    let refresh = use_refresh_tick(REFRESH_SECONDS);
    Effect::new(move |first: Option<()>| {
        refresh.track();
        if first.is_some() {
            self::refresh(live);
        }
    });
    if let Ok(handle) = set_interval_with_handle(move || tick(live), std::time::Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    // The page is the app's now (the first view's id marks a page not yet taken over).
    view.remove_attribute("id").ok();
}

/// A string of the status page or the common set in `loc`.
fn text(loc: Locale, key: &str) -> String {
    t_status(loc, key).unwrap_or_else(|| t(loc, key))
}

/// Mounts each system's history island on the server's placeholder (one
/// without its island yet: at start, or a system a refresh brought).
fn mount_islands() {
    let Ok(places) = document().query_selector_all(".system-history[data-system-id]:not([data-island])") else {
        return;
    };
    for i in 0..places.length() {
        let Some(place) = places.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
        let read = |name: &str| place.get_attribute(name).unwrap_or_default();
        let (id, name_ko, name_en) = (read("data-system-id"), read("data-name-ko"), read("data-name-en"));
        place.set_inner_html("");
        place.set_attribute("data-island", "").ok();
        leptos::mount::mount_to(place, move || view! { <SystemHistory id=id name_ko=name_ko name_en=name_en/> })
            .forget();
    }
}

/// One system's 90-day uptime bars and load chart, with their own history requests.
#[component]
fn SystemHistory(id: String, name_ko: String, name_en: String) -> impl IntoView {
    let refresh = use_refresh_tick(REFRESH_SECONDS);
    let range = RwSignal::new(HistoryRange::Day);
    let history = use_history(id.clone(), range.into(), refresh);
    let name = Signal::derive(move || current_locale().pick(&name_ko, &name_en).to_owned());
    view! {
        <FetchErrorView error=history.error message=Signal::derive(move || trf("error.history", &[("system", name.get())]))/>
        <UptimeBars system_id=id.clone() history=history/>
        <LoadChart system_id=id system_name=name history=history range=range/>
    }
}

/// Fetches the page as it is now (its address, the language cookie) and
/// puts it in place; an answer to a refresh that a newer one superseded is
/// dropped. A language switch asked for (already in the cookie) takes
/// effect (`<html lang>`, the islands) when a page in it is in place, so
/// words and `lang` always agree.
fn refresh(live: Live) {
    let mine = live.asked.get_value().wrapping_add(1);
    live.asked.set_value(mine);
    let location = window().location();
    let url = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    spawn_local(async move {
        let page = api::fetch_page(&url).await;
        if live.asked.get_value() != mine {
            return;
        }
        match page.ok().and_then(|html| parse(&html)) {
            Some(fresh) => {
                swap(&fresh);
                mount_islands();
                if let Some(loc) = live.switching.get_value() {
                    live.switching.set_value(None);
                    live.locale.set(loc);
                }
                check_gpu_input(live);
                tick(live);
            }
            None => {
                leptos::logging::warn!("the status page could not be refreshed; it is tried again");
                // The language stays as the page is: so does the stored choice.
                if live.switching.get_value().is_some() {
                    live.switching.set_value(None);
                    store_locale(live.locale.get_untracked());
                }
            }
        }
    });
}

fn parse(html: &str) -> Option<Document> {
    let parser = web_sys::DomParser::new().ok()?;
    parser.parse_from_string(html, web_sys::SupportedType::TextHtml).ok()
}

/// Puts `fresh`'s regions in place of the page's, keeping [`KEPT`] nodes
/// (moved into the new regions) and the focus.
fn swap(fresh: &Document) {
    let doc = document();
    let focus = Focus::take(&doc);
    for selector in REGIONS {
        let (Ok(Some(old)), Ok(Some(new))) = (doc.query_selector(selector), fresh.query_selector(selector)) else {
            continue;
        };
        keep_open(&old, &new);
        keep(&old, &new);
        if let Err(e) = old.replace_with_with_node_1(&new) {
            leptos::logging::warn!("cannot replace {selector}: {e:?}");
        }
    }
    focus.restore(&doc);
}

/// The `<details>` of a region outside the kept nodes, in document order.
fn own_details(region: &Element) -> Vec<Element> {
    let Ok(all) = region.query_selector_all("details") else { return Vec::new() };
    (0..all.length())
        .filter_map(|i| all.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .filter(|d| d.closest(KEPT).ok().flatten().is_none())
        .collect()
}

/// What the reader opened (past incidents…) stays open: each `<details>`
/// of `new` takes the state of the one at its place in `old` (when the
/// region has as many as before).
fn keep_open(old: &Element, new: &Element) {
    let (before, after) = (own_details(old), own_details(new));
    if before.len() != after.len() {
        return;
    }
    for (was, now) in before.iter().zip(&after) {
        now.toggle_attribute_with_force("open", was.has_attribute("open")).ok();
    }
}

/// Moves each kept node of `old` into `new` in place of its counterpart.
fn keep(old: &Element, new: &Element) {
    let Ok(kept) = old.query_selector_all(KEPT) else { return };
    for i in 0..kept.length() {
        let Some(node) = kept.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let Some(selector) = key_of(&node) else { continue };
        if let Ok(Some(place)) = new.query_selector(&selector) {
            place.replace_with_with_node_1(&node).ok();
        }
    }
}

/// A selector that finds `el`'s counterpart in another rendering of the page.
fn key_of(el: &Element) -> Option<String> {
    if let Some(system) = el.get_attribute("data-system-id").filter(|_| el.class_list().contains("system-history")) {
        return Some(format!(".system-history[data-system-id=\"{system}\"]"));
    }
    let id = el.id();
    (!id.is_empty()).then(|| format!("#{id}"))
}

/// Where the focus was before a swap: the element itself when it is kept,
/// else how to find its counterpart (its id, or its `data-testid` and rank).
enum Focus {
    None,
    Kept(HtmlElement, Option<(u32, u32)>),
    Find(String, u32),
}

impl Focus {
    fn take(doc: &Document) -> Focus {
        let Some(active) = doc.active_element() else { return Focus::None };
        let Ok(kept) = active.closest(KEPT) else { return Focus::None };
        if kept.is_some() {
            let selection = active
                .dyn_ref::<HtmlInputElement>()
                .and_then(|i| Some((i.selection_start().ok().flatten()?, i.selection_end().ok().flatten()?)));
            return active.dyn_into::<HtmlElement>().map_or(Focus::None, |e| Focus::Kept(e, selection));
        }
        if !active.id().is_empty() {
            return Focus::Find(format!("#{}", active.id()), 0);
        }
        let Some(testid) = active.get_attribute("data-testid") else { return Focus::None };
        let selector = format!("[data-testid=\"{testid}\"]");
        let rank = doc.query_selector_all(&selector).ok().and_then(|all| {
            (0..all.length()).find(|i| all.item(*i).is_some_and(|n| n.is_same_node(Some(active.as_ref()))))
        });
        Focus::Find(selector, rank.unwrap_or(0))
    }

    fn restore(self, doc: &Document) {
        let element = match self {
            Focus::None => return,
            Focus::Kept(el, selection) => {
                if doc.active_element().is_some_and(|a| a.is_same_node(Some(el.as_ref()))) {
                    return;
                }
                el.focus().ok();
                if let (Some((start, end)), Some(input)) = (selection, el.dyn_ref::<HtmlInputElement>()) {
                    input.set_selection_range(start, end).ok();
                }
                return;
            }
            Focus::Find(selector, rank) => doc.query_selector_all(&selector).ok().and_then(|all| all.item(rank)),
        };
        if let Some(el) = element.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            el.focus().ok();
        }
    }
}

fn gpu_input() -> Option<HtmlInputElement> {
    document().get_element_by_id(GPU_INPUT_ID)?.dyn_into().ok()
}

/// A count typed into the GPU input is checked at once and, when it is
/// one, kept in the address (`?gpus=`) and asked of the server.
fn follow_gpu_input(live: Live) {
    let Some(input) = gpu_input() else { return };
    let on_input = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if let Some(gpus) = check_gpu_input(live) {
            let query = gpus_query(gpus);
            if query != address::query() {
                address::replace_query(&query);
                refresh(live);
            }
        }
    });
    input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref()).ok();
    on_input.forget();
    // Enter would send the form (the page without the wasm asks the server
    // that way): the answers are here already. The form is swapped with
    // `main`, so the listener is the window's.
    let handle = window_event_listener(leptos::ev::submit, |ev| {
        let gpu_form = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|f| f.class_list().contains("gpu-field"));
        if gpu_form {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

/// Marks the GPU input valid or not and shows its translated error; the count when valid.
fn check_gpu_input(live: Live) -> Option<u32> {
    let input = gpu_input()?;
    let raw = input.value();
    let parsed = parse_gpu_count(&raw);
    let doc = document();
    let error = doc.get_element_by_id(GPU_ERROR_ID);
    match parsed {
        Ok(gpus) => {
            if let Some(e) = error {
                e.remove();
            }
            input.set_attribute("aria-invalid", "false").ok();
            input.set_attribute("aria-describedby", GPU_HINT_ID).ok();
            Some(gpus)
        }
        Err(kind) => {
            let loc = live.locale.get_untracked();
            let key = match kind {
                _ if raw.trim().is_empty() => "gpu.error_empty",
                GpuCountError::Zero => "gpu.error_zero",
                GpuCountError::NotANumber => "gpu.error_not_a_number",
            };
            let error = error.or_else(|| {
                let p = doc.create_element("p").ok()?;
                for (name, value) in
                    [("id", GPU_ERROR_ID), ("class", "field-error"), ("data-testid", GPU_ERROR_ID), ("role", "alert")]
                {
                    p.set_attribute(name, value).ok();
                }
                doc.get_element_by_id(GPU_HINT_ID)?.after_with_node_1(&p).ok()?;
                Some(p)
            });
            if let Some(e) = error {
                e.set_text_content(Some(&text(loc, key)));
            }
            input.set_attribute("aria-invalid", "true").ok();
            input.set_attribute("aria-describedby", &format!("{GPU_HINT_ID} {GPU_ERROR_ID}")).ok();
            None
        }
    }
}

/// The language toggle (anywhere in the header, which refreshes replace)
/// switches the language, stores it and fetches the page in it.
fn follow_language_toggle(live: Live) {
    let handle = window_event_listener(leptos::ev::click, move |ev| {
        let on_toggle = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("[data-testid=lang-toggle]").ok().flatten())
            .is_some();
        if !on_toggle {
            return;
        }
        let shown = live.locale.get_untracked();
        let next = live.switching.get_value().unwrap_or(shown).other();
        // Stored before the request, which carries it as a cookie.
        store_locale(next);
        live.switching.set_value((next != shown).then_some(next));
        refresh(live);
    });
    on_cleanup(move || handle.remove());
}

/// Every `status` event asks for the page again; while the stream is down
/// (the browser gave up, or it has been reconnecting for a while) the page
/// says so, and the stream is reopened with back-off.
async fn follow_events(live: Live) {
    let mut pause = RECONNECT_MS.0;
    loop {
        if let Ok((source, mut events)) = api::subscribe_status() {
            let mut connecting_s = 0;
            loop {
                match select(events.next(), TimeoutFuture::new(1_000)).await {
                    Either::Left((Some(Ok(_)), _)) => {
                        pause = RECONNECT_MS.0;
                        set_disconnected(live, false);
                        refresh(live);
                    }
                    Either::Left((Some(Err(_)) | None, _)) => break,
                    Either::Right(((), _)) => {
                        connecting_s = if source.state() == State::Connecting { connecting_s + 1 } else { 0 };
                        if connecting_s >= CONNECTING_GRACE_S {
                            set_disconnected(live, true);
                        }
                    }
                }
            }
        }
        set_disconnected(live, true);
        TimeoutFuture::new(pause).await;
        pause = (pause * 2).min(RECONNECT_MS.1);
    }
}

fn set_disconnected(live: Live, down: bool) {
    if live.disconnected.get_value() != down {
        live.disconnected.set_value(down);
        tick(live);
    }
}

/// The snapshot's time on the page (`data-updated-at`).
fn updated_at() -> Option<(Element, DateTime<Utc>)> {
    let el = document().query_selector("[data-testid=updated-ago]").ok().flatten()?;
    let at = el.get_attribute("data-updated-at")?.parse::<DateTime<Utc>>().ok()?;
    Some((el, at))
}

/// Once a second: "updated N s ago" follows the clock, and the warning
/// that the stream is down is there exactly while it is.
fn tick(live: Live) {
    let Some((el, at)) = updated_at() else { return };
    let loc = live.locale.get_untracked();
    let age_s = ((now_ms() - at.timestamp_millis() as f64) / 1000.0).floor() as i64;
    if let Ok(Some(time)) = el.query_selector("time") {
        let shown = ago(loc, age_s);
        if time.text_content().as_deref() != Some(shown.as_str()) {
            time.set_text_content(Some(&shown));
        }
    }
    let doc = document();
    let warning = doc.get_element_by_id("stream-down");
    match (live.disconnected.get_value(), warning) {
        (false, Some(w)) => w.remove(),
        (true, None) => {
            let Ok(Some(banner)) = doc.query_selector("[data-testid=overall-status]") else { return };
            let message = text(loc, "live.disconnected").replace("{time}", &kst_minute(at));
            if let Some(w) = stream_down(&doc, &message) {
                banner.after_with_node_1(&w).ok();
            }
        }
        _ => {}
    }
}

/// The "live updates stopped" warning, as the server's stale warning.
fn stream_down(doc: &Document, message: &str) -> Option<Element> {
    let w = doc.create_element("div").ok()?;
    w.set_id("stream-down");
    w.set_class_name("stale-warning");
    w.set_attribute("role", "alert").ok()?;
    w.set_attribute("data-testid", "stale-warning").ok()?;
    let icon = format!(
        "<svg class=\"icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\" focusable=\"false\"><path fill-rule=\"evenodd\" fill=\"currentColor\" d=\"{}\"></path></svg><span></span>",
        status_icon_path(Status::Degraded)
    );
    w.set_inner_html(&icon);
    w.query_selector("span").ok()??.set_text_content(Some(message));
    Some(w)
}
