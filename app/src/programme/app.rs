//! The allocation programme's root component (the `kairr-programme` binary):
//! the locale context with the programme's own strings, the session context,
//! and the router (anything else is "not found").

use kairr_shared::i18n::t_programme;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::common::components::not_found::NotFoundPage;
use crate::common::i18n::{provide_locale_with, tr};
use crate::programme::pages::{
    AllocationsPage, CommitteePage, LoginPage, NotificationsPage, RequestDetailPage, RequestNewPage, RequestOwnPage,
    RequestsMinePage, ReviewsPage,
};
use crate::programme::session::provide_session;

/// The programme application, mounted on `<body>` by `bin/programme.rs`.
#[component]
pub fn ProgrammeApp() -> impl IntoView {
    provide_locale_with(Some(t_programme), || tr("programme.page_title"));
    provide_session();
    crate::programme::data::provide_notifications();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/allocations") view=AllocationsPage/>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/committee") view=CommitteePage/>
                <Route path=path!("/requests/new") view=RequestNewPage/>
                <Route path=path!("/requests/mine") view=RequestsMinePage/>
                <Route path=path!("/requests/:id") view=RequestOwnPage/>
                <Route path=path!("/committee/requests/:id") view=RequestDetailPage/>
                <Route path=path!("/reviews") view=ReviewsPage/>
                <Route path=path!("/notifications") view=NotificationsPage/>
            </Routes>
        </Router>
    }
}
