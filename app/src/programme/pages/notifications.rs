//! `/notifications` (every signed-in person): what the portal told them,
//! newest first, unread ones marked, each linking to the page it is about;
//! "mark all read"; and where and in which language they are told (an
//! e-mail address, or only here). The text of a notice is the same pure
//! rendering the e-mails use, in the page's language.

use kairr_shared::auth::Action;
use kairr_shared::i18n::Locale;
use kairr_shared::notifications::{render, MarkRead, Preferences, StoredNotice};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::dated::dated;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::format::kst_minute;
use crate::common::i18n::{current_locale, tr};
use crate::programme::api;
use crate::programme::components::access::RequireRole;
use crate::programme::components::shell::Shell;
use crate::programme::data::{use_notifications, Notifications};
use crate::programme::form_errors::field_message;
use crate::programme::labels;
use crate::programme::session::use_session;

/// The page.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="notifications">
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("programme.notifications.title")}</h2>
                <p>{move || tr("programme.notifications.intro")}</p>
            </div>
            <RequireRole action=Action::OwnAccount>
                {move || use_notifications().map(|n| view! { <NoticeList notifications=n/> <PreferencesForm notifications=n/> })}
            </RequireRole>
        </Shell>
    }
}

#[component]
fn NoticeList(notifications: Notifications) -> impl IntoView {
    let session = use_session();
    let loaded = notifications.0;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FetchError>);
    let mark_all = move |_| {
        busy.set(true);
        // The notices shown, not any that arrived since.
        let ids = loaded.data.with_untracked(|d| {
            d.as_ref().map(|l| l.items.iter().filter(|n| !n.read).map(|n| n.id).collect()).unwrap_or_default()
        });
        spawn_local(async move {
            match api::mark_read(&session.csrf(), &MarkRead { ids }).await {
                Ok(list) => {
                    error.set(None);
                    notifications.replace(Ok(list));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let items = move || loaded.data.with(|d| d.as_ref().map(|l| l.items.clone()).unwrap_or_default());
    view! {
        <section class="panel" aria-labelledby="notices-title">
            <div class="section-head">
                <h3 id="notices-title">{move || tr("programme.notifications.list")}</h3>
                <Show when=move || { notifications.unread() > 0 }>
                    <button type="button" class="button secondary" data-testid="mark-all-read" on:click=mark_all
                        disabled=move || busy.get()>{move || tr("programme.notifications.mark_all")}</button>
                </Show>
            </div>
            <FetchErrorView error=loaded.error message=Signal::derive(|| tr("programme.notifications.load_failed"))/>
            <FetchErrorView error=error message=Signal::derive(|| tr("programme.notifications.mark_failed"))/>
            <Show when=move || loaded.loading()>
                <p class="muted" role="status">{move || tr("common.loading")}</p>
            </Show>
            <Show when=move || { loaded.data.with(|d| d.as_ref().is_some_and(|l| l.items.is_empty())) }>
                <p data-testid="notices-empty">{move || tr("programme.notifications.empty")}</p>
            </Show>
            <ul class="notice-list" data-testid="notices">
                <For each=items key=|n| (n.id, n.read) let:n>
                    <NoticeItem stored=n/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn NoticeItem(stored: StoredNotice) -> impl IntoView {
    let notice = stored.notice.clone();
    let text = Memo::new(move |_| render(&notice, current_locale(), &labels::pool));
    let at = kst_minute(stored.notice.at);
    let read = stored.read;
    view! {
        <li class="notice-item" class:unread=!read data-testid="notice" data-kind=stored.notice.kind.as_str()>
            <p class="notice-subject">
                {(!read).then(|| view! { <span class="badge status-maintenance">{move || tr("programme.notifications.new")}</span> " " })}
                <a href=move || text.with(|t| t.link.clone()) rel="external">{move || text.with(|t| t.subject.clone())}</a>
            </p>
            <p>{move || dated(text.with(|t| t.body.clone()))}</p>
            <p class="muted"><time datetime=crate::common::format::iso(stored.notice.at)>{at}</time></p>
        </li>
    }
}

#[component]
fn PreferencesForm(notifications: Notifications) -> impl IntoView {
    let session = use_session();
    let loaded = notifications.0;
    let email = RwSignal::new(String::new());
    let locale = RwSignal::new(String::from("ko"));
    // The form starts from what is stored, once it has arrived.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        loaded.data.with(|d| match d {
            Some(l) => {
                email.set(l.email.clone().unwrap_or_default());
                locale.set(l.locale.clone());
                true
            }
            None => false,
        })
    });
    let error = RwSignal::new(None::<FetchError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        saved.set(false);
        let body = Preferences { email: email.get_untracked().trim().to_owned(), locale: locale.get_untracked() };
        spawn_local(async move {
            match api::save_preferences(&session.csrf(), &body).await {
                Ok(list) => {
                    error.set(None);
                    saved.set(true);
                    notifications.replace(Ok(list));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let email_error = move || error.with(|e| field_message(e.as_ref(), "email"));
    view! {
        <section class="panel" aria-labelledby="prefs-title">
            <h3 id="prefs-title">{move || tr("programme.notifications.preferences")}</h3>
            <form class="prefs-form" on:submit=submit novalidate=true data-testid="preferences">
                <div class="field" class:invalid=move || email_error().is_some()>
                    <label for="pref-email">{move || tr("programme.notifications.email")}</label>
                    <input id="pref-email" type="email" autocomplete="email" data-testid="pref-email"
                        aria-invalid=move || if email_error().is_some() { "true" } else { "false" }
                        aria-describedby="pref-email-hint pref-email-error"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                    <p id="pref-email-hint" class="hint">{move || tr("programme.notifications.email_hint")}</p>
                    <p id="pref-email-error" class="field-error">{email_error}</p>
                </div>
                <div class="field">
                    <label for="pref-locale">{move || tr("programme.notifications.locale")}</label>
                    <select id="pref-locale" data-testid="pref-locale" on:change=move |ev| locale.set(event_target_value(&ev))>
                        {[Locale::Ko, Locale::En].into_iter().map(|l| view! {
                            <option value=l.tag() selected=move || locale.get() == l.tag()>{l.pick("한국어", "English")}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button" data-testid="pref-save" disabled=move || busy.get()>
                    {move || tr("programme.notifications.save")}
                </button>
                <p role="status" data-testid="pref-saved">{move || saved.get().then(|| tr("programme.notifications.saved"))}</p>
            </form>
        </section>
    }
}
