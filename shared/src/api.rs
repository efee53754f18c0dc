//! Wire types of the HTTP API (`/api/v1/...`). They are kept apart from the
//! simulator's domain types so the JSON stays stable while the domain evolves.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::status::{NodeCounts, Status};

mod incidents;
mod page;
pub mod programme;
mod queue;

pub use incidents::{Incident, IncidentState, IncidentUpdate, IncidentsResponse, Maintenance, MaintenanceState};
pub use page::{
    locale_from_cookies, InitialSession, PagePart, FIRST_VIEW_ID, INITIAL_SESSION_ID, INITIAL_STATUS_ID, LOCALE_COOKIE,
    PART_HEADER,
};
pub use programme::{
    AdjustBody, Adjusted, AdminRound, MyRequest, MyRequestDetail, ProgrammeChange, ProgrammeEvent, RoundListing,
};
pub use queue::{PendingJob, PendingReason, QueueSnapshot, RunningJob};

/// Where a figure comes from. Everything is `demo` until a real source is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// The seeded simulation of the fleet; not real measurements.
    Demo,
    Slurm,
    Prometheus,
    /// Posted by the centre's status operators (incidents and maintenance).
    Operator,
}

/// HPC batch system or GPU cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    Hpc,
    Cloud,
}

/// `GET /api/v1/status`: the live summary of every national system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusSummary {
    /// When the snapshot was taken (UTC).
    pub updated_at: DateTime<Utc>,
    /// `demo` while any system is simulated.
    pub source: DataSource,
    /// True when the snapshot is older than `stale_after_seconds`.
    pub stale: bool,
    /// Age in seconds after which a snapshot counts as stale.
    pub stale_after_seconds: u32,
    /// Worst status over all systems.
    pub status: Status,
    pub systems: Vec<SystemStatus>,
    /// How much a minute of partial outage counts as down in the uptime
    /// figures (a major outage's minute counts 1; maintenance and degraded
    /// minutes count as up), so the page can state its rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_outage_weight: Option<f64>,
}

impl StatusSummary {
    /// Assembles a summary taken at `at` (Unix seconds): the overall status is
    /// the worst system's, and the source is `demo` if any system is simulated.
    pub fn new(at: i64, systems: Vec<SystemStatus>, stale_after_seconds: u32) -> StatusSummary {
        let source = if systems.iter().any(|s| s.source == DataSource::Demo) {
            DataSource::Demo
        } else {
            systems.first().map_or(DataSource::Demo, |s| s.source)
        };
        StatusSummary {
            updated_at: crate::time::utc(at),
            source,
            stale: false,
            stale_after_seconds,
            status: crate::status::rollup(systems.iter().map(|s| s.status)),
            systems,
            partial_outage_weight: None,
        }
    }

    /// The same summary stating the uptime rule of `policy`.
    pub fn with_policy(mut self, policy: &crate::catalogue::StatusPolicy) -> StatusSummary {
        self.partial_outage_weight = Some(policy.partial_outage_downtime_weight);
        self
    }

    /// The same snapshot marked stale when it is older than allowed at `now`.
    pub fn aged(&self, now: i64) -> bool {
        now - self.updated_at.timestamp() > i64::from(self.stale_after_seconds)
    }
}

/// One system (KISTI-6, or one cloud provider's government GPUs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemStatus {
    /// Stable id used in URLs, e.g. `kisti6`.
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
    pub kind: SystemKind,
    /// Who runs it, by its English name.
    pub operator: String,
    /// Who runs it, by its Korean name (absent: the English one serves).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub operator_ko: String,
    /// Worst status of its pools.
    pub status: Status,
    pub source: DataSource,
    /// True when the snapshot is old or this system's source is failing.
    pub stale: bool,
    /// Why the system is stale (e.g. `prometheus: connection refused`); absent when fresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_reason: Option<String>,
    /// When this system's sources last answered well (UTC); absent before the first answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_good_at: Option<DateTime<Utc>>,
    /// Power usage effectiveness assumed for energy figures.
    pub pue: f64,
    /// IT power draw of the system's nodes, in kW (before PUE).
    pub power_kw: f64,
    pub pools: Vec<PoolStatus>,
}

