//! The administration's root components, one per wasm: the administration
//! ([`AdminApp`], `kairr-admin`: rounds, reviewer assignment), the systems'
//! operations ([`OperationsApp`], `kairr-operations`: status, provisioning) and
//! the directory ([`DirectoryApp`], `kairr-directory`: people,
//! organisations, the invitation page). Each
//! provides the locale context with the administration's strings (and the
//! programme's), the session context, the page's query and the page its
//! path names (no router: see `programme/app.rs`). Wasm of their own: the
//! public programme pages never download the administration.

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

/// The page at `path` and the key of its name (`None`: not found).
fn page_name(path: &str) -> Option<&'static str> {
    Some(match path {
        "/admin" => "admin.title",
        "/admin/people" => "admin.people.title",
        "/admin/organisations" => "admin.orgs.title",
        "/admin/assignments" => "admin.assign.title",
        "/admin/status" => "admin.ops.title",
        "/admin/provisioning" => "admin.prov.title",
        "/invite" => "admin.invite.title",
        _ => return None,
    })
}

/// The administration of the programme (`bin/admin.rs`): rounds and
/// reviewer assignment.
#[component]
pub fn AdminApp() -> impl IntoView {
    root(&["/admin", "/admin/assignments"], |path| match path {
        "/admin" => Some(view! { <AdminPage/> }.into_any()),
        "/admin/assignments" => Some(view! { <AdminAssignmentsPage/> }.into_any()),
        _ => None,
    })
}

/// The systems' operations (`bin/operations.rs`): the status operators'
/// page (`/admin/status`: incidents and maintenance) and the scheduler
/// accounts of awards (`/admin/provisioning`). Its own wasm: the operators'
/// role uses no other page of the administration, and the status words and
/// incident forms are weight the programme's administration need not carry.
#[component]
pub fn OperationsApp() -> impl IntoView {
    root(&["/admin/status", "/admin/provisioning"], |path| match path {
        "/admin/status" => Some(view! { <AdminStatusPage/> }.into_any()),
        "/admin/provisioning" => Some(view! { <AdminProvisioningPage/> }.into_any()),
        _ => None,
    })
}

/// The directory (`bin/directory.rs`): people, organisations and the
/// invitation page. Its own wasm, so a person opening an invitation link on
/// a phone loads none of the administration's other pages.
#[component]
pub fn DirectoryApp() -> impl IntoView {
    root(&["/admin/people", "/admin/organisations", "/invite"], |path| match path {
        "/admin/people" => Some(view! { <AdminPeoplePage/> }.into_any()),
        "/admin/organisations" => Some(view! { <AdminOrganisationsPage/> }.into_any()),
        "/invite" => Some(view! { <InvitePage/> }.into_any()),
        _ => None,
    })
}

/// What both apps provide (the locale with the administration's strings and
/// the page's title, the session, the query), then the page `render` draws
/// for the address, one of the app's `own` paths (any other: not found).
fn root(own: &[&str], render: fn(&str) -> Option<AnyView>) -> AnyView {
    let path = address::path();
    let name = page_name(&path).filter(|_| own.contains(&path.as_str())).unwrap_or("not_found.title");
    provide_locale_with(Some(t_admin), move || kairr_shared::i18n::page_title(&tr(name), &tr("admin.page_title")));
    provide_session();
    PageQuery::provide();
    render(&path).unwrap_or_else(|| view! { <NotFoundPage/> }.into_any())
}
