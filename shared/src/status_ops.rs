//! Status operators (issue 10 §1): staff with the operator role post
//! incidents and maintenance windows by hand, beside the automatically
//! detected ones, in Korean and English, and follow an incident with timed
//! updates until it is resolved. Pure: each function checks the form and
//! returns the record to store (the status page, `/api/v1/incidents` and
//! the Atom feed show it like any other), or every field error.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::allocation::form::Form;
use crate::api::{DataSource, Incident, IncidentState, IncidentUpdate, Maintenance, MaintenanceState};
use crate::catalogue::Catalogue;
use crate::status::Status;

/// Longest title.
pub const MAX_TITLE: usize = 120;
/// Longest update text.
pub const MAX_BODY: usize = 2_000;
/// Most updates an incident keeps (a runaway script cannot grow it without end).
pub const MAX_UPDATES: usize = 100;
/// Longest maintenance window, in days.
pub const MAX_MAINTENANCE_DAYS: i64 = 14;

/// `POST /api/v1/ops/incidents`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IncidentInput {
    /// A catalogue system id.
    pub system: String,
    /// One of its pools; empty: the whole system.
    pub pool: String,
    /// `degraded`, `partial_outage` or `major_outage`.
    pub impact: String,
    pub title_ko: String,
    pub title_en: String,
    /// The first update (what is known, what is being done).
    pub body_ko: String,
    pub body_en: String,
}

/// `POST /api/v1/ops/incidents/{id}/updates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IncidentUpdateInput {
    /// `investigating`, `identified`, `monitoring` or `resolved`.
    pub state: String,
    pub body_ko: String,
    pub body_en: String,
}

/// `POST /api/v1/ops/maintenance`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MaintenanceInput {
    pub system: String,
    /// One of its pools; empty: the whole system.
    pub pool: String,
    pub title_ko: String,
    pub title_en: String,
    /// Start and end on the KST clock, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub ends_at: String,
    /// Nodes out of service (0: not stated).
    pub nodes_affected: u32,
}

const IMPACTS: [Status; 3] = [Status::Degraded, Status::PartialOutage, Status::MajorOutage];

fn text(f: &mut Form, field: &str, value: &str, max: usize) -> Option<String> {
    f.text(field, value, max)
}

/// The systems an operator may name, each with its pools' ids: the
/// catalogue's on the server ([`places`]), the page's choices in the browser.
pub type Place = (String, Vec<String>);

/// Every system of `catalogue` with its pools, as the forms read them.
pub fn places(catalogue: &Catalogue) -> Vec<Place> {
    catalogue.systems.iter().map(|s| (s.id.clone(), s.pools.iter().map(|p| p.id.clone()).collect())).collect()
}

/// The system and pool the form names (the pool empty for the whole system).
fn place(f: &mut Form, places: &[Place], system: &str, pool: &str) -> Option<(String, String)> {
    let Some((id, pools)) = places.iter().find(|(id, _)| id == system.trim()) else {
        let names: Vec<&str> = places.iter().map(|(id, _)| id.as_str()).collect();
        f.choice("system", system, |_| None::<()>, &names);
        return None;
    };
    let pool = pool.trim();
    if !pool.is_empty() && !pools.iter().any(|p| p == pool) {
        let names: Vec<&str> = pools.iter().map(String::as_str).collect();
        f.choice("pool", pool, |_| None::<()>, &names);
        return None;
    }
    Some((id.clone(), pool.to_owned()))
}

/// What an incident form says, read.
struct IncidentFields {
    place: (String, String),
    impact: Status,
    title_ko: String,
    title_en: String,
    body_ko: String,
    body_en: String,
}

impl IncidentInput {
    /// What [`open_incident`] would refuse, with `places` the systems the
    /// operator may name: the form checks it before sending.
    pub fn field_problems(&self, places: &[Place]) -> FieldErrors {
        let mut f = Form::default();
        self.read(&mut f, places);
        f.errors
    }

