//! The committee's decision on one request: approve, approve partially or
//! reject, the amount in the pool's unit, the allocation period (the one
//! asked unless shortened or moved inside the round's period) and a written rationale. Posted with the
//! session's CSRF token; the server's field errors appear next to their field.

use kairr_shared::allocation::round::review_window_open;
use kairr_shared::allocation::{DecisionInput, DecisionKind, DecisionRequest, PeriodInput, RequestDetail};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::dated::dated;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::format::date;
use crate::common::i18n::{tr, trf};
use crate::common::live::now_utc;
use crate::programme::api;
use crate::programme::components::date_field::DateField;
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::form_errors::{field_message, general_error, refused_before_sending};
use crate::programme::labels;
use crate::programme::session::use_session;

const FIELDS: [&str; 6] = ["kind", "amount", "rationale", "period_start", "period_end", "override_reason"];

/// A field as the form labels it (the error summary's words).
fn field_label(field: &str) -> String {
    tr(match field {
        "kind" => "programme.decision.kind",
        "amount" => "programme.decision.amount_short",
        "period_start" => "programme.request.period_start",
        "period_end" => "programme.request.period_end",
        "override_reason" => "programme.decision.override",
        _ => "programme.decision.rationale",
    })
}

/// A field's control id (the kind's is its first choice).
fn field_id(field: &str) -> String {
    match field {
        "kind" => "decision-kind-approve",
        "amount" => "decision-amount",
        "period_start" => "decision-start",
        "period_end" => "decision-end",
        "override_reason" => "decision-override",
        _ => "decision-rationale",
    }
    .to_owned()
}

fn kind_key(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::Approve => "programme.decision.kind_approve",
        DecisionKind::ApprovePartially => "programme.decision.kind_partial",
        DecisionKind::Reject => "programme.decision.kind_reject",
    }
}

