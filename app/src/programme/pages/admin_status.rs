//! `/admin/status` (status operators and admins): post an incident by hand
//! (system or pool, impact, titles and the first update in Korean and
//! English), follow the operators' open incidents with timed updates until
//! resolved, and announce maintenance windows on the KST clock. What is
//! posted shows on the public status page, in `/api/v1/incidents` and in
//! the Atom feed beside what monitoring detects.

use kairr_shared::api::{DataSource, Incident, IncidentState};
use kairr_shared::auth::Action;
use kairr_shared::status_ops::{IncidentInput, IncidentUpdateInput, MaintenanceInput, Place};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::kst_minute;
use crate::common::i18n::{current_locale, tr};
use crate::common::live::now_utc;
use crate::programme::api::{self, SystemChoice};
use crate::programme::components::access::RequireRole;
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_status_ops;
use crate::programme::form_errors::{field_message, general_error, refused_before_sending};
use crate::programme::labels::pick;
use crate::programme::pages::admin::AdminNav;
use crate::programme::session::use_session;
use kairr_shared::display::labels;
use kairr_shared::status::Status;

/// The page.
#[component]
pub fn AdminStatusPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="admin">
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("admin.ops.title")}</h2>
                <p>{move || tr("admin.ops.intro")}</p>
            </div>
            <RequireRole action=Action::OperateStatus>
                <AdminNav current="status"/>
                <Operations/>
            </RequireRole>
        </Shell>
    }
}

#[component]
fn Operations() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let (systems, incidents) = use_status_ops(version.into());
    let changed = Callback::new(move |_: ()| version.update(|v| *v += 1));
    let open = move || {
        incidents.data.with(|d| {
            d.as_ref()
                .map(|r| {
                    r.active.iter().filter(|i| i.source == DataSource::Operator).cloned().collect::<Vec<Incident>>()
                })
                .unwrap_or_default()
        })
    };
    let choices = Signal::derive(move || systems.data.get().unwrap_or_default());
    view! {
        <FetchErrorView error=incidents.error message=Signal::derive(|| tr("admin.ops.load_failed"))/>
        <section class="panel" aria-labelledby="ops-open-title">
            <h3 id="ops-open-title">{move || tr("admin.ops.open")}</h3>
            <Show when=move || open().is_empty()>
                <p data-testid="ops-none-open">{move || tr("admin.ops.none_open")}</p>
            </Show>
            <For each=open key=|i| (i.id.clone(), i.updates.len()) let:i>
                <OpenIncident incident=i systems=choices changed=changed/>
            </For>
        </section>
        <NewIncident systems=choices changed=changed/>
        <NewMaintenance systems=choices changed=changed/>
    }
}

fn system_name(systems: &[SystemChoice], id: &str, pool: &str) -> String {
    let Some(s) = systems.iter().find(|s| s.id == id) else { return id.to_owned() };
    let sys = pick(&s.name_ko, &s.name_en);
    match s.pools.iter().find(|p| p.id == pool) {
        Some(p) => format!("{sys} · {}", pick(&p.name_ko, &p.name_en)),
        None => sys,
    }
}

/// The systems and pools the page offers, as the forms' checks read them.
fn places_of(systems: Signal<Vec<SystemChoice>>) -> Vec<Place> {
    systems
        .with_untracked(|s| s.iter().map(|x| (x.id.clone(), x.pools.iter().map(|p| p.id.clone()).collect())).collect())
}

/// A field as the forms label it (the error summary's words).
fn ops_label(field: &str) -> String {
    tr(&format!("admin.ops.field.{field}"))
}

/// A field's control id after its form's prefix (the summary's scope).
fn ops_id(field: &str) -> String {
    field.to_owned()
}

/// An error under a field, wired for screen readers.
fn field_error(error: RwSignal<Option<FetchError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.with(|e| field_message(e.as_ref(), field))
}

