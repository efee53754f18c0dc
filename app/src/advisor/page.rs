//! The wizard in the browser, without Leptos: the server's first view (the
//! header and the introduction) is taken over as it is, the wizard renders
//! below it ([`super::view`]) and every change puts only the regions whose
//! markup changed in place (`common::morph`). This module holds the one
//! [`Model`] and its loop: a change ([`update`]) → the waits it needs are
//! scheduled → regions rendered and put in place → the address follows.
//! The data come from here too: the catalogue once, the queues every
//! minute, the live summary from the status stream.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_timers::callback::{Interval, Timeout};
use gloo_timers::future::TimeoutFuture;
use kairr_shared::advisor::{predict_wait, WaitJob};
use kairr_shared::api::FIRST_VIEW_ID;
use kairr_shared::display::footer::footer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Document, Element};

use super::labels::Text;
use super::model::{JobKey, Model};
use super::query::{self, Mode};
use super::view::{self, ROOT_ID};
use super::{events, timing};
use crate::common::api;
use crate::common::dom::{document, warn};
use crate::common::live::{follow_status_events, now_utc, REFRESH_SECONDS};
use crate::common::morph::morph_html;

/// Pause after the last change before waits are simulated, ms.
pub const WAIT_DEBOUNCE_MS: u32 = 300;
/// Seed of the wait simulation (fixed: the same link gives the same band).
pub const WAIT_SEED: u64 = 2026;
/// Milliseconds the address waits for typing to pause (browsers limit `replaceState` calls).
const URL_DEBOUNCE_MS: u32 = 250;

/// The model and what the page shows of it.
struct App {
    model: Model,
    /// The markup of each region as last put in place, and the mode it was in.
    shown: HashMap<&'static str, String>,
    shown_mode: Option<Mode>,
    /// Due to be put in place whole (the first render, the catalogue's arrival).
    whole: bool,
    /// A render is asked for on the next frame.
    render_due: bool,
    /// The newest wait simulation asked for (older ones stop) and the jobs it simulates.
    wait_generation: u32,
    simulating: Vec<JobKey>,
    url: Option<Timeout>,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

/// Runs `f` on the app (nothing before [`start`]).
/// A call while the app is already in use (an event fired by a DOM change
/// made inside it) is dropped with a warning rather than a panic.
fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|a| match a.try_borrow_mut() {
        Ok(mut app) => app.as_mut().map(f),
        Err(_) => {
            warn("the wizard was asked to change while it was changing; the second change is dropped");
            None
        }
    })
}

/// Reads the model (for an event handler).
pub fn with_model<R>(f: impl FnOnce(&mut Model) -> R) -> Option<R> {
    with_app(|a| f(&mut a.model))
}

/// Starts the wizard: its state from the address, its place under the
/// server's introduction, its events and its data.
pub fn start() {
    let Some(doc) = document() else { return };
    let loc = crate::common::i18n::initial_locale();
    crate::common::i18n::store_locale(loc);
    let model = Model::new(Text { loc }, query::decode(&crate::common::address::query()));
    take_over(&doc, Text { loc });
    APP.with(|a| {
        *a.borrow_mut() = Some(App {
            model,
            shown: HashMap::new(),
            shown_mode: None,
            whole: true,
            render_due: false,
            wait_generation: 0,
            simulating: Vec::new(),
            url: None,
        });
    });
    events::listen();
    // The first render waits for the catalogue (or its failure): the form
    // needs its GPU models and sites, and one render is one long task less.
    load();
}

/// The server's first view stays as it is painted (its wrapper goes, its
/// elements stay in place); the wizard's root goes into its `<main>`, the
/// footer after it. Without a first view (no server page) a `<main>` is made.
fn take_over(doc: &Document, text: Text) {
    if let Some(first) = doc.get_element_by_id(FIRST_VIEW_ID) {
        while let Some(child) = first.first_child() {
            if let Err(e) = first.before_with_node_1(&child) {
                warn(&format!("cannot keep the first view: {e:?}"));
                break;
            }
        }
        first.remove();
    }
    let main = doc.get_element_by_id("main").or_else(|| {
        let main = doc.create_element("main").ok()?;
        main.set_id("main");
        main.set_class_name("advisor-main");
        doc.body()?.append_child(&main).ok()?;
        Some(main)
    });
    let Some(main) = main else { return };
    let Ok(root) = doc.create_element("div") else { return };
    root.set_id(ROOT_ID);
    // Until the catalogue is in (the first render replaces it).
    root.set_inner_html(&maud::html! { p.muted role="status" { (text.t("common.loading")) } }.into_string());
    if let Err(e) = main.append_child(&root) {
        warn(&format!("cannot place the wizard: {e:?}"));
    }
}

