//! `/reviews` (reviewers, committee members and admins): the open round's
//! requests open for review, each with the rubric form, or the reviewer's own
//! scores once given. Requests from the reviewer's own organisation are
//! marked: the server refuses their review (409) and records the conflict.

use kairr_shared::allocation::ReviewItem;
use kairr_shared::auth::Action;
use leptos::prelude::*;

use crate::components::fetch_error::FetchErrorView;
use crate::components::header::SitePage;
use crate::components::programme::access::RequireRole;
use crate::components::programme::review_form::ReviewForm;
use crate::components::programme::shell::Shell;
use crate::format::{date, fixed};
use crate::i18n::{tr, trf};
use crate::programme::data::use_assigned;
use crate::programme::labels::{self, pick};

/// The page.
#[component]
pub fn ReviewsPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="reviews">
            <div class="programme-intro">
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
    let reviewed = Callback::new(move |_| version.update(|v| *v += 1));
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
        {move || list.data.get().and_then(|d| d.round).map(|r| view! {
            <p data-testid="reviews-round">{pick(&r.title_ko, &r.title_en)}</p>
        })}
        <Show when=empty>
            <p data-testid="reviews-empty">{move || tr("programme.reviews.empty")}</p>
        </Show>
        <ul class="review-items" data-testid="review-items">
            <For each=items key=|i| (i.request.id.0, i.mine.is_some()) let:item>
                <ReviewCard item=item on_reviewed=reviewed/>
            </For>
        </ul>
    }
}

#[component]
fn ReviewCard(item: ReviewItem, on_reviewed: Callback<kairr_shared::allocation::Review>) -> impl IntoView {
    let r = item.request;
    let id = r.id.0;
    let heading = format!("review-item-{id}-title");
    let labelled_by = heading.clone();
    let (pool, amount, start, end) = (r.pool.clone(), r.amount, r.period_start, r.period_end);
    let asked = move || {
        trf(
            "programme.reviews.asked",
            &[
                ("pool", pool.clone()),
                ("amount", crate::format::thousands(amount)),
                ("start", date(start)),
                ("end", date(end)),
            ],
        )
    };
    let mean = item.mine.map(|m| m.rubric.mean());
    let (title_ko, title_en) = (r.title_ko.clone(), r.title_en.clone());
    let (org, sector, region) = (r.organisation.clone(), r.sector, r.region);
    let org_for_form = org.clone();
    view! {
        <li class="panel" data-testid=format!("review-item-{id}") aria-labelledby=labelled_by>
            <h3 id=heading>{move || format!("#{id} {}", pick(&title_ko, &title_en))}</h3>
            <p>{move || format!("{} · {} · {}", org, labels::sector(sector), labels::region(region))}</p>
            <p>{asked}</p>
            <p class="abstract">{r.abstract_text.clone()}</p>
            {item.conflict.then(|| view! {
                <p class="notice notice-warning" data-testid="review-conflict-warning">{move || tr("programme.reviews.conflict_warning")}</p>
            })}
            {match mean {
                Some(m) => view! {
                    <p class="notice" role="status" data-testid="review-done">
                        {move || trf("programme.reviews.mine", &[("mean", fixed(m, 2))])}
                    </p>
                }.into_any(),
                None => view! { <ReviewForm id=id organisation=org_for_form.clone() on_reviewed=on_reviewed/> }.into_any(),
            }}
        </li>
    }
}
