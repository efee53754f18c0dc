//! The status page's islands, one concept per file: a system's 90-day
//! uptime bars and its load chart. They read signals and call
//! `kairr_shared`/[`crate::status::labels`]/[`crate::common::format`]; they
//! never fetch.

pub mod load_chart;
pub mod uptime_bars;