/// Puts the footer after `<main>` (once: with the wizard's first render, so it is never painted above it).
fn place_footer(doc: &Document, m: &Model) {
    if let (Ok(None), Some(main)) = (doc.query_selector("footer.site-footer"), doc.get_element_by_id("main")) {
        let html = footer(m.text.loc, m.summary.as_ref().map(|s| s.source), false).into_string();
        if let Err(e) = main.insert_adjacent_html("afterend", &html) {
            warn(&format!("cannot place the footer: {e:?}"));
        }
    }
}

/// Changes the model with `f`, then schedules the waits it needs, renders
/// it and lets the address follow.
pub fn update(f: impl FnOnce(&mut Model)) {
    with_model(f);
    schedule_waits();
    render();
    sync_url();
}

/// Changes the model with `f` for data that arrived (not the person): as
/// [`update`], but rendered on the next frame, once for every arrival in it.
fn arrived(f: impl FnOnce(&mut Model)) {
    with_model(f);
    schedule_waits();
    // The first render waits for the catalogue (or its failure).
    let due = with_app(|app| {
        let ready = app.model.catalogue.is_some() || app.model.load_error.is_some();
        ready && !std::mem::replace(&mut app.render_due, true)
    });
    if due != Some(true) {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let frame = wasm_bindgen::closure::Closure::once_into_js(|| {
        with_app(|app| app.render_due = false);
        render();
    });
    if let Err(e) = window.request_animation_frame(frame.unchecked_ref()) {
        warn(&format!("cannot ask for a frame: {e:?}"));
    }
}

/// Puts every region whose markup changed in place (the whole wizard when the mode changed).
pub fn render() {
    let Some(doc) = document() else { return };
    with_app(|app| {
        app.model.now = now_utc();
        let regions = view::regions(&mut app.model);
        let mode = app.model.mode;
        let whole = app.whole && !focus_within(&doc);
        if whole || app.shown_mode != Some(mode) {
            if let Some(root) = doc.get_element_by_id(ROOT_ID) {
                let html = view::page(&app.model, &regions).into_string();
                // Nothing the person is busy with is inside: the browser parses it in place at once.
                if whole {
                    root.set_outer_html(&html);
                    place_footer(&doc, &app.model);
                    restore_focus(&doc);
                } else {
                    morph_html(&root, &html);
                }
            }
            app.whole = false;
            app.shown = regions.into_iter().map(|(id, m)| (id, m.into_string())).collect();
            app.shown_mode = Some(mode);
            return;
        }
        app.whole = false;
        for (id, markup) in regions {
            let html = markup.into_string();
            if app.shown.get(id) == Some(&html) {
                continue;
            }
            if let Some(el) = doc.get_element_by_id(id) {
                morph_html(&el, &html);
            }
            app.shown.insert(id, html);
        }
        source_changed(&doc, app);
    });
    timing::rendered();
}

/// Where the focus goes back to after the page reloaded in the other language.
pub const FOCUS_AFTER_RELOAD: (&str, &str) = ("kairr.advisor.focus", "[data-testid=lang-toggle]");

/// The language toggle takes the focus again when the page was reloaded by it.
fn restore_focus(doc: &Document) {
    let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) else { return };
    let Ok(Some(selector)) = storage.get_item(FOCUS_AFTER_RELOAD.0) else { return };
    let _ = storage.remove_item(FOCUS_AFTER_RELOAD.0);
    if let Ok(Some(el)) = doc.query_selector(&selector) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Whether the focus is inside the wizard.
fn focus_within(doc: &Document) -> bool {
    doc.active_element().is_some_and(|a| a.closest(&format!("#{ROOT_ID}")).ok().flatten().is_some())
}

/// The footer names the live figures' source once it is known.
/// (Compared with the footer last put in place, as a region is: nothing is
/// read back from the page on each render.)
fn source_changed(doc: &Document, app: &mut App) {
    let Some(summary) = app.model.summary.as_ref() else { return };
    let html = footer(app.model.text.loc, Some(summary.source), false).into_string();
    if app.shown.get(FOOTER) == Some(&html) {
        return;
    }
    if let Ok(Some(old)) = doc.query_selector("footer.site-footer") {
        morph_html(&old, &html);
        app.shown.insert(FOOTER, html);
    }
}

/// The footer's key among the shown markups.
const FOOTER: &str = "footer";

/// Writes the wizard's state to the address once typing pauses.
fn sync_url() {
    with_app(|app| {
        let url = query::encode(&app.model.url_state());
        app.url = Some(Timeout::new(URL_DEBOUNCE_MS, move || crate::common::address::replace_query(&url)));
    });
}

/// Writes the wizard's state to the address now (before the page reloads).
pub fn flush_url() {
    with_app(|app| {
        app.url = None;
        crate::common::address::replace_query(&query::encode(&app.model.url_state()));
    });
}

/// Simulates the waits of jobs not simulated from the current queue
/// snapshot, after a pause in typing. Bands from an older snapshot stay in
/// use until replaced, so a refresh does not flicker.
fn schedule_waits() {
    let Some(Some((missing, mine))) = with_app(|app| {
        let missing = app.model.missing_waits();
        app.model.waits_pending = !missing.is_empty();
        // A change that wants no job the running simulation does not cover
        // (a live snapshot, a step, a pool just simulated) lets it run on.
        if !missing.is_empty() && missing.iter().all(|k| app.simulating.contains(k)) {
            return None;
        }
        app.wait_generation = app.wait_generation.wrapping_add(1);
        app.simulating.clone_from(&missing);
        Some((missing, app.wait_generation))
    }) else {
        return;
    };
    if missing.is_empty() {
        return;
    }
    spawn_local(async move {
        TimeoutFuture::new(WAIT_DEBOUNCE_MS).await;
        for key in missing {
            let still = with_app(|app| {
                if app.wait_generation != mine {
                    return false;
                }
                let band = simulate(&app.model, &key);
                app.model.waits.insert(key, (app.model.queues_at(), band));
                true
            });
            if still != Some(true) {
                return;
            }
            // Yield between pools so input stays responsive.
            TimeoutFuture::new(0).await;
        }
        // Only the newest simulation says it is done (an older one was overtaken meanwhile).
        if with_app(|app| app.wait_generation == mine) == Some(true) {
            with_app(|app| app.simulating.clear());
            arrived(|m| {
                m.waits_pending = false;
                m.changed();
            });
        }
    });
}

fn simulate(m: &Model, key: &JobKey) -> Option<kairr_shared::advisor::WaitBand> {
    let c = m.catalogue.as_ref()?;
    let snap = m.queues.as_ref()?.queues.iter().find(|s| s.pool_id == key.0)?;
    predict_wait(snap, WaitJob { nodes: key.1, walltime_seconds: key.2 }, &c.advisor.wait, WAIT_SEED)
}

/// The catalogue once, the queues now and every minute, the live summary
/// now and with every `status` event.
fn load() {
    spawn_local(async {
        let result = api::fetch_catalogue().await;
        // Everything changes with the catalogue: put in place whole.
        with_app(|app| app.whole = true);
        arrived(|m| {
            match result {
                Ok(c) => m.catalogue = Some(c),
                Err(e) => m.load_error = Some(e),
            }
            m.changed();
        });
    });
    let queues = || {
        spawn_local(async {
            let result = api::fetch_queues().await;
            arrived(|m| {
                match result {
                    Ok(q) => {
                        m.queues = Some(q);
                        // A passing failure of the queues is over (the catalogue's is final: it is read once).
                        if m.catalogue.is_some() {
                            m.load_error = None;
                        }
                    }
                    Err(e) => m.load_error = m.load_error.take().or(Some(e)),
                }
                m.changed();
            });
        })
    };
    queues();
    Interval::new(REFRESH_SECONDS as u32 * 1_000, queues).forget();
    spawn_local(fetch_summary());
    let on_event = |message: &web_sys::MessageEvent| match api::decode_status_event(message) {
        Ok(summary) => live(Ok(summary)),
        Err(e) => live(Err(e)),
    };
    spawn_local(follow_status_events(on_event, |_| {}, fetch_summary));
}

async fn fetch_summary() {
    live(api::fetch_status().await);
}

/// Takes a live summary unless a newer one is shown.
fn live(result: Result<kairr_shared::api::StatusSummary, api::FetchError>) {
    arrived(|m| match result {
        Ok(s) => {
            if m.summary.as_ref().is_none_or(|old| old.updated_at <= s.updated_at) {
                m.summary = Some(s);
                m.changed();
            }
            m.live_error = None;
        }
        Err(e) => m.live_error = Some(e),
    });
}

/// The element `id`, focused (after its step is shown).
pub fn focus(id: &str) {
    let Some(el) = document().and_then(|d| d.get_element_by_id(id)) else { return };
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        if let Err(e) = el.focus() {
            warn(&format!("cannot focus {id}: {e:?}"));
        }
    }
}

/// The wizard's root, if it is in the page.
pub fn root() -> Option<Element> {
    document()?.get_element_by_id(ROOT_ID)
}
