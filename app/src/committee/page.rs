//! The committee overview in the browser, without Leptos (as the wizard):
//! the server's first view (header and introduction) stays as painted, the
//! page renders below it ([`super::view`]) and every change puts only the
//! regions whose markup changed in place (`common::morph`). This module holds
//! the one [`Model`] and its loop, loads the data (the session from the page,
//! the overview and proposal now and after every burst of `programme`
//! events) and listens to what the person does.

use std::cell::RefCell;
use std::collections::HashMap;

use futures_util::future::join;
use futures_util::{FutureExt, StreamExt};
use gloo_timers::future::TimeoutFuture;
use kairr_shared::api::{InitialSession, FIRST_VIEW_ID, INITIAL_SESSION_ID};
use kairr_shared::display::footer::footer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Document, Element, HtmlCanvasElement};

use super::model::MadeChange;
use super::model::{Model, Page};
use super::text::Text;
use super::view::charts::{held_figure, share_groups, share_max, timeline_pool, timeline_today, TIMELINE_HEIGHT_PX};
use super::view::page::{self as view, ROOT_ID};
use crate::common::api::FetchError;
use crate::common::dom::{document, on, target_within, warn};
use crate::common::morph::morph_html;
use crate::programme::api::{self, AdjustBody, QueueQuery};
use crate::programme::charts::{self, Axis, CanvasSpec};
use kairr_shared::allocation::usecase::AdoptInput;
use kairr_shared::allocation::usecase::PeriodChange;
use kairr_shared::allocation::{Adjustment, DecisionInput, DecisionKind, DecisionRequest, PeriodInput, RequestId};

/// The model and the markup of each region as last put in place.
struct App {
    model: Model,
    shown: HashMap<&'static str, String>,
    /// What each chart's canvas was last drawn from (its width and data).
    drawn: HashMap<String, String>,
    /// The page's root is not in place yet (the first render puts it whole).
    whole: bool,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

/// Runs `f` on the app (nothing before [`start`]); a call while the app is in
/// use (an event fired by a DOM change made inside it) is dropped with a warning.
fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|a| match a.try_borrow_mut() {
        Ok(mut app) => app.as_mut().map(f),
        Err(_) => {
            warn("the committee page was asked to change while it was changing; the second change is dropped");
            None
        }
    })
}

/// Starts the page: its language, the session the server embedded, the
/// round in the address, its place under the introduction, its events and data.
pub fn start() {
    let Some(doc) = document() else { return };
    let loc = crate::common::i18n::initial_locale();
    crate::common::i18n::store_locale(loc);
    let round = round_in_address();
    let queue_query = QueueQuery {
        round: round.clone(),
        sort: "id".to_owned(),
        page: 1,
        per_page: super::view::queue::QUEUE_PER_PAGE,
        ..QueueQuery::default()
    };
    let path = crate::common::address::path();
    let page = if path.starts_with("/committee/requests/") {
        let amount = web_sys::UrlSearchParams::new_with_str(&crate::common::address::query())
            .ok()
            .and_then(|p| p.get("amount"))
            .and_then(|a| a.parse().ok());
        Page::Request { id: crate::common::address::path_id(), suggested: amount }
    } else {
        Page::Overview
    };
    let mut model = Model { text: Text { loc, pools: Vec::new() }, page, round, queue_query, ..Model::default() };
    let embedded = embedded_session(&doc);
    let had_session = embedded.is_some();
    if let Some(s) = embedded {
        model.session_arrived(Ok(s));
    }
    take_over(&doc);
    APP.with(|a| *a.borrow_mut() = Some(App { model, shown: HashMap::new(), drawn: HashMap::new(), whole: true }));
    listen();
    render();
    if !had_session {
        spawn_local(async {
            let answer = api::fetch_session().await;
            arrived(|m| m.session_arrived(answer));
        });
    }
    load();
    if with_app(|app| app.model.page == Page::Overview) == Some(true) {
        spawn_local(follow_programme());
    }
}

