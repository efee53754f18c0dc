//! `/admin/assignments?round=` (committee and admins): who reviews what in a
//! round. Automatic assignment fills every free place (the server balances
//! loads, keeps the applicant's organisation out and prefers declared
//! expertise); each request shows its progress ("1 of 2 reviewed") and its
//! places (reviewed, pending, conflict declared), a pending place can be
//! taken away and a reviewer added by hand; the reviewers' loads are listed.

use kairr_shared::allocation::assignment::{AutoAssigned, Place, RequestReviewing, ReviewerLoad, RoundReviewing};
use kairr_shared::allocation::RoundStage;
use kairr_shared::auth::Action;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::date;
use crate::common::i18n::{tr, trf};
use crate::programme::api;
use crate::programme::components::access::RequireRole;
use crate::programme::components::shell::Shell;
use crate::programme::data::{use_assignments, use_rounds};
use crate::programme::labels::{self, pick};
use crate::programme::pages::admin::AdminNav;
use crate::programme::session::use_session;

/// Requests per page of the requests table.
const PAGE: usize = 20;

use crate::programme::components::pager::Pager;

/// The page.
#[component]
pub fn AdminAssignmentsPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="admin">
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("admin.assign.title")}</h2>
                <p>{move || tr("admin.assign.intro")}</p>
            </div>
            <RequireRole action=Action::AssignReviewers>
                <AdminNav current="assignments"/>
                <Assignments/>
            </RequireRole>
        </Shell>
    }
}

/// The round in the address (`?round=`), if any.
fn round_in_url() -> Option<String> {
    let search = window().location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("round").filter(|r| !r.is_empty())
}

