//! `/requests/new`: the request form, pre-filled from the placement wizard's
//! draft (`?draft=<base64url JSON>` or the draft the wizard left in
//! `localStorage`). Field errors from the server are shown at their field.
//! The pools, units and allocation period are the open round's
//! (`GET /api/v1/rounds/open`); when no round is open the page says so.

use kairr_shared::allocation::RequestInput;
use kairr_shared::auth::Action;
use leptos::prelude::*;

use crate::common::address::PageQuery;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::dated::dated;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::handover::{parse_draft_json, parse_draft_param, DRAFT_STORAGE_KEY};
use crate::common::i18n::{tr, trf};
use crate::programme::components::access::RequireRole;
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::components::request_fields::{
    check_typed_amount, field_label, field_message, input_id, RequestFields,
};
use crate::programme::components::shell::Shell;
use crate::programme::data::use_open_round;
use crate::programme::draft::prefill;
use crate::programme::form_errors::refused_before_sending;
use crate::programme::session::use_session;
use crate::programme::{api, labels::pick};

/// The request form page.
#[component]
pub fn RequestNewPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="request-new">
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("programme.request.title")}</h2>
                <p>{move || tr("programme.request.intro")}</p>
            </div>
            <RequireRole action=Action::SubmitRequest>
                <RequestForm/>
            </RequireRole>
        </Shell>
    }
}

fn stored_draft() -> Option<String> {
    window().local_storage().ok().flatten()?.get_item(DRAFT_STORAGE_KEY).ok().flatten()
}

