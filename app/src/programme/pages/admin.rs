//! `/admin` (admins only): the rounds of the programme. Each round with its
//! stage, windows and progress, a button to move it to its next stage (after
//! a confirmation saying what the step changes) and one to copy it into the
//! form; the form creates a new round as a draft. The server enforces every
//! rule and its field errors appear next to their field.

use kairr_shared::allocation::usecase::StageChange;
use kairr_shared::allocation::{RoundInput, RoundStage};
use kairr_shared::auth::Action;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::dated::dated;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::date;
use crate::common::i18n::{tr, trf};
use crate::programme::api::{self, AdminRound};
use crate::programme::components::access::RequireRole;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_admin_rounds;
use crate::programme::labels::{self, pick};
use crate::programme::session::{use_session, Access};

use super::admin_round_form::RoundForm;

/// The page.
#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="admin">
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
