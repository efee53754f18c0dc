//! `/login`: the institutional sign-in providers (OpenID Connect), then a
//! local account's username and password, errors at the field (wrong
//! password at the password, too many attempts as a wait message). Then
//! back to the page that asked for the sign-in (`?return_to=`), else on to
//! the committee overview, the review list or the researcher's requests. A
//! failed institutional sign-in comes back here with `?error=`.

use kairr_shared::auth::LoginRequest;
use kairr_shared::identity::safe_return_path;
use leptos::prelude::*;

use crate::common::address::PageQuery;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::header::SitePage;
use crate::common::i18n::{current_locale, tr, trf};
use crate::programme::components::shell::Shell;
use crate::programme::labels;
use crate::programme::session::{home_after_login, use_session};

/// Where a failed sign-in is reported.
#[derive(Debug, Clone, PartialEq)]
enum LoginProblem {
    MissingUsername,
    MissingPassword,
    BadCredentials,
    TooManyAttempts,
    Other(String),
}

fn problem(e: &FetchError) -> LoginProblem {
    match e {
        FetchError::Http { status: 401, .. } => LoginProblem::BadCredentials,
        FetchError::Http { status: 429, .. } => LoginProblem::TooManyAttempts,
        other => LoginProblem::Other(other.detail()),
    }
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<LoginProblem>);
    let busy = RwSignal::new(false);
    let query = PageQuery::use_context();
    let return_to = Memo::new(move |_| query.get("return_to").filter(|p| safe_return_path(p).is_some()));
    let oidc_error = move || query.get("error").map(|code| institutional_error(&code));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (u, p) = (username.get_untracked().trim().to_owned(), password.get_untracked());
        if u.is_empty() {
            error.set(Some(LoginProblem::MissingUsername));
            focus("login-username");
            return;
        }
        if p.is_empty() {
            error.set(Some(LoginProblem::MissingPassword));
            focus("login-password");
            return;
        }
        busy.set(true);
        // Read now: the page (and its memo) may be gone when the answer comes.
        let return_to = return_to.get_untracked();
        spawn_local(async move {
            match session.login(LoginRequest { username: u, password: p }).await {
                Ok(user) => {
                    error.set(None);
                    // The page asked for, or the person's home: another page, loaded whole.
                    query.navigate(return_to.as_deref().unwrap_or_else(|| home_after_login(&user)));
                }
                Err(e) => {
                    let pr = problem(&e);
                    password.set(String::new());
                    error.set(Some(pr));
                    focus("login-password");
                }
            }
            busy.set(false);
        });
    };
    let username_error = move || match error.get() {
        Some(LoginProblem::MissingUsername) => Some(tr("programme.login.username_required")),
        _ => None,
    };
    let password_error = move || match error.get() {
        Some(LoginProblem::MissingPassword) => Some(tr("programme.login.password_required")),
        Some(LoginProblem::BadCredentials) => Some(tr("programme.login.bad_credentials")),
        Some(LoginProblem::TooManyAttempts) => Some(tr("programme.login.too_many_attempts")),
        _ => None,
    };
    let other_error = move || match error.get() {
        Some(LoginProblem::Other(detail)) => Some(trf("programme.login.failed", &[("detail", detail)])),
        _ => None,
    };
    let described = |id: &'static str, has: bool| if has { Some(id) } else { None };
    view! {
        <Shell page=SitePage::Login class="login">
            // The introduction the server's first view of /login shows, element for element.
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("programme.login.title")}</h2>
                <p>{move || tr("programme.login.intro")}</p>
            </div>
            <div class="login-box">
                <Show when=move || session.user().is_some()>
                    <p class="notice" role="status" data-testid="already-signed-in">{move || session.user().map(|u| trf("programme.login.already", &[
                        ("name", u.display_name.clone()),
                        ("role", labels::role(u.role)),
                    ])).unwrap_or_default()}</p>
                </Show>
                <p role="alert" class="field-error" data-testid="institutional-error">{oidc_error}</p>
                <Show when=move || return_to.get().is_some()>
                    <p class="hint">{move || tr("programme.login.return_hint")}</p>
                </Show>
                <Institutional return_to=return_to.into()/>
                <Show when=move || session.info.with(|i| i.as_ref().is_some_and(|i| !i.providers.is_empty()))>
                    <h3>{move || tr("programme.login.local")}</h3>
                </Show>
                <p class="hint">{move || tr("programme.login.demo_hint")}</p>
                <form class="login-form" on:submit=submit novalidate=true data-testid="login-form">
                    <div class="field" class:invalid=move || username_error().is_some()>
                        <label for="login-username">{move || tr("programme.login.username")}</label>
                        <input id="login-username" name="username" type="text" autocomplete="username" autocapitalize="none"
                            spellcheck="false" required=true data-testid="login-username"
                            aria-invalid=move || if username_error().is_some() { "true" } else { "false" }
                            aria-describedby=move || described("login-username-error", username_error().is_some())
                            prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/>
                        <p id="login-username-error" class="field-error">{username_error}</p>
                    </div>
                    <div class="field" class:invalid=move || password_error().is_some()>
                        <label for="login-password">{move || tr("programme.login.password")}</label>
                        <input id="login-password" name="password" type="password" autocomplete="current-password"
                            required=true data-testid="login-password"
                            aria-invalid=move || if password_error().is_some() { "true" } else { "false" }
                            aria-describedby=move || described("login-password-error", password_error().is_some())
                            prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                        <p id="login-password-error" class="field-error" data-testid="password-error">{password_error}</p>
                    </div>
                    <p role="alert" class="field-error">{other_error}</p>
                    <button type="submit" class="button" data-testid="login-submit" disabled=move || busy.get()>
                        {move || if busy.get() { tr("programme.login.submitting") } else { tr("programme.login.submit") }}
                    </button>
                </form>
            </div>
        </Shell>
    }
}

