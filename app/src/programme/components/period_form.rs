//! An admin changes an allocation's period after the decision: ends it now
//! (yesterday as its last day: the scheduler account closes from today),
//! shortens, extends or moves it inside the round's period, with a reason
//! (audited, told to its holders). What the form can check is checked
//! before sending; every field error appears next to its field and above the form.

use chrono::NaiveDate;
use kairr_shared::allocation::usecase::PeriodChange;
use kairr_shared::allocation::Allocation;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::format::date;
use crate::common::i18n::tr;
use crate::common::live::now_utc;
use crate::programme::api;
use crate::programme::components::date_field::DateField;
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::form_errors::{field_message, general_error, refused_before_sending};
use crate::programme::session::use_session;

const FIELDS: [&str; 3] = ["period_start", "period_end", "reason"];

/// A field as the form labels it (the error summary's words).
fn field_label(field: &str) -> String {
    tr(match field {
        "period_start" => "programme.request.period_start",
        "period_end" => "programme.request.period_end",
        _ => "programme.period.reason",
    })
}

/// A field's control id after the form's `period` scope.
fn field_id(field: &str) -> String {
    match field {
        "period_start" => "start",
        "period_end" => "end",
        _ => "reason",
    }
    .to_owned()
}

/// The form; `on_changed` runs after the server stored the new period.
#[component]
pub fn PeriodForm(
    allocation: Allocation,
    /// The round's allocation period (first and last day).
    round_period: (NaiveDate, NaiveDate),
    on_changed: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let (round_start, round_end) = (date(round_period.0), date(round_period.1));
    let current = allocation.clone();
    let id = allocation.id.0;
    let start = RwSignal::new(date(allocation.start));
    let end = RwSignal::new(date(allocation.end));
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let msg = move |field: &'static str| move || error.with(|e| field_message(e.as_ref(), field));
    let invalid = move |field: &'static str| move || if msg(field)().is_some() { "true" } else { "false" };
    let other = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &FIELDS)));
    // "End now": yesterday (KST) becomes the last day.
    let end_now = move |_| {
        let today = kairr_shared::time::kst_day(now_utc().timestamp());
        if let Some(yesterday) = today.pred_opt() {
            end.set(date(yesterday));
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = PeriodChange {
            period_start: start.get_untracked(),
            period_end: end.get_untracked(),
            reason: reason.get_untracked(),
        };
        // What the form itself can tell is said before sending, as the server would.
        let problems = input.field_problems(round_period, &current, now_utc());
        if refused_before_sending(error, problems) {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::change_period(&session.csrf(), id, &input).await {
                Ok(_) => {
                    error.set(None);
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="period-form" on:submit=submit novalidate=true data-testid="period-form" aria-labelledby="period-title">
            <h4 id="period-title">{move || tr("programme.period.title")}</h4>
            <p class="muted">{move || tr("programme.period.hint")}</p>
            <FetchErrorView error=other message=Signal::derive(|| tr("programme.period.failed"))/>
            <FormErrorSummary error label=field_label id=field_id scope="period"/>
            <div class="field-pair">
                <DateField id="period-start" label="programme.request.period_start" min=round_start.clone()
                    max=round_end.clone() value=start error=Signal::derive(msg("period_start"))/>
                <DateField id="period-end" label="programme.request.period_end" min=round_start max=round_end
                    value=end error=Signal::derive(msg("period_end"))/>
            </div>
            <p>
                <button type="button" class="button secondary" data-testid="period-end-now" on:click=end_now>
                    {move || tr("programme.period.end_now")}
                </button>
            </p>
            <div class="field">
                <label for="period-reason">{move || tr("programme.period.reason")}</label>
                <textarea id="period-reason" rows="2" data-testid="period-reason"
                    aria-invalid=invalid("reason") aria-describedby="period-reason-error"
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <p id="period-reason-error" class="field-error" data-testid="period-reason-error">{msg("reason")}</p>
            </div>
            <button type="submit" class="button" data-testid="period-submit" disabled=move || busy.get()>
                {move || tr("programme.period.submit")}
            </button>
        </form>
    }
}
