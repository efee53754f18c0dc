//! The page parts every app shows, one concept per file: the header, the
//! footer, a failed request, a time in KST, running text with whole dates
//! and the "not found" page. They
//! read signals and call `kairr_shared`/[`crate::common::format`]; they never fetch.

pub mod dated;
pub mod fetch_error;
pub mod footer;
pub mod header;
pub mod kst_time;
pub mod not_found;