/// `?round=` of the address, if any.
fn round_in_address() -> Option<String> {
    let params = web_sys::UrlSearchParams::new_with_str(&crate::common::address::query()).ok()?;
    params.get("round").filter(|r| !r.trim().is_empty())
}

/// The session the server rendered the page for (`<script id="kairr-session">`), taken out of the page.
fn embedded_session(doc: &Document) -> Option<kairr_shared::auth::SessionInfo> {
    let element = doc.get_element_by_id(INITIAL_SESSION_ID)?;
    element.remove();
    let text = element.text_content()?;
    match crate::common::api::from_json::<InitialSession>(&text) {
        Ok(i) => Some(i.session),
        Err(e) => {
            warn(&format!("the embedded session is unreadable: {e}"));
            None
        }
    }
}

/// The first view's elements stay where they were painted (its wrapper
/// goes); the page's root goes into its `<main>` (made when there is none).
fn take_over(doc: &Document) {
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
        main.set_class_name("programme-main committee");
        doc.body()?.append_child(&main).ok()?;
        Some(main)
    });
    let (Some(main), Ok(root)) = (main, doc.create_element("div")) else { return };
    root.set_id(ROOT_ID);
    if let Err(e) = main.append_child(&root) {
        warn(&format!("cannot place the committee page: {e:?}"));
    }
}

/// Changes the model with `f` (what the person did), then renders.
fn changed(f: impl FnOnce(&mut Model)) {
    with_app(|app| f(&mut app.model));
    render();
}

/// Changes the model with `f` for data that arrived, then renders.
fn arrived(f: impl FnOnce(&mut Model)) {
    with_app(|app| f(&mut app.model));
    render();
}

/// Puts every region whose markup changed in place (the whole root the first time).
fn render() {
    let Some(doc) = document() else { return };
    with_app(|app| {
        app.model.now = crate::common::live::now_utc();
        doc.set_title(&title(&app.model));
        let regions = view::regions(&app.model);
        let Some(root) = doc.get_element_by_id(ROOT_ID) else { return };
        let ids: Vec<&str> = regions.iter().map(|(id, _)| *id).collect();
        let same_regions = app.shown.len() == ids.len() && ids.iter().all(|id| app.shown.contains_key(id));
        if app.whole || !same_regions {
            // Regions came or went (the session or the overview arrived): the root morphs as one.
            morph_html(&root, &view::page(&regions).into_string());
            if app.whole {
                place_footer(&doc, &app.model);
            }
            app.whole = false;
            app.shown = regions.into_iter().map(|(id, m)| (id, m.into_string())).collect();
            draw_charts(&doc, app);
            return;
        }
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
        draw_charts(&doc, app);
    });
}