/// The form itself.
#[component]
fn RequestForm() -> impl IntoView {
    let session = use_session();
    // Read here: a context cannot be read in an event handler or after an await.
    let notifications = crate::programme::data::use_notifications();
    let query = PageQuery::use_context();
    let round = use_open_round();
    let form = RwSignal::new(RequestInput::default());
    let typed_amount = RwSignal::new(String::new());
    let from_draft = RwSignal::new(false);
    let draft_problem = RwSignal::new(false);
    // Pre-fill once the round's pools (and so their units) are known.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some((pools, start, end)) =
            round.data.with(|r| r.as_ref().map(|r| (r.round.pools.clone(), r.round.period_start, r.round.period_end)))
        else {
            return false;
        };
        let param = query.get_untracked("draft");
        let draft = match param {
            Some(p) => Some(parse_draft_param(&p)),
            None => stored_draft().map(|j| parse_draft_json(&j)),
        };
        match draft {
            Some(Ok(d)) => {
                let unit = pools.iter().find(|p| Some(&p.pool) == d.recommended_pool.as_ref()).map(|p| p.unit);
                let mut input = prefill(&d, unit, start);
                if input.period_end.as_str() > crate::common::format::date(end).as_str() {
                    input.period_end = crate::common::format::date(end);
                }
                form.set(input);
                from_draft.set(true);
            }
            Some(Err(e)) => {
                leptos::logging::warn!("cannot read the wizard's draft: {e:?}");
                draft_problem.set(true);
            }
            None => form.update(|f| {
                f.period_start = crate::common::format::date(start);
                f.period_end = crate::common::format::date(end);
            }),
        }
        // What the account knows: the organisation (the server uses the account's, whatever is sent) and the PI.
        if let Some(user) = session.user() {
            form.update(|f| {
                f.organisation = user.organisation.clone();
                if f.pi.trim().is_empty() {
                    f.pi = user.display_name.clone();
                }
            });
        }
        true
    });
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let in_directory = Signal::derive(move || session.user().is_some_and(|u| u.organisation_id.is_some()));

    let missing = move || error.with(|e| e.as_ref().and_then(api::http_status) == Some(404));
    let field_error = move |field: &'static str| field_message(error, field);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        // The form's own problems are shown at once; the server checks the rest.
        let applicant = session.user().map(|u| u.username.clone()).unwrap_or_default();
        let from_directory = in_directory.get_untracked();
        let problems = round
            .data
            .with_untracked(|r| r.as_ref().map(|r| input.field_problems(&r.round, &applicant, from_directory)))
            .map(|p| check_typed_amount(p, &typed_amount.get_untracked()));
        if problems.is_some_and(|p| refused_before_sending(error, p)) {
            return;
        }
        busy.set(true);
        let round_id = round.data.with_untracked(|r| r.as_ref().map(|r| r.round.id.0.clone()).unwrap_or_default());
        spawn_local(async move {
            match api::submit_request(&session.csrf(), &round_id, &input).await {
                Ok(request) => {
                    if let Ok(Some(s)) = window().local_storage() {
                        let _ = s.remove_item(DRAFT_STORAGE_KEY);
                    }
                    if let Some(n) = notifications {
                        n.refresh();
                    }
                    query.navigate(&format!("/requests/mine?submitted={}", request.id.0));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let other_error = Signal::derive(move || {
        error.with(|e| match e {
            Some(FetchError::Http { status: 404, .. }) => None,
            Some(FetchError::Http { api: Some(a), .. }) if !a.fields.is_empty() => None,
            other => other.clone(),
        })
    });
    let pools =
        Signal::derive(move || round.data.with(|r| r.as_ref().map(|r| r.round.pools.clone()).unwrap_or_default()));
    let no_round = move || round.missing();
    let round_error = Signal::derive(move || if round.missing() { None } else { round.error.get() });
    let round_err = field_error("round");
    view! {
        <Show when=move || from_draft.get()>
            <p class="notice" role="status" data-testid="draft-loaded">{move || tr("programme.request.from_draft")}</p>
        </Show>
        <Show when=move || draft_problem.get()>
            <p class="notice notice-warning" role="alert">{move || tr("programme.request.draft_unreadable")}</p>
        </Show>
        <Show when=missing>
            <p class="notice notice-warning" role="alert" data-testid="endpoint-missing">{move || tr("programme.request.unavailable")}</p>
        </Show>
        <FetchErrorView error=other_error message=Signal::derive(|| tr("programme.request.failed"))/>
        <FetchErrorView error=round_error message=Signal::derive(|| tr("programme.request.round_error"))/>
        <Show when=no_round>
            <p class="notice notice-warning" role="alert" data-testid="no-open-round">{move || tr("programme.request.no_open_round")}</p>
        </Show>
        {move || round.data.get().map(|r| {
            let r = r.round;
            view! {
                <div class="round-summary" data-testid="open-round">
                    <p><strong>{pick(&r.title_ko, &r.title_en)}</strong></p>
                    <p>{dated(trf("programme.request.round_dates", &[
                        ("opens", crate::common::format::date(r.opens)),
                        ("closes", crate::common::format::date(r.closes)),
                        ("start", crate::common::format::date(r.period_start)),
                        ("end", crate::common::format::date(r.period_end)),
                    ]))}</p>
                    <p>{trf("programme.request.round_policy", &[("score", crate::common::format::fixed(r.policy.min_score, 1))])}</p>
                </div>
            }
        })}
        <p id="req-round" class="field-error" role="alert">{round_err}</p>
        <Show when=move || session.user().is_some_and(|u| kairr_shared::identity::awaits_organisation(u.organisation_id.as_deref(), &u.organisation))>
            <p class="notice notice-warning" role="status" data-testid="organisation-pending">{move || tr("programme.account.organisation_pending")}</p>
        </Show>
        <form class="request-form" on:submit=submit novalidate=true data-testid="request-form"
            hidden=move || round.data.with(Option::is_none)>
            <FormErrorSummary error label=field_label id=input_id/>
            <RequestFields form typed_amount error pools in_directory/>
            <button type="submit" class="button" data-testid="request-submit" disabled=move || busy.get()>
                {move || tr("programme.request.submit")}
            </button>
        </form>
    }
}
