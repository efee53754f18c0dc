//! Status operators' storage: incidents and maintenance windows posted by
//! hand ([`kairr_shared::status_ops`]) go into the same tables as the
//! detected ones (so the status page, `/api/v1/incidents` and the Atom feed
//! show them with no other path), each write with its audit entry in one
//! transaction. An update re-reads the incident inside the transaction and
//! replaces it only if it is still what the rule saw.

use chrono::{DateTime, Utc};
use kairr_shared::allocation::usecase::AuditRecord;
use kairr_shared::allocation::{AuditAction, AuditSubject};
use kairr_shared::api::{Incident, Maintenance};
use kairr_shared::status_ops::UpdateError;

use crate::programme::write::{insert_audit, BeginWrite, WriteError};
use crate::storage::{source_str, with_db, Storage};

fn entry(
    actor: &str,
    action: AuditAction,
    subject: AuditSubject,
    after: serde_json::Value,
    at: DateTime<Utc>,
) -> AuditRecord {
    AuditRecord { actor: actor.to_owned(), action, subject, before: None, after: Some(after), at }
}

/// Why an operator's update was not stored.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error("no incident {0}")]
    NotFound(String),
    #[error(transparent)]
    Refused(#[from] UpdateError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl From<sqlx::Error> for OpsError {
    fn from(e: sqlx::Error) -> Self {
        OpsError::Write(e.into())
    }
}

impl From<anyhow::Error> for OpsError {
    fn from(e: anyhow::Error) -> Self {
        OpsError::Write(e.into())
    }
}

impl Storage {
    /// Stores a new operator incident and its audit entry.
    pub async fn post_incident(&self, incident: &Incident, actor: &str, now: DateTime<Utc>) -> Result<(), WriteError> {
        let body = serde_json::to_string(incident).map_err(anyhow::Error::from)?;
        let audit = entry(
            actor,
            AuditAction::IncidentPosted,
            AuditSubject::Incident(incident.id.clone()),
            serde_json::to_value(incident).unwrap_or_default(),
            now,
        );
        with_db!(self.db(), |p| {
            let mut tx = p.begin_new().await?;
            sqlx::query(
                "INSERT INTO incidents (id, system_id, pool_id, started_at, resolved_at, source, body) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&incident.id)
            .bind(&incident.system_id)
            .bind(&incident.pool_id)
            .bind(incident.started_at.timestamp())
            .bind(incident.resolved_at.map(|t| t.timestamp()))
            .bind(source_str(incident.source))
            .bind(&body)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, &audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Runs `update` on incident `id` in one transaction: stored only if the
    /// incident is still the one it saw (else `changed`, a 409).
    pub async fn update_incident<F>(
        &self,
        id: &str,
        actor: &str,
        now: DateTime<Utc>,
        update: F,
    ) -> Result<Incident, OpsError>
    where
        F: FnOnce(&Incident) -> Result<Incident, UpdateError>,
    {
        with_db!(self.db(), |p| {
            let mut tx = p.begin_new().await?;
            let old: Option<String> = sqlx::query_scalar("SELECT body FROM incidents WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let old = old.ok_or_else(|| OpsError::NotFound(id.to_owned()))?;
            let current: Incident = serde_json::from_str(&old).map_err(anyhow::Error::from)?;
            let next = update(&current)?;
            let body = serde_json::to_string(&next).map_err(anyhow::Error::from)?;
            let n = sqlx::query("UPDATE incidents SET body = $1, resolved_at = $2 WHERE id = $3 AND body = $4")
                .bind(&body)
                .bind(next.resolved_at.map(|t| t.timestamp()))
                .bind(id)
                .bind(&old)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Err(OpsError::Write(WriteError::Changed("incident")));
            }
            let last = next.updates.last().map(|u| serde_json::to_value(u).unwrap_or_default()).unwrap_or_default();
            let audit = entry(actor, AuditAction::IncidentUpdated, AuditSubject::Incident(id.to_owned()), last, now);
            insert_audit!(&mut *tx, &audit);
            tx.commit().await?;
            Ok(next)
        })
    }

    /// Stores a maintenance window an operator announced, and its audit entry.
    pub async fn post_maintenance(
        &self,
        window: &Maintenance,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let body = serde_json::to_string(window).map_err(anyhow::Error::from)?;
        let audit = entry(
            actor,
            AuditAction::MaintenancePosted,
            AuditSubject::Maintenance(window.id.clone()),
            serde_json::to_value(window).unwrap_or_default(),
            now,
        );
        with_db!(self.db(), |p| {
            let mut tx = p.begin_new().await?;
            sqlx::query(
                "INSERT INTO maintenance (id, system_id, starts_at, ends_at, source, body) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&window.id)
            .bind(&window.system_id)
            .bind(window.starts_at.timestamp())
            .bind(window.ends_at.timestamp())
            .bind(source_str(window.source))
            .bind(&body)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, &audit);
            tx.commit().await?;
            Ok(())
        })
    }
}