/// Draws each chart whose canvas is new, resized, or shows other data
/// (plotters, `programme::charts`); the rest keep their drawing.
fn draw_charts(doc: &Document, app: &mut App) {
    let Some(o) = &app.model.overview.data else { return };
    let Ok(canvases) = doc.query_selector_all("#committee canvas[data-chart]") else { return };
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let x = &app.model.text;
    for canvas in (0..canvases.length()).filter_map(|i| canvases.item(i)?.dyn_into::<HtmlCanvasElement>().ok()) {
        let key = canvas.get_attribute("data-chart").unwrap_or_default();
        let width = canvas.parent_element().map_or(0, |p| p.client_width()).max(1);
        let spec = |height: f64| CanvasSpec { css_width: f64::from(width), css_height: height, dpr };
        // A canvas the morph put in new has its default backing store: draw it whatever was drawn before.
        let sized = canvas.width() == (f64::from(width) * dpr.max(1.0)).round() as u32;
        let drawn = match key.as_str() {
            "shares-sector" | "shares-region" => {
                let rows = if key == "shares-sector" { &o.sectors } else { &o.regions };
                let groups = share_groups(x, rows);
                let signature = format!("{width}|{groups:?}");
                if sized && app.drawn.get(&key) == Some(&signature) {
                    continue;
                }
                let axis = Axis::up_to(share_max(rows));
                let format = |v: f64| kairr_shared::display::format::percent(v, 0);
                charts::draw_bars(&canvas, &groups, axis, &format, spec(charts::bar_chart_height(groups.len())))
                    .map(|()| signature)
            }
            "timeline" => {
                let (_, pool) = timeline_pool(&o.timeline, &app.model.timeline_pool);
                let Some(held) = o.held(&pool) else { continue };
                let signature = format!("{width}|{pool}|{held:?}|{}", o.today);
                if sized && app.drawn.get(&key) == Some(&signature) {
                    continue;
                }
                let today = timeline_today(Some(o.today), &held);
                charts::draw_held(&canvas, &held, today, &held_figure, spec(TIMELINE_HEIGHT_PX)).map(|()| signature)
            }
            _ => continue,
        };
        match drawn {
            Ok(signature) => {
                app.drawn.insert(key, signature);
            }
            Err(e) => warn(&format!("cannot draw the chart {key}: {e}")),
        }
    }
}

/// The document title: the page's name and the programme's, as the server titles its first views.
fn title(m: &Model) -> String {
    let x = &m.text;
    let name = match &m.page {
        Page::Overview => x.t("programme.committee.title"),
        Page::Request { .. } if m.detail.error.as_ref().and_then(api::http_status) == Some(404) => {
            x.t("not_found.title")
        }
        Page::Request { id, .. } => {
            x.f("programme.request_page", &[("id", id.map(|i| i.to_string()).unwrap_or_default())])
        }
    };
    kairr_shared::i18n::page_title(&name, &x.t("programme.page_title"))
}

/// Puts the footer after `<main>` once.
fn place_footer(doc: &Document, m: &Model) {
    if let (Ok(None), Some(main)) = (doc.query_selector("footer.site-footer"), doc.get_element_by_id("main")) {
        let html = footer(m.text.loc, None, false).into_string();
        if let Err(e) = main.insert_adjacent_html("afterend", &html) {
            warn(&format!("cannot place the footer: {e:?}"));
        }
    }
}

/// Fetches what the page shows: the request of the request page, or the
/// overview and the proposal of the round (together: what is shown stays
/// until both answers replace it) and the queue.
fn load() {
    if let Some(Page::Request { id, .. }) = with_app(|app| app.model.page.clone()) {
        if let Some(id) = id {
            spawn_local(async move {
                let answer = api::fetch_request(id).await;
                arrived(|m| m.detail_arrived(answer));
            });
        }
        return;
    }
    let round = with_app(|app| app.model.round.clone()).flatten();
    spawn_local(async move {
        let r = round.as_deref();
        let (overview, proposal) = join(api::fetch_overview(r), api::fetch_proposal(r)).await;
        // The first overview's render is timed (`kairr:committee-render`, read by the browser tests).
        let timed = overview.is_ok() && with_app(|app| app.model.overview.data.is_none()) == Some(true);
        let start = timed.then(render_timing_start).flatten();
        arrived(|m| {
            m.overview.store(overview);
            m.proposal.store(proposal);
        });
        if let Some(start) = start {
            render_timing_end(start);
        }
        apply_saved_draft().await;
    });
    load_queue();
}

