//! The placement wizard (`/advisor`, binary `kairr-advisor`): its root
//! component ([`AdvisorApp`]), the page, its components ([`components`]),
//! and its state and plumbing: the URL form of the wizard ([`query`]), the
//! signals it lives in ([`state`]), the engine run in the browser with cached
//! wait predictions ([`engine`]), render timings ([`timing`]) and the JSON
//! download ([`download`]).
//! Every rule is `kairr_shared::advisor`'s; this module only wires it.

mod app;
pub mod components;
pub mod download;
pub mod engine;
pub mod fields;
pub mod labels;
mod page;
pub mod query;
pub mod state;
pub mod timing;

pub use app::AdvisorApp;
