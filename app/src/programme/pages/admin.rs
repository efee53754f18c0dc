//! `/admin` (admins only): the rounds of the programme. Each round with its
//! stage, windows and progress, a button to move it to its next stage (after
//! a confirmation saying what the step changes) and one to copy it into the
//! form; the form creates a new round as a draft. The server enforces every
//! rule and its field errors appear next to their field.

use kairr_shared::advisor::Sector;
use kairr_shared::allocation::round::PoolCapacityInput;
use kairr_shared::allocation::usecase::StageChange;
use kairr_shared::allocation::{OrgCap, RoundInput, RoundStage};
use kairr_shared::auth::Action;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::dated::dated;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::date;
use crate::common::i18n::{tr, tr_or, trf};
use crate::programme::api::{self, AdminRound};
use crate::programme::components::access::RequireRole;
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_admin_rounds;
use crate::programme::form_errors::field_message;
use crate::programme::labels::{self, pick};
use crate::programme::session::{use_session, Access};

/// The page.
#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="admin" demo=Signal::stored(false)>
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("admin.title")}</h2>
                <p>{move || tr("admin.intro")}</p>
            </div>
            <RequireRole action=Action::Administer>
                <AdminNav current="rounds"/>
                <Rounds/>
            </RequireRole>
        </Shell>
    }
}

/// The administration's sections the signed-in user may use: rounds,
/// people, organisations (admins); reviewer assignment (committee and admins).
#[component]
pub fn AdminNav(
    /// `rounds`, `people`, `organisations`, `assignments`, `status` or `provisioning`.
    current: &'static str,
) -> impl IntoView {
    let session = use_session();
    let item = move |key: &'static str, href: &'static str, action: Action| {
        move || {
            matches!(session.access(action), Access::Allowed(_)).then(|| view! {
                <li><a href=href aria-current=(current == key).then_some("page") data-testid=format!("admin-nav-{key}")>
                    {move || tr(&format!("admin.nav.{key}"))}
                </a></li>
            })
        }
    };
    view! {
        <nav class="admin-nav" aria-label=move || tr("admin.nav.label")>
            <ul>
                {item("rounds", "/admin", Action::Administer)}
                {item("people", "/admin/people", Action::Administer)}
                {item("organisations", "/admin/organisations", Action::Administer)}
                {item("assignments", "/admin/assignments", Action::AssignReviewers)}
                {item("status", "/admin/status", Action::OperateStatus)}
                {item("provisioning", "/admin/provisioning", Action::Administer)}
            </ul>
        </nav>
    }
}

#[component]
fn Rounds() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let rounds = use_admin_rounds(version.into());
    let changed = Callback::new(move |_| version.update(|v| *v += 1));
    let form = RwSignal::new(RoundInput::default());
    // The stage change being confirmed (the round's id and its stage then),
    // kept here: a refetch re-creates the items (their key is their content),
    // and the confirmation stays open unless the round's stage changed.
    let confirming = RwSignal::new(None::<(String, RoundStage)>);
    // The round being changed (`None`: the form makes a new one).
    let editing = RwSignal::new(None::<String>);
    let to_form = move || {
        if let Some(el) = document().get_element_by_id("round-form-title") {
            el.scroll_into_view();
        }
    };
    let copy = Callback::new(move |r: AdminRound| {
        let mut input = RoundInput::from_round(&r.round);
        input.id = String::new();
        form.set(input);
        editing.set(None);
        to_form();
    });
    let edit = Callback::new(move |r: AdminRound| {
        form.set(RoundInput::from_round(&r.round));
        editing.set(Some(r.round.id.0.clone()));
        to_form();
    });
    view! {
        <section class="panel" aria-labelledby="rounds-title">
            <h3 id="rounds-title">{move || tr("admin.rounds")}</h3>
            <FetchErrorView error=rounds.error message=Signal::derive(|| tr("admin.load_failed"))/>
            <Show when=move || rounds.loading()>
                <p class="muted" role="status">{move || tr("common.loading")}</p>
            </Show>
            <ul class="round-list" data-testid="admin-rounds">
                <For each=move || rounds.data.get().unwrap_or_default()
                    key=|r| (serde_json::to_string(&r.round).unwrap_or_default(), r.requests, r.undecided)
                    let:round>
                    <RoundItem round=round confirming=confirming on_changed=changed on_copy=copy on_edit=edit/>
                </For>
            </ul>
        </section>
        <RoundForm form=form editing=editing on_created=changed/>
    }
}

