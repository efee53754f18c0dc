//! KAIRR's browser apps: the public status page (`/`, binary `kairr-app`),
//! which reads the `/api/v1` status, history and incident endpoints and the
//! live event stream, and the placement wizard (`/advisor`, binary
//! `kairr-advisor`), which runs the placement engine in the browser, and the
//! allocation programme (`/allocations`, `/login`, `/committee`, `/requests/*`,
//! binary `kairr-programme`), and the administration (`/admin`, `/admin/people`,
//! `/invite`, binary `kairr-admin`). Each is its own wasm; code only one of them uses
//! is left out of the others.
//! Domain rules live in `kairr_shared`; this crate only fetches and renders.
#![forbid(unsafe_code)]

mod admin_app;
pub mod advisor;
mod advisor_app;
pub mod api;
mod app;
pub mod chart;
pub mod components;
pub mod first_view;
pub mod format;
pub mod i18n;
pub mod labels;
pub mod live;
pub mod pages;
pub mod programme;
mod programme_app;

pub use admin_app::AdminApp;
pub use advisor_app::AdvisorApp;
pub use app::App;
pub use programme_app::ProgrammeApp;