/// One partition (HPC) or government pool (cloud).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolStatus {
    /// Stable id, e.g. `kisti6-gh200`.
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
    pub status: Status,
    pub gpus_per_node: u32,
    pub nodes: NodeCounts,
    /// GPUs by model (one entry per model in the pool).
    pub gpus: Vec<GpuCounts>,
    /// Allocated GPUs ÷ GPUs in service, 0..=1.
    pub utilisation: f64,
    pub running_jobs: u32,
    pub pending_jobs: u32,
    /// GPUs requested by pending jobs.
    pub pending_gpus: u32,
    /// Median queue wait, in seconds, of jobs that started in the last hour.
    pub median_wait_seconds: Option<u64>,
    /// Largest job, in GPUs, that would start now whatever its run time.
    pub largest_startable_gpus: u32,
    /// Idle GPUs a job may take now if it ends within `backfill_window_seconds`.
    pub backfill_gpus: u32,
    /// Seconds until the head of the queue's reservation; `None` when nothing waits.
    pub backfill_window_seconds: Option<u64>,
    /// Seconds until the next scheduled maintenance that takes the whole pool
    /// out of service (every node in service); no job may run past its start.
    /// `None` when none is scheduled, when only some nodes are taken out, or
    /// when one is already in progress (the pool's status says so).
    /// The demo also folds such a maintenance into the backfill figures above
    /// when it is closer than the walltime limit; Slurm's figures do not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_in_seconds: Option<u64>,
    /// Largest job a user may submit, in GPUs.
    pub max_job_gpus: u32,
    /// Batch walltime limit in hours (`None` for cloud pools).
    pub walltime_limit_hours: Option<u32>,
    /// IT power draw in kW (before PUE).
    pub power_kw: f64,
    /// Measured mean GPU utilisation (DCGM `DCGM_FI_DEV_GPU_UTIL`), 0..=1; absent without telemetry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_utilisation: Option<f64>,
}

impl SystemStatus {
    /// The operator's name in `loc`.
    pub fn operator_in(&self, loc: crate::i18n::Locale) -> &str {
        match loc {
            crate::i18n::Locale::Ko if !self.operator_ko.is_empty() => &self.operator_ko,
            _ => &self.operator,
        }
    }
}

impl PoolStatus {
    /// The share of the pool's GPUs that are idle (0 for a pool that reports none).
    pub fn free_share(&self) -> f64 {
        let (free, total) =
            self.gpus.iter().fold((0u64, 0u64), |(f, t), g| (f + u64::from(g.free), t + u64::from(g.total)));
        if total == 0 {
            0.0
        } else {
            (free as f64 / total as f64).clamp(0.0, 1.0)
        }
    }
}

/// GPU counts of one model in one pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GpuCounts {
    /// e.g. `GH200`, `B200`, `H200`.
    pub model: String,
    /// GPUs in service.
    pub total: u32,
    pub allocated: u32,
    /// Idle GPUs on nodes that are up.
    pub free: u32,
    /// GPUs on down or drained nodes.
    pub unavailable: u32,
}

/// `GET /api/v1/status/history`: recorded uptime and load of one system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusHistory {
    pub system: String,
    /// `24h`, `7d` or `90d`.
    pub range: String,
    pub source: DataSource,
    /// Always the last 90 KST days, oldest first, for the uptime bars.
    pub uptime_days: Vec<DailyUptime>,
    /// Uptime over the days that have data, 0..=1.
    pub uptime_fraction: Option<f64>,
    /// Width of one series bucket in seconds.
    pub bucket_seconds: u32,
    /// Utilisation and queue over the requested range, oldest first.
    pub series: Vec<SeriesPoint>,
}

/// One KST day of recorded status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyUptime {
    /// The day in KST.
    pub date: NaiveDate,
    /// `None` when nothing was recorded that day.
    pub uptime: Option<f64>,
    /// Worst status seen that day.
    pub worst: Option<Status>,
    /// Minutes recorded in each non-operational status.
    pub minutes_major_outage: u32,
    pub minutes_partial_outage: u32,
    pub minutes_degraded: u32,
    pub minutes_maintenance: u32,
}

/// One bucket of the load series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesPoint {
    /// Start of the bucket (UTC).
    pub t: DateTime<Utc>,
    /// Mean allocated ÷ in-service GPUs, 0..=1.
    pub utilisation: f64,
    /// Mean running jobs.
    pub running_jobs: f64,
    /// Mean pending jobs.
    pub pending_jobs: f64,
}