fn stage_label(s: RoundStage) -> String {
    labels::stage(s)
}

#[component]
fn RoundItem(
    round: AdminRound,
    confirming: RwSignal<Option<(String, RoundStage)>>,
    on_changed: Callback<()>,
    on_copy: Callback<AdminRound>,
    on_edit: Callback<AdminRound>,
) -> impl IntoView {
    let session = use_session();
    let r = round.round.clone();
    let id = r.id.0.clone();
    let from = r.stage;
    let next = from.next();
    let this_change = (id.clone(), from);
    let is_confirming = Signal::derive(move || confirming.with(|c| c.as_ref() == Some(&this_change)));
    let confirm = {
        let id = id.clone();
        move |_| confirming.set(Some((id.clone(), from)))
    };
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let (title_ko, title_en) = (r.title_ko.clone(), r.title_en.clone());
    let title = move || pick(&title_ko, &title_en);
    let (opens, closes, review_closes, start, end) =
        (r.opens, r.closes, r.review_closes(), r.period_start, r.period_end);
    let windows = move || {
        trf(
            "admin.windows",
            &[
                ("opens", date(opens)),
                ("closes", date(closes)),
                ("review_closes", date(review_closes)),
                ("start", date(start)),
                ("end", date(end)),
            ],
        )
    };
    let (requests, undecided) = (round.requests as u64, round.undecided as u64);
    let progress = move || {
        trf(
            "admin.progress",
            &[
                ("requests", crate::common::format::thousands(requests)),
                ("undecided", crate::common::format::thousands(undecided)),
            ],
        )
    };
    let demo = round.source.is_some();
    let advance = {
        let id = id.clone();
        move |_| {
            let Some(to) = next else { return };
            let id = id.clone();
            busy.set(true);
            spawn_local(async move {
                match api::advance_round(&session.csrf(), &id, &StageChange { from, to }).await {
                    Ok(_) => {
                        error.set(None);
                        confirming.set(None);
                        on_changed.run(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let failure = Signal::derive(move || error.get());
    let heading = format!("round-{id}-title");
    let labelled = heading.clone();
    let testid = format!("round-{id}");
    view! {
        <li class="round-item" data-testid=testid aria-labelledby=labelled>
            <h4 id=heading>
                <span class="round-id">{id.clone()}</span>" "{title}
                {demo.then(|| view! { <span class="badge badge-demo">{move || tr("header.demo_badge")}</span> })}
            </h4>
            <p><span class="stage-badge" data-testid="round-stage" data-stage=from.as_str()>{move || stage_label(from)}</span></p>
            <p class="muted">{move || dated(windows())}</p>
            <p data-testid="round-progress">{progress}</p>
            <FetchErrorView error=failure message=Signal::derive(|| tr("admin.stage_failed"))/>
            <div class="round-actions">
                {next.map(|to| view! {
                    <Show when=move || !is_confirming.get()>
                        <button type="button" class="button" data-testid="round-advance" on:click=confirm.clone()>
                            {move || trf("admin.advance", &[("stage", stage_label(to))])}
                        </button>
                    </Show>
                    <Show when=move || is_confirming.get()>
                        <div class="confirm" role="group" aria-label=move || tr("admin.confirm_label") data-testid="round-confirm">
                            <p>{move || trf("admin.confirm", &[("from", stage_label(from)), ("to", stage_label(to))])}</p>
                            <p class="muted">{move || tr(&format!("admin.effect.{}", to.as_str()))}</p>
                            <button type="button" class="button" data-testid="round-confirm-yes" disabled=move || busy.get() on:click=advance.clone()>
                                {move || tr("admin.confirm_yes")}
                            </button>
                            " "
                            <button type="button" class="link-button" data-testid="round-confirm-no" on:click=move |_| confirming.set(None)>
                                {move || tr("admin.confirm_no")}
                            </button>
                        </div>
                    </Show>
                })}
                {(from != RoundStage::Published).then(|| {
                    let round = round.clone();
                    view! {
                        <button type="button" class="link-button" data-testid="round-edit" on:click=move |_| on_edit.run(round.clone())>
                            {move || tr("admin.edit")}
                        </button>
                    }
                })}
                <button type="button" class="link-button" data-testid="round-copy" on:click=move |_| on_copy.run(round.clone())>
                    {move || tr("admin.copy")}
                </button>
            </div>
        </li>
    }
}

/// Every field of the form the server may name, so the others go to the general message.
fn is_form_field(f: &str) -> bool {
    const FIELDS: [&str; 14] = [
        "id",
        "title_ko",
        "title_en",
        "opens",
        "closes",
        "review_closes",
        "period_start",
        "period_end",
        "pools",
        "min_score",
        "min_reviews",
        "reviewers_per_request",
        "org_cap",
        "non_capital_preference",
    ];
    FIELDS.contains(&f) || f.starts_with("pools[") || f.starts_with("sector_targets")
}

/// The pool row and field a round form field names (`pools[1].capacity`).
fn pool_field(field: &str) -> Option<(usize, &str)> {
    let (i, name) = field.strip_prefix("pools[")?.split_once("].")?;
    Some((i.parse().ok()?, name))
}

/// A round form field as the form labels it.
fn round_field_label(field: &str) -> String {
    if let Some((i, name)) = pool_field(field) {
        let label = match name {
            "pool" => tr("admin.pool"),
            "unit" => tr("admin.unit"),
            "capacity" => tr("admin.capacity"),
            other => other.to_owned(),
        };
        return trf("admin.pool_field", &[("n", (i + 1).to_string()), ("field", label)]);
    }
    if let Some(s) = field.strip_prefix("sector_targets.").and_then(Sector::parse) {
        return format!("{} · {} (%)", tr("admin.field.sector_targets"), labels::sector(s));
    }
    tr_or(&format!("admin.field.{field}"), field)
}

/// The control a round form field's refusal leads to.
fn round_field_id(field: &str) -> String {
    if let Some((i, name)) = pool_field(field) {
        return format!("round-{}-{i}", if name == "pool" || name == "unit" { name } else { "capacity" });
    }
    match field.strip_prefix("sector_targets") {
        Some(rest) => {
            let sector = rest.strip_prefix('.').and_then(Sector::parse).unwrap_or(Sector::ALL[0]);
            format!("round-target-{}", sector.as_str())
        }
        None if field == "pools" => "round-add-pool".to_owned(),
        None => format!("round-{field}"),
    }
}

#[component]
fn RoundForm(form: RwSignal<RoundInput>, editing: RwSignal<Option<String>>, on_created: Callback<()>) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    // The round just saved, and whether it was a change (else a new one).
    let created = RwSignal::new(None::<(String, bool)>);
    let msg = move |field: String| move || error.with(|e| field_message(e.as_ref(), &field));
    let other = Signal::derive(move || {
        error.with(|e| match e {
            Some(FetchError::Http { api: Some(a), .. })
                if a.fields.iter().all(|f| is_form_field(&f.field)) && !a.fields.is_empty() =>
            {
                None
            }
            other => other.clone(),
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        let changing = editing.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let result = match &changing {
                Some(id) => api::update_round(&session.csrf(), id, &input).await,
                None => api::create_round(&session.csrf(), &input).await,
            };
            match result {
                Ok(round) => {
                    error.set(None);
                    created.set(Some((round.id.0, changing.is_some())));
                    form.set(RoundInput::default());
                    editing.set(None);
                    on_created.try_run(());
                }
                Err(e) => {
                    created.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let text = move |field: &'static str,
                     kind: &'static str,
                     get: fn(&RoundInput) -> &String,
                     set: fn(&mut RoundInput, String)| {
        let input_id = format!("round-{field}");
        let error_id = format!("round-{field}-error");
        let described = error_id.clone();
        let label = format!("admin.field.{field}");
        let invalid = move || if msg(field.to_owned())().is_some() { "true" } else { "false" };
        view! {
            <div class="field">
                <label for=input_id.clone()>{move || tr(&label)}</label>
                <input id=input_id type=kind data-testid=format!("round-{field}") aria-invalid=invalid aria-describedby=described
                    readonly=move || field == "id" && editing.get().is_some()
                    prop:value=move || form.with(|f| get(f).clone())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                <p id=error_id class="field-error">{msg(field.to_owned())}</p>
            </div>
        }
    };
    let number = move |field: &'static str,
                       step: &'static str,
                       get: fn(&RoundInput) -> Option<f64>,
                       set: fn(&mut RoundInput, Option<f64>)| {
        let input_id = format!("round-{field}");
        let error_id = format!("round-{field}-error");
        let described = error_id.clone();
        let label = format!("admin.field.{field}");
        view! {
            <div class="field">
                <label for=input_id.clone()>{move || tr(&label)}</label>
                <input id=input_id type="number" step=step inputmode="decimal" data-testid=format!("round-{field}") aria-describedby=described
                    prop:value=move || form.with(|f| get(f).map(|v| v.to_string()).unwrap_or_default())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev).trim().parse().ok()))/>
                <p id=error_id class="field-error">{msg(field.to_owned())}</p>
            </div>
        }
    };
    let pools = move || form.with(|f| f.pools.len());
    view! {
        <form class="panel round-form" on:submit=submit novalidate=true data-testid="round-form" aria-labelledby="round-form-title">
            <h3 id="round-form-title">{move || match editing.get() {
                Some(id) => trf("admin.edit_round", &[("id", id)]),
                None => tr("admin.new_round"),
            }}</h3>
            <p class="muted">{move || tr("admin.new_round_hint")}</p>
            <FetchErrorView error=other message=Signal::derive(|| tr("admin.create_failed"))/>
            <FormErrorSummary error label=round_field_label id=round_field_id/>
            {move || created.get().map(|(id, changed)| view! {
                <p class="notice" role="status" data-testid="round-created">{trf(if changed { "admin.changed" } else { "admin.created" }, &[("id", id)])}</p>
            })}
            {text("id", "text", |f| &f.id, |f, v| f.id = v)}
            {text("title_ko", "text", |f| &f.title_ko, |f, v| f.title_ko = v)}
            {text("title_en", "text", |f| &f.title_en, |f, v| f.title_en = v)}
            <div class="field-pair">
                {text("opens", "date", |f| &f.opens, |f, v| f.opens = v)}
                {text("closes", "date", |f| &f.closes, |f, v| f.closes = v)}
            </div>
            {text("review_closes", "date", |f| &f.review_closes, |f, v| f.review_closes = v)}
            <div class="field-pair">
                {text("period_start", "date", |f| &f.period_start, |f, v| f.period_start = v)}
                {text("period_end", "date", |f| &f.period_end, |f, v| f.period_end = v)}
            </div>
            <fieldset class="field" data-testid="round-pools">
                <legend>{move || tr("admin.field.pools")}</legend>
                <p class="field-error">{msg("pools".to_owned())}</p>
                {move || (0..pools()).map(|i| view! { <PoolRow form=form index=i error=error/> }).collect_view()}
                <button type="button" class="link-button" id="round-add-pool" data-testid="round-add-pool"
                    on:click=move |_| form.update(|f| f.pools.push(PoolCapacityInput { unit: "servers".into(), ..Default::default() }))>
                    {move || tr("admin.add_pool")}
                </button>
            </fieldset>
            <fieldset class="field">
                <legend>{move || tr("admin.field.sector_targets")}</legend>
                <div class="target-grid">
                {Sector::ALL.iter().copied().map(|s| {
                    let field = format!("sector_targets.{}", s.as_str());
                    let input_id = format!("round-target-{}", s.as_str());
                    view! {
                        <div class="field">
                            <label for=input_id.clone()>{move || labels::sector(s)}" (%)"</label>
                            <input id=input_id type="number" min="0" max="100" step="1" inputmode="numeric"
                                data-testid=format!("round-target-{}", s.as_str())
                                prop:value=move || form.with(|f| f.sector_targets.get(s.as_str()).map(|v| format!("{}", (v * 100.0).round())).unwrap_or_default())
                                on:input=move |ev| form.update(|f| match event_target_value(&ev).trim().parse::<f64>() {
                                    Ok(v) => { f.sector_targets.insert(s.as_str().to_owned(), v / 100.0); }
                                    Err(_) => { f.sector_targets.remove(s.as_str()); }
                                })/>
                            <p class="field-error">{msg(field)}</p>
                        </div>
                    }
                }).collect_view()}
                </div>
            </fieldset>
            <div class="field-pair">
                {number("min_score", "0.1", |f| f.min_score, |f, v| f.min_score = v)}
                {number("min_reviews", "1", |f| f.min_reviews.map(f64::from), |f, v| f.min_reviews = v.map(|v| v as u32))}
            </div>
            <div class="field-pair">
                {number("reviewers_per_request", "1", |f| f.reviewers_per_request.map(f64::from), |f, v| f.reviewers_per_request = v.map(|v| v as u32))}
                {number("org_cap", "1", |f| match f.org_cap { Some(OrgCap::Servers(n)) => Some(n as f64), _ => None },
                    |f, v| f.org_cap = v.map(|v| OrgCap::Servers(v as u64)))}
            </div>
            <div class="button-row">
                <button type="submit" class="button" data-testid="round-submit" disabled=move || busy.get()>
                    {move || if editing.get().is_some() { tr("admin.save") } else { tr("admin.create") }}
                </button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="link-button" data-testid="round-edit-cancel"
                        on:click=move |_| { editing.set(None); form.set(RoundInput::default()); error.set(None); }>
                        {move || tr("admin.confirm_no")}
                    </button>
                </Show>
            </div>
        </form>
    }
}

#[component]
fn PoolRow(form: RwSignal<RoundInput>, index: usize, error: RwSignal<Option<FetchError>>) -> impl IntoView {
    let field = |name: &str| format!("pools[{index}].{name}");
    let msg = move |f: String| move || error.with(|e| field_message(e.as_ref(), &f));
    let (pool_id, unit_id, cap_id) =
        (format!("round-pool-{index}"), format!("round-unit-{index}"), format!("round-capacity-{index}"));
    let get =
        move |f: fn(&PoolCapacityInput) -> String| move || form.with(|r| r.pools.get(index).map(f).unwrap_or_default());
    view! {
        <div class="pool-row" data-testid=format!("round-pool-row-{index}")>
            <div class="field">
                <label for=pool_id.clone()>{move || tr("admin.pool")}</label>
                <input id=pool_id type="text" data-testid=format!("round-pool-{index}") prop:value=get(|p| p.pool.clone())
                    on:input=move |ev| form.update(|r| if let Some(p) = r.pools.get_mut(index) { p.pool = event_target_value(&ev) })/>
                <p class="field-error">{msg(field("pool"))}</p>
            </div>
            <div class="field">
                <label for=unit_id.clone()>{move || tr("admin.unit")}</label>
                <select id=unit_id data-testid=format!("round-unit-{index}") prop:value=get(|p| p.unit.clone())
                    on:change=move |ev| form.update(|r| if let Some(p) = r.pools.get_mut(index) { p.unit = event_target_value(&ev) })>
                    {kairr_shared::allocation::PoolUnit::ALL.iter().map(|u| view! {
                        <option value=u.as_str()>{let u = *u; move || labels::unit(u)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error">{msg(field("unit"))}</p>
            </div>
            <div class="field">
                <label for=cap_id.clone()>{move || tr("admin.capacity")}</label>
                <input id=cap_id type="number" min="1" inputmode="numeric" data-testid=format!("round-capacity-{index}")
                    prop:value=get(|p| p.capacity.map(|c| c.to_string()).unwrap_or_default())
                    on:input=move |ev| form.update(|r| if let Some(p) = r.pools.get_mut(index) { p.capacity = event_target_value(&ev).trim().parse().ok() })/>
                <p class="field-error">{msg(field("capacity"))}</p>
            </div>
            <button type="button" class="link-button" on:click=move |_| form.update(|r| { if index < r.pools.len() { r.pools.remove(index); } })>
                {move || tr("admin.remove_pool")}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_round_field_leads_to_its_control() {
        assert_eq!(pool_field("pools[2].capacity"), Some((2, "capacity")));
        assert_eq!(pool_field("pools"), None);
        assert_eq!(round_field_id("pools[1].pool"), "round-pool-1");
        assert_eq!(round_field_id("pools[0].unit"), "round-unit-0");
        assert_eq!(round_field_id("pools[3].capacity"), "round-capacity-3");
        assert_eq!(round_field_id("pools"), "round-add-pool");
        assert_eq!(round_field_id("sector_targets.startup"), "round-target-startup");
        assert_eq!(round_field_id("sector_targets"), format!("round-target-{}", Sector::ALL[0].as_str()));
        assert_eq!(round_field_id("min_score"), "round-min_score");
    }
}
