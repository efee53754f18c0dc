//! `/admin/organisations` (admins only): the organisations directory that
//! accounts and requests take their organisation from. A filter finds an
//! entry by any of its names; the form adds one or changes the chosen one
//! (its id never changes). Also the directory's `<select>` used by the
//! people page.

use kairr_shared::advisor::Sector;
use kairr_shared::auth::Action;
use kairr_shared::organisations::{Organisation, OrganisationInput, PROVINCES};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::i18n::{tr, trf};
use crate::programme::api;
use crate::programme::components::access::RequireRole;
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_organisations;
use crate::programme::form_errors::{field_message, general_error};
use crate::programme::labels;
use crate::programme::pages::admin::AdminNav;
use crate::programme::session::use_session;

/// The page.
#[component]
pub fn AdminOrganisationsPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="admin">
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("admin.orgs.title")}</h2>
                <p>{move || tr("admin.orgs.intro")}</p>
            </div>
            <RequireRole action=Action::Administer>
                <AdminNav current="organisations"/>
                <Directory/>
            </RequireRole>
        </Shell>
    }
}

/// A province's name in the current language.
pub fn province(code: &str) -> String {
    tr(&format!("admin.province.{code}"))
}

/// The name shown for an organisation in the current language.
fn name(o: &Organisation) -> String {
    labels::pick(&o.name_ko, &o.name_en)
}

/// A name as the filter compares it: without spaces, ASCII letters in lower
/// case (Korean has no case; the full Unicode case tables would weigh on the bundle).
fn search_key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}

#[component]
fn Directory() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let orgs = use_organisations(version.into());
    let filter = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<Organisation>);
    let saved = RwSignal::new(None::<Organisation>);
    let on_saved = Callback::new(move |o: Organisation| {
        saved.set(Some(o));
        editing.set(None);
        version.update(|v| *v += 1);
    });
    let shown = move || {
        let key = search_key(&filter.get());
        let mut list: Vec<Organisation> = orgs
            .data
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|o| {
                key.is_empty()
                    || o.id.contains(&key)
                    || [&o.name_ko, &o.name_en].into_iter().chain(&o.aliases).any(|n| search_key(n).contains(&key))
            })
            .collect();
        list.sort_by(|a, b| a.sector.cmp(&b.sector).then_with(|| a.name_ko.cmp(&b.name_ko)));
        list
    };
    view! {
        {move || saved.get().map(|o| view! {
            <p class="notice" role="status" data-testid="org-saved">{trf("admin.orgs.saved", &[("name", name(&o))])}</p>
        })}
        <section class="panel" aria-labelledby="orgs-title">
            <h3 id="orgs-title">{move || tr("admin.orgs.list")}</h3>
            <FetchErrorView error=orgs.error message=Signal::derive(|| tr("admin.orgs.load_failed"))/>
            <div class="field org-filter">
                <label for="org-filter">{move || tr("admin.orgs.filter")}</label>
                <input id="org-filter" type="search" data-testid="org-filter" aria-describedby="org-count"
                    prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev))/>
                <p id="org-count" class="muted" aria-live="polite">
                    {move || trf("admin.orgs.count", &[("n", shown().len().to_string())])}
                </p>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="orgs-title">
                <table class="data-table" data-testid="orgs-table">
                    <caption class="sr-only">{move || tr("admin.orgs.list")}</caption>
                    <thead><tr>
                        <th scope="col">{move || tr("admin.orgs.name")}</th>
                        <th scope="col">{move || tr("admin.orgs.sector")}</th>
                        <th scope="col">{move || tr("admin.orgs.province")}</th>
                        <th scope="col">{move || tr("admin.orgs.actions")}</th>
                    </tr></thead>
                    <tbody>
                        <For each=shown key=|o| (o.id.clone(), o.name_ko.clone(), o.name_en.clone(), o.aliases.clone(), o.sector, o.province.clone()) let:org>
                            <OrgRow org=org on_edit=Callback::new(move |o| editing.set(Some(o)))/>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
        <OrgForm editing=editing on_saved=on_saved/>
    }
}

