//! `/requests/new`: the request form, pre-filled from the placement wizard's
//! draft (`?draft=<base64url JSON>` or the draft the wizard left in
//! `localStorage`). Field errors from the server are shown at their field.
//! The pools, units and allocation period are the open round's
//! (`GET /api/v1/rounds/open`); when no round is open the page says so.

use kairr_shared::advisor::{Region, Sector};
use kairr_shared::allocation::RequestInput;
use kairr_shared::auth::Action;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::FetchError;
use crate::components::fetch_error::FetchErrorView;
use crate::components::header::SitePage;
use crate::components::programme::access::RequireRole;
use crate::components::programme::shell::Shell;
use crate::i18n::{current_locale, tr, trf};
use crate::programme::data::use_open_round;
use crate::programme::draft::{parse_draft_json, parse_draft_param, prefill, DRAFT_STORAGE_KEY};
use crate::programme::labels;
use crate::programme::session::use_session;
use crate::programme::{api, labels::pick};

/// The request form page.
#[component]
pub fn RequestNewPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="request-new">
            <div class="programme-intro">
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
    let navigate = use_navigate();
    let query = use_query_map();
    let round = use_open_round();
    let form = RwSignal::new(RequestInput::default());
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
        let param = query.with_untracked(|q| q.get("draft"));
        let draft = match param {
            Some(p) => Some(parse_draft_param(&p)),
            None => stored_draft().map(|j| parse_draft_json(&j)),
        };
        match draft {
            Some(Ok(d)) => {
                let unit = pools.iter().find(|p| Some(&p.pool) == d.recommended_pool.as_ref()).map(|p| p.unit);
                let mut input = prefill(&d, unit, start);
                if input.period_end.as_str() > crate::format::date(end).as_str() {
                    input.period_end = crate::format::date(end);
                }
                form.set(input);
                from_draft.set(true);
            }
            Some(Err(e)) => {
                leptos::logging::warn!("cannot read the wizard's draft: {e:?}");
                draft_problem.set(true);
            }
            None => form.update(|f| {
                f.period_start = crate::format::date(start);
                f.period_end = crate::format::date(end);
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
    let missing = move || error.with(|e| e.as_ref().and_then(api::http_status) == Some(404));
    let field_error = move |field: &'static str| {
        move || {
            let loc = current_locale();
            error.with(|e| match e {
                Some(FetchError::Http { api: Some(a), .. }) => a
                    .fields
                    .iter()
                    .find(|f| f.field == field)
                    .map(|f| loc.pick(&f.message_ko, &f.message_en).to_owned()),
                _ => None,
            })
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let navigate = navigate.clone();
        let input = form.get_untracked();
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
                    navigate(&format!("/requests/mine?submitted={}", request.id.0), Default::default());
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
    let text = move |id: &'static str,
                     key: &'static str,
                     get: fn(&RequestInput) -> String,
                     set: fn(&mut RequestInput, String)| {
        let err = field_error(id);
        view! {
            <div class="field">
                <label for=format!("req-{id}")>{move || tr(key)}</label>
                <input id=format!("req-{id}") type="text" prop:value=move || form.with(get)
                    aria-invalid=move || if err().is_some() { "true" } else { "false" }
                    aria-describedby=format!("req-{id}-error")
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                <p id=format!("req-{id}-error") class="field-error">{err}</p>
            </div>
        }
    };
    let pools = move || round.data.with(|r| r.as_ref().map(|r| r.round.pools.clone()).unwrap_or_default());
    let no_round = move || round.missing();
    let round_error = Signal::derive(move || if round.missing() { None } else { round.error.get() });
    let abstract_err = field_error("abstract");
    let in_directory = move || session.user().is_some_and(|u| u.organisation_id.is_some());
    let sector_err = field_error("sector");
    let region_err = field_error("region");
    let pool_err = field_error("pool");
    let amount_err = field_error("amount");
    let start_err = field_error("period_start");
    let end_err = field_error("period_end");
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
                    <p>{trf("programme.request.round_dates", &[
                        ("opens", crate::format::date(r.opens)),
                        ("closes", crate::format::date(r.closes)),
                        ("start", crate::format::date(r.period_start)),
                        ("end", crate::format::date(r.period_end)),
                    ])}</p>
                    <p>{trf("programme.request.round_policy", &[("score", crate::format::fixed(r.policy.min_score, 1))])}</p>
                </div>
            }
        })}
        <p class="field-error" role="alert">{round_err}</p>
        <Show when=move || session.user().is_some_and(|u| kairr_shared::identity::awaits_organisation(u.organisation_id.as_deref(), &u.organisation))>
            <p class="notice notice-warning" role="status" data-testid="organisation-pending">{move || tr("programme.account.organisation_pending")}</p>
        </Show>
        <form class="request-form" on:submit=submit novalidate=true data-testid="request-form"
            hidden=move || round.data.with(Option::is_none)>
            {text("title_ko", "programme.request.title_ko", |f| f.title_ko.clone(), |f, v| f.title_ko = v)}
            {text("title_en", "programme.request.title_en", |f| f.title_en.clone(), |f, v| f.title_en = v)}
            <div class="field">
                <label for="req-abstract">{move || tr("programme.request.abstract")}</label>
                <textarea id="req-abstract" rows="5" prop:value=move || form.with(|f| f.abstract_text.clone())
                    aria-describedby="req-abstract-error"
                    on:input=move |ev| form.update(|f| f.abstract_text = event_target_value(&ev))></textarea>
                <p id="req-abstract-error" class="field-error">{abstract_err}</p>
            </div>
            {text("pi", "programme.request.pi", |f| f.pi.clone(), |f, v| f.pi = v)}
            <div class="field">
                <label for="req-organisation">{move || tr("programme.request.organisation")}</label>
                <input id="req-organisation" type="text" readonly=true aria-describedby="req-organisation-hint"
                    prop:value=move || form.with(|f| f.organisation.clone())/>
                <p id="req-organisation-hint" class="muted">{move || tr("programme.request.organisation_hint")}</p>
            </div>
            // An account of the directory: the entry's sector and region apply (the server sets them).
            {move || if in_directory() {
                view! { <p class="muted" data-testid="req-sector-from-directory">{move || tr("programme.request.sector_from_directory")}</p> }.into_any()
            } else {
                view! {
                <div class="field">
                    <label for="req-sector">{move || tr("programme.request.sector")}</label>
                    <select id="req-sector" aria-describedby="req-sector-error" data-testid="req-sector"
                        on:change=move |ev| form.update(|f| f.sector = event_target_value(&ev))>
                        <option value="">{move || tr("programme.request.choose")}</option>
                        {move || Sector::ALL.iter().map(|s| view! {
                            <option value=s.as_str() selected=move || form.with(|f| f.sector == s.as_str())>{labels::sector(*s)}</option>
                        }).collect_view()}
                    </select>
                    <p id="req-sector-error" class="field-error">{sector_err}</p>
                </div>
                <div class="field">
                    <label for="req-region">{move || tr("programme.request.region")}</label>
                    <select id="req-region" aria-describedby="req-region-error"
                        on:change=move |ev| form.update(|f| f.region = event_target_value(&ev))>
                        <option value="">{move || tr("programme.request.choose")}</option>
                        {move || Region::ALL.iter().map(|r| view! {
                            <option value=r.as_str() selected=move || form.with(|f| f.region == r.as_str())>{labels::region(*r)}</option>
                        }).collect_view()}
                    </select>
                    <p id="req-region-error" class="field-error">{region_err}</p>
                </div>
                }.into_any()
            }}
            <div class="field">
                <label for="req-pool">{move || tr("programme.request.pool")}</label>
                <select id="req-pool" aria-describedby="req-pool-error" data-testid="req-pool"
                    on:change=move |ev| form.update(|f| f.pool = event_target_value(&ev))>
                    <option value="">{move || tr("programme.request.choose")}</option>
                    {move || pools().into_iter().map(|p| {
                        let name = p.pool.clone();
                        let text = trf("programme.request.pool_option", &[
                            ("pool", p.pool.clone()),
                            ("capacity", labels::amount(p.capacity, p.unit)),
                        ]);
                        view! { <option value=name.clone() selected=move || form.with(|f| f.pool == name)>{text}</option> }
                    }).collect_view()}
                    // The wizard's pick stays selectable even when the newest published round does not list it.
                    {move || {
                        let chosen = form.with(|f| f.pool.clone());
                        let offered = chosen.is_empty() || pools().iter().any(|p| p.pool == chosen);
                        (!offered).then(|| {
                            let text = trf("programme.request.pool_from_draft", &[("pool", chosen.clone())]);
                            view! { <option value=chosen selected=true>{text}</option> }
                        })
                    }}
                </select>
                <p id="req-pool-error" class="field-error">{pool_err}</p>
            </div>
            <div class="field">
                <label for="req-amount">{move || tr("programme.request.amount")}</label>
                <input id="req-amount" type="number" min="1" inputmode="numeric" data-testid="req-amount"
                    aria-describedby="req-amount-error"
                    prop:value=move || form.with(|f| f.amount.map(|a| a.to_string()).unwrap_or_default())
                    on:input=move |ev| form.update(|f| f.amount = event_target_value(&ev).trim().parse().ok())/>
                <p id="req-amount-error" class="field-error">{amount_err}</p>
            </div>
            <div class="field-pair">
                <div class="field">
                    <label for="req-start">{move || tr("programme.request.period_start")}</label>
                    <input id="req-start" type="date" aria-describedby="req-start-error" prop:value=move || form.with(|f| f.period_start.clone())
                        on:input=move |ev| form.update(|f| f.period_start = event_target_value(&ev))/>
                    <p id="req-start-error" class="field-error">{start_err}</p>
                </div>
                <div class="field">
                    <label for="req-end">{move || tr("programme.request.period_end")}</label>
                    <input id="req-end" type="date" aria-describedby="req-end-error" prop:value=move || form.with(|f| f.period_end.clone())
                        on:input=move |ev| form.update(|f| f.period_end = event_target_value(&ev))/>
                    <p id="req-end-error" class="field-error">{end_err}</p>
                </div>
            </div>
            <button type="submit" class="button" data-testid="request-submit" disabled=move || busy.get()>
                {move || tr("programme.request.submit")}
            </button>
        </form>
    }
}
