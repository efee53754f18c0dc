//! The administration's root component (the `kairr-admin` binary): the
//! locale context with the administration's strings (and the programme's), the session context, the page's query and
//! the admins' page or the invitation page its path names (no router:
//! see `programme/app.rs`). A wasm of its own:
//! the public programme pages never download the administration.

use kairr_shared::i18n::t_admin;
use leptos::prelude::*;

use crate::common::address::{self, PageQuery};
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
    let path = address::path();
    let name = match path.as_str() {
        "/admin" => "admin.title",
        "/admin/people" => "admin.people.title",
        "/admin/organisations" => "admin.orgs.title",
        "/admin/assignments" => "admin.assign.title",
        "/admin/status" => "admin.ops.title",
        "/admin/provisioning" => "admin.prov.title",
        "/invite" => "admin.invite.title",
        _ => "not_found.title",
    };
    provide_locale_with(Some(t_admin), move || kairr_shared::i18n::page_title(&tr(name), &tr("admin.page_title")));
    provide_session();
    PageQuery::provide();
    match path.as_str() {
        "/admin" => view! { <AdminPage/> }.into_any(),
        "/admin/people" => view! { <AdminPeoplePage/> }.into_any(),
        "/admin/organisations" => view! { <AdminOrganisationsPage/> }.into_any(),
        "/admin/assignments" => view! { <AdminAssignmentsPage/> }.into_any(),
        "/admin/status" => view! { <AdminStatusPage/> }.into_any(),
        "/admin/provisioning" => view! { <AdminProvisioningPage/> }.into_any(),
        "/invite" => view! { <InvitePage/> }.into_any(),
        _ => view! { <NotFoundPage/> }.into_any(),
    }
}