    fn read(&self, f: &mut Form, places: &[Place]) -> Option<IncidentFields> {
        let place = place(f, places, &self.system, &self.pool);
        let names: Vec<&str> = IMPACTS.iter().map(|s| s.as_str()).collect();
        let impact = f.choice("impact", &self.impact, |s| IMPACTS.into_iter().find(|i| i.as_str() == s.trim()), &names);
        let title_ko = text(f, "title_ko", &self.title_ko, MAX_TITLE);
        let title_en = text(f, "title_en", &self.title_en, MAX_TITLE);
        let body_ko = text(f, "body_ko", &self.body_ko, MAX_BODY);
        let body_en = text(f, "body_en", &self.body_en, MAX_BODY);
        Some(IncidentFields {
            place: place?,
            impact: impact?,
            title_ko: title_ko?,
            title_en: title_en?,
            body_ko: body_ko?,
            body_en: body_en?,
        })
    }
}

/// A new incident `id` (drawn by the caller) as the operator's form says, started now.
pub fn open_incident(
    input: &IncidentInput,
    catalogue: &Catalogue,
    id: String,
    now: DateTime<Utc>,
) -> Result<Incident, FieldErrors> {
    let mut f = Form::default();
    let incident = input.read(&mut f, &places(catalogue)).map(|r| {
        let (system_id, pool_id) = r.place;
        Incident {
            id,
            system_id,
            pool_id,
            title_ko: r.title_ko,
            title_en: r.title_en,
            impact: r.impact,
            state: IncidentState::Investigating,
            started_at: now,
            resolved_at: None,
            updates: vec![IncidentUpdate {
                at: now,
                state: IncidentState::Investigating,
                body_ko: r.body_ko,
                body_en: r.body_en,
            }],
            source: DataSource::Operator,
        }
    });
    f.finish(incident)
}

/// Why an update was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UpdateError {
    #[error("{0}")]
    Invalid(FieldErrors),
    /// Only incidents posted by operators are updated by hand; detected ones follow their source.
    #[error("incident {0} is detected from its source, not posted by an operator")]
    NotOperators(String),
    #[error("incident {0} is resolved")]
    Resolved(String),
    #[error("incident {0} has {MAX_UPDATES} updates; open a new one")]
    TooManyUpdates(String),
}

/// `current` with the operator's timed update; resolving it ends it now.
pub fn update_incident(
    current: &Incident,
    input: &IncidentUpdateInput,
    now: DateTime<Utc>,
) -> Result<Incident, UpdateError> {
    if current.source != DataSource::Operator {
        return Err(UpdateError::NotOperators(current.id.clone()));
    }
    if current.state == IncidentState::Resolved {
        return Err(UpdateError::Resolved(current.id.clone()));
    }
    if current.updates.len() >= MAX_UPDATES {
        return Err(UpdateError::TooManyUpdates(current.id.clone()));
    }
    let mut f = Form::default();
    let updated = input.read(&mut f).map(|(state, body_ko, body_en)| {
        let mut next = current.clone();
        next.state = state;
        if state == IncidentState::Resolved {
            next.resolved_at = Some(now);
        }
        next.updates.push(IncidentUpdate { at: now, state, body_ko, body_en });
        next
    });
    f.finish(updated).map_err(UpdateError::Invalid)
}

impl IncidentUpdateInput {
    /// What [`update_incident`] would refuse in the form's fields: the form
    /// checks it before sending.
    pub fn field_problems(&self) -> FieldErrors {
        let mut f = Form::default();
        self.read(&mut f);
        f.errors
    }

    fn read(&self, f: &mut Form) -> Option<(IncidentState, String, String)> {
        let names: Vec<&str> = IncidentState::ALL.iter().map(|s| s.as_str()).collect();
        let state = f.choice("state", &self.state, IncidentState::parse, &names);
        let body_ko = text(f, "body_ko", &self.body_ko, MAX_BODY);
        let body_en = text(f, "body_en", &self.body_en, MAX_BODY);
        Some((state?, body_ko?, body_en?))
    }
}

