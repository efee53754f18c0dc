//! Wire types of the HTTP API (`/api/v1/...`). They are kept apart from the
//! simulator's domain types so the JSON stays stable while the domain evolves.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::status::{NodeCounts, Status};

pub mod programme;
mod queue;

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

/// Lifecycle of an incident, as Statuspage names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl IncidentState {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentState::Investigating => "investigating",
            IncidentState::Identified => "identified",
            IncidentState::Monitoring => "monitoring",
            IncidentState::Resolved => "resolved",
        }
    }

    /// Every state, in the order an incident goes through them.
    pub const ALL: [IncidentState; 4] = [Self::Investigating, Self::Identified, Self::Monitoring, Self::Resolved];

    /// Parses [`IncidentState::as_str`] back.
    pub fn parse(s: &str) -> Option<IncidentState> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// An incident with its timed updates, newest update last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: String,
    pub system_id: String,
    pub pool_id: String,
    pub title_ko: String,
    pub title_en: String,
    /// Worst impact seen during the incident.
    pub impact: Status,
    pub state: IncidentState,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub updates: Vec<IncidentUpdate>,
    pub source: DataSource,
}

/// One timed update of an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentUpdate {
    pub at: DateTime<Utc>,
    pub state: IncidentState,
    pub body_ko: String,
    pub body_en: String,
}

/// State of a maintenance window relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceState {
    Scheduled,
    InProgress,
    Completed,
}

impl MaintenanceState {
    /// Stable snake_case name (as in JSON, and the pages' `data-state` and classes).
    pub fn as_str(self) -> &'static str {
        match self {
            MaintenanceState::Scheduled => "scheduled",
            MaintenanceState::InProgress => "in_progress",
            MaintenanceState::Completed => "completed",
        }
    }
}

/// A scheduled maintenance window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Maintenance {
    pub id: String,
    pub system_id: String,
    pub pool_id: String,
    pub title_ko: String,
    pub title_en: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Nodes taken out of service during the window.
    pub nodes_affected: u32,
    pub state: MaintenanceState,
    pub source: DataSource,
}

/// `GET /api/v1/incidents`: active and recent incidents, and maintenance windows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentsResponse {
    /// Unresolved incidents, newest first.
    pub active: Vec<Incident>,
    /// Resolved incidents of the last 90 days, newest first.
    pub past: Vec<Incident>,
    /// In-progress and upcoming maintenance, soonest first.
    pub maintenance: Vec<Maintenance>,
    /// Maintenance completed in the last 90 days, the most recently ended first.
    #[serde(default)]
    pub past_maintenance: Vec<Maintenance>,
    pub source: DataSource,
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

/// Id of the element holding a page's initial data as JSON (`/allocations`: its round).
pub const INITIAL_STATUS_ID: &str = "kairr-initial";
/// The session a programme page's first view was rendered for, beside it in
/// the page: what `GET /api/v1/auth/session` would have answered, and the
/// unread notices the navigation counts. The app starts from it instead of
/// fetching them, so its header is the first view's from the first frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitialSession {
    pub session: crate::auth::SessionInfo,
    /// The signed-in user's unread notices (0 for nobody).
    #[serde(default)]
    pub unread: u64,
}

/// Id of the element holding [`InitialSession`] as JSON.
pub const INITIAL_SESSION_ID: &str = "kairr-session";
/// Id of the element wrapping the server-rendered first view, which the app replaces.
pub const FIRST_VIEW_ID: &str = "first-view";

/// The request header naming the part of the status page asked for
/// ([`PagePart::header_value`]); without it the whole page comes.
pub const PART_HEADER: &str = "x-kairr-part";

/// Which part of the status page a request asks for ([`PART_HEADER`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagePart {
    /// The whole page.
    Whole,
    /// The page without the systems' histories, a `data-kept` place for each
    /// instead: what the browser fetches on every status event, keeping the
    /// histories it shows (they change once a recording interval; it fetches
    /// the whole page every minute). A fifth of the bytes to send and parse.
    Live,
}

impl PagePart {
    /// The value of [`PART_HEADER`] asking for this part (`None`: no header, the whole page).
    pub fn header_value(self) -> Option<&'static str> {
        match self {
            PagePart::Whole => None,
            PagePart::Live => Some("live"),
        }
    }

    /// The part a request's [`PART_HEADER`] value asks for (anything not understood: the whole page).
    pub fn from_header(value: Option<&[u8]>) -> PagePart {
        match value {
            Some(v) if Some(v) == PagePart::Live.header_value().map(str::as_bytes) => PagePart::Live,
            _ => PagePart::Whole,
        }
    }
}
/// Cookie mirroring the chosen UI language (`ko`/`en`) for the server's first view.
pub const LOCALE_COOKIE: &str = "kairr_locale";

/// The language [`LOCALE_COOKIE`] names in a `Cookie` header's value (or
/// `document.cookie`): the one reader of the cookie for the server and the apps.
pub fn locale_from_cookies(cookies: &str) -> Option<crate::i18n::Locale> {
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LOCALE_COOKIE)
        .and_then(|(_, value)| crate::i18n::Locale::from_tag(value.trim()))
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers and a snapshot exists.
    pub status: String,
    /// Age of the in-memory status snapshot in seconds.
    pub snapshot_age_seconds: Option<i64>,
    pub version: String,
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
