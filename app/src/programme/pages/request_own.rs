//! `/requests/{id}`: one's own request (the applicant or a co-investigator):
//! its receipt number, what it asks, what came of it and its history; the
//! applicant changes or withdraws it here until the submission deadline.

use kairr_shared::allocation::{HistoryEvent, HistoryKind, Request, RequestInput, RequestState};
use kairr_shared::api::MyRequestDetail;
use kairr_shared::auth::Action;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::dated::dated;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::{date, fixed, kst_minute, period, thousands};
use crate::common::i18n::{tr, trf};
use crate::programme::api;
use crate::programme::components::access::RequireRole;
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::components::request_fields::{check_typed_amount, field_label, input_id, RequestFields};
use crate::programme::components::shell::Shell;
use crate::programme::data::use_own_request;
use crate::programme::form_errors::refused_before_sending;
use crate::programme::labels::{self, pick};
use crate::programme::session::use_session;

/// The page.
#[component]
pub fn RequestOwnPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="request-own">
            <p><a href="/requests/mine" data-testid="back-to-mine">{move || tr("programme.own.back")}</a></p>
            <RequireRole action=Action::SubmitRequest>
                <OwnRequest/>
            </RequireRole>
        </Shell>
    }
}

/// What the last action did (shown until the next one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    Saved,
    Withdrawn,
}

/// What the applicant is doing on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Reading,
    Changing,
    ConfirmingWithdrawal,
}

#[component]
fn OwnRequest() -> impl IntoView {
    let id = Signal::stored(crate::common::address::path_id());
    let version = RwSignal::new(0u32);
    let detail = use_own_request(id, version.into()).names_the_page();
    let done = RwSignal::new(None::<Done>);
    let mode = RwSignal::new(Mode::Reading);
    let on_done = Callback::new(move |d: Done| {
        done.set(Some(d));
        mode.set(Mode::Reading);
        version.update(|v| *v += 1);
    });
    view! {
        <Show when=move || id.get().is_none()>
            <p class="notice notice-warning" role="alert">{move || tr("programme.detail.bad_id")}</p>
        </Show>
        <FetchErrorView error=detail.error message=Signal::derive(|| tr("programme.own.error"))/>
        <Show when=move || detail.loading() && id.get().is_some()>
            <p class="muted" role="status">{move || tr("common.loading")}</p>
        </Show>
        {move || done.get().map(|d| {
            let key = match d { Done::Saved => "programme.own.saved", Done::Withdrawn => "programme.own.withdrawn" };
            view! { <p class="notice" role="status" data-testid="own-done">{move || tr(key)}</p> }
        })}
        {move || detail.data.get().map(|d| view! {
            <Facts detail=d.clone()/>
            <Actions detail=d.clone() mode on_done/>
            <History events=d.history.clone()/>
        })}
    }
}