/// Every `ApiError::error` code the server sends; each has a translation,
/// `error.code.<code>`, in both languages (checked by the i18n tests; the
/// server's tests check it sends no other).
pub const API_ERROR_CODES: &[&str] = &[
    "unknown_system",
    "invalid_parameter",
    "invalid_body",
    "invalid_input",
    "not_found",
    "conflict",
    "busy",
    "too_large",
    "body_too_large",
    "unauthorised",
    "forbidden",
    "csrf_failed",
    "bad_credentials",
    "too_many_attempts",
    "internal",
    "method_not_allowed",
    "uri_too_long",
    "headers_too_large",
    "timeout",
    "unsupported_media_type",
    "too_many_clients",
    "changed",
    "already_reviewed",
    "conflict_of_interest",
    "not_open_for_review",
    "not_under_review",
    "over_capacity",
    "request_quota",
    "not_awarded",
    "round_not_open",
    "round_not_in_review",
    "too_few_reviews",
    "review_window_open",
    "round_exists",
    "round_published",
    "pool_in_use",
    "capacity_below_awarded",
    "stage_changed",
    "stage_order",
    "undecided_requests",
    "username_taken",
    "last_admin",
    "account_disabled",
    "invitation_invalid",
    "organisation_taken",
    "not_a_reviewer",
    "reviewer_conflict",
    "already_assigned",
    "not_in_round",
    "not_assigned",
    "conflict_declared",
    "review_window_closed",
    "no_review",
    "organisation_unconfirmed",
    "incident_detected",
    "incident_resolved",
    "too_many_updates",
    "not_applicant",
    "request_not_editable",
    "submission_closed",
    "mail_not_configured",
    "provisioning_not_configured",
];

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers and a snapshot exists.
    pub status: String,
    /// Age of the in-memory status snapshot in seconds.
    pub snapshot_age_seconds: Option<i64>,
    pub version: String,
    /// Every history the status page draws has been read since start-up
    /// (until then its first view may go without some uptime bars and load
    /// charts, their frames saying so): a readiness signal for a balancer.
    #[serde(default)]
    pub histories_ready: bool,
}

/// `GET /api/v1/queues`: every pool's queue, the input of wait prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuesResponse {
    pub source: DataSource,
    pub queues: Vec<QueueSnapshot>,
}

/// The JSON body of every 4xx/5xx answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Machine-readable code, e.g. `unknown_system`, `invalid_range`.
    pub error: String,
    /// The request field at fault, e.g. `system` or `range`.
    pub field: Option<String>,
    /// Human-readable explanation (English).
    pub message: String,
    /// Every invalid field, with Korean and English messages (placement inputs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::advisor::FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_read_from_its_cookie_among_others() {
        use crate::i18n::Locale;
        assert_eq!(locale_from_cookies("id=abc; kairr_locale=en; x=1"), Some(Locale::En));
        assert_eq!(locale_from_cookies(" kairr_locale = ko "), None, "a name with spaces is another cookie");
        assert_eq!(locale_from_cookies("kairr_locale=ko"), Some(Locale::Ko));
        assert_eq!(locale_from_cookies("kairr_locale=fr; kairr_locale_x=en"), None);
        assert_eq!(locale_from_cookies(""), None);
    }

    #[test]
    fn a_page_part_is_read_back_from_the_header_it_sends() {
        for part in [PagePart::Whole, PagePart::Live] {
            assert_eq!(PagePart::from_header(part.header_value().map(str::as_bytes)), part);
        }
        assert_eq!(PagePart::Live.header_value(), Some("live"));
        assert_eq!(PagePart::from_header(Some(b"LIVE")), PagePart::Whole);
        assert_eq!(PagePart::from_header(Some(b"")), PagePart::Whole);
    }

    #[test]
    fn the_free_share_counts_idle_gpus_of_every_model() {
        let cat = crate::catalogue::Catalogue::embedded().unwrap();
        let config = crate::sim::SimConfig { warm_up_seconds: 3600, ..crate::sim::SimConfig::default() };
        let summary = crate::sim::Simulator::new(cat, config, 1_780_000_000).summary(1);
        let mut pool = summary.systems[0].pools[0].clone();
        let counts = |model: &str, free: u32, total: u32| GpuCounts {
            model: model.into(),
            total,
            allocated: total.saturating_sub(free),
            free,
            unavailable: 0,
        };
        pool.gpus = vec![counts("A", 30, 100), counts("B", 10, 100)];
        assert!((pool.free_share() - 0.2).abs() < 1e-12);
        pool.gpus = vec![];
        assert_eq!(pool.free_share(), 0.0);
        pool.gpus = vec![counts("A", 120, 100)];
        assert_eq!(pool.free_share(), 1.0, "a source reporting more free than total is capped");
    }
}