/// `(label, input)` of a text field bound to `get`/`set` of the form `form`.
fn text_field<T: Clone + Send + Sync + 'static>(
    form: RwSignal<T>,
    error: RwSignal<Option<FetchError>>,
    prefix: &str,
    field: &'static str,
    multiline: bool,
    get: fn(&T) -> String,
    set: fn(&mut T, String),
) -> impl IntoView {
    let id = format!("{prefix}-{field}");
    let err_id = format!("{id}-error");
    let message = field_error(error, field);
    let label = format!("admin.ops.field.{field}");
    let value = move || form.with(get);
    let on_input = move |ev| form.update(|f| set(f, event_target_value(&ev)));
    let input = if multiline {
        view! { <textarea id=id.clone() rows="3" data-testid=id.clone() aria-describedby=err_id.clone()
        aria-invalid=move || if message().is_some() { "true" } else { "false" }
        prop:value=value on:input=on_input></textarea> }
        .into_any()
    } else {
        view! { <input id=id.clone() type="text" data-testid=id.clone() aria-describedby=err_id.clone()
        aria-invalid=move || if message().is_some() { "true" } else { "false" }
        prop:value=value on:input=on_input/> }
        .into_any()
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id>{move || tr(&label)}</label>
            {input}
            <p id=err_id class="field-error">{message}</p>
        </div>
    }
}

/// The system and pool selects of a form.
fn place_fields<T: Clone + Send + Sync + 'static>(
    systems: Signal<Vec<SystemChoice>>,
    form: RwSignal<T>,
    error: RwSignal<Option<FetchError>>,
    prefix: &'static str,
    get: fn(&T) -> (String, String),
    set: fn(&mut T, Option<String>, Option<String>),
) -> impl IntoView {
    let sys_id = format!("{prefix}-system");
    let pool_id = format!("{prefix}-pool");
    let sys_err = field_error(error, "system");
    let pool_err = field_error(error, "pool");
    let pools = move || {
        let chosen = form.with(|f| get(f).0);
        systems.with(|s| s.iter().find(|s| s.id == chosen).map(|s| s.pools.clone()).unwrap_or_default())
    };
    view! {
        <div class="field" class:invalid=move || sys_err().is_some()>
            <label for=sys_id.clone()>{move || tr("admin.ops.field.system")}</label>
            <select id=sys_id.clone() data-testid=sys_id.clone() aria-describedby=format!("{sys_id}-error")
                aria-invalid=move || if sys_err().is_some() { "true" } else { "false" }
                on:change=move |ev| form.update(|f| set(f, Some(event_target_value(&ev)), Some(String::new())))>
                <option value="" selected=move || form.with(|f| get(f).0.is_empty())>{move || tr("admin.ops.choose")}</option>
                {move || systems.get().into_iter().map(|s| {
                    let id = s.id.clone();
                    view! { <option value=s.id.clone() selected=move || form.with(|f| get(f).0 == id)>{pick(&s.name_ko, &s.name_en)}</option> }
                }).collect_view()}
            </select>
            <p id=format!("{sys_id}-error") class="field-error">{sys_err}</p>
        </div>
        <div class="field" class:invalid=move || pool_err().is_some()>
            <label for=pool_id.clone()>{move || tr("admin.ops.field.pool")}</label>
            <select id=pool_id.clone() data-testid=pool_id.clone() aria-describedby=format!("{pool_id}-error")
                aria-invalid=move || if pool_err().is_some() { "true" } else { "false" }
                on:change=move |ev| form.update(|f| set(f, None, Some(event_target_value(&ev))))>
                <option value="" selected=move || form.with(|f| get(f).1.is_empty())>{move || tr("admin.ops.whole_system")}</option>
                {move || pools().into_iter().map(|p| {
                    let id = p.id.clone();
                    view! { <option value=p.id.clone() selected=move || form.with(|f| get(f).1 == id)>{pick(&p.name_ko, &p.name_en)}</option> }
                }).collect_view()}
            </select>
            <p id=format!("{pool_id}-error") class="field-error">{pool_err}</p>
        </div>
    }
}

const INCIDENT_FIELDS: [&str; 7] = ["system", "pool", "impact", "title_ko", "title_en", "body_ko", "body_en"];