/// The committee's saved draft: applied once, when the proposal is first
/// known (the changes survive a reload and are shared by the members).
async fn apply_saved_draft() {
    let Some(Some((proposal, csrf))) = with_app(|app| {
        let m = &mut app.model;
        if m.adjusting.draft_asked {
            return None;
        }
        let p = m.proposal.data.clone()?;
        m.adjusting.draft_asked = true;
        Some((p, csrf(m)))
    }) else {
        return;
    };
    let Ok(draft) = api::fetch_draft(&proposal.round.0).await else { return };
    if draft.adjustments.is_empty() {
        return;
    }
    let made: Vec<MadeChange> = draft
        .adjustments
        .iter()
        .map(|a| MadeChange {
            request: a.request.0,
            from: proposal.line(a.request).map_or(0, |l| l.proposed),
            to: a.amount,
        })
        .collect();
    let body = AdjustBody { round: Some(proposal.round.0.clone()), adjustments: draft.adjustments };
    let answer = api::adjust(&csrf, &body).await;
    arrived(|m| match answer {
        Ok(a) => {
            m.adjusting.adjusted = Some(a);
            m.adjusting.made = made;
        }
        Err(e) => m.adjusting.error = Some(e),
    });
}

/// The session's CSRF token (empty before the session is known).
fn csrf(m: &Model) -> String {
    m.session.data.as_ref().map(|s| s.csrf_token.clone()).unwrap_or_default()
}

/// The round of the proposal shown.
fn proposal_round(m: &Model) -> Option<String> {
    m.proposal.data.as_ref().map(|p| p.round.0.clone())
}

/// Sets the edited line to `amount`: the server adjusts the proposal, the
/// changes are saved as the round's draft, the editor closes.
fn apply_amount(amount: u64) {
    let Some(Some((made, body, csrf))) = with_app(|app| {
        let m = &app.model;
        let line = m.adjusting.editing.as_ref()?;
        let made = m.adjusting.with_amount(line, amount);
        let adjustments = made.iter().map(|c| Adjustment { request: RequestId(c.request), amount: c.to }).collect();
        Some((made, AdjustBody { round: proposal_round(m), adjustments }, csrf(m)))
    }) else {
        return;
    };
    spawn_local(async move {
        let answer = api::adjust(&csrf, &body).await;
        let saved = answer.is_ok();
        arrived(|m| match answer {
            Ok(a) => {
                m.adjusting.adjusted = Some(a);
                m.adjusting.made = made;
                m.adjusting.editing = None;
                m.adjusting.error = None;
            }
            Err(e) => m.adjusting.error = Some(e),
        });
        if saved {
            save_draft(body).await;
        }
    });
}

/// Keeps the changes as the round's draft on the server.
async fn save_draft(body: AdjustBody) {
    let (Some(round), Some(csrf)) = (body.round, with_app(|app| csrf(&app.model))) else { return };
    if let Err(e) = api::save_draft(&csrf, &round, body.adjustments).await {
        arrived(|m| m.adjusting.error = Some(e));
    }
}

/// Sends the decision unless the form's own check refuses it (shown as the server's answer would be).
fn decide() {
    let Some(Some(Some((id, body, csrf)))) = with_app(|app| {
        let m = &mut app.model;
        let d = m.detail.data.as_ref()?;
        let f = &m.decision;
        let body = DecisionRequest {
            decision: DecisionInput {
                kind: f.kind.as_str().to_owned(),
                amount: if f.kind == DecisionKind::Reject { None } else { f.amount.trim().parse().ok() },
                rationale: f.rationale.clone(),
            },
            period: PeriodInput { period_start: f.start.clone(), period_end: f.end.clone() },
            override_reason: f.override_reason.clone(),
        };
        let problems = d.decision_problems(&body, m.admin(), crate::common::live::now_utc());
        if !problems.is_empty() {
            m.decision.error = Some(FetchError::invalid(problems));
            return Some(None);
        }
        m.decision.busy = true;
        Some(Some((d.request.id.0, body, csrf(m))))
    }) else {
        render();
        focus_summary("decision");
        return;
    };
    render();
    spawn_local(async move {
        let answer = api::decide(&csrf, id, &body).await;
        let ok = answer.is_ok();
        arrived(|m| {
            m.decision.busy = false;
            match answer {
                Ok(_) => {
                    m.decision.error = None;
                    m.decision_saved = true;
                }
                Err(e) => m.decision.error = Some(e),
            }
        });
        if ok {
            load();
        } else {
            focus_summary("decision");
        }
    });
}

