//! The account entry of the navigation: "로그인" while nobody is signed in,
//! else a link to the user's own page (committee overview, reviews or own
//! requests), the user's name and role and a "로그아웃" button.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::components::header::{SignInLink, SitePage};
use crate::common::i18n::{tr, trf};
use crate::programme::labels;
use crate::programme::session::{home_after_login, use_session};

/// `<li>` items for the site navigation.
#[component]
pub fn AccountNav(
    /// The page shown.
    page: SitePage,
) -> impl IntoView {
    let session = use_session();
    let notifications = crate::programme::data::use_notifications();
    let failed = RwSignal::new(false);
    let sign_out = move |_| {
        spawn_local(async move {
            match session.logout().await {
                Ok(provider_logout) => {
                    failed.set(false);
                    let next = provider_logout.unwrap_or_else(|| "/allocations".to_owned());
                    if let Err(e) = window().location().set_href(&next) {
                        leptos::logging::warn!("cannot leave the page after signing out: {e:?}");
                    }
                }
                Err(e) => {
                    leptos::logging::error!("sign-out failed: {}", e.detail());
                    failed.set(true);
                }
            }
        });
    };
    view! {
        {move || match session.user() {
            None => view! { <li><SignInLink current=page == SitePage::Login/></li> }.into_any(),
            Some(user) => {
                let who = trf("programme.account.signed_in_as", &[
                    ("name", user.display_name.clone()),
                    ("role", labels::role(user.role)),
                ]);
                let home = home_after_login(&user);
                let home_key = match home {
                    "/committee" => "programme.nav.committee",
                    "/reviews" => "programme.nav.reviews",
                    "/admin/status" => "programme.nav.status_ops",
                    _ => "programme.nav.mine",
                };
                let admin = user.role == kairr_shared::auth::Role::Admin;
                let operator = user.role == kairr_shared::auth::Role::Operator;
                view! {
                    <li><a href=home rel="external" data-testid="nav-home">{move || tr(home_key)}</a></li>
                    {operator.then(|| view! { <li><a href="/requests/mine" rel="external" data-testid="nav-mine">{move || tr("programme.nav.mine")}</a></li> })}
                    {admin.then(|| view! { <li><a href="/admin" rel="external" data-testid="nav-admin">{move || tr("programme.nav.admin")}</a></li> })}
                    <li>
                        <a href="/notifications" rel="external" data-testid="nav-notifications">
                            {move || tr("programme.nav.notifications")}
                            {move || {
                                let n = notifications.map_or(0, |n| n.unread());
                                (n > 0).then(|| view! {
                                    " " <span class="count-badge" data-testid="unread-count">{n}</span>
                                    <span class="sr-only">{move || tr("programme.notifications.unread_suffix")}</span>
                                })
                            }}
                        </a>
                    </li>
                    <li class="account" data-testid="account">
                        <span class="account-name">{who}</span>
                        <button type="button" class="link-button" data-testid="sign-out" on:click=sign_out>
                            {move || tr("programme.account.sign_out")}
                        </button>
                        <Show when=move || failed.get()>
                            <span role="alert" class="field-error">{move || tr("programme.account.sign_out_failed")}</span>
                        </Show>
                    </li>
                }
                .into_any()
            }
        }}
    }
}