/// The form; `on_decided` runs after the server recorded the decision.
#[component]
pub fn DecisionForm(
    /// The request's page (asked amount, unit, capacity left, period).
    detail: RequestDetail,
    /// An amount to start from (the proposal's), in the pool's unit.
    suggested: Option<u64>,
    /// Called once the decision is stored.
    on_decided: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let id = detail.request.id.0;
    let checked = detail.clone();
    let asked = detail.request.amount;
    let unit = detail.pool.as_ref().map(|p| p.unit);
    let start = suggested.unwrap_or(asked).min(asked);
    let kind = RwSignal::new(DecisionKind::for_amount(start, asked));
    let amount = RwSignal::new(Some(start));
    let rationale = RwSignal::new(String::new());
    let override_reason = RwSignal::new(String::new());
    let admin = move || session.user().is_some_and(|u| u.role == kairr_shared::auth::Role::Admin);
    // Until the review window has closed only an admin decides, giving a reason.
    let review_closes = detail.review_closes;
    let window_open = review_window_open(review_closes, now_utc());
    let needs_reason = move || admin() && window_open;
    let period_start = RwSignal::new(date(detail.request.period_start));
    let period_end = RwSignal::new(date(detail.request.period_end));
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let msg = move |field: &'static str| move || error.with(|e| field_message(e.as_ref(), field));
    let other = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &FIELDS)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let k = kind.get_untracked();
        let input = DecisionRequest {
            decision: DecisionInput {
                kind: k.as_str().to_owned(),
                amount: match k {
                    DecisionKind::Reject => None,
                    _ => amount.get_untracked(),
                },
                rationale: rationale.get_untracked(),
            },
            period: PeriodInput { period_start: period_start.get_untracked(), period_end: period_end.get_untracked() },
            override_reason: override_reason.get_untracked(),
        };
        // What the form itself can tell is said before sending, as the server would.
        let problems = checked.decision_problems(&input, admin(), now_utc());
        if refused_before_sending(error, problems) {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::decide(&session.csrf(), id, &input).await {
                Ok(_) => {
                    error.set(None);
                    on_decided.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let set_kind = move |k: DecisionKind| {
        kind.set(k);
        if k == DecisionKind::Approve {
            amount.set(Some(asked));
        }
    };
    let invalid = move |field: &'static str| move || if msg(field)().is_some() { "true" } else { "false" };
    let unit_label = move || unit.map(labels::unit).unwrap_or_default();
    let dates =
        [detail.request.period_start, detail.request.period_end, detail.round_period_start, detail.round_period_end];
    let period = move || {
        let [start, end, round_start, round_end] = dates.map(date);
        trf(
            "programme.decision.period_value",
            &[("start", start), ("end", end), ("round_start", round_start), ("round_end", round_end)],
        )
    };
    let capacity_left = detail.capacity_left;
    let left = move || unit.map(|u| labels::amount(capacity_left, u)).unwrap_or_default();
    let (round_start, round_end) = (date(detail.round_period_start), date(detail.round_period_end));
    view! {
        <form class="decision-form panel" on:submit=submit novalidate=true data-testid="decision-form" aria-labelledby="decision-title">
            <h3 id="decision-title">{move || tr("programme.decision.title")}</h3>
            <FetchErrorView error=other message=Signal::derive(|| tr("programme.decision.failed"))/>
            <FormErrorSummary error label=field_label id=field_id/>
            <fieldset class="field" aria-describedby="decision-kind-error">
                <legend>{move || tr("programme.decision.kind")}</legend>
                {DecisionKind::ALL.iter().copied().map(|k| view! {
                    <label class="radio">
                        <input type="radio" name="decision-kind" value=k.as_str() id=format!("decision-kind-{}", k.as_str())
                            data-testid=format!("decision-{}", k.as_str())
                            prop:checked=move || kind.get() == k on:change=move |_| set_kind(k)/>
                        {move || tr(kind_key(k))}
                    </label>
                }).collect_view()}
                <p id="decision-kind-error" class="field-error">{msg("kind")}</p>
            </fieldset>
            <Show when=move || kind.get() != DecisionKind::Reject>
                <div class="field">
                    <label for="decision-amount">{move || trf("programme.decision.amount", &[("unit", unit_label())])}</label>
                    <input id="decision-amount" type="number" min="1" max=asked inputmode="numeric" data-testid="decision-amount"
                        aria-invalid=invalid("amount") aria-describedby="decision-amount-hint decision-amount-error"
                        prop:readonly=move || kind.get() == DecisionKind::Approve
                        prop:value=move || amount.get().map(|a| a.to_string()).unwrap_or_default()
                        on:input=move |ev| amount.set(event_target_value(&ev).trim().parse().ok())/>
                    <p id="decision-amount-hint" class="muted">{move || trf("programme.decision.amount_hint", &[
                        ("asked", crate::common::format::thousands(asked)),
                        ("left", left()),
                    ])}</p>
                    <p id="decision-amount-error" class="field-error" data-testid="decision-amount-error">{msg("amount")}</p>
                </div>
            </Show>
            <fieldset class="field" aria-describedby="decision-period-hint">
                <legend>{move || tr("programme.decision.period")}</legend>
                <p id="decision-period-hint" class="muted" data-testid="decision-period">{move || dated(period())}</p>
                <div class="field-pair">
                    <DateField id="decision-start" label="programme.request.period_start" min=round_start.clone()
                        max=round_end.clone() value=period_start error=Signal::derive(msg("period_start"))/>
                    <DateField id="decision-end" label="programme.request.period_end" min=round_start max=round_end
                        value=period_end error=Signal::derive(msg("period_end"))/>
                </div>
            </fieldset>
            <div class="field">
                <label for="decision-rationale">{move || tr("programme.decision.rationale")}</label>
                <textarea id="decision-rationale" rows="4" data-testid="decision-rationale"
                    aria-invalid=invalid("rationale") aria-describedby="decision-rationale-error"
                    prop:value=move || rationale.get()
                    on:input=move |ev| rationale.set(event_target_value(&ev))></textarea>
                <p id="decision-rationale-error" class="field-error" data-testid="decision-rationale-error">{msg("rationale")}</p>
            </div>
            <Show when=needs_reason>
                <div class="field">
                    <label for="decision-override">{move || tr("programme.decision.override")}</label>
                    <textarea id="decision-override" rows="2" data-testid="decision-override"
                        aria-invalid=invalid("override_reason") aria-describedby="decision-override-hint decision-override-error"
                        prop:value=move || override_reason.get()
                        on:input=move |ev| override_reason.set(event_target_value(&ev))></textarea>
                    <p id="decision-override-hint" class="muted">{move || trf("programme.decision.override_hint", &[("date", date(review_closes))])}</p>
                    <p id="decision-override-error" class="field-error" data-testid="decision-override-error">{msg("override_reason")}</p>
                </div>
            </Show>
            <button type="submit" class="button" data-testid="decision-submit" disabled=move || busy.get()>
                {move || tr("programme.decision.submit")}
            </button>
        </form>
    }
}
