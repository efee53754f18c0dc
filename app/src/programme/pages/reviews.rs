//! `/reviews` (reviewers, committee members and admins): the requests of the
//! round being reviewed that are the reviewer's to review (their assigned
//! ones once the round assigns reviewers), with the due date and each
//! request's progress; the rubric form with its anchors, or the reviewer's
//! own scores once given; and a way to declare a conflict of interest.
//! Requests from the reviewer's own organisation are marked: the server
//! refuses their review (409) and records the conflict.

use kairr_shared::allocation::assignment::ConflictDeclaration;
use kairr_shared::allocation::ReviewItem;
use kairr_shared::auth::Action;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::dated::dated;
use crate::programme::api;
use crate::programme::form_errors::{field_message, general_error};
use crate::programme::session::use_session;

use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::{date, fixed};
use crate::common::i18n::{tr, trf};
use crate::programme::components::access::RequireRole;
use crate::programme::components::review_form::ReviewForm;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_assigned;
use crate::programme::labels::{self, pick};

/// The page.
#[component]
pub fn ReviewsPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="reviews">
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("programme.reviews.title")}</h2>
                <p>{move || tr("programme.reviews.intro")}</p>
            </div>
            <RequireRole action=Action::Review>
                <ReviewList/>
            </RequireRole>
        </Shell>
    }
}

#[component]
fn ReviewList() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let list = use_assigned(version.into());
    // The unit of a pool's amounts in the round being reviewed.
    let unit_of = move |pool: &str| {
        list.data.with_untracked(|d| d.as_ref().and_then(|d| d.round.as_ref()?.pool(pool).map(|p| p.unit)))
    };
    let reviewed = Callback::new(move |_| version.update(|v| *v += 1));
    let changed = Callback::new(move |_| version.update(|v| *v += 1));
    let items = move || list.data.with(|d| d.as_ref().map(|d| d.items.clone()).unwrap_or_default());
    let no_round = move || list.data.with(|d| d.as_ref().is_some_and(|d| d.round.is_none()));
    let empty = move || list.data.with(|d| d.as_ref().is_some_and(|d| d.round.is_some() && d.items.is_empty()));
    view! {
        <FetchErrorView error=list.error message=Signal::derive(|| tr("programme.reviews.error"))/>
        <Show when=move || list.loading()>
            <p class="muted" role="status">{move || tr("common.loading")}</p>
        </Show>
        <Show when=no_round>
            <p class="notice" data-testid="reviews-no-round">{move || tr("programme.request.no_open_round")}</p>
        </Show>
        {move || list.data.get().and_then(|d| Some((d.round?, d.due, d.assigned_only))).map(|(r, due, assigned)| view! {
            <p data-testid="reviews-round">{pick(&r.title_ko, &r.title_en)}
                {due.map(|d| view! { " · " <span data-testid="reviews-due">{move || trf("programme.reviews.due", &[("date", date(d))])}</span> })}
            </p>
            {assigned.then(|| view! { <p class="muted">{move || tr("programme.reviews.assigned_only")}</p> })}
        })}
        <Show when=empty>
            <p data-testid="reviews-empty">{move || tr("programme.reviews.empty")}</p>
        </Show>
        <ul class="review-items" data-testid="review-items">
            <For each=items key=|i| (i.request.id.0, i.mine.as_ref().map(|m| m.at), i.declared, i.reviews, i.places) let:item>
                <ReviewCard unit=unit_of(&item.request.pool) item=item on_reviewed=reviewed on_changed=changed/>
            </For>
        </ul>
    }
}