/// A KST `YYYY-MM-DDTHH:MM` as an instant.
fn kst_time(f: &mut Form, field: &str, value: &str) -> Option<DateTime<Utc>> {
    let t = value.trim();
    if t.is_empty() {
        f.fail(field, Code::Required, "날짜와 시각을 입력하세요.", "Enter a date and time.");
        return None;
    }
    // Read by hand, not with a format string: chrono's format parser would
    // add kilobytes to the browser app that runs this check too.
    let two_digits =
        |s: &str| (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten();
    let parsed = t
        .split_once('T')
        .and_then(|(day, clock)| {
            let (h, m) = clock.split_once(':')?;
            let time = NaiveTime::from_hms_opt(two_digits(h)?, two_digits(m)?, 0)?;
            day.parse::<NaiveDate>().ok()?.and_time(time).and_local_timezone(crate::time::kst()).single()
        })
        .map(|k| k.with_timezone(&Utc));
    if parsed.is_none() {
        f.fail(field, Code::UnknownValue, "YYYY-MM-DDTHH:MM (KST) 형식이어야 합니다.", "Use YYYY-MM-DDTHH:MM (KST).");
    }
    parsed
}

/// What a maintenance form says, read.
struct MaintenanceFields {
    place: (String, String),
    title_ko: String,
    title_en: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

impl MaintenanceInput {
    /// What [`plan_maintenance`] would refuse at `now`, with `places` the
    /// systems the operator may name: the form checks it before sending.
    pub fn field_problems(&self, places: &[Place], now: DateTime<Utc>) -> FieldErrors {
        let mut f = Form::default();
        self.read(&mut f, places, now);
        f.errors
    }

    fn read(&self, f: &mut Form, places: &[Place], now: DateTime<Utc>) -> Option<MaintenanceFields> {
        let place = place(f, places, &self.system, &self.pool);
        let title_ko = text(f, "title_ko", &self.title_ko, MAX_TITLE);
        let title_en = text(f, "title_en", &self.title_en, MAX_TITLE);
        let starts = kst_time(f, "starts_at", &self.starts_at);
        let ends = kst_time(f, "ends_at", &self.ends_at);
        if let (Some(s), Some(e)) = (starts, ends) {
            if e <= s {
                f.fail(
                    "ends_at",
                    Code::OutOfRange,
                    "끝나는 시각이 시작보다 늦어야 합니다.",
                    "The end must be after the start.",
                );
            } else if (e - s).num_days() >= MAX_MAINTENANCE_DAYS {
                f.fail(
                    "ends_at",
                    Code::OutOfRange,
                    format!("점검은 {MAX_MAINTENANCE_DAYS}일 미만이어야 합니다."),
                    format!("A window lasts less than {MAX_MAINTENANCE_DAYS} days."),
                );
            } else if e <= now {
                f.fail(
                    "ends_at",
                    Code::OutOfRange,
                    "이미 끝난 점검은 등록할 수 없습니다.",
                    "This window has already ended.",
                );
            }
        }
        Some(MaintenanceFields {
            place: place?,
            title_ko: title_ko?,
            title_en: title_en?,
            starts_at: starts?,
            ends_at: ends?,
        })
    }
}

/// A maintenance window `id` as the operator's form says; it must end after
/// it starts, last at most [`MAX_MAINTENANCE_DAYS`], and not have ended yet.
pub fn plan_maintenance(
    input: &MaintenanceInput,
    catalogue: &Catalogue,
    id: String,
    now: DateTime<Utc>,
) -> Result<Maintenance, FieldErrors> {
    let mut f = Form::default();
    let window = input.read(&mut f, &places(catalogue), now).map(|r| {
        let (system_id, pool_id) = r.place;
        Maintenance {
            id,
            system_id,
            pool_id,
            title_ko: r.title_ko,
            title_en: r.title_en,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            nodes_affected: input.nodes_affected,
            state: MaintenanceState::Scheduled,
            source: DataSource::Operator,
        }
    });
    f.finish(window)
}

#[cfg(test)]
mod tests;
