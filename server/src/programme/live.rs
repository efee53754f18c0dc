//! Reading the programme as it happens (one request, a researcher's own
//! requests, conflicts of interest) and storing rounds. Commands are written
//! by `write.rs`, the single write path.

use kairr_shared::allocation::usecase::AuditRecord;
use kairr_shared::allocation::{Allocation, AuditSubject, CoiRecord, Decision, Request, Round};

use kairr_shared::api::MyRequest;

use super::{decode, json};
use crate::storage::{params, upsert, with_db, Storage};

/// `$request` with its decision, allocation and usage, read on pool `$p`.
macro_rules! with_outcome {
    ($p:expr, $request:expr) => {{
        let request: Request = $request;
        let id = i64::try_from(request.id.0)?;
        // Who decided stays in the committee: the researcher's views show the decision, not the member.
        let decision: Option<Decision> = decode::<_, Decision>(
            &sqlx::query("SELECT body FROM decisions WHERE request_id = $1").bind(id).fetch_all($p).await?,
        )?
        .into_iter()
        .next()
        .map(|d| Decision { decided_by: String::new(), ..d });
        let allocation: Option<Allocation> =
            decode(&sqlx::query("SELECT body FROM allocations WHERE request_id = $1").bind(id).fetch_all($p).await?)?
                .into_iter()
                .next();
        let rounds: Vec<Round> =
            decode(&sqlx::query("SELECT body FROM rounds WHERE id = $1").bind(&request.round.0).fetch_all($p).await?)?;
        let pool = rounds.first().and_then(|r| r.pool(&request.pool)).cloned();
        let (used, awarded) = match &allocation {
            Some(a) => {
                let used: f64 =
                    sqlx::query_scalar("SELECT COALESCE(SUM(gpu_hours), 0.0) FROM usage WHERE allocation_id = $1")
                        .bind(i64::try_from(a.id.0)?)
                        .fetch_one($p)
                        .await?;
                (used, pool.as_ref().map_or(0.0, |pool| a.gpu_hours(pool)))
            }
            None => (0.0, 0.0),
        };
        let unit = pool.map(|p| p.unit);
        MyRequest { request, decision, allocation, used_gpu_hours: used, awarded_gpu_hours: awarded, unit }
    }};
}

impl Storage {
    /// Whether allocation `id` is a real one (not the demo loader's).
    pub async fn allocation_is_real(&self, id: kairr_shared::allocation::AllocationId) -> anyhow::Result<bool> {
        let id = i64::try_from(id.0)?;
        let n: i64 = with_db!(self.db(), |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM allocations WHERE id = $1 AND source <> 'demo'")
                .bind(id)
                .fetch_one(p)
                .await?
        });
        Ok(n > 0)
    }

    /// The request with `id`, if any.
    pub async fn request(&self, id: u64) -> anyhow::Result<Option<Request>> {
        // Ids beyond the database's range name nothing.
        let Ok(id) = i64::try_from(id) else { return Ok(None) };
        let rows: Vec<Request> = with_db!(self.db(), |p| decode(
            &sqlx::query("SELECT body FROM requests WHERE id = $1").bind(id).fetch_all(p).await?
        )?);
        Ok(rows.into_iter().next())
    }
}

impl Storage {
    /// Inserts a round, or replaces the stored one with the same id unless
    /// real requests were submitted to it (they were checked against its dates).
    pub async fn insert_round_unless_used(&self, round: &Round, source: &str) -> anyhow::Result<()> {
        const SQL: &str = "SELECT COUNT(*) FROM requests WHERE round_id = $1 AND source <> 'demo'";
        let used: i64 = with_db!(self.db(), |p| sqlx::query_scalar(SQL).bind(&round.id.0).fetch_one(p).await?);
        if used > 0 {
            tracing::info!(round = round.id.0, requests = used, "round holds real requests: kept as stored");
            return Ok(());
        }
        self.insert_round(round, source).await
    }

    /// Inserts a round (replacing one with the same id).
    pub async fn insert_round(&self, round: &Round, source: &str) -> anyhow::Result<()> {
        const COLUMNS: [&str; 4] = ["id", "source", "stage", "body"];
        let sql =
            format!("INSERT INTO rounds ({}) VALUES {}{}", COLUMNS.join(", "), params(4), upsert(&["id"], &COLUMNS));
        with_db!(self.db(), |p| sqlx::query(&sql)
            .bind(&round.id.0)
            .bind(source)
            .bind(round.stage.as_str())
            .bind(json(round))
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Every request `username` applied for or co-investigates, newest
    /// first, with decision, allocation and usage.
    pub async fn requests_of(&self, username: &str) -> anyhow::Result<Vec<MyRequest>> {
        const SQL: &str = "SELECT body FROM requests WHERE applicant = $1 \
             OR id IN (SELECT request_id FROM request_members WHERE username = $1) ORDER BY id DESC";
        with_db!(self.db(), |p| {
            let requests: Vec<Request> = decode(&sqlx::query(SQL).bind(username).fetch_all(p).await?)?;
            let mut out = Vec::with_capacity(requests.len());
            for request in requests {
                out.push(with_outcome!(p, request));
            }
            Ok(out)
        })
    }

    /// Request `id` as `username` may see it (they applied or co-investigate):
    /// with what came of it, its round and the audit entries about it.
    pub async fn own_request(
        &self,
        id: u64,
        username: &str,
    ) -> anyhow::Result<Option<(MyRequest, Round, Vec<AuditRecord>)>> {
        let Some(request) = self.request(id).await?.filter(|r| r.involves(username)) else { return Ok(None) };
        with_db!(self.db(), |p| {
            let round: Option<Round> = decode(
                &sqlx::query("SELECT body FROM rounds WHERE id = $1").bind(&request.round.0).fetch_all(p).await?,
            )?
            .into_iter()
            .next();
            let Some(round) = round else { return Ok(None) };
            let subject = AuditSubject::Request(request.id).key();
            let audit: Vec<AuditRecord> = decode(
                &sqlx::query("SELECT body FROM audit_log WHERE subject = $1 ORDER BY seq")
                    .bind(subject)
                    .fetch_all(p)
                    .await?,
            )?;
            let mine = with_outcome!(p, request);
            Ok(Some((mine, round, audit)))
        })
    }
}

impl Storage {
    /// Every conflict-of-interest record, newest first.
    pub async fn conflicts(&self) -> anyhow::Result<Vec<CoiRecord>> {
        const SQL: &str = "SELECT body FROM conflicts ORDER BY id DESC";
        with_db!(self.db(), |p| decode(&sqlx::query(SQL).fetch_all(p).await?))
    }
}
