//! `/admin/people` (admins only): every account with its organisation, role
//! and state; the role and the disabled flag change in place, a new one-time
//! link to set the password is one click (for a reset or a lost invitation),
//! and the form creates an account, showing its invitation link to pass on.

use kairr_shared::auth::{Action, Role};
use kairr_shared::organisations::Organisation;
use kairr_shared::people::{Invitation, Person, PersonChange, PersonInput};
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
use crate::programme::data::{use_organisations, use_people};
use crate::programme::form_errors::{field_message, general_error};
use crate::programme::labels;
use crate::programme::pages::admin::AdminNav;
use crate::programme::pages::admin_orgs::OrgSelect;
use crate::programme::session::use_session;

/// The page.
#[component]
pub fn AdminPeoplePage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="admin">
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("admin.people.title")}</h2>
                <p>{move || tr("admin.people.intro")}</p>
            </div>
            <RequireRole action=Action::Administer>
                <AdminNav current="people"/>
                <People/>
            </RequireRole>
        </Shell>
    }
}

/// The full address of a link path, to copy.
fn absolute(path: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{path}")
}

#[component]
fn People() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let people = use_people(version.into());
    let changed = Callback::new(move |_| version.update(|v| *v += 1));
    let link = RwSignal::new(None::<Invitation>);
    let show_link = Callback::new(move |i: Invitation| link.set(Some(i)));
    let directory = use_organisations(Signal::stored(0));
    let orgs = Signal::derive(move || directory.data.get().unwrap_or_default());
    // The rows (whose organisation lists come from the directory) and the form
    // below them come in once both have arrived (or the directory failed), so
    // nothing moves as the second answer lands.
    let ready = move || {
        people.data.with(|d| d.is_some())
            && (directory.data.with(|d| d.is_some()) || directory.error.with(|e| e.is_some()))
    };
    view! {
        {move || link.get().map(|i| view! {
            <div class="notice" role="status" data-testid="invitation">
                <p>{trf("admin.people.link_for", &[("name", i.person.display_name.clone()), ("username", i.person.username.clone())])}</p>
                <p><code class="invite-link" data-testid="invitation-link">{absolute(&i.link)}</code></p>
                <p class="muted">{trf("admin.people.link_expires", &[("at", crate::common::format::kst_minute(i.expires_at))])}</p>
            </div>
        })}
        <section class="panel" aria-labelledby="people-title">
            <h3 id="people-title">{move || tr("admin.people.list")}</h3>
            <FetchErrorView error=people.error message=Signal::derive(|| tr("admin.people.load_failed"))/>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="people-title">
                <table class="data-table" data-testid="people-table">
                    <caption class="sr-only">{move || tr("admin.people.list")}</caption>
                    <thead><tr>
                        <th scope="col">{move || tr("admin.people.name")}</th>
                        <th scope="col">{move || tr("admin.people.organisation")}</th>
                        <th scope="col">{move || tr("admin.people.role")}</th>
                        <th scope="col">{move || tr("admin.people.expertise")}</th>
                        <th scope="col">{move || tr("admin.people.login")}</th>
                        <th scope="col">{move || tr("admin.people.state")}</th>
                        <th scope="col">{move || tr("admin.people.actions")}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || if ready() { people.data.get().unwrap_or_default() } else { Vec::new() }
                            key=|p| (p.username.clone(), p.role, p.disabled, p.active, p.organisation_id.clone(), p.cluster_login.clone())
                            let:person>
                            <PersonRow person=person orgs=orgs on_changed=changed on_link=show_link/>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
        <Show when=ready>
            <NewPerson orgs=orgs on_created=changed on_link=show_link/>
        </Show>
    }
}