#[component]
fn NewIncident(systems: Signal<Vec<SystemChoice>>, changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let form = RwSignal::new(IncidentInput { impact: "degraded".into(), ..IncidentInput::default() });
    let error = RwSignal::new(None::<FetchError>);
    let posted = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = form.get_untracked();
        // What the form itself can tell is said before sending, as the server would.
        let problems = body.field_problems(&places_of(systems));
        if refused_before_sending(error, problems) {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::post_incident(&session.csrf(), &body).await {
                Ok(i) => {
                    error.set(None);
                    posted.set(Some(i.id));
                    form.set(IncidentInput { impact: "degraded".into(), ..IncidentInput::default() });
                    changed.try_run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let impact_err = field_error(error, "impact");
    let general = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &INCIDENT_FIELDS)));
    view! {
        <section class="panel" aria-labelledby="ops-new-title">
            <h3 id="ops-new-title">{move || tr("admin.ops.new_incident")}</h3>
            <form class="ops-form" on:submit=submit novalidate=true data-testid="incident-form">
                <FormErrorSummary error label=ops_label id=ops_id scope="inc"/>
                {place_fields(systems, form, error, "inc", |f: &IncidentInput| (f.system.clone(), f.pool.clone()), |f, s, p| {
                    if let Some(s) = s { f.system = s; }
                    if let Some(p) = p { f.pool = p; }
                })}
                <div class="field" class:invalid=move || impact_err().is_some()>
                    <label for="inc-impact">{move || tr("admin.ops.field.impact")}</label>
                    <select id="inc-impact" data-testid="inc-impact" aria-describedby="inc-impact-error"
                        on:change=move |ev| form.update(|f| f.impact = event_target_value(&ev))>
                        {[Status::Degraded, Status::PartialOutage, Status::MajorOutage].into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || form.with(|f| f.impact == s.as_str())>{move || labels::status(current_locale(), s)}</option>
                        }).collect_view()}
                    </select>
                    <p id="inc-impact-error" class="field-error">{impact_err}</p>
                </div>
                {text_field(form, error, "inc", "title_ko", false, |f: &IncidentInput| f.title_ko.clone(), |f, v| f.title_ko = v)}
                {text_field(form, error, "inc", "title_en", false, |f: &IncidentInput| f.title_en.clone(), |f, v| f.title_en = v)}
                {text_field(form, error, "inc", "body_ko", true, |f: &IncidentInput| f.body_ko.clone(), |f, v| f.body_ko = v)}
                {text_field(form, error, "inc", "body_en", true, |f: &IncidentInput| f.body_en.clone(), |f, v| f.body_en = v)}
                <FetchErrorView error=general message=Signal::derive(|| tr("admin.ops.post_failed"))/>
                <button type="submit" class="button" data-testid="incident-submit" disabled=move || busy.get()>
                    {move || tr("admin.ops.post")}
                </button>
                <p role="status" data-testid="incident-posted">{move || posted.get().map(|id| format!("{} ({id})", tr("admin.ops.posted")))}</p>
            </form>
        </section>
    }
}

