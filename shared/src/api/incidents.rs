//! Incidents and maintenance windows as the API, the feed and the pages show them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::*;

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
