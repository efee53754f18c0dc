//! The allocation programme's routes, one file each.

mod allocations;
mod committee;
mod login;
mod request_new;
mod requests_mine;

pub use allocations::AllocationsPage;
pub use committee::CommitteePage;
pub use login::LoginPage;
pub use request_new::RequestNewPage;
pub use requests_mine::RequestsMinePage;
