//! The rubric form for one request: four criteria scored 1–5 and a comment,
//! posted with the CSRF token. A 409 (conflict of interest, or already
//! reviewed) is shown as an alert with the server's reason.

use kairr_shared::allocation::{Review, ReviewInput};
use kairr_shared::display::labels::api_error;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::i18n::{current_locale, tr, trf};
use crate::programme::api::{self, http_status};
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::form_errors::{field_message, general_error, refused_before_sending};
use crate::programme::session::use_session;

const CRITERIA: [(&str, &str); 4] = [
    ("technical_merit", "programme.review.technical_merit"),
    ("impact", "programme.review.impact"),
    ("ecosystem", "programme.review.ecosystem"),
    ("team_readiness", "programme.review.team_readiness"),
];
const FIELDS: [&str; 5] = ["technical_merit", "impact", "ecosystem", "team_readiness", "comment"];

/// A field as the form labels it (the error summary's words).
fn field_label(field: &str) -> String {
    let key = CRITERIA.iter().find(|(f, _)| *f == field).map_or("programme.review.comment", |(_, k)| *k);
    tr(key)
}

/// A field's control id after the form's `review-{id}` scope.
fn field_id(field: &str) -> String {
    field.to_owned()
}

fn set_score(input: &mut ReviewInput, field: &str, v: Option<u8>) {
    match field {
        "technical_merit" => input.technical_merit = v,
        "impact" => input.impact = v,
        "ecosystem" => input.ecosystem = v,
        _ => input.team_readiness = v,
    }
}

fn score(input: &ReviewInput, field: &str) -> Option<u8> {
    match field {
        "technical_merit" => input.technical_merit,
        "impact" => input.impact,
        "ecosystem" => input.ecosystem,
        _ => input.team_readiness,
    }
}

/// The form for request `id`; `on_reviewed` runs once the review is stored.
#[component]
pub fn ReviewForm(
    /// The request's id.
    id: u64,
    /// The applicant's organisation (named when a conflict of interest refuses the review).
    organisation: String,
    /// Called with the stored review.
    on_reviewed: Callback<Review>,
    /// The reviewer's review to change (the form starts from it and replaces it).
    #[prop(optional)]
    initial: Option<Review>,
) -> impl IntoView {
    let session = use_session();
    let editing = initial.is_some();
    let form = RwSignal::new(initial.map_or_else(ReviewInput::default, |r| ReviewInput {
        technical_merit: Some(r.rubric.technical_merit.get()),
        impact: Some(r.rubric.impact.get()),
        ecosystem: Some(r.rubric.ecosystem.get()),
        team_readiness: Some(r.rubric.team_readiness.get()),
        comment: r.comment,
    }));
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let conflict = move || error.with(|e| e.as_ref().and_then(http_status) == Some(409));
    let conflict_text = Signal::derive(move || {
        error.with(|e| match e {
            Some(FetchError::Http { api: Some(a), .. }) if a.error == "conflict_of_interest" => {
                trf("programme.review.conflict_detail", &[("organisation", organisation.clone())])
            }
            Some(FetchError::Http { api: Some(a), .. }) => api_error(current_locale(), a),
            _ => String::new(),
        })
    });
    let other =
        Signal::derive(move || if conflict() { None } else { error.with(|e| general_error(e.as_ref(), &FIELDS)) });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        // What the form itself can tell is said before sending, as the server would.
        let problems = input.field_problems();
        if refused_before_sending(error, problems) {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let sent = if editing {
                api::edit_review(&session.csrf(), id, &input).await
            } else {
                api::submit_review(&session.csrf(), id, &input).await
            };
            match sent {
                Ok(r) => {
                    error.set(None);
                    on_reviewed.run(r);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let prefix = format!("review-{id}");
    view! {
        <form class="review-form" on:submit=submit novalidate=true data-testid=format!("review-form-{id}")>
            <Show when=conflict>
                <div class="notice notice-warning" role="alert" data-testid="review-conflict">
                    <p><strong>{move || tr("programme.review.conflict")}</strong></p>
                    <p>{conflict_text}</p>
                </div>
            </Show>
            <FetchErrorView error=other message=Signal::derive(|| tr("programme.review.failed"))/>
            <FormErrorSummary error label=field_label id=field_id scope=prefix.clone()/>
            <div class="rubric">
                {CRITERIA.into_iter().map(|(field, key)| {
                    let input_id = format!("{prefix}-{field}");
                    let err_id = format!("{input_id}-error");
                    let anchors_id = format!("{input_id}-anchors");
                    let described = format!("{anchors_id} {err_id}");
                    let msg = move || error.with(|e| field_message(e.as_ref(), field));
                    view! {
                        <div class="field">
                            <label for=input_id.clone()>{move || tr(key)}</label>
                            <p id=anchors_id class="muted rubric-anchors">{move || tr(&format!("programme.review.anchors.{field}"))}</p>
                            <select id=input_id data-testid=format!("review-{field}") aria-describedby=described
                                aria-invalid=move || if msg().is_some() { "true" } else { "false" }
                                on:change=move |ev| form.update(|f| set_score(f, field, event_target_value(&ev).parse().ok()))>
                                <option value="" selected=move || form.with(|f| score(f, field).is_none())>{move || tr("programme.request.choose")}</option>
                                {(1u8..=5).map(|v| view! {
                                    <option value=v.to_string() selected=move || form.with(|f| score(f, field) == Some(v))>{v}</option>
                                }).collect_view()}
                            </select>
                            <p id=err_id class="field-error">{msg}</p>
                        </div>
                    }
                }).collect_view()}
            </div>
            <div class="field">
                <label for=format!("{prefix}-comment")>{move || tr("programme.review.comment")}</label>
                <textarea id=format!("{prefix}-comment") rows="3" data-testid="review-comment"
                    aria-describedby=format!("{prefix}-comment-error")
                    aria-invalid=move || if error.with(|e| field_message(e.as_ref(), "comment").is_some()) { "true" } else { "false" }
                    prop:value=move || form.with(|f| f.comment.clone())
                    on:input=move |ev| form.update(|f| f.comment = event_target_value(&ev))></textarea>
                <p id=format!("{prefix}-comment-error") class="field-error">{move || error.with(|e| field_message(e.as_ref(), "comment"))}</p>
            </div>
            <button type="submit" class="button" data-testid="review-submit" disabled=move || busy.get()>
                {move || tr(if editing { "programme.review.save" } else { "programme.review.submit" })}
            </button>
        </form>
    }
}