/// Sends an allocation's new period unless the form's own check refuses it.
fn change_period() {
    let Some(Some(Some((id, input, csrf)))) = with_app(|app| {
        let m = &mut app.model;
        let d = m.detail.data.as_ref()?;
        let a = d.allocation.as_ref()?;
        let f = &m.period;
        let input = PeriodChange { period_start: f.start.clone(), period_end: f.end.clone(), reason: f.reason.clone() };
        let problems =
            input.field_problems((d.round_period_start, d.round_period_end), a, crate::common::live::now_utc());
        if !problems.is_empty() {
            m.period.error = Some(FetchError::invalid(problems));
            return Some(None);
        }
        m.period.busy = true;
        Some(Some((a.id.0, input, csrf(m))))
    }) else {
        render();
        focus_summary("period");
        return;
    };
    render();
    spawn_local(async move {
        let answer = api::change_period(&csrf, id, &input).await;
        let ok = answer.is_ok();
        arrived(|m| {
            m.period.busy = false;
            match answer {
                Ok(_) => {
                    m.period.error = None;
                    m.period_saved = true;
                }
                Err(e) => m.period.error = Some(e),
            }
        });
        if ok {
            load();
        } else {
            focus_summary("period");
        }
    });
}

/// Focuses a form's error summary when it lists something (a keyboard or
/// screen-reader user hears what to fix).
fn focus_summary(scope: &str) {
    let selector = format!("#committee [data-form={scope}] .error-summary:not([hidden])");
    if let Some(el) = document().and_then(|d| d.query_selector(&selector).ok().flatten()).and_then(html_element) {
        let _ = el.focus();
    }
}

/// Adopts the proposal with the changes: one decision per undecided request.
fn adopt() {
    let Some(Some((round, input, csrf))) = with_app(|app| {
        let m = &mut app.model;
        let round = proposal_round(m)?;
        m.adopting.busy = true;
        let input = AdoptInput {
            adjustments: m.adjusting.adjustments(),
            rationale: m.adopting.rationale.clone(),
            override_reason: m.adopting.reason.clone(),
        };
        Some((round, input, csrf(m)))
    }) else {
        return;
    };
    render();
    spawn_local(async move {
        let answer = api::adopt(&csrf, &round, &input).await;
        arrived(|m| {
            match answer {
                Ok(done) => {
                    m.adopting.error = None;
                    m.adopting.confirming = false;
                    m.adopting.result = Some(done);
                }
                Err(e) => m.adopting.error = Some(e),
            }
            m.adopting.busy = false;
        });
    });
}

/// Marks the data's arrival (`kairr:committee-data`); the time it was marked at.
fn render_timing_start() -> Option<f64> {
    let perf = web_sys::window()?.performance()?;
    perf.mark("kairr:committee-data").ok()?;
    Some(perf.now())
}

/// Marks the render done (regions and charts in place: the render is
/// synchronous) and records `kairr:committee-render` in `window.__kairrCommitteeRender`.
fn render_timing_end(start: f64) {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else { return };
    crate::common::timing::record(
        "__kairrCommitteeRender",
        "kairr:committee-data",
        "kairr:committee-rendered",
        "kairr:committee-render",
        perf.now() - start,
    );
}

/// Fetches the queue's page for its filters; an answer overtaken by a newer
/// query is dropped.
fn load_queue() {
    let Some(query) = with_app(|app| app.model.queue_query.clone()) else { return };
    spawn_local(async move {
        let answer = api::fetch_queue(&query).await;
        arrived(|m| {
            if m.queue_query == query {
                m.queue.store(answer);
            }
        });
    });
}

