//! The status page's components, one concept per file: the banner, the
//! component list, the GPU input, each system with its pool cards, uptime
//! bars and load chart, incidents and maintenance. They read signals and
//! call `kairr_shared`/[`crate::status::labels`]/[`crate::common::format`];
//! they never fetch.

pub mod component_list;
pub mod gpu_input;
pub mod incidents;
pub mod load_chart;
pub mod maintenance;
pub mod pool_card;
pub mod start_answer;
pub mod status_badge;
pub mod status_banner;
pub mod system_section;
pub mod uptime_bars;
