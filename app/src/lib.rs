//! KAIRR's browser apps: the public status page (`/`, binary `kairr-app`),
//! which keeps the server's rendering of the page live (the live event
//! stream, the page fetched again) and draws each system's history, and the placement wizard (`/advisor`, binary
//! `kairr-advisor`), which runs the placement engine in the browser and
//! renders under the server's first view without Leptos, and the
//! allocation programme (`/allocations`, `/login`, `/committee`, `/requests/*`,
//! binary `kairr-programme`), and the administration (`/admin`, `/admin/people`,
//! `/invite`, binary `kairr-admin`). Each is its own wasm; code only one of them uses
//! is left out of the others.
//! Domain rules live in `kairr_shared`; this crate only fetches and renders.
//!
//! The crate is organised by feature: [`common`] holds what two or more apps
//! use; [`status`], [`advisor`] and [`programme`] (with the administration)
//! each hold their root component, pages, components and plumbing.
//! [`first_view`] is re-exported for the entry points.
#![forbid(unsafe_code)]

pub mod advisor;
pub mod committee;
pub mod common;
pub mod programme;
pub mod status;

pub use common::first_view;
pub use programme::{AdminApp, AllocationsApp, DirectoryApp, OperationsApp, ProgrammeApp, ReviewsApp};