/// The translation key of an institutional sign-in's failure `code`.
fn institutional_error(code: &str) -> String {
    if code == "too_many_attempts" {
        return tr("programme.login.too_many_attempts");
    }
    const KNOWN: [&str; 6] =
        ["oidc_state", "oidc_denied", "oidc_invalid", "oidc_unavailable", "oidc_unknown", "account_disabled"];
    let code = KNOWN.iter().find(|k| **k == code).copied().unwrap_or("oidc_invalid");
    tr(&format!("programme.login.error.{code}"))
}

/// One button per configured identity provider (nothing when there is none).
#[component]
fn Institutional(return_to: Signal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let providers = move || session.info.with(|i| i.as_ref().map(|i| i.providers.clone()).unwrap_or_default());
    view! {
        <Show when=move || !providers().is_empty()>
            <section class="institutional" aria-labelledby="institutional-title" data-testid="institutional">
                <h3 id="institutional-title">{move || tr("programme.login.institutional")}</h3>
                <ul class="provider-list">
                    <For each=providers key=|p| p.id.clone() let:p>
                        {
                            let id = p.id.clone();
                            let href = move || {
                                let start = format!("/api/v1/auth/oidc/{id}/start");
                                match return_to.get() {
                                    Some(r) => format!("{start}?return_to={}", js_sys::encode_uri_component(&r)),
                                    None => start,
                                }
                            };
                            let name = move || current_locale().pick(&p.name_ko, &p.name_en).to_owned();
                            view! {
                                <li>
                                    <a class="button secondary provider" href=href rel="external"
                                        data-testid=format!("provider-{}", p.id)>
                                        {move || trf("programme.login.with", &[("name", name())])}
                                    </a>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    let Some(el) = document().get_element_by_id(id) else { return };
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        if let Err(e) = el.focus() {
            leptos::logging::warn!("cannot focus #{id}: {e:?}");
        }
    }
}
