//! `/committee/requests/{id}` (committee members and admins): the request
//! with its advisor result, reviews, conflicts of interest (admins), the
//! decision and allocation once made (admins: the allocation's period form),
//! and, while the request is under review, the decision form (or what a
//! decision still waits for: the review stage, reviews, the review window). `?amount=` (from a proposal line) pre-fills the form.

use kairr_shared::allocation::detail::DecisionAccess;
use kairr_shared::allocation::RequestDetail;
use kairr_shared::auth::{Action, Role};
use leptos::prelude::*;

use crate::common::address::PageQuery;

use crate::common::components::dated::dated;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::{date, fixed, kst_minute, thousands};
use crate::common::i18n::{tr, trf};
use crate::common::live::now_utc;
use crate::programme::components::access::RequireRole;
use crate::programme::components::decision_form::DecisionForm;
use crate::programme::components::period_form::PeriodForm;
use crate::programme::components::request_summary::RequestSummary;
use crate::programme::components::review_list::ReviewList;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_request_detail;
use crate::programme::labels;
use crate::programme::session::use_session;

/// The page.
#[component]
pub fn RequestDetailPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="request-detail">
            <p><a href="/committee" data-testid="back-to-committee">{move || tr("programme.detail.back")}</a></p>
            <RequireRole action=Action::ViewCommittee>
                <RequestDetailView/>
            </RequireRole>
        </Shell>
    }
}

#[component]
fn RequestDetailView() -> impl IntoView {
    let id = Signal::stored(crate::common::address::path_id());
    let suggested = PageQuery::use_context().get_untracked("amount").and_then(|v| v.parse::<u64>().ok());
    let version = RwSignal::new(0u32);
    let decided = RwSignal::new(false);
    let detail = use_request_detail(id, version.into()).names_the_page();
    let on_decided = Callback::new(move |()| {
        decided.set(true);
        version.update(|v| *v += 1);
    });
    let period_changed = RwSignal::new(false);
    let on_changed = Callback::new(move |()| {
        period_changed.set(true);
        version.update(|v| *v += 1);
    });
    view! {
        <Show when=move || id.get().is_none()>
            <p class="notice notice-warning" role="alert">{move || tr("programme.detail.bad_id")}</p>
        </Show>
        <FetchErrorView error=detail.error message=Signal::derive(|| tr("programme.detail.error"))/>
        <Show when=move || detail.loading() && id.get().is_some()>
            <p class="muted" role="status">{move || tr("common.loading")}</p>
        </Show>
        <Show when=move || decided.get()>
            <p class="notice" role="status" data-testid="decision-saved">{move || tr("programme.decision.saved")}</p>
        </Show>
        <Show when=move || period_changed.get()>
            <p class="notice" role="status" data-testid="period-saved">{move || tr("programme.period.saved")}</p>
        </Show>
        {move || detail.data.get().map(|d| view! {
            <RequestSummary detail=d.clone()/>
            <ReviewList reviews=d.reviews.clone() conflicts=d.conflicts.clone() names=d.names.clone()/>
            <Outcome detail=d.clone() on_changed=on_changed/>
            <DecisionSlot detail=d.clone() suggested=suggested on_decided=on_decided/>
        })}
    }
}

/// Under review: the decision form when the round's lifecycle lets this
/// person decide now (the server's own rule), else what it waits for.
#[component]
fn DecisionSlot(detail: RequestDetail, suggested: Option<u64>, on_decided: Callback<()>) -> impl IntoView {
    let session = use_session();
    let admin = move || session.user().is_some_and(|u| u.role == Role::Admin);
    move || {
        let waits = match detail.decision_access(admin(), now_utc())? {
            DecisionAccess::Open { .. } => {
                return Some(
                    view! { <DecisionForm detail=detail.clone() suggested=suggested on_decided=on_decided/> }
                        .into_any(),
                );
            }
            DecisionAccess::RoundNotInReview => tr("programme.decision.waits_round"),
            DecisionAccess::TooFewReviews { have, need } => {
                trf("programme.decision.waits_reviews", &[("have", have.to_string()), ("need", need.to_string())])
            }
            DecisionAccess::AfterReviewWindow { closes } => {
                trf("programme.decision.waits_window", &[("date", date(closes))])
            }
        };
        Some(view! { <p class="notice" role="status" data-testid="decision-waits">{dated(waits)}</p> }.into_any())
    }
}

/// The decision and allocation once made; for admins, the allocation's period form.
#[component]
fn Outcome(detail: RequestDetail, on_changed: Callback<()>) -> impl IntoView {
    let round_period = (detail.round_period_start, detail.round_period_end);
    let form = detail.allocation.clone().filter(|_| detail.period_changeable).map(|a| {
        view! { <PeriodForm allocation=a round_period=round_period on_changed=on_changed/> }
    });
    let unit = detail.pool.as_ref().map(|p| p.unit);
    let used = detail.used_gpu_hours;
    let undecided = detail.decision.is_none();
    let decider = detail.decision.as_ref().map(|d| detail.name_of(&d.decided_by).to_owned()).unwrap_or_default();
    let (decision, allocation) = (detail.decision, detail.allocation);
    let decision = move || {
        decision.as_ref().map(|d| {
            let amount = unit.map_or_else(|| thousands(d.amount), |u| labels::amount(d.amount, u));
            trf(
                "programme.detail.decision_value",
                &[
                    ("kind", labels::state(d.kind.state())),
                    ("amount", amount),
                    ("by", decider.clone()),
                    ("at", kst_minute(d.at)),
                    ("rationale", d.rationale.clone()),
                ],
            )
        })
    };
    let allocation = move || {
        allocation.as_ref().map(|a| {
            // Servers say how many GPUs they hold; hour pools have no GPU count.
            let key = if a.gpus.is_some() {
                "programme.detail.allocation_value"
            } else {
                "programme.detail.allocation_value_hours"
            };
            trf(
                key,
                &[
                    ("amount", labels::amount(a.amount, a.unit)),
                    ("gpus", a.gpus.map_or_else(String::new, thousands)),
                    ("start", date(a.start)),
                    ("end", date(a.end)),
                    ("used", fixed(used, 0)),
                ],
            )
        })
    };
    view! {
        <section class="panel" aria-labelledby="outcome-title" data-testid="request-outcome">
            <h3 id="outcome-title">{move || tr("programme.detail.outcome")}</h3>
            <Show when=move || undecided>
                <p class="muted">{move || tr("programme.detail.undecided")}</p>
            </Show>
            {move || decision().map(|d| view! { <p data-testid="request-decision">{dated(d)}</p> })}
            {move || allocation().map(|a| view! { <p data-testid="request-allocation">{dated(a)}</p> })}
            {form}
        </section>
    }
}