#[component]
fn OpenIncident(incident: Incident, systems: Signal<Vec<SystemChoice>>, changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = incident.id.clone();
    // Starts at the incident's state: an untouched form never steps it back.
    let form =
        RwSignal::new(IncidentUpdateInput { state: incident.state.as_str().into(), ..IncidentUpdateInput::default() });
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let submit = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let body = form.get_untracked();
            let problems = body.field_problems();
            if refused_before_sending(error, problems) {
                return;
            }
            busy.set(true);
            let id = id.clone();
            spawn_local(async move {
                match api::post_incident_update(&session.csrf(), &id, &body).await {
                    Ok(_) => {
                        error.set(None);
                        changed.try_run(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let last = incident.updates.last().cloned();
    let title = pick(&incident.title_ko, &incident.title_en);
    let state_id = format!("upd-{id}-state");
    let general = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &["state", "body_ko", "body_en"])));
    view! {
        <article class="ops-incident" data-testid="ops-incident" data-id=id.clone()>
            <h4>{title}</h4>
            <p class="muted">{move || systems.with(|s| system_name(s, &incident.system_id, &incident.pool_id))} " · "{move || labels::incident_state(current_locale(), incident.state)} " · " <time>{kst_minute(incident.started_at)}</time></p>
            {last.map(|u| view! { <p>{pick(&u.body_ko, &u.body_en)}</p> })}
            <form class="ops-form" on:submit=submit novalidate=true data-testid="update-form">
                <FormErrorSummary error label=ops_label id=ops_id scope=format!("upd-{id}")/>
                <div class="field">
                    <label for=state_id.clone()>{move || tr("admin.ops.field.state")}</label>
                    <select id=state_id.clone() data-testid="upd-state" on:change=move |ev| form.update(|f| f.state = event_target_value(&ev))>
                        {IncidentState::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || form.with(|f| f.state == s.as_str())>{move || labels::incident_state(current_locale(), s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                {text_field(form, error, &format!("upd-{id}"), "body_ko", true, |f: &IncidentUpdateInput| f.body_ko.clone(), |f, v| f.body_ko = v)}
                {text_field(form, error, &format!("upd-{id}"), "body_en", true, |f: &IncidentUpdateInput| f.body_en.clone(), |f, v| f.body_en = v)}
                <FetchErrorView error=general message=Signal::derive(|| tr("admin.ops.update_failed"))/>
                <button type="submit" class="button" data-testid="update-submit" disabled=move || busy.get()>{move || tr("admin.ops.update")}</button>
            </form>
        </article>
    }
}

const MAINTENANCE_FIELDS: [&str; 6] = ["system", "pool", "title_ko", "title_en", "starts_at", "ends_at"];

#[component]
fn NewMaintenance(systems: Signal<Vec<SystemChoice>>, changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let form = RwSignal::new(MaintenanceInput::default());
    let error = RwSignal::new(None::<FetchError>);
    let posted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = form.get_untracked();
        let problems = body.field_problems(&places_of(systems), now_utc());
        if refused_before_sending(error, problems) {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::post_maintenance(&session.csrf(), &body).await {
                Ok(_) => {
                    error.set(None);
                    posted.set(true);
                    form.set(MaintenanceInput::default());
                    changed.try_run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let time = move |field: &'static str,
                     get: fn(&MaintenanceInput) -> String,
                     set: fn(&mut MaintenanceInput, String)| {
        let id = format!("mnt-{field}");
        let message = field_error(error, field);
        view! {
            <div class="field" class:invalid=move || message().is_some()>
                <label for=id.clone()>{move || tr(&format!("admin.ops.field.{field}"))}</label>
                <input id=id.clone() type="datetime-local" data-testid=id.clone() aria-describedby=format!("{id}-error")
                    aria-invalid=move || if message().is_some() { "true" } else { "false" }
                    prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                <p id=format!("{id}-error") class="field-error">{message}</p>
            </div>
        }
    };
    let general = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &MAINTENANCE_FIELDS)));
    view! {
        <section class="panel" aria-labelledby="ops-mnt-title">
            <h3 id="ops-mnt-title">{move || tr("admin.ops.new_maintenance")}</h3>
            <p class="hint">{move || tr("admin.ops.kst_hint")}</p>
            <form class="ops-form" on:submit=submit novalidate=true data-testid="maintenance-form">
                <FormErrorSummary error label=ops_label id=ops_id scope="mnt"/>
                {place_fields(systems, form, error, "mnt", |f: &MaintenanceInput| (f.system.clone(), f.pool.clone()), |f, s, p| {
                    if let Some(s) = s { f.system = s; }
                    if let Some(p) = p { f.pool = p; }
                })}
                {text_field(form, error, "mnt", "title_ko", false, |f: &MaintenanceInput| f.title_ko.clone(), |f, v| f.title_ko = v)}
                {text_field(form, error, "mnt", "title_en", false, |f: &MaintenanceInput| f.title_en.clone(), |f, v| f.title_en = v)}
                {time("starts_at", |f| f.starts_at.clone(), |f, v| f.starts_at = v)}
                {time("ends_at", |f| f.ends_at.clone(), |f, v| f.ends_at = v)}
                <div class="field">
                    <label for="mnt-nodes">{move || tr("admin.ops.field.nodes_affected")}</label>
                    <input id="mnt-nodes" type="number" min="0" inputmode="numeric" data-testid="mnt-nodes" aria-describedby="mnt-nodes-hint"
                        prop:value=move || form.with(|f| if f.nodes_affected == 0 { String::new() } else { f.nodes_affected.to_string() })
                        on:input=move |ev| form.update(|f| f.nodes_affected = event_target_value(&ev).trim().parse().unwrap_or(0))/>
                    <p id="mnt-nodes-hint" class="hint">{move || tr("admin.ops.nodes_hint")}</p>
                </div>
                <FetchErrorView error=general message=Signal::derive(|| tr("admin.ops.post_failed"))/>
                <button type="submit" class="button" data-testid="maintenance-submit" disabled=move || busy.get()>
                    {move || tr("admin.ops.announce")}
                </button>
                <p role="status" data-testid="maintenance-posted">{move || posted.get().then(|| tr("admin.ops.announced"))}</p>
            </form>
        </section>
    }
}