#[component]
fn Assignments() -> impl IntoView {
    let session = use_session();
    let rounds = use_rounds();
    let chosen = RwSignal::new(round_in_url());
    // Without `?round=`: the newest round taking reviews, else the newest round.
    Effect::new(move |_| {
        if chosen.with_untracked(Option::is_none) {
            if let Some(list) = rounds.data.get() {
                let reviewing = list.iter().find(|r| matches!(r.stage, RoundStage::Open | RoundStage::UnderReview));
                chosen.set(reviewing.or(list.first()).map(|r| r.id.clone()));
            }
        }
    });
    let version = RwSignal::new(0u32);
    let view_data = use_assignments(chosen.into(), version.into());
    let changed = Callback::new(move |_| version.update(|v| *v += 1));
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<AutoAssigned>);
    let error = RwSignal::new(None::<FetchError>);
    let auto = move |_| {
        let Some(round) = chosen.get_untracked() else { return };
        busy.set(true);
        spawn_local(async move {
            match api::auto_assign(&session.csrf(), &round).await {
                Ok(done) => {
                    error.set(None);
                    outcome.set(Some(done));
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let pick_round = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        outcome.set(None);
        crate::common::address::replace_query(&format!("?round={id}"));
        chosen.set(Some(id));
    };
    view! {
        <section class="panel" aria-labelledby="assign-round-title">
            <h3 id="assign-round-title">{move || tr("admin.assign.overview")}</h3>
            <FetchErrorView error=rounds.error message=Signal::derive(|| tr("admin.assign.load_failed"))/>
            <div class="field">
                <label for="assign-round">{move || tr("admin.assign.round")}</label>
                <select id="assign-round" data-testid="assign-round" on:change=pick_round>
                    {move || rounds.data.get().unwrap_or_default().into_iter().map(|r| {
                        let selected = chosen.with(|c| c.as_deref() == Some(r.id.as_str()));
                        let stage = r.stage;
                        view! {
                            <option value=r.id.clone() selected=selected>
                                {pick(&r.title_ko, &r.title_en)} " (" {move || labels::stage(stage)} ")"
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            {move || view_data.data.get().map(|v| view! { <Summary view=v/> })}
            <div class="round-actions">
                <button type="button" class="button" data-testid="auto-assign" on:click=auto
                    disabled=move || busy.get() || view_data.data.with(|v| !v.as_ref().is_some_and(|v| v.stage.accepts_reviews() && !v.requests.is_empty()))>
                    {move || tr("admin.assign.auto")}
                </button>
                <span class="muted">{move || tr("admin.assign.auto_hint")}</span>
            </div>
            {move || outcome.get().map(|done| view! { <p class="notice" role="status" data-testid="auto-outcome">{outcome_text(&done)}</p> })}
            <FetchErrorView error=error message=Signal::derive(|| tr("admin.assign.auto_failed"))/>
        </section>
        <FetchErrorView error=view_data.error message=Signal::derive(|| tr("admin.assign.load_failed"))/>
        {move || view_data.data.get().map(|v| view! {
            <Requests view=v.clone() on_changed=changed/>
            <Reviewers reviewers=v.reviewers/>
        })}
    }
}

/// What an automatic assignment did, in words (in the view: the translations need the reactive context).
fn outcome_text(done: &AutoAssigned) -> String {
    let short = done.short.iter().map(|r| format!("#{}", r.0)).collect::<Vec<_>>().join(", ");
    if short.is_empty() {
        trf("admin.assign.auto_done", &[("n", done.assigned.to_string())])
    } else {
        trf("admin.assign.auto_short", &[("n", done.assigned.to_string()), ("short", short)])
    }
}

#[component]
fn Summary(view: RoundReviewing) -> impl IntoView {
    let wanted = view.requests.len() * view.wanted as usize;
    let filled: usize = view.requests.iter().map(|r| r.places.iter().filter(|p| p.declined.is_none()).count()).sum();
    let reviewed: usize = view.requests.iter().map(|r| r.places.iter().filter(|p| p.reviewed).count()).sum();
    let due = date(view.due);
    view! {
        <p data-testid="assign-summary">
            {move || trf("admin.assign.summary", &[
                ("due", due.clone()),
                ("requests", view.requests.len().to_string()),
                ("filled", filled.to_string()),
                ("wanted", wanted.to_string()),
                ("reviewed", reviewed.to_string()),
            ])}
        </p>
    }
}

#[component]
fn Requests(view: RoundReviewing, on_changed: Callback<()>) -> impl IntoView {
    let page = RwSignal::new(1usize);
    let only_short = RwSignal::new(false);
    let reviewers = StoredValue::new(view.reviewers.clone());
    let open = view.stage.accepts_reviews();
    let all = StoredValue::new(view.requests);
    let shown = move || {
        all.with_value(|list| {
            list.iter()
                .filter(|r| {
                    !only_short.get() || r.places.iter().filter(|p| p.declined.is_none()).count() < r.wanted as usize
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let pages = move || shown().len().div_ceil(PAGE).max(1);
    view! {
        <section class="panel" aria-labelledby="assign-requests-title">
            <h3 id="assign-requests-title">{move || tr("admin.assign.requests")}</h3>
            <div class="field check-field">
                <input id="assign-short" type="checkbox" data-testid="assign-only-short"
                    prop:checked=move || only_short.get()
                    on:change=move |ev| { only_short.set(event_target_checked(&ev)); page.set(1); }/>
                <label for="assign-short">{move || tr("admin.assign.only_short")}</label>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="assign-requests-title">
                <table class="data-table" data-testid="assign-requests">
                    <caption class="sr-only">{move || tr("admin.assign.requests")}</caption>
                    <thead><tr>
                        <th scope="col">{move || tr("admin.assign.request")}</th>
                        <th scope="col">{move || tr("admin.assign.progress")}</th>
                        <th scope="col">{move || tr("admin.assign.places")}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let p = page.get().clamp(1, pages()) - 1;
                            shown().into_iter().skip(p * PAGE).take(PAGE).map(|r| view! {
                                <RequestRow request=r reviewers=reviewers open=open on_changed=on_changed/>
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <Pager page=page pages=Signal::derive(pages) name="assignments"/>
        </section>
    }
}

#[component]
fn RequestRow(
    request: RequestReviewing,
    reviewers: StoredValue<Vec<ReviewerLoad>>,
    open: bool,
    on_changed: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<FetchError>);
    let id = request.request.0;
    let active = request.places.iter().filter(|p| p.declined.is_none()).count();
    let reviewed = request.places.iter().filter(|p| p.reviewed).count();
    let short = active < request.wanted as usize;
    let wanted = request.wanted;
    let add = move |ev: leptos::ev::Event| {
        let who = event_target_value(&ev);
        if who.is_empty() {
            return;
        }
        spawn_local(async move {
            match api::assign_reviewer(&session.csrf(), id, &who).await {
                Ok(_) => {
                    error.set(None);
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let held: Vec<String> = request.places.iter().map(|p| p.reviewer.clone()).collect();
    let add_label = format!("#{id} — {}", tr("admin.assign.add"));
    view! {
        <tr data-testid=format!("assign-request-{id}") class:flagged=short>
            <th scope="row">
                <span class="round-id">"#"{id}</span> " " {request.title.clone()}<br/>
                <span class="muted">{request.organisation.clone()} " · " {move || labels::state(request.state)}</span>
            </th>
            <td data-testid="assign-progress">
                {move || trf("admin.assign.progress_value", &[("reviewed", reviewed.to_string()), ("wanted", wanted.to_string())])}
                {short.then(|| view! { <br/><span class="muted">{move || trf("admin.assign.short", &[("n", (wanted as usize - active).to_string())])}</span> })}
            </td>
            <td>
                <ul class="place-list">
                    {request.places.into_iter().map(|p| view! { <PlaceItem place=p request=id open=open on_changed=on_changed error=error/> }).collect_view()}
                </ul>
                {open.then(|| view! {
                    <select aria-label=add_label.clone() data-testid="assign-add" on:change=add>
                        <option value="" selected=true>{move || tr("admin.assign.add")}</option>
                        {reviewers.with_value(|list| list.iter().filter(|r| !held.contains(&r.reviewer.username)).map(|r| view! {
                            <option value=r.reviewer.username.clone()>{r.reviewer.display_name.clone()} " (" {r.reviewer.organisation.clone()} ")"</option>
                        }).collect_view())}
                    </select>
                })}
                <FetchErrorView error=error message=Signal::derive(|| tr("admin.assign.change_failed"))/>
            </td>
        </tr>
    }
}

#[component]
fn PlaceItem(
    place: Place,
    request: u64,
    open: bool,
    on_changed: Callback<()>,
    error: RwSignal<Option<FetchError>>,
) -> impl IntoView {
    let session = use_session();
    let who = place.reviewer.clone();
    let remove = move |_| {
        let who = who.clone();
        spawn_local(async move {
            match api::unassign_reviewer(&session.csrf(), request, &who).await {
                Ok(()) => {
                    error.set(None);
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let (state, key) = match (&place.declined, place.reviewed) {
        (Some(_), _) => ("declined", "admin.assign.declined"),
        (None, true) => ("reviewed", "admin.assign.reviewed"),
        (None, false) => ("pending", "admin.assign.pending"),
    };
    let reason = place.declined.as_ref().map(|d| d.reason.clone());
    let name = place.display_name.clone();
    view! {
        <li data-testid=format!("place-{}", place.reviewer) data-state=state>
            {place.display_name.clone()} " " <span class="place-state">{move || tr(key)}</span>
            {reason.map(|r| view! { <span class="muted">" — " {r}</span> })}
            {(open && state == "pending").then(|| view! {
                " " <button type="button" class="link-button" data-testid="place-remove" on:click=remove>
                    {move || tr("admin.assign.remove")}<span class="sr-only">" " {name.clone()}</span>
                </button>
            })}
        </li>
    }
}

#[component]
fn Reviewers(reviewers: Vec<ReviewerLoad>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="assign-reviewers-title">
            <h3 id="assign-reviewers-title">{move || tr("admin.assign.reviewers")}</h3>
            {reviewers.is_empty().then(|| view! { <p class="muted">{move || tr("admin.assign.no_reviewers")}</p> })}
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="assign-reviewers-title">
                <table class="data-table" data-testid="assign-reviewers">
                    <caption class="sr-only">{move || tr("admin.assign.reviewers")}</caption>
                    <thead><tr>
                        <th scope="col">{move || tr("admin.people.name")}</th>
                        <th scope="col">{move || tr("admin.people.organisation")}</th>
                        <th scope="col">{move || tr("admin.people.expertise")}</th>
                        <th scope="col" class="num">{move || tr("admin.assign.load")}</th>
                        <th scope="col" class="num">{move || tr("admin.assign.done")}</th>
                    </tr></thead>
                    <tbody>
                        {reviewers.into_iter().map(|r| view! {
                            <tr data-testid=format!("load-{}", r.reviewer.username)>
                                <th scope="row">{r.reviewer.display_name.clone()}</th>
                                <td>{r.reviewer.organisation.clone()}</td>
                                <td>{r.reviewer.expertise.join(", ")}</td>
                                <td class="num">{r.assigned}</td>
                                <td class="num">{r.reviewed}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
