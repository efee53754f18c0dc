//! A request's reviews (four rubric scores, mean, comment) and, for admins,
//! the refused reviews recorded as conflicts of interest.

use kairr_shared::allocation::{CoiRecord, Review};
use leptos::prelude::*;

use crate::common::components::dated::dated;
use crate::common::format::{fixed, kst_minute};
use crate::common::i18n::tr;

/// The reviews table (a sentence when there are none).
#[component]
pub fn ReviewList(
    /// The request's reviews.
    reviews: Vec<Review>,
    /// Conflicts of interest (`None` unless the viewer is an admin).
    conflicts: Option<Vec<CoiRecord>>,
    /// Display names by account name (an account missing from it is shown by its account name).
    names: std::collections::BTreeMap<String, String>,
) -> impl IntoView {
    let names = StoredValue::new(names);
    let name = move |account: &str| names.with_value(|n| n.get(account).cloned()).unwrap_or_else(|| account.to_owned());
    let empty = reviews.is_empty();
    view! {
        <section class="panel" aria-labelledby="reviews-title" data-testid="request-reviews">
            <h3 id="reviews-title">{move || tr("programme.detail.reviews")}</h3>
            <Show when=move || empty>
                <p class="muted">{move || tr("programme.detail.no_reviews")}</p>
            </Show>
            <Show when=move || !empty>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="reviews-title">
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || tr("programme.detail.col_reviewer")}</th>
                                <th scope="col" class="num">{move || tr("programme.review.technical_merit")}</th>
                                <th scope="col" class="num">{move || tr("programme.review.impact")}</th>
                                <th scope="col" class="num">{move || tr("programme.review.ecosystem")}</th>
                                <th scope="col" class="num">{move || tr("programme.review.team_readiness")}</th>
                                <th scope="col" class="num">{move || tr("programme.detail.col_mean")}</th>
                                <th scope="col">{move || tr("programme.review.comment")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {reviews.iter().map(|r| {
                                let s = r.rubric;
                                view! {
                                    <tr>
                                        <th scope="row">{name(&r.reviewer)}<br/><span class="muted">{r.reviewer_organisation.clone()}</span></th>
                                        <td class="num">{s.technical_merit.get()}</td>
                                        <td class="num">{s.impact.get()}</td>
                                        <td class="num">{s.ecosystem.get()}</td>
                                        <td class="num">{s.team_readiness.get()}</td>
                                        <td class="num">{fixed(s.mean(), 2)}</td>
                                        <td>{r.comment.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Show>
            {conflicts.map(|c| view! {
                <h4>{move || tr("programme.detail.conflicts")}</h4>
                <ul data-testid="request-conflicts">
                    {c.is_empty().then(|| view! { <li class="muted">{move || tr("programme.detail.no_conflicts")}</li> })}
                    {c.into_iter().map(|c| view! {
                        <li>{dated(format!("{} · {} · {}", name(&c.reviewer), c.organisation, kst_minute(c.at)))}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
