//! The programme as it happens: submitted requests, reviews, conflicts of
//! interest and decisions, each written with its audit entry in one
//! transaction; and a researcher's own requests.

use kairr_shared::allocation::{Allocation, CoiRecord, Decision, Request, Review, Round};
use sqlx::{Row, Sqlite};

use super::{decode, json};
use crate::storage::Storage;

/// One audit record to append (the log's order is its `seq`).
pub struct AuditRecord<'a> {
    pub actor: &'a str,
    pub action: kairr_shared::allocation::AuditAction,
    pub subject: kairr_shared::allocation::AuditSubject,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Storage {
    /// The request with `id`, if any.
    pub async fn request(&self, id: u64) -> anyhow::Result<Option<Request>> {
        let rows = sqlx::query("SELECT body FROM requests WHERE id = ?")
            .bind(i64::try_from(id)?)
            .fetch_all(self.pool())
            .await?;
        Ok(decode::<Request>(&rows)?.into_iter().next())
    }

    /// The next free allocation id.
    pub async fn next_allocation_id(&self) -> anyhow::Result<u64> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM allocations").fetch_one(self.pool()).await?;
        Ok(u64::try_from(row.try_get::<i64, _>("n")?)?)
    }

    /// Records a decision in one transaction: the decision, the request's new
    /// state, the allocation (when awarded) and the audit entries.
    pub async fn record_decision(
        &self,
        request: &Request,
        decision: &Decision,
        allocation: Option<&Allocation>,
        audit: &[AuditRecord<'_>],
    ) -> anyhow::Result<()> {
        let source = "real";
        let mut tx = self.pool().begin().await?;
        sqlx::query("INSERT INTO decisions (request_id, source, body) VALUES (?, ?, ?)")
            .bind(i64::try_from(request.id.0)?)
            .bind(source)
            .bind(json(decision))
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE requests SET state = ?, body = ? WHERE id = ?")
            .bind(request.state.as_str())
            .bind(json(request))
            .bind(i64::try_from(request.id.0)?)
            .execute(&mut *tx)
            .await?;
        if let Some(a) = allocation {
            sqlx::query(
                "INSERT INTO allocations (id, request_id, round_id, account, source, body) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(i64::try_from(a.id.0)?)
            .bind(i64::try_from(a.request.0)?)
            .bind(&a.round.0)
            .bind(a.account_code())
            .bind(source)
            .bind(json(a))
            .execute(&mut *tx)
            .await?;
        }
        for e in audit {
            let body = serde_json::json!({
                "actor": e.actor, "action": e.action, "subject": e.subject,
                "before": e.before, "after": e.after, "at": e.at,
            });
            sqlx::query("INSERT INTO audit_log (at, actor, action, source, body) VALUES (?, ?, ?, ?, ?)")
                .bind(e.at.timestamp())
                .bind(e.actor)
                .bind(serde_json::to_value(e.action)?.as_str().unwrap_or_default())
                .bind(source)
                .bind(body.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A researcher's request with what became of it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MyRequest {
    pub request: Request,
    pub decision: Option<Decision>,
    pub allocation: Option<Allocation>,
    /// GPU-hours used so far by the allocation.
    pub used_gpu_hours: f64,
    /// GPU-hours the allocation entitles its holder to over its whole period (0 without one).
    pub awarded_gpu_hours: f64,
}

impl Storage {
    /// Inserts a round (replacing one with the same id).
    pub async fn insert_round(&self, round: &Round, source: &str) -> anyhow::Result<()> {
        sqlx::query("INSERT OR REPLACE INTO rounds (id, source, body) VALUES (?, ?, ?)")
            .bind(&round.id.0)
            .bind(source)
            .bind(json(round))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The next free request id.
    pub async fn next_request_id(&self) -> anyhow::Result<u64> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM requests").fetch_one(self.pool()).await?;
        Ok(u64::try_from(row.try_get::<i64, _>("n")?)?)
    }

    /// Stores a submitted request with its audit entry, in one transaction.
    pub async fn insert_request(&self, r: &Request, audit: &AuditRecord<'_>) -> anyhow::Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) \
             VALUES (?, ?, ?, ?, ?, ?, 'real', ?)",
        )
        .bind(i64::try_from(r.id.0)?)
        .bind(&r.round.0)
        .bind(&r.applicant)
        .bind(&r.organisation)
        .bind(r.sector.as_str())
        .bind(r.state.as_str())
        .bind(json(r))
        .execute(&mut *tx)
        .await?;
        let body = serde_json::json!({
            "actor": audit.actor, "action": audit.action, "subject": audit.subject,
            "before": audit.before, "after": audit.after, "at": audit.at,
        });
        sqlx::query("INSERT INTO audit_log (at, actor, action, source, body) VALUES (?, ?, ?, 'real', ?)")
            .bind(audit.at.timestamp())
            .bind(audit.actor)
            .bind(serde_json::to_value(audit.action)?.as_str().unwrap_or_default())
            .bind(body.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every request of `applicant`, newest first, with decision, allocation and usage.
    pub async fn requests_of(&self, applicant: &str) -> anyhow::Result<Vec<MyRequest>> {
        let p = self.pool();
        let requests: Vec<Request> = decode(
            &sqlx::query("SELECT body FROM requests WHERE applicant = ? ORDER BY id DESC")
                .bind(applicant)
                .fetch_all(p)
                .await?,
        )?;
        let mut out = Vec::with_capacity(requests.len());
        for request in requests {
            let id = i64::try_from(request.id.0)?;
            let decision: Option<Decision> =
                decode(&sqlx::query("SELECT body FROM decisions WHERE request_id = ?").bind(id).fetch_all(p).await?)?
                    .into_iter()
                    .next();
            let allocation: Option<Allocation> =
                decode(&sqlx::query("SELECT body FROM allocations WHERE request_id = ?").bind(id).fetch_all(p).await?)?
                    .into_iter()
                    .next();
            let used: f64 = match &allocation {
                Some(a) => {
                    sqlx::query_scalar("SELECT COALESCE(SUM(gpu_hours), 0.0) FROM usage WHERE allocation_id = ?")
                        .bind(i64::try_from(a.id.0)?)
                        .fetch_one(p)
                        .await?
                }
                None => 0.0,
            };
            let awarded = match &allocation {
                Some(a) => {
                    let rounds: Vec<Round> = decode(
                        &sqlx::query("SELECT body FROM rounds WHERE id = ?").bind(&a.round.0).fetch_all(p).await?,
                    )?;
                    rounds.first().and_then(|r| r.pool(&a.pool)).map_or(0.0, |pool| a.gpu_hours(pool))
                }
                None => 0.0,
            };
            out.push(MyRequest { request, decision, allocation, used_gpu_hours: used, awarded_gpu_hours: awarded });
        }
        Ok(out)
    }
}

impl Storage {
    /// Stores a review (and moves a submitted request under review), audited.
    pub async fn insert_review(
        &self,
        review: &Review,
        request: &Request,
        audit: &AuditRecord<'_>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool().begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO reviews (request_id, reviewer, source, body) VALUES (?, ?, 'real', ?) \
             ON CONFLICT (request_id, reviewer) DO NOTHING",
        )
        .bind(i64::try_from(review.request.0)?)
        .bind(&review.reviewer)
        .bind(json(review))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !inserted {
            return Ok(false);
        }
        sqlx::query("UPDATE requests SET state = ?, body = ? WHERE id = ?")
            .bind(request.state.as_str())
            .bind(json(request))
            .bind(i64::try_from(request.id.0)?)
            .execute(&mut *tx)
            .await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records a refused review (conflict of interest), audited.
    pub async fn insert_conflict(&self, coi: &CoiRecord, audit: &AuditRecord<'_>) -> anyhow::Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("INSERT INTO conflicts (request_id, reviewer, source, body) VALUES (?, ?, 'real', ?)")
            .bind(i64::try_from(coi.request.0)?)
            .bind(&coi.reviewer)
            .bind(json(coi))
            .execute(&mut *tx)
            .await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every conflict-of-interest record, newest first.
    pub async fn conflicts(&self) -> anyhow::Result<Vec<CoiRecord>> {
        decode(&sqlx::query("SELECT body FROM conflicts ORDER BY id DESC").fetch_all(self.pool()).await?)
    }
}

async fn append_audit(tx: &mut sqlx::Transaction<'_, Sqlite>, e: &AuditRecord<'_>) -> anyhow::Result<()> {
    let body = serde_json::json!({
        "actor": e.actor, "action": e.action, "subject": e.subject,
        "before": e.before, "after": e.after, "at": e.at,
    });
    sqlx::query("INSERT INTO audit_log (at, actor, action, source, body) VALUES (?, ?, ?, 'real', ?)")
        .bind(e.at.timestamp())
        .bind(e.actor)
        .bind(serde_json::to_value(e.action)?.as_str().unwrap_or_default())
        .bind(body.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