/// What the request asks, and what came of it.
#[component]
fn Facts(detail: MyRequestDetail) -> impl IntoView {
    let r = detail.mine.request.clone();
    let unit = detail.round.pool(&r.pool).map(|p| p.unit);
    let asked = move || unit.map_or_else(|| thousands(r.amount), |u| labels::amount(r.amount, u));
    let team = if r.co_investigators.is_empty() { "—".to_owned() } else { r.co_investigators.join(", ") };
    let round_title = (detail.round.title_ko.clone(), detail.round.title_en.clone());
    let (title_ko, title_en) = (r.title_ko.clone(), r.title_en.clone());
    let rows = {
        let r = r.clone();
        move || -> Vec<(String, String)> {
            [
                ("programme.own.receipt", format!("#{}", r.id.0)),
                ("programme.own.round", pick(&round_title.0, &round_title.1)),
                ("programme.detail.state", labels::state(r.state)),
                ("programme.detail.pi", r.pi.clone()),
                ("programme.detail.organisation", r.organisation.clone()),
                ("programme.own.applicant", r.applicant.clone()),
                ("programme.own.co_investigators", team.clone()),
                ("programme.detail.pool", labels::pool(&r.pool)),
                ("programme.detail.asked", asked()),
                ("programme.detail.period", period(r.period_start, r.period_end)),
                ("programme.own.submitted", kst_minute(r.submitted_at)),
            ]
            .into_iter()
            .map(|(k, v)| (tr(k), v))
            .collect()
        }
    };
    let mine = detail.mine.clone();
    let outcome = move || {
        let decision = mine.decision.as_ref().map(|d| {
            let amount = unit.map_or_else(|| thousands(d.amount), |u| labels::amount(d.amount, u));
            trf(
                "programme.own.decision",
                &[("kind", labels::state(d.kind.state())), ("amount", amount), ("at", kst_minute(d.at))],
            )
        });
        let allocation = mine.allocation.as_ref().map(|a| {
            trf(
                "programme.own.allocation",
                &[
                    ("amount", labels::amount(a.amount, a.unit)),
                    ("start", date(a.start)),
                    ("end", date(a.end)),
                    ("used", fixed(mine.used_gpu_hours, 0)),
                    ("awarded", fixed(mine.awarded_gpu_hours, 0)),
                ],
            )
        });
        (decision, allocation, mine.decision.as_ref().map(|d| d.rationale.clone()).filter(|s| !s.is_empty()))
    };
    let abstract_text = r.abstract_text.clone();
    view! {
        <section class="panel" aria-labelledby="own-title" data-testid="own-request">
            <h2 id="own-title" data-testid="own-title">{move || pick(&title_ko, &title_en)}</h2>
            <dl class="facts">
                {move || rows().into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{dated(v)}</dd> }).collect_view()}
            </dl>
            <h3>{move || tr("programme.detail.abstract")}</h3>
            <p class="abstract">{abstract_text}</p>
            {move || {
                let (decision, allocation, rationale) = outcome();
                view! {
                    {decision.map(|d| view! { <p data-testid="own-decision"><strong>{d}</strong></p> })}
                    {rationale.map(|t| view! { <p class="muted">{t}</p> })}
                    {allocation.map(|a| view! { <p data-testid="own-allocation">{dated(a)}</p> })}
                }
            }}
        </section>
    }
}

