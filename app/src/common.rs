//! What two or more of the apps use (status page, placement wizard,
//! allocation programme, administration): the requests to the public API,
//! the event stream and [`api::FetchError`] ([`api`]), the charts' palette
//! and canvas set-up ([`chart`]), the live-status and
//! refresh hooks ([`live`]), the server's first view ([`first_view`]), the UI
//! language ([`i18n`]), figures and times ([`format`](mod@format)), the wizard's draft
//! handed to the request form ([`handover`]), render timings for the
//! performance checks ([`timing`]), and the page parts every app
//! shows ([`components`]), the page's address ([`address`]); for
//! the apps without Leptos (the status page, the wizard) a few DOM helpers
//! ([`dom`]) and the morph that puts freshly rendered HTML in place
//! ([`morph`]).

pub mod address;
pub mod api;
pub mod chart;
pub mod components;
pub mod dom;
pub mod first_view;
pub mod format;
pub mod handover;
pub mod i18n;
pub mod live;
pub mod morph;
pub mod timing;
