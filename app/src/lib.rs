//! KAIRR's public status page: a Leptos client-side app that reads the
//! `/api/v1` status, history and incident endpoints and the live event stream.
//! Domain rules live in `kairr_shared`; this crate only fetches and renders.
#![forbid(unsafe_code)]

pub mod api;
mod app;
pub mod chart;
pub mod components;
pub mod format;
pub mod i18n;
pub mod labels;
pub mod live;
pub mod pages;

pub use app::App;