#[component]
fn PersonRow(
    person: Person,
    orgs: Signal<Vec<Organisation>>,
    on_changed: Callback<()>,
    on_link: Callback<Invitation>,
) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<FetchError>);
    let username = person.username.clone();
    let select_id = format!("role-{username}");
    let role_label = {
        let name = person.display_name.clone();
        move || format!("{name} — {}", tr("admin.people.role"))
    };
    let org_label = {
        let name = person.display_name.clone();
        Signal::derive(move || format!("{name} — {}", tr("admin.people.organisation")))
    };
    let apply = {
        let username = username.clone();
        move |change: PersonChange| {
            let username = username.clone();
            spawn_local(async move {
                match api::change_person(&session.csrf(), &username, &change).await {
                    Ok(_) => {
                        error.set(None);
                        on_changed.run(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let set_role = {
        let apply = apply.clone();
        move |ev: leptos::ev::Event| apply(PersonChange { role: Some(event_target_value(&ev)), ..Default::default() })
    };
    let set_org = {
        let apply = apply.clone();
        Callback::new(move |id: String| apply(PersonChange { organisation: Some(id), ..Default::default() }))
    };
    let set_expertise = {
        let apply = apply.clone();
        move |ev: leptos::ev::Event| {
            apply(PersonChange { expertise: Some(split_list(&event_target_value(&ev))), ..Default::default() })
        }
    };
    let set_login = {
        let apply = apply.clone();
        move |ev: leptos::ev::Event| {
            apply(PersonChange { cluster_login: Some(event_target_value(&ev)), ..Default::default() })
        }
    };
    let login_label = {
        let name = person.display_name.clone();
        move || format!("{name} — {}", tr("admin.people.login"))
    };
    let expertise_label = {
        let name = person.display_name.clone();
        move || format!("{name} — {}", tr("admin.people.expertise"))
    };
    let disabled = person.disabled;
    let toggle = move |_| apply(PersonChange { disabled: Some(!disabled), ..Default::default() });
    let new_link = {
        let username = username.clone();
        move |_| {
            let username = username.clone();
            spawn_local(async move {
                match api::invite_person(&session.csrf(), &username).await {
                    Ok(i) => {
                        error.set(None);
                        on_link.run(i);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let state = if person.disabled {
        "admin.people.disabled"
    } else if person.active {
        "admin.people.active"
    } else {
        "admin.people.invited"
    };
    let role = person.role;
    view! {
        <tr data-testid=format!("person-{username}")>
            <th scope="row">{person.display_name.clone()}<br/><span class="muted">{username.clone()}</span>
                {person.demo.then(|| view! { " " <span class="badge badge-demo">{move || tr("header.demo_badge")}</span> })}
            </th>
            <td>
                <OrgSelect id=format!("org-{username}") orgs=orgs value=Signal::stored(person.organisation_id.clone())
                    on_change=set_org label=org_label testid="person-organisation"/>
                {(person.organisation_id.is_none() && !person.organisation.trim().is_empty()).then(|| view! {
                    <br/><span class="muted">{person.organisation.clone()} " (" {move || tr("admin.people.not_in_directory")} ")"</span>
                })}
                {kairr_shared::identity::awaits_organisation(person.organisation_id.as_deref(), &person.organisation).then(|| view! {
                    <br/><span class="badge status-degraded" data-testid="person-org-pending">{move || tr("admin.people.org_pending")}</span>
                })}
            </td>
            <td>
                <select id=select_id aria-label=role_label data-testid="person-role" on:change=set_role>
                    {Role::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected=*r == role>{let r = *r; move || labels::role(r)}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <input type="text" class="expertise-input" aria-label=expertise_label data-testid="person-expertise"
                    prop:value=person.expertise.join(", ") on:change=set_expertise/>
            </td>
            <td>
                <input type="text" class="login-input" aria-label=login_label data-testid="person-login" autocomplete="off"
                    spellcheck="false" placeholder=username.clone() prop:value=person.cluster_login.clone().unwrap_or_default()
                    on:change=set_login/>
            </td>
            <td data-testid="person-state">{move || tr(state)}
                {person.provider.clone().map(|p| view! { <br/><span class="muted">{move || trf("admin.people.signs_in_with", &[("provider", p.clone())])}</span> })}
            </td>
            <td>
                <button type="button" class="link-button" data-testid="person-toggle" on:click=toggle>
                    {move || tr(if disabled { "admin.people.enable" } else { "admin.people.disable" })}
                </button>
                " "
                <button type="button" class="link-button" data-testid="person-link" on:click=new_link>
                    {move || tr("admin.people.new_link")}
                </button>
                <FetchErrorView error=error message=Signal::derive(|| tr("admin.people.change_failed"))/>
            </td>
        </tr>
    }
}

const FIELDS: [&str; 5] = ["username", "display_name", "organisation", "role", "expertise"];

/// A comma-separated list, trimmed, without empty entries.
fn split_list(text: &str) -> Vec<String> {
    text.split([',', '，', '、']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// A field as the new-person form labels it (the error summary's words).
fn person_label(field: &str) -> String {
    if field == "role" {
        tr("admin.people.role")
    } else {
        tr(&format!("admin.people.field.{field}"))
    }
}

#[component]
fn NewPerson(
    orgs: Signal<Vec<Organisation>>,
    on_created: Callback<()>,
    on_link: Callback<Invitation>,
) -> impl IntoView {
    let session = use_session();
    let form = RwSignal::new(PersonInput { role: Role::Reviewer.as_str().to_owned(), ..Default::default() });
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let msg = move |field: &'static str| move || error.with(|e| field_message(e.as_ref(), field));
    let other = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &FIELDS)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::create_person(&session.csrf(), &input).await {
                Ok(invitation) => {
                    error.set(None);
                    form.set(PersonInput { role: input.role, ..Default::default() });
                    on_link.run(invitation);
                    on_created.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let field = move |name: &'static str, get: fn(&PersonInput) -> String, set: fn(&mut PersonInput, String)| {
        let id = format!("person-{name}");
        let err_id = format!("person-{name}-error");
        let described = err_id.clone();
        let label = format!("admin.people.field.{name}");
        let invalid = move || if msg(name)().is_some() { "true" } else { "false" };
        view! {
            <div class="field">
                <label for=id.clone()>{move || tr(&label)}</label>
                <input id=id type="text" data-testid=format!("new-person-{name}") aria-invalid=invalid aria-describedby=described
                    prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                <p id=err_id class="field-error">{msg(name)}</p>
            </div>
        }
    };
    view! {
        <form class="panel round-form" on:submit=submit novalidate=true data-testid="person-form" aria-labelledby="person-form-title">
            <h3 id="person-form-title">{move || tr("admin.people.new")}</h3>
            <p class="muted">{move || tr("admin.people.new_hint")}</p>
            <FetchErrorView error=other message=Signal::derive(|| tr("admin.people.create_failed"))/>
            <FormErrorSummary error label=person_label id=str::to_owned scope="person"/>
            {field("username", |f| f.username.clone(), |f, v| f.username = v)}
            {field("display_name", |f| f.display_name.clone(), |f, v| f.display_name = v)}
            <div class="field">
                <label for="person-organisation">{move || tr("admin.people.field.organisation")}</label>
                <OrgSelect id="person-organisation".to_string() orgs=orgs
                    value=Signal::derive(move || form.with(|f| (!f.organisation.is_empty()).then(|| f.organisation.clone())))
                    on_change=Callback::new(move |id| form.update(|f| f.organisation = id))
                    described_by="person-organisation-error" testid="new-person-organisation"/>
                <p id="person-organisation-error" class="field-error">{msg("organisation")}</p>
            </div>
            <div class="field">
                <label for="person-expertise">{move || tr("admin.people.field.expertise")}</label>
                <input id="person-expertise" type="text" data-testid="new-person-expertise" aria-describedby="person-expertise-error"
                    prop:value=move || form.with(|f| f.expertise.join(", "))
                    on:change=move |ev| form.update(|f| f.expertise = split_list(&event_target_value(&ev)))/>
                <p id="person-expertise-error" class="field-error">{msg("expertise")}</p>
            </div>
            <div class="field">
                <label for="person-role">{move || tr("admin.people.role")}</label>
                <select id="person-role" data-testid="new-person-role" aria-describedby="person-role-error"
                    on:change=move |ev| form.update(|f| f.role = event_target_value(&ev))>
                    {Role::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected=move || form.with(|f| f.role == r.as_str())>{let r = *r; move || labels::role(r)}</option>
                    }).collect_view()}
                </select>
                <p id="person-role-error" class="field-error">{msg("role")}</p>
            </div>
            <button type="submit" class="button" data-testid="new-person-submit" disabled=move || busy.get()>
                {move || tr("admin.people.create")}
            </button>
        </form>
    }
}