/// Changes the queue's query with `f` (back to its first page unless `f` pages) and fetches it.
fn queue_changed(f: impl FnOnce(&mut QueueQuery)) {
    with_app(|app| f(&mut app.model.queue_query));
    render();
    load_queue();
}

/// First and longest pause before reopening a closed event stream, and the
/// window a burst of changes is gathered in, in ms.
const REOPEN_MS: (u32, u32) = (2_000, 30_000);
const BURST_MS: u32 = 400;

/// Another member's decision, a review or a request: one re-fetch per burst
/// of `programme` events (and one after the stream was down).
async fn follow_programme() {
    let mut pause = REOPEN_MS.0;
    let mut reopened = false;
    loop {
        if let Ok((_source, mut events)) = crate::common::api::subscribe_programme() {
            if reopened {
                load();
            }
            while let Some(Ok((_, message))) = events.next().await {
                pause = REOPEN_MS.0;
                if crate::common::api::decode_programme_event(&message).is_err() {
                    continue;
                }
                TimeoutFuture::new(BURST_MS).await;
                while let Some(Some(_)) = events.next().now_or_never() {}
                load();
            }
        }
        reopened = true;
        TimeoutFuture::new(pause).await;
        pause = (pause * 2).min(REOPEN_MS.1);
    }
}

