//! The allocation programme app's plumbing (binary `kairr-programme`, served
//! at `/allocations`, `/login`, `/committee` and `/requests/*`): its API
//! calls, the session context, data hooks, the wizard draft hand-over, list
//! paging, charts and render timing. Pages are in `pages/programme/`,
//! components in `components/programme/`.

pub mod api;
pub mod charts;
pub mod data;
pub mod draft;
pub mod form_errors;
pub mod labels;
pub mod paging;
pub mod session;
pub mod timing;