#[component]
fn OrgRow(org: Organisation, on_edit: Callback<Organisation>) -> impl IntoView {
    let who = org.name_ko.clone();
    let aliases = org.aliases.join(", ");
    let sector = org.sector;
    let code = org.province.clone();
    let id = org.id.clone();
    let demo = org.demo;
    view! {
        <tr data-testid=format!("org-{id}")>
            <th scope="row">
                {org.name_ko.clone()}<br/><span class="muted">{org.name_en.clone()}</span>
                {(!aliases.is_empty()).then(|| view! { <br/><span class="muted org-aliases">{aliases}</span> })}
                {demo.then(|| view! { " " <span class="badge badge-demo">{move || tr("header.demo_badge")}</span> })}
            </th>
            <td>{move || labels::sector(sector)}</td>
            <td>{move || province(&code)}</td>
            <td>
                <button type="button" class="link-button" data-testid="org-edit" on:click=move |_| on_edit.run(org.clone())>
                    {move || tr("admin.orgs.edit")}<span class="sr-only">" " {who}</span>
                </button>
            </td>
        </tr>
    }
}

const FIELDS: [&str; 6] = ["id", "name_ko", "name_en", "aliases", "sector", "province"];

fn blank() -> OrganisationInput {
    OrganisationInput { sector: Sector::University.as_str().into(), province: "seoul".into(), ..Default::default() }
}

