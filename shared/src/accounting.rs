//! Usage counters from status sources, and what the portal makes of them.
//!
//! A source reports, per pool and project account (Slurm's `--account`), the
//! GPU-seconds its jobs have run since the source started: a cumulative
//! counter, like a Prometheus counter, so the figures do not depend on how
//! often the portal asks. [`UsageMeter`] turns successive readings into
//! increases; [`split_by_kst_day`] spreads an increase over the KST days it
//! covers. Mapping accounts to allocations is `allocation::account`.

mod days;
mod gauge;
mod jobs;
mod meter;

use serde::{Deserialize, Serialize};

pub use days::split_by_kst_day;
pub use gauge::{GaugeIntegrator, MAX_GAP_S};
pub use jobs::{meter_jobs, parse_sacct, AccountedJob, SACCT_FORMAT};
pub use meter::{UsageDelta, UsageMeter};

/// GPU-seconds one project account's jobs have run in one pool since the
/// source started (never decreases while the source runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountUsage {
    /// Catalogue id of the pool.
    pub pool_id: String,
    /// Project account code, e.g. `r2026-1-0042`.
    pub account: String,
    /// Cumulative GPU-seconds.
    pub gpu_seconds_total: u64,
}