/// What the person does, delegated from the window: another round (a page
/// load of `?round=`), a fairness definition tapped (focused, so it shows)
/// or dismissed (Escape).
fn listen() {
    on("input", |e| {
        let Some(el) = target_within(e, "#committee [data-bind]") else { return };
        let value = el
            .dyn_ref::<web_sys::HtmlInputElement>()
            .map(|i| i.value())
            .or_else(|| el.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|t| t.value()))
            .unwrap_or_default();
        match el.get_attribute("data-bind").as_deref() {
            Some("proposal-filter") => changed(|m| (m.proposal_filter, m.proposal_page) = (value, 1)),
            // What is typed is kept (the markup follows it); nothing else changes.
            Some("adjust-amount") => with_app(|app| app.model.adjusting.amount = value).unwrap_or_default(),
            Some("adopt-rationale") => with_app(|app| app.model.adopting.rationale = value).unwrap_or_default(),
            Some("adopt-override") => with_app(|app| app.model.adopting.reason = value).unwrap_or_default(),
            Some("decision-amount") => with_app(|app| app.model.decision.amount = value).unwrap_or_default(),
            Some("decision-start") => with_app(|app| app.model.decision.start = value).unwrap_or_default(),
            Some("decision-end") => with_app(|app| app.model.decision.end = value).unwrap_or_default(),
            Some("decision-rationale") => with_app(|app| app.model.decision.rationale = value).unwrap_or_default(),
            Some("decision-override") => with_app(|app| app.model.decision.override_reason = value).unwrap_or_default(),
            Some("period-start") => with_app(|app| app.model.period.start = value).unwrap_or_default(),
            Some("period-end") => with_app(|app| app.model.period.end = value).unwrap_or_default(),
            Some("period-reason") => with_app(|app| app.model.period.reason = value).unwrap_or_default(),
            _ => {}
        }
    });
    on("submit", |e| {
        if target_within(e, "#committee [data-form=decision]").is_some() {
            e.prevent_default();
            return decide();
        }
        if target_within(e, "#committee [data-form=period]").is_some() {
            e.prevent_default();
            return change_period();
        }
        if target_within(e, "#committee [data-form=line-editor]").is_none() {
            return;
        }
        e.prevent_default();
        let Some(Some((value, asked, loc))) = with_app(|app| {
            let a = &app.model.adjusting;
            Some((a.amount.trim().parse::<u64>().ok(), a.editing.as_ref()?.requested, app.model.text.loc))
        }) else {
            return;
        };
        // An amount the adjustment would refuse (none, or more than asked) is named here, before asking.
        let problems = Adjustment::amount_problems(value, asked);
        let problem = problems.0.first().map(|p| loc.pick(&p.message_ko, &p.message_en).to_owned());
        changed(|m| m.adjusting.problem.clone_from(&problem));
        if let (Some(amount), None) = (value, problem) {
            apply_amount(amount);
        }
    });
    on("change", |e| {
        let Some(el) = target_within(e, "#committee [data-bind]") else { return };
        let value = el
            .dyn_ref::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .or_else(|| el.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()))
            .unwrap_or_default();
        match el.get_attribute("data-bind").as_deref() {
            Some("queue-sector") => queue_changed(|q| (q.sector, q.page) = (value, 1)),
            Some("queue-state") => queue_changed(|q| (q.state, q.page) = (value, 1)),
            Some("queue-q") => queue_changed(|q| (q.q, q.page) = (value, 1)),
            Some("queue-sort") => queue_changed(|q| (q.sort, q.page) = (value, 1)),
            Some("timeline-pool") => changed(|m| (m.timeline_pool, m.timeline_page) = (value, 1)),
            Some("decision-kind") => changed(|m| {
                let Some(kind) = DecisionKind::ALL.iter().copied().find(|k| k.as_str() == value) else { return };
                m.decision.kind = kind;
                if kind == DecisionKind::Approve {
                    if let Some(d) = &m.detail.data {
                        m.decision.amount = d.request.amount.to_string();
                    }
                }
            }),
            _ => {}
        }
        if let Some(select) = target_within(e, "#committee [data-bind=round]")
            .and_then(|el| el.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            let search = format!("?round={}", String::from(js_sys::encode_uri_component(&select.value())));
            if let Some(Err(e)) = web_sys::window().map(|w| w.location().set_search(&search)) {
                warn(&format!("cannot switch rounds: {e:?}"));
            }
        }
    });
    on("click", |e| {
        if target_within(e, "[data-testid=lang-toggle]").is_some() {
            switch_language();
        } else if target_within(e, "[data-testid=sign-out]").is_some() {
            sign_out();
        } else if let Some(button) = target_within(e, "#committee .metric-button").and_then(html_element) {
            let _ = button.focus();
        } else if let Some(link) = target_within(e, "#committee [data-focus]") {
            e.prevent_default();
            let id = link.get_attribute("data-focus").unwrap_or_default();
            if let Some(el) = document().and_then(|d| d.get_element_by_id(&id)) {
                el.scroll_into_view();
            }
            focus(&id);
        } else if let Some(el) = target_within(e, "#committee [data-action]") {
            act(&el, &el.get_attribute("data-action").unwrap_or_default());
        }
    });
    // A chart drawn for another width is drawn again (its signature names its width).
    on("resize", |_| render());
    on("keydown", |e| {
        let escape = e.dyn_ref::<web_sys::KeyboardEvent>().is_some_and(|k| k.key() == "Escape");
        if let (true, Some(button)) = (escape, target_within(e, "#committee .metric-button").and_then(html_element)) {
            let _ = button.blur();
        }
    });
}