/// The applicant's change and withdrawal (until the deadline), or why they are gone.
#[component]
fn Actions(detail: MyRequestDetail, mode: RwSignal<Mode>, on_done: Callback<Done>) -> impl IntoView {
    let r = detail.mine.request.clone();
    let closes = date(detail.round.closes);
    if !detail.applicant {
        let applicant = r.applicant.clone();
        let text = move || trf("programme.own.co_investigator", &[("applicant", applicant.clone())]);
        return view! { <p class="notice" data-testid="own-co-investigator">{text}</p> }.into_any();
    }
    if !detail.editable {
        let key = match r.state {
            RequestState::Submitted => Some("programme.own.closed"),
            RequestState::UnderReview => Some("programme.own.in_review"),
            _ => None,
        };
        return key
            .map(|k| view! { <p class="muted" data-testid="own-locked">{move || trf(k, &[("closes", closes.clone())])}</p> })
            .into_any();
    }
    let session = use_session();
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let form = RwSignal::new(input_of(&r));
    let typed_amount = RwSignal::new(form.with_untracked(|f| f.amount.map(|a| a.to_string()).unwrap_or_default()));
    let pools = detail.round.pools.clone();
    // Kept so the submit handler stays `Copy`.
    let round = StoredValue::new(detail.round.clone());
    let in_directory = r.organisation_id.is_some();
    let id = r.id.0;
    let start_change = {
        let r = r.clone();
        move |_| {
            form.set(input_of(&r));
            error.set(None);
            mode.set(Mode::Changing);
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        // The form's own problems are shown at once; the server checks the rest.
        let applicant = session.user().map(|u| u.username.clone()).unwrap_or_default();
        let problems = check_typed_amount(
            round.with_value(|r| input.field_problems(r, &applicant, in_directory)),
            &typed_amount.get_untracked(),
        );
        if refused_before_sending(error, problems) {
            return;
        }
        busy.set(true);
        let csrf = session.csrf();
        spawn_local(async move {
            match api::change_request(&csrf, id, &input).await {
                Ok(_) => {
                    on_done.try_run(Done::Saved);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let withdraw = move |_| {
        busy.set(true);
        let csrf = session.csrf();
        spawn_local(async move {
            match api::withdraw_request(&csrf, id).await {
                Ok(_) => {
                    on_done.try_run(Done::Withdrawn);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let other_error = Signal::derive(move || {
        error.with(|e| match e {
            Some(FetchError::Http { api: Some(a), .. }) if !a.fields.is_empty() => None,
            other => other.clone(),
        })
    });
    view! {
        <section class="panel" aria-labelledby="own-actions-title" data-testid="own-actions">
            <h3 id="own-actions-title">{move || tr("programme.own.actions")}</h3>
            <p class="muted">{move || trf("programme.own.until", &[("closes", closes.clone())])}</p>
            <FetchErrorView error=other_error message=Signal::derive(|| tr("programme.own.failed"))/>
            <Show when=move || mode.get() == Mode::Reading>
                <div class="button-row">
                    <button type="button" class="button" data-testid="own-change" on:click=start_change.clone()>
                        {move || tr("programme.own.change")}
                    </button>
                    <button type="button" class="button secondary" data-testid="own-withdraw"
                        on:click=move |_| { error.set(None); mode.set(Mode::ConfirmingWithdrawal) }>
                        {move || tr("programme.own.withdraw")}
                    </button>
                </div>
            </Show>
            <Show when=move || mode.get() == Mode::ConfirmingWithdrawal>
                <div class="confirm" role="alertdialog" aria-labelledby="own-confirm-text">
                    <p id="own-confirm-text">{move || tr("programme.own.withdraw_confirm")}</p>
                    <div class="button-row">
                        <button type="button" class="button" data-testid="own-withdraw-confirm"
                            disabled=move || busy.get() on:click=withdraw>
                            {move || tr("programme.own.withdraw_yes")}
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| mode.set(Mode::Reading)>
                            {move || tr("programme.own.cancel")}
                        </button>
                    </div>
                </div>
            </Show>
            <Show when=move || mode.get() == Mode::Changing>
                <form class="request-form" on:submit=save novalidate=true data-testid="own-form">
                    <FormErrorSummary error label=field_label id=input_id/>
                    <RequestFields form typed_amount error pools=pools.clone() in_directory=in_directory/>
                    <div class="button-row">
                        <button type="submit" class="button" data-testid="own-save" disabled=move || busy.get()>
                            {move || tr("programme.own.save")}
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| mode.set(Mode::Reading)>
                            {move || tr("programme.own.cancel")}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
    .into_any()
}

/// The form holding `r` as it is.
fn input_of(r: &Request) -> RequestInput {
    RequestInput {
        title_ko: r.title_ko.clone(),
        title_en: r.title_en.clone(),
        abstract_text: r.abstract_text.clone(),
        pi: r.pi.clone(),
        organisation: r.organisation.clone(),
        sector: r.sector.as_str().into(),
        region: r.region.as_str().into(),
        pool: r.pool.clone(),
        amount: Some(r.amount),
        period_start: date(r.period_start),
        period_end: date(r.period_end),
        advisor_draft: r.advisor_draft.as_ref().and_then(|d| serde_json::to_value(d).ok()),
        co_investigators: r.co_investigators.clone(),
    }
}

/// What happened to the request, oldest first, in KST.
#[component]
fn History(events: Vec<HistoryEvent>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="own-history-title">
            <h3 id="own-history-title">{move || tr("programme.own.history")}</h3>
            <ol class="history" data-testid="own-history">
                {events.into_iter().map(|e| {
                    let (at, kind) = (kst_minute(e.at), e.kind.as_str());
                    let text = move || event_text(&e);
                    view! { <li data-kind=kind><time>{at}</time>" "<span>{text}</span></li> }
                }).collect_view()}
            </ol>
        </section>
    }
}

fn event_text(e: &HistoryEvent) -> String {
    let by = e.by.clone().unwrap_or_default();
    match e.kind {
        HistoryKind::Submitted => trf("programme.own.h.submitted", &[("by", by)]),
        HistoryKind::Edited => {
            let fields = e.fields.iter().map(|f| field_name(f)).collect::<Vec<_>>().join(", ");
            trf("programme.own.h.edited", &[("by", by), ("fields", fields)])
        }
        HistoryKind::Withdrawn => trf("programme.own.h.withdrawn", &[("by", by)]),
        HistoryKind::ReviewStarted => tr("programme.own.h.review_started"),
        HistoryKind::Decided => {
            let kind = e.decision.map(|k| labels::state(k.state())).unwrap_or_default();
            trf("programme.own.h.decided", &[("kind", kind)])
        }
    }
}

/// A form field's label, by its name in the API.
fn field_name(field: &str) -> String {
    let key = match field {
        "title_ko" | "title_en" | "abstract" | "pi" | "pool" | "amount" | "period_start" | "period_end"
        | "co_investigators" => format!("programme.request.{field}"),
        "advisor_draft" => "programme.own.advisor_draft".to_owned(),
        _ => return field.to_owned(),
    };
    tr(&key)
}