/// Adds an organisation, or changes `editing` when one is chosen.
#[component]
fn OrgForm(editing: RwSignal<Option<Organisation>>, on_saved: Callback<Organisation>) -> impl IntoView {
    let session = use_session();
    let form = RwSignal::new(blank());
    let aliases = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        let chosen = editing.get();
        error.set(None);
        aliases.set(chosen.as_ref().map(|o| o.aliases.join("\n")).unwrap_or_default());
        form.set(chosen.as_ref().map(OrganisationInput::from).unwrap_or_else(blank));
        if chosen.is_some() {
            if let Some(el) = document().get_element_by_id("org-form-title") {
                el.scroll_into_view();
            }
        }
    });
    let msg = move |field: &'static str| move || error.with(|e| field_message(e.as_ref(), field));
    let other = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &FIELDS)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut input = form.get_untracked();
        input.aliases =
            aliases.get_untracked().lines().map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect();
        let id = editing.get_untracked().map(|o| o.id);
        busy.set(true);
        spawn_local(async move {
            match api::save_organisation(&session.csrf(), id.as_deref(), &input).await {
                Ok(org) => {
                    error.set(None);
                    form.set(blank());
                    aliases.set(String::new());
                    on_saved.run(org);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let text = move |name: &'static str,
                     get: fn(&OrganisationInput) -> String,
                     set: fn(&mut OrganisationInput, String)| {
        let id = format!("org-{name}");
        let err_id = format!("org-{name}-error");
        let described = err_id.clone();
        let label = format!("admin.orgs.field.{name}");
        let invalid = move || if msg(name)().is_some() { "true" } else { "false" };
        view! {
            <div class="field">
                <label for=id.clone()>{move || tr(&label)}</label>
                <input id=id type="text" data-testid=format!("org-field-{name}") aria-invalid=invalid aria-describedby=described
                    prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                <p id=err_id class="field-error">{msg(name)}</p>
            </div>
        }
    };
    let title = move || match editing.get() {
        Some(o) => trf("admin.orgs.editing", &[("name", o.name_ko)]),
        None => tr("admin.orgs.new"),
    };
    view! {
        <form class="panel round-form" on:submit=submit novalidate=true data-testid="org-form" aria-labelledby="org-form-title">
            <h3 id="org-form-title">{title}</h3>
            <FetchErrorView error=other message=Signal::derive(|| tr("admin.orgs.save_failed"))/>
            <FormErrorSummary error label=|f| tr(&format!("admin.orgs.field.{f}")) id=str::to_owned scope="org"/>
            {move || editing.with(Option::is_none).then(|| text("id", |f| f.id.clone(), |f, v| f.id = v))}
            {text("name_ko", |f| f.name_ko.clone(), |f, v| f.name_ko = v)}
            {text("name_en", |f| f.name_en.clone(), |f, v| f.name_en = v)}
            <div class="field">
                <label for="org-aliases">{move || tr("admin.orgs.field.aliases")}</label>
                <textarea id="org-aliases" rows="3" data-testid="org-field-aliases" aria-describedby="org-aliases-error"
                    aria-invalid=move || if msg("aliases")().is_some() { "true" } else { "false" }
                    prop:value=move || aliases.get() on:input=move |ev| aliases.set(event_target_value(&ev))></textarea>
                <p id="org-aliases-error" class="field-error">{msg("aliases")}</p>
            </div>
            <div class="field">
                <label for="org-sector">{move || tr("admin.orgs.field.sector")}</label>
                <select id="org-sector" data-testid="org-field-sector" aria-describedby="org-sector-error"
                    on:change=move |ev| form.update(|f| f.sector = event_target_value(&ev))>
                    {Sector::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=move || form.with(|f| f.sector == s.as_str())>{let s = *s; move || labels::sector(s)}</option>
                    }).collect_view()}
                </select>
                <p id="org-sector-error" class="field-error">{msg("sector")}</p>
            </div>
            <div class="field">
                <label for="org-province">{move || tr("admin.orgs.field.province")}</label>
                <select id="org-province" data-testid="org-field-province" aria-describedby="org-province-error"
                    on:change=move |ev| form.update(|f| f.province = event_target_value(&ev))>
                    {PROVINCES.iter().map(|p| view! {
                        <option value=*p selected=move || form.with(|f| f.province == *p)>{move || province(p)}</option>
                    }).collect_view()}
                </select>
                <p id="org-province-error" class="field-error">{msg("province")}</p>
            </div>
            <div class="round-actions">
                <button type="submit" class="button" data-testid="org-submit" disabled=move || busy.get()>
                    {move || tr(if editing.with(Option::is_some) { "admin.orgs.save" } else { "admin.orgs.create" })}
                </button>
                {move || editing.with(Option::is_some).then(|| view! {
                    <button type="button" class="link-button" data-testid="org-cancel" on:click=move |_| editing.set(None)>
                        {move || tr("admin.orgs.cancel")}
                    </button>
                })}
            </div>
        </form>
    }
}

/// A `<select>` of the directory's organisations, grouped by sector; its
/// value is the organisation's id. `value` is the id chosen (none: a prompt).
#[component]
pub fn OrgSelect(
    id: String,
    orgs: Signal<Vec<Organisation>>,
    value: Signal<Option<String>>,
    on_change: Callback<String>,
    #[prop(optional, into)] described_by: Option<String>,
    #[prop(optional, into)] label: Option<Signal<String>>,
    #[prop(optional, into)] testid: Option<String>,
) -> impl IntoView {
    view! {
        <select id=id aria-describedby=described_by aria-label=move || label.map(|l| l.get()) data-testid=testid
            on:change=move |ev| on_change.run(event_target_value(&ev))>
            <option value="" disabled=true selected=move || value.with(Option::is_none)>{move || tr("admin.orgs.choose")}</option>
            {move || {
                let all = orgs.get();
                Sector::ALL.iter().map(|s| {
                    let mut group: Vec<&Organisation> = all.iter().filter(|o| o.sector == *s).collect();
                    group.sort_by(|a, b| a.name_ko.cmp(&b.name_ko));
                    let options = group.into_iter().map(|o| {
                        let id = o.id.clone();
                        let chosen = move || value.with(|v| v.as_deref() == Some(id.as_str()));
                        view! { <option value=o.id.clone() selected=chosen>{name(o)}</option> }
                    }).collect_view();
                    let s = *s;
                    view! { <optgroup label=move || labels::sector(s)>{options}</optgroup> }
                }).collect_view()
            }}
        </select>
    }
}