/// Does what a button with `data-action` says: `page:<list>:<step>`.
fn act(el: &Element, action: &str) {
    let (verb, arg) = action.split_once(':').unwrap_or((action, ""));
    match verb {
        "change" => {
            let Ok(id) = arg.parse::<u64>() else { return };
            changed(|m| {
                let line = m.proposal_shown().and_then(|p| p.line(RequestId(id))).cloned();
                m.adjusting.amount = line.as_ref().map(|l| l.proposed.to_string()).unwrap_or_default();
                m.adjusting.problem = None;
                m.adjusting.editing = line;
            });
            focus("adjust-amount");
            return;
        }
        "adjust-set" => {
            if let Ok(n) = arg.parse() {
                apply_amount(n);
            }
            return;
        }
        "adjust-close" => return changed(|m| m.adjusting.editing = None),
        "adjust-reset" => {
            let round = with_app(|app| proposal_round(&app.model)).flatten();
            changed(|m| {
                m.adjusting = super::model::Adjusting { draft_asked: true, ..Default::default() };
            });
            spawn_local(save_draft(AdjustBody { round, adjustments: Vec::new() }));
            return;
        }
        "period-end-now" => {
            // Yesterday (KST) becomes the last day: the scheduler account closes from today.
            let today = kairr_shared::time::kst_day(crate::common::live::now_utc().timestamp());
            if let Some(yesterday) = today.pred_opt() {
                changed(|m| m.period.end = yesterday.to_string());
            }
            return;
        }
        "adopt-start" => return changed(|m| m.adopting.confirming = true),
        "adopt-no" => return changed(|m| m.adopting.confirming = false),
        "adopt-confirm" => return adopt(),
        "reload" => {
            if let Some(Err(e)) = web_sys::window().map(|w| w.location().reload()) {
                warn(&format!("cannot reload: {e:?}"));
            }
            return;
        }
        _ => {}
    }
    let mut parts = action.split(':');
    match (parts.next(), parts.next(), parts.next().and_then(|s| s.parse::<i64>().ok())) {
        (Some("page"), Some("proposal"), Some(step)) => {
            changed(|m| m.proposal_page = (m.proposal_page.max(1) as i64 + step).max(1) as usize);
        }
        (Some("page"), Some("queue"), Some(step)) => {
            queue_changed(|q| q.page = (i64::from(q.page) + step).max(1) as u32);
        }
        (Some("page"), Some("timeline"), Some(step)) => {
            changed(|m| m.timeline_page = (m.timeline_page.max(1) as i64 + step).max(1) as usize);
        }
        _ => return,
    }
    to_list_top(el);
}

/// After a page change the reader goes to the top of the list when it was
/// scrolled past (the pager sits under a long table).
fn to_list_top(el: &Element) {
    if let Ok(Some(list)) = el.closest("section, details") {
        if list.get_bounding_client_rect().top() < 0.0 {
            list.scroll_into_view();
        }
    }
}

/// The header's sign-out button (the server's frame has it; the page does
/// what it says): the session ends, then the public allocations page, or
/// the institution's sign-out page after an institutional sign-in.
fn sign_out() {
    let Some(csrf) = with_app(|app| csrf(&app.model)) else { return };
    spawn_local(async move {
        match api::logout(&csrf).await {
            Ok(info) => {
                let next = info
                    .end_session_url
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .unwrap_or_else(|| "/allocations".to_owned());
                if let Some(Err(e)) = web_sys::window().map(|w| w.location().set_href(&next)) {
                    warn(&format!("cannot leave the page after signing out: {e:?}"));
                }
            }
            Err(e) => warn(&format!("sign-out failed: {}", e.detail_in(kairr_shared::i18n::Locale::En))),
        }
    });
}

/// The header's language toggle: the other language is stored (the cookie
/// the server renders the header in) and the page loads again in it, the
/// toggle focused again (as the wizard's).
fn switch_language() {
    let Some(next) = with_app(|app| app.model.text.loc.other()) else { return };
    crate::common::i18n::store_locale(next);
    let (key, selector) = crate::advisor::page::FOCUS_AFTER_RELOAD;
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = storage.set_item(key, selector);
    }
    if let Some(Err(e)) = web_sys::window().map(|w| w.location().reload()) {
        warn(&format!("cannot reload in the other language: {e:?}"));
    }
}

/// Focuses the element `id` (after the render that put it in place).
fn focus(id: &str) {
    if let Some(el) = document().and_then(|d| d.get_element_by_id(id)).and_then(html_element) {
        let _ = el.focus();
    }
}

fn html_element(el: Element) -> Option<web_sys::HtmlElement> {
    el.dyn_into().ok()
}
