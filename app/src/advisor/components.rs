//! The placement wizard's components: form fields with help and errors, the
//! presets, the steps, the ranked result, the what-if panel, the export and
//! the workflow mode. They read the wizard's signals and call
//! `kairr_shared::advisor`; they never fetch.

pub mod error_summary;
pub mod export;
pub mod field;
pub mod form;
pub mod pool_result;
pub mod presets;
pub mod result;
pub mod what_if;
pub mod workflow;
