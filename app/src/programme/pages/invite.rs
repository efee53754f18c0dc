//! `/invite?token=…`: the page a one-time link opens. The person chooses a
//! password (twice); the server checks the link and the password's rules and
//! the page then leads to sign-in.

use kairr_shared::people::AcceptInvitation;
use leptos::prelude::*;

use crate::common::address::PageQuery;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::i18n::tr;
use crate::programme::api;
use crate::programme::components::shell::Shell;
use crate::programme::form_errors::{field_message, general_error};
use crate::programme::session::use_session;

/// The page.
#[component]
pub fn InvitePage() -> impl IntoView {
    let session = use_session();
    let query = PageQuery::use_context();
    let token = move || query.get("token").unwrap_or_default();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let mismatch = RwSignal::new(false);
    let error = RwSignal::new(None::<FetchError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (p, a) = (password.get_untracked(), again.get_untracked());
        mismatch.set(p != a);
        if p != a {
            return;
        }
        let body = AcceptInvitation { token: token(), password: p };
        busy.set(true);
        spawn_local(async move {
            match api::accept_invitation(&session.csrf(), &body).await {
                Ok(v) => {
                    error.set(None);
                    done.set(Some(v["username"].as_str().unwrap_or_default().to_owned()));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let password_error = move || {
        if mismatch.get() {
            return Some(tr("admin.invite.mismatch"));
        }
        error.with(|e| field_message(e.as_ref(), "password"))
    };
    let other = Signal::derive(move || error.with(|e| general_error(e.as_ref(), &["password"])));
    view! {
        <Shell page=SitePage::Login class="invite" demo=Signal::stored(false)>
            <div class="programme-intro">
                <h2>{move || tr("admin.invite.title")}</h2>
                <p>{move || tr("admin.invite.intro")}</p>
            </div>
            {move || match done.get() {
                Some(username) => view! {
                    <div class="panel login-box" data-testid="invite-done">
                        <p role="status">{tr("admin.invite.done")}" "<strong>{username}</strong></p>
                        <a class="button" href="/login" rel="external">{move || tr("admin.invite.sign_in")}</a>
                    </div>
                }.into_any(),
                None => view! {
                    <form class="panel login-box" on:submit=submit novalidate=true data-testid="invite-form" aria-labelledby="invite-form-title">
                        <h3 id="invite-form-title">{move || tr("admin.invite.form")}</h3>
                        <FetchErrorView error=other message=Signal::derive(|| tr("admin.invite.failed"))/>
                        <div class="field">
                            <label for="invite-password">{move || tr("admin.invite.password")}</label>
                            <input id="invite-password" type="password" autocomplete="new-password" data-testid="invite-password"
                                aria-invalid=move || if password_error().is_some() { "true" } else { "false" }
                                aria-describedby="invite-password-hint invite-password-error"
                                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                            <p id="invite-password-hint" class="muted">{move || tr("admin.invite.hint")}</p>
                            <p id="invite-password-error" class="field-error" data-testid="invite-password-error">{password_error}</p>
                        </div>
                        <div class="field">
                            <label for="invite-again">{move || tr("admin.invite.again")}</label>
                            <input id="invite-again" type="password" autocomplete="new-password" data-testid="invite-again"
                                prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev))/>
                        </div>
                        <button type="submit" class="button" data-testid="invite-submit" disabled=move || busy.get()>
                            {move || tr("admin.invite.submit")}
                        </button>
                    </form>
                }.into_any(),
            }}
        </Shell>
    }
}
