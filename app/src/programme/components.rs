//! Components of the allocation programme pages (public allocations,
//! sign-in, committee overview, researchers' requests). They read signals and
//! call `kairr_shared` and [`crate::programme`]; they never fetch.

pub mod access;
pub mod account;
pub mod adjust;
pub mod bar_chart;
pub mod date_field;
pub mod decision_form;
pub mod error_summary;
pub mod fairness;
pub mod idle;
pub mod pager;
pub mod period_form;
pub mod pool_table;
pub mod projects;
pub mod proposal;
pub mod public_groups;
pub mod queue;
pub mod request_fields;
pub mod request_summary;
pub mod review_form;
pub mod review_list;
pub mod shares;
pub mod shell;
pub mod timeline;
