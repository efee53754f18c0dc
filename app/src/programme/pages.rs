//! The routes of the allocation programme and of the administration, one file each.

pub(crate) mod admin;
mod admin_assign;
mod admin_orgs;
mod admin_people;
mod admin_provisioning;
mod admin_round_form;
mod admin_status;
mod allocations;
mod invite;
mod login;
mod notifications;
mod request_new;
mod request_own;
mod requests_mine;
mod reviews;

pub use admin::AdminPage;
pub use admin_assign::AdminAssignmentsPage;
pub use admin_orgs::AdminOrganisationsPage;
pub use admin_people::AdminPeoplePage;
pub use admin_provisioning::AdminProvisioningPage;
pub use admin_status::AdminStatusPage;
pub use allocations::AllocationsPage;
pub use invite::InvitePage;
pub use login::LoginPage;
pub use notifications::NotificationsPage;
pub use request_new::RequestNewPage;
pub use request_own::RequestOwnPage;
pub use requests_mine::RequestsMinePage;
pub use reviews::ReviewsPage;
