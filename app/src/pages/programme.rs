//! The allocation programme's routes, one file each.

mod admin;
mod allocations;
mod committee;
mod login;
mod request_detail;
mod request_new;
mod requests_mine;
mod reviews;

pub use admin::AdminPage;
pub use allocations::AllocationsPage;
pub use committee::CommitteePage;
pub use login::LoginPage;
pub use request_detail::RequestDetailPage;
pub use request_new::RequestNewPage;
pub use requests_mine::RequestsMinePage;
pub use reviews::ReviewsPage;
