//! Components of the allocation programme pages (public allocations,
//! sign-in, committee overview, researchers' requests). They read signals and
//! call `kairr_shared` and [`crate::programme`]; they never fetch.

pub mod access;
pub mod account;
pub mod bar_chart;
pub mod error_summary;
pub mod pager;
pub mod projects;
pub mod public_groups;
pub mod request_fields;
pub mod review_form;
pub mod shell;
