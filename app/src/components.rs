//! Presentational components, one concept per file. They read signals and
//! call `kairr_shared`/[`crate::labels`]/[`crate::format`]; they never fetch.

pub mod advisor;
pub mod component_list;
pub mod fetch_error;
pub mod footer;
pub mod gpu_input;
pub mod header;
pub mod incidents;
pub mod kst_time;
pub mod load_chart;
pub mod maintenance;
pub mod pool_card;
pub mod programme;
pub mod start_answer;
pub mod status_badge;
pub mod status_banner;
pub mod system_section;
pub mod uptime_bars;