#[component]
fn ReviewCard(
    /// The unit of the request's amount (its round's pool's).
    unit: Option<kairr_shared::allocation::PoolUnit>,
    item: ReviewItem,
    on_reviewed: Callback<kairr_shared::allocation::Review>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let r = item.request;
    let id = r.id.0;
    let heading = format!("review-item-{id}-title");
    let labelled_by = heading.clone();
    let (pool, amount, start, end) = (r.pool.clone(), r.amount, r.period_start, r.period_end);
    let asked = move || {
        trf(
            "programme.reviews.asked",
            &[
                ("pool", labels::pool(&pool)),
                (
                    "amount",
                    unit.map_or_else(|| crate::common::format::thousands(amount), |u| labels::amount(amount, u)),
                ),
                ("start", date(start)),
                ("end", date(end)),
            ],
        )
    };
    let mine = item.mine.clone();
    let mean = item.mine.map(|m| m.rubric.mean());
    // The list re-renders a card when its review changes (the key has the mean).
    let edit = RwSignal::new(false);
    let (title_ko, title_en) = (r.title_ko.clone(), r.title_en.clone());
    let (org, sector, region) = (r.organisation.clone(), r.sector, r.region);
    let org_for_form = org.clone();
    let (reviews, places, declared) = (item.reviews, item.places, item.declared);
    view! {
        <li class="panel" data-testid=format!("review-item-{id}") aria-labelledby=labelled_by>
            <h3 id=heading>{move || format!("#{id} {}", pick(&title_ko, &title_en))}</h3>
            <p>{move || format!("{} · {} · {}", org, labels::sector(sector), labels::region(region))}</p>
            <p>{move || dated(asked())}</p>
            {(places > 0).then(|| view! {
                <p data-testid="review-progress">{move || trf("programme.reviews.progress", &[("reviews", reviews.to_string()), ("places", places.to_string())])}</p>
            })}
            <p class="abstract">{r.abstract_text.clone()}</p>
            {(item.conflict && !declared).then(|| view! {
                <p class="notice notice-warning" data-testid="review-conflict-warning">{move || tr("programme.reviews.conflict_warning")}</p>
            })}
            {match (mine, declared) {
                (_, true) => view! {
                    <p class="notice" role="status" data-testid="review-declared">{move || tr("programme.reviews.declared")}</p>
                }.into_any(),
                (Some(review), _) => view! {
                    <p class="notice" role="status" data-testid="review-done">
                        {move || trf("programme.reviews.mine", &[("mean", fixed(mean.unwrap_or_default(), 2))])}
                    </p>
                    <button type="button" class="link-button" data-testid="review-edit" aria-expanded=move || edit.get().to_string()
                        on:click=move |_| edit.update(|e| *e = !*e)>
                        {move || tr("programme.reviews.edit")}
                    </button>
                    {move || edit.get().then(|| view! {
                        <ReviewForm id=id organisation=org_for_form.clone() on_reviewed=on_reviewed initial=review.clone()/>
                    })}
                }.into_any(),
                (None, false) => view! {
                    <ReviewForm id=id organisation=org_for_form.clone() on_reviewed=on_reviewed/>
                    <DeclareConflict id=id on_declared=Callback::new(move |_| on_changed.run(()))/>
                }.into_any(),
            }}
        </li>
    }
}

/// "I have a conflict of interest": a reason, then the server records it and
/// frees the reviewer's place; the request stays listed as declared.
#[component]
fn DeclareConflict(id: u64, on_declared: Callback<()>) -> impl IntoView {
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let input_id = format!("conflict-{id}-reason");
    let err_id = format!("{input_id}-error");
    let msg = move || error.with(|e| field_message(e.as_ref(), "reason"));
    let other = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &["reason"])));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ConflictDeclaration { reason: reason.get_untracked() };
        busy.set(true);
        spawn_local(async move {
            match api::declare_conflict(&session.csrf(), id, &body).await {
                Ok(_) => {
                    error.set(None);
                    on_declared.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <details class="declare-conflict" data-testid=format!("declare-conflict-{id}")>
            <summary>{move || tr("programme.reviews.declare")}</summary>
            <form on:submit=submit novalidate=true>
                <p class="muted">{move || tr("programme.reviews.declare_hint")}</p>
                <FetchErrorView error=other message=Signal::derive(|| tr("programme.reviews.declare_failed"))/>
                <div class="field">
                    <label for=input_id.clone()>{move || tr("programme.reviews.declare_reason")}</label>
                    <textarea id=input_id rows="2" data-testid="conflict-reason" aria-describedby=err_id.clone()
                        aria-invalid=move || if msg().is_some() { "true" } else { "false" }
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    <p id=err_id class="field-error">{msg}</p>
                </div>
                <button type="submit" class="button secondary" data-testid="conflict-submit" disabled=move || busy.get()>
                    {move || tr("programme.reviews.declare_submit")}
                </button>
            </form>
        </details>
    }
}
