//! A page part only some roles may see: while the session loads it says so;
//! anonymous visitors are asked to sign in; other roles are told plainly that
//! they are not permitted; allowed users see `children`.

use kairr_shared::auth::Action;
use leptos::prelude::*;

use crate::common::components::header::login_returning_here;
use crate::common::i18n::{tr, trf};
use crate::programme::labels;
use crate::programme::session::{use_session, Access};

/// Shows `children` only to users whose role allows `action`.
#[component]
pub fn RequireRole(
    /// What the content needs.
    action: Action,
    /// The content for allowed users.
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let access = Memo::new(move |_| session.access(action));
    let denied_key = match action {
        Action::Review => "programme.access.not_permitted_review",
        _ => "programme.access.not_permitted",
    };
    move || {
        match access.get() {
        Access::Loading => view! { <p class="muted" role="status">{move || tr("common.loading")}</p> }.into_any(),
        Access::Anonymous => view! {
            <div class="notice" data-testid="sign-in-prompt">
                <p>{move || tr("programme.access.sign_in_needed")}</p>
                <p><a class="button" href=login_returning_here() rel="external" data-testid="sign-in-link">{move || tr("programme.access.sign_in")}</a></p>
            </div>
        }
        .into_any(),
        Access::NotPermitted(user) => {
            let role = user.role;
            view! {
                <div class="notice notice-warning" role="alert" data-testid="not-permitted">
                    <p>{move || trf(denied_key, &[("role", labels::role(role))])}</p>
                </div>
            }
            .into_any()
        }
        Access::Allowed(_) => children().into_any(),
    }
    }
}
