//! The programme as it happens: submitted requests, reviews, conflicts of
//! interest and decisions, each written with its audit entry in one
//! transaction; and a researcher's own requests.

use kairr_shared::allocation::{Allocation, CoiRecord, Decision, Request, Review, Round};
use sqlx::Row;

use super::{decode, json};
use crate::storage::{params, upsert, with_db, Storage};

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
        let id = i64::try_from(id)?;
        let rows: Vec<Request> = with_db!(self.db(), |p| decode(
            &sqlx::query("SELECT body FROM requests WHERE id = $1").bind(id).fetch_all(p).await?
        )?);
        Ok(rows.into_iter().next())
    }

    /// The next free allocation id.
    pub async fn next_allocation_id(&self) -> anyhow::Result<u64> {
        const SQL: &str = "SELECT COALESCE(MAX(id), 0) + 1 AS n FROM allocations";
        let n: i64 = with_db!(self.db(), |p| sqlx::query(SQL).fetch_one(p).await?.try_get("n")?);
        Ok(u64::try_from(n)?)
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
        let id = i64::try_from(request.id.0)?;
        let allocation = allocation
            .map(|a| Ok::<_, anyhow::Error>((i64::try_from(a.id.0)?, i64::try_from(a.request.0)?, a)))
            .transpose()?;
        let audit = audit.iter().map(audit_row).collect::<anyhow::Result<Vec<_>>>()?;
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO decisions (request_id, source, body) VALUES ($1, 'real', $2)")
                .bind(id)
                .bind(json(decision))
                .execute(&mut *tx)
                .await?;
            sqlx::query(UPDATE_REQUEST)
                .bind(request.state.as_str())
                .bind(json(request))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if let Some((aid, rid, a)) = allocation {
                sqlx::query(
                    "INSERT INTO allocations (id, request_id, round_id, account, source, body) \
                     VALUES ($1, $2, $3, $4, 'real', $5)",
                )
                .bind(aid)
                .bind(rid)
                .bind(&a.round.0)
                .bind(a.account_code())
                .bind(json(a))
                .execute(&mut *tx)
                .await?;
            }
            for (at, actor, action, body) in &audit {
                sqlx::query(INSERT_AUDIT).bind(at).bind(actor).bind(action).bind(body).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
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

/// Moves a request to its new state (the body carries the same state).
const UPDATE_REQUEST: &str = "UPDATE requests SET state = $1, body = $2 WHERE id = $3";
/// Appends one real audit entry: `audit_row`'s four values.
const INSERT_AUDIT: &str = "INSERT INTO audit_log (at, actor, action, source, body) VALUES ($1, $2, $3, 'real', $4)";

/// An audit record as the row it becomes: (at, actor, action, body JSON).
fn audit_row(e: &AuditRecord<'_>) -> anyhow::Result<(i64, String, String, String)> {
    let body = serde_json::json!({
        "actor": e.actor, "action": e.action, "subject": e.subject,
        "before": e.before, "after": e.after, "at": e.at,
    });
    let action = serde_json::to_value(e.action)?.as_str().unwrap_or_default().to_owned();
    Ok((e.at.timestamp(), e.actor.to_owned(), action, body.to_string()))
}

impl Storage {
    /// Inserts a round (replacing one with the same id).
    pub async fn insert_round(&self, round: &Round, source: &str) -> anyhow::Result<()> {
        const COLUMNS: [&str; 3] = ["id", "source", "body"];
        let sql =
            format!("INSERT INTO rounds ({}) VALUES {}{}", COLUMNS.join(", "), params(3), upsert(&["id"], &COLUMNS));
        with_db!(self.db(), |p| sqlx::query(&sql)
            .bind(&round.id.0)
            .bind(source)
            .bind(json(round))
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// The next free request id.
    pub async fn next_request_id(&self) -> anyhow::Result<u64> {
        const SQL: &str = "SELECT COALESCE(MAX(id), 0) + 1 AS n FROM requests";
        let n: i64 = with_db!(self.db(), |p| sqlx::query(SQL).fetch_one(p).await?.try_get("n")?);
        Ok(u64::try_from(n)?)
    }

    /// Stores a submitted request with its audit entry, in one transaction.
    pub async fn insert_request(&self, r: &Request, audit: &AuditRecord<'_>) -> anyhow::Result<()> {
        let id = i64::try_from(r.id.0)?;
        let (at, actor, action, body) = audit_row(audit)?;
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'real', $7)",
            )
            .bind(id)
            .bind(&r.round.0)
            .bind(&r.applicant)
            .bind(&r.organisation)
            .bind(r.sector.as_str())
            .bind(r.state.as_str())
            .bind(json(r))
            .execute(&mut *tx)
            .await?;
            sqlx::query(INSERT_AUDIT).bind(at).bind(&actor).bind(&action).bind(&body).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every request of `applicant`, newest first, with decision, allocation and usage.
    pub async fn requests_of(&self, applicant: &str) -> anyhow::Result<Vec<MyRequest>> {
        with_db!(self.db(), |p| {
            let requests: Vec<Request> = decode(
                &sqlx::query("SELECT body FROM requests WHERE applicant = $1 ORDER BY id DESC")
                    .bind(applicant)
                    .fetch_all(p)
                    .await?,
            )?;
            let mut out = Vec::with_capacity(requests.len());
            for request in requests {
                let id = i64::try_from(request.id.0)?;
                let decision: Option<Decision> = decode(
                    &sqlx::query("SELECT body FROM decisions WHERE request_id = $1").bind(id).fetch_all(p).await?,
                )?
                .into_iter()
                .next();
                let allocation: Option<Allocation> = decode(
                    &sqlx::query("SELECT body FROM allocations WHERE request_id = $1").bind(id).fetch_all(p).await?,
                )?
                .into_iter()
                .next();
                let used: f64 = match &allocation {
                    Some(a) => {
                        sqlx::query_scalar("SELECT COALESCE(SUM(gpu_hours), 0.0) FROM usage WHERE allocation_id = $1")
                            .bind(i64::try_from(a.id.0)?)
                            .fetch_one(p)
                            .await?
                    }
                    None => 0.0,
                };
                let awarded = match &allocation {
                    Some(a) => {
                        let rounds: Vec<Round> = decode(
                            &sqlx::query("SELECT body FROM rounds WHERE id = $1").bind(&a.round.0).fetch_all(p).await?,
                        )?;
                        rounds.first().and_then(|r| r.pool(&a.pool)).map_or(0.0, |pool| a.gpu_hours(pool))
                    }
                    None => 0.0,
                };
                out.push(MyRequest { request, decision, allocation, used_gpu_hours: used, awarded_gpu_hours: awarded });
            }
            Ok(out)
        })
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
        let (at, actor, action, body) = audit_row(audit)?;
        let (review_request, request_id) = (i64::try_from(review.request.0)?, i64::try_from(request.id.0)?);
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO reviews (request_id, reviewer, source, body) VALUES ($1, $2, 'real', $3) \
                 ON CONFLICT (request_id, reviewer) DO NOTHING",
            )
            .bind(review_request)
            .bind(&review.reviewer)
            .bind(json(review))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !inserted {
                return Ok(false);
            }
            sqlx::query(UPDATE_REQUEST)
                .bind(request.state.as_str())
                .bind(json(request))
                .bind(request_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(INSERT_AUDIT).bind(at).bind(&actor).bind(&action).bind(&body).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Records a refused review (conflict of interest), audited.
    pub async fn insert_conflict(&self, coi: &CoiRecord, audit: &AuditRecord<'_>) -> anyhow::Result<()> {
        let (at, actor, action, body) = audit_row(audit)?;
        let request_id = i64::try_from(coi.request.0)?;
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO conflicts (request_id, reviewer, source, body) VALUES ($1, $2, 'real', $3)")
                .bind(request_id)
                .bind(&coi.reviewer)
                .bind(json(coi))
                .execute(&mut *tx)
                .await?;
            sqlx::query(INSERT_AUDIT).bind(at).bind(&actor).bind(&action).bind(&body).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every conflict-of-interest record, newest first.
    pub async fn conflicts(&self) -> anyhow::Result<Vec<CoiRecord>> {
        const SQL: &str = "SELECT body FROM conflicts ORDER BY id DESC";
        with_db!(self.db(), |p| decode(&sqlx::query(SQL).fetch_all(p).await?))
    }
}
