//! The allocation programme (binary `kairr-programme`, served at
//! `/allocations`, `/login`, `/committee`, `/requests/*`, `/reviews` and
//! `/notifications`) and the administration (binary `kairr-admin`, `/admin`,
//! `/admin/*` and `/invite`), which uses the same plumbing: their root
//! components ([`ProgrammeApp`], [`AdminApp`]), their routes ([`pages`]),
//! their components ([`components`]), and the plumbing: API calls, the
//! session context, data hooks, the wizard's draft as a pre-filled request,
//! list paging, charts and render timing.

mod admin_app;
pub mod api;
mod app;
pub mod charts;
pub mod components;
pub mod data;
pub mod draft;
pub mod form_errors;
pub mod labels;
pub mod pages;
pub mod paging;
mod public_app;
pub mod session;

pub use admin_app::{AdminApp, DirectoryApp, OperationsApp};
pub use app::{ProgrammeApp, ReviewsApp};
pub use public_app::AllocationsApp;
