//! The administration's root component (the `kairr-admin` binary): the
//! locale context with the administration's strings (and the programme's), the session context and the
//! router of the admins' pages and the invitation page. A wasm of its own:
//! the public programme pages never download the administration.

use kairr_shared::i18n::t_admin;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::common::components::not_found::NotFoundPage;
use crate::common::i18n::{provide_locale_with, tr};
use crate::programme::pages::{
    AdminAssignmentsPage, AdminOrganisationsPage, AdminPage, AdminPeoplePage, AdminProvisioningPage, AdminStatusPage,
    InvitePage,
};
use crate::programme::session::provide_session;

/// The administration application, mounted on `<body>` by `bin/admin.rs`.
#[component]
pub fn AdminApp() -> impl IntoView {
    provide_locale_with(Some(t_admin), || tr("admin.page_title"));
    provide_session();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/admin") view=AdminPage/>
                <Route path=path!("/admin/people") view=AdminPeoplePage/>
                <Route path=path!("/admin/organisations") view=AdminOrganisationsPage/>
                <Route path=path!("/admin/assignments") view=AdminAssignmentsPage/>
                <Route path=path!("/admin/status") view=AdminStatusPage/>
                <Route path=path!("/admin/provisioning") view=AdminProvisioningPage/>
                <Route path=path!("/invite") view=InvitePage/>
            </Routes>
        </Router>
    }
}
