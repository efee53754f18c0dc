//! One module per route.

mod advisor;
mod not_found;
pub mod programme;
mod status;

pub use advisor::AdvisorPage;
pub use not_found::NotFoundPage;
pub use status::StatusPage;
