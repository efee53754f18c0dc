//! The programme's single write path. Every command (submit, review,
//! decide) runs as one transaction that:
//!
//! 1. takes the write lock of what it depends on (SQLite: `BEGIN IMMEDIATE`,
//!    one writer at a time; PostgreSQL: `SELECT … FOR UPDATE` on the round's
//!    row, so commands on one round run one after another while other rounds
//!    and every reader go on);
//! 2. re-reads the records the rule needs (round, request, the round's
//!    allocations) *inside* the transaction and reserves ids from
//!    `id_counters`;
//! 3. calls the pure use case of `kairr_shared::allocation::usecase`, which
//!    returns the answer, the rows and the audit entries ([`Plan`]);
//! 4. writes them, each update conditional on the state the use case saw
//!    (`WHERE state = expected`: zero rows means someone else won, a 409),
//!    unique violations also a 409, and commits.
//!
//! Nothing else writes rounds, requests, reviews, decisions or allocations
//! (the demo loader writes only demo rows).

use chrono::{DateTime, Utc};
use kairr_shared::allocation::usecase::{
    ApplicantFacts, AuditRecord, Plan, Refusal, RequestRecords, RoundFacts, Write,
};
use kairr_shared::allocation::{Allocation, AllocationId, Request, RequestId, Round};
use kairr_shared::auth::UserInfo;
use kairr_shared::organisations::Organisation;
use sqlx::{PgPool, SqlitePool};

use super::{decode, json};
use crate::storage::{with_db, Storage};

/// Why a programme command was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The use case refused the command (400 or 409, as it says).
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// No such record.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// Someone else changed what the command depended on first (409).
    #[error("{0} changed meanwhile; reload and try again")]
    Changed(&'static str),
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for WriteError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => WriteError::Changed("record"),
            _ => WriteError::Db(e.into()),
        }
    }
}

impl From<serde_json::Error> for WriteError {
    fn from(e: serde_json::Error) -> Self {
        WriteError::Db(e.into())
    }
}

/// Opens a write transaction holding the lock of round `round`.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    /// What a `SELECT` appends to lock the rows it reads until commit (SQLite
    /// needs nothing: its write transactions already exclude each other).
    const FOR_UPDATE: &'static str;
    /// A statement that makes directory writers queue (PostgreSQL); empty
    /// for SQLite, whose write transactions exclude each other.
    const LOCK_DIRECTORY: &'static str;
    async fn begin_write(&self, round: &str) -> Result<sqlx::Transaction<'static, Self::Db>, WriteError>;
    /// A write transaction that creates a round (no row to lock yet: its
    /// primary key settles a race).
    async fn begin_new(&self) -> Result<sqlx::Transaction<'static, Self::Db>, WriteError>;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    const FOR_UPDATE: &'static str = "";
    const LOCK_DIRECTORY: &'static str = "";
    /// SQLite has one writer: `BEGIN IMMEDIATE` takes the write lock before
    /// the first read, so what the transaction reads stays true until commit.
    async fn begin_write(&self, _round: &str) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, WriteError> {
        Ok(self.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn begin_new(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, WriteError> {
        Ok(self.begin_with("BEGIN IMMEDIATE").await?)
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    const FOR_UPDATE: &'static str = " FOR UPDATE";
    const LOCK_DIRECTORY: &'static str = "LOCK TABLE organisations IN SHARE ROW EXCLUSIVE MODE";
    /// Locks the round's row: commands on the same round queue here, and
    /// (READ COMMITTED) every later statement sees what the previous one committed.
    async fn begin_write(&self, round: &str) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, WriteError> {
        let mut tx = self.begin().await?;
        let found: Option<String> = sqlx::query_scalar("SELECT id FROM rounds WHERE id = $1 FOR UPDATE")
            .bind(round)
            .fetch_optional(&mut *tx)
            .await?;
        found.ok_or(WriteError::NotFound("round"))?;
        Ok(tx)
    }

    async fn begin_new(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, WriteError> {
        Ok(self.begin().await?)
    }
}

/// Reserves the next id of `table` (`requests` or `allocations`) inside the
/// transaction: never below the largest id present (demo rows have fixed ids).
pub(crate) fn reserve_sql(table: &'static str) -> String {
    format!(
        "UPDATE id_counters SET last = CASE WHEN last >= (SELECT COALESCE(MAX(id), 0) FROM {table}) THEN last + 1 \
         ELSE (SELECT COALESCE(MAX(id), 0) FROM {table}) + 1 END WHERE name = '{table}' RETURNING last"
    )
}

/// Moves a request to the state its body carries if it is still in `expected`.
pub(crate) const UPDATE_REQUEST: &str = "UPDATE requests SET state = $1, body = $2 WHERE id = $3 AND state = $4";
/// Changes a round if it is still in stage `expected` (`$4`).
pub(crate) const UPDATE_ROUND: &str = "UPDATE rounds SET stage = $1, body = $2 WHERE id = $3 AND stage = $4";
/// Appends one real audit entry: `audit_row`'s five values.
pub(crate) const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (at, actor, action, source, body, subject) VALUES ($1, $2, $3, 'real', $4, $5)";

/// Makes request `$r`'s co-investigators the rows of `request_members`.
macro_rules! set_team {
    ($tx:expr, $r:expr) => {{
        let id = $crate::programme::write::db_id($r.id.0)?;
        sqlx::query("DELETE FROM request_members WHERE request_id = $1").bind(id).execute(&mut *$tx).await?;
        for member in &$r.co_investigators {
            sqlx::query("INSERT INTO request_members (request_id, username) VALUES ($1, $2)")
                .bind(id)
                .bind(member)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use set_team;

/// Appends audit record `$entry` in transaction (or pool) `$conn`.
macro_rules! insert_audit {
    ($conn:expr, $entry:expr) => {{
        let (at, actor, action, body, subject) = $crate::programme::write::audit_row($entry)?;
        sqlx::query($crate::programme::write::INSERT_AUDIT)
            .bind(at)
            .bind(actor)
            .bind(action)
            .bind(body)
            .bind(subject)
            .execute($conn)
            .await?;
    }};
}
pub(crate) use insert_audit;

/// An audit record as the row it becomes: (at, actor, action, body JSON).
pub(crate) fn audit_row(e: &AuditRecord) -> anyhow::Result<(i64, String, String, String, String)> {
    let action = serde_json::to_value(e.action)?.as_str().unwrap_or_default().to_owned();
    Ok((e.at.timestamp(), e.actor.clone(), action, serde_json::to_string(e)?, e.subject.key()))
}

pub(crate) fn db_id(id: u64) -> Result<i64, WriteError> {
    i64::try_from(id).map_err(|_| WriteError::NotFound("request"))
}

/// Writes a plan's rows and audit entries in transaction `$tx`.
macro_rules! apply_plan {
    ($tx:expr, $plan:expr) => {{
        for w in &$plan.writes {
            match w {
                Write::InsertRequest(r) => {
                    sqlx::query(
                        "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) \
                         VALUES ($1, $2, $3, $4, $5, $6, 'real', $7)",
                    )
                    .bind(db_id(r.id.0)?)
                    .bind(&r.round.0)
                    .bind(&r.applicant)
                    .bind(&r.organisation)
                    .bind(r.sector.as_str())
                    .bind(r.state.as_str())
                    .bind(json(r))
                    .execute(&mut *$tx)
                    .await?;
                    $crate::programme::write::set_team!($tx, r);
                }
                Write::UpdateRequest { request, expected } => {
                    let n = sqlx::query(UPDATE_REQUEST)
                        .bind(request.state.as_str())
                        .bind(json(request))
                        .bind(db_id(request.id.0)?)
                        .bind(expected.as_str())
                        .execute(&mut *$tx)
                        .await?
                        .rows_affected();
                    if n != 1 {
                        return Err(WriteError::Changed("request"));
                    }
                    $crate::programme::write::set_team!($tx, request);
                }
                Write::UpdateReview { review, expected } => {
                    let n = sqlx::query(
                        "UPDATE reviews SET body = $1 WHERE request_id = $2 AND reviewer = $3 AND body = $4",
                    )
                    .bind(json(review))
                    .bind(db_id(review.request.0)?)
                    .bind(&review.reviewer)
                    .bind(json(expected))
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected();
                    if n != 1 {
                        return Err(WriteError::Changed("review"));
                    }
                }
                Write::InsertReview(v) => {
                    sqlx::query("INSERT INTO reviews (request_id, reviewer, source, body) VALUES ($1, $2, 'real', $3)")
                        .bind(db_id(v.request.0)?)
                        .bind(&v.reviewer)
                        .bind(json(v))
                        .execute(&mut *$tx)
                        .await
                        .map_err(|e| match WriteError::from(e) {
                            WriteError::Changed(_) => WriteError::Changed("review"),
                            other => other,
                        })?;
                }
                Write::InsertConflict(c) => {
                    sqlx::query(
                        "INSERT INTO conflicts (request_id, reviewer, source, body) VALUES ($1, $2, 'real', $3)",
                    )
                    .bind(db_id(c.request.0)?)
                    .bind(&c.reviewer)
                    .bind(json(c))
                    .execute(&mut *$tx)
                    .await?;
                }
                Write::SaveDraft { round, draft } => {
                    sqlx::query(
                        "INSERT INTO proposal_drafts (round_id, body) VALUES ($1, $2) \
                         ON CONFLICT (round_id) DO UPDATE SET body = excluded.body",
                    )
                    .bind(&round.0)
                    .bind(json(draft))
                    .execute(&mut *$tx)
                    .await?;
                }
                Write::DeleteDraft(round) => {
                    sqlx::query("DELETE FROM proposal_drafts WHERE round_id = $1")
                        .bind(&round.0)
                        .execute(&mut *$tx)
                        .await?;
                }
                Write::InsertAssignment(a) => {
                    sqlx::query(
                        "INSERT INTO assignments (request_id, reviewer, round_id, declined, body) \
                         VALUES ($1, $2, $3, FALSE, $4)",
                    )
                    .bind(db_id(a.request.0)?)
                    .bind(&a.reviewer)
                    .bind(&a.round.0)
                    .bind(json(a))
                    .execute(&mut *$tx)
                    .await
                    .map_err(|e| match WriteError::from(e) {
                        WriteError::Changed(_) => WriteError::Changed("assignment"),
                        other => other,
                    })?;
                }
                Write::DeleteAssignment { request, reviewer } => {
                    let n =
                        sqlx::query("DELETE FROM assignments WHERE request_id = $1 AND reviewer = $2 AND NOT declined")
                            .bind(db_id(request.0)?)
                            .bind(reviewer)
                            .execute(&mut *$tx)
                            .await?
                            .rows_affected();
                    if n != 1 {
                        return Err(WriteError::Changed("assignment"));
                    }
                }
                Write::DeclineAssignment { request, reviewer, declined } => {
                    let row = sqlx::query(
                        "SELECT body FROM assignments WHERE request_id = $1 AND reviewer = $2 AND NOT declined",
                    )
                    .bind(db_id(request.0)?)
                    .bind(reviewer)
                    .fetch_all(&mut *$tx)
                    .await?;
                    let mut a = decode::<_, kairr_shared::allocation::assignment::Assignment>(&row)?
                        .into_iter()
                        .next()
                        .ok_or(WriteError::Changed("assignment"))?;
                    a.declined = Some(declined.clone());
                    sqlx::query(
                        "UPDATE assignments SET declined = TRUE, body = $1 WHERE request_id = $2 AND reviewer = $3",
                    )
                    .bind(json(&a))
                    .bind(db_id(request.0)?)
                    .bind(reviewer)
                    .execute(&mut *$tx)
                    .await?;
                }
                Write::InsertDecision(d) => {
                    sqlx::query("INSERT INTO decisions (request_id, source, body) VALUES ($1, 'real', $2)")
                        .bind(db_id(d.request.0)?)
                        .bind(json(d))
                        .execute(&mut *$tx)
                        .await
                        .map_err(|e| match WriteError::from(e) {
                            WriteError::Changed(_) => WriteError::Changed("decision"),
                            other => other,
                        })?;
                }
                Write::InsertRound(r) => {
                    sqlx::query("INSERT INTO rounds (id, source, stage, body) VALUES ($1, 'real', $2, $3)")
                        .bind(&r.id.0)
                        .bind(r.stage.as_str())
                        .bind(json(r))
                        .execute(&mut *$tx)
                        .await
                        .map_err(|e| match WriteError::from(e) {
                            WriteError::Changed(_) => WriteError::Refused(Refusal::Conflict {
                                code: "round_exists",
                                field: Some("id"),
                                message: format!("round {} exists", r.id.0),
                            }),
                            other => other,
                        })?;
                }
                Write::UpdateRound { round, expected } => {
                    let n = sqlx::query(UPDATE_ROUND)
                        .bind(round.stage.as_str())
                        .bind(json(round))
                        .bind(&round.id.0)
                        .bind(expected.as_str())
                        .execute(&mut *$tx)
                        .await?
                        .rows_affected();
                    if n != 1 {
                        return Err(WriteError::Changed("round"));
                    }
                }
                Write::UpdateAllocation { allocation: a, .. } => {
                    let n = sqlx::query("UPDATE allocations SET body = $1 WHERE id = $2 AND source <> 'demo'")
                        .bind(json(a))
                        .bind(i64::try_from(a.id.0).map_err(anyhow::Error::from)?)
                        .execute(&mut *$tx)
                        .await?
                        .rows_affected();
                    if n != 1 {
                        return Err(WriteError::Changed("allocation"));
                    }
                }
                Write::InsertAllocation(a) => {
                    sqlx::query(
                        "INSERT INTO allocations (id, request_id, round_id, account, source, body) \
                         VALUES ($1, $2, $3, $4, 'real', $5)",
                    )
                    .bind(i64::try_from(a.id.0).map_err(anyhow::Error::from)?)
                    .bind(db_id(a.request.0)?)
                    .bind(&a.round.0)
                    .bind(a.account_code())
                    .bind(json(a))
                    .execute(&mut *$tx)
                    .await?;
                }
            }
        }
        for e in &$plan.audit {
            insert_audit!(&mut *$tx, e);
        }
        // The notices the writes imply, in the same transaction (told exactly when it happened).
        let notices = kairr_shared::notifications::of_plan(&$plan.writes);
        crate::notify::store_notices!($tx, notices);
    }};
}

/// Reads the one record `$sql` selects by `$id` in `$tx`.
macro_rules! read_one {
    ($tx:expr, $T:ty, $sql:expr, $id:expr) => {{
        let rows = sqlx::query($sql).bind($id).fetch_all(&mut *$tx).await?;
        decode::<_, $T>(&rows)?.into_iter().next()
    }};
}

/// Which of `$names` are enabled accounts of researchers or reviewers, read
/// in `$tx` (committee members and admins cannot be named: naming them
/// would put them in conflict and keep them from deciding). A name that is
/// not a well-formed username is no account and is not looked up (it may
/// hold anything, NUL included, which PostgreSQL refuses in text).
macro_rules! active_accounts {
    ($tx:expr, $names:expr) => {{
        let mut found: Vec<String> = Vec::new();
        for name in $names.iter().filter(|n| kairr_shared::auth::valid_username(n)) {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE username = $1 AND disabled = FALSE \
                 AND role IN ('researcher', 'reviewer')",
            )
            .bind(name)
            .fetch_one(&mut *$tx)
            .await?;
            if n > 0 {
                found.push(name.clone());
            }
        }
        found
    }};
}

// For the other write-path modules (they import the names the macros use).
pub(crate) use {apply_plan, read_one};

impl Storage {
    /// Appends one audit entry on its own (an export, say: nothing else changes).
    pub async fn append_audit(&self, entry: &AuditRecord) -> anyhow::Result<()> {
        with_db!(self.db(), |p| insert_audit!(p, entry));
        Ok(())
    }

    /// Runs a submission to round `round_id` by `applicant`: the use case gets
    /// the round, how many requests the applicant already has in it, and a
    /// reserved request id.
    pub async fn submit<F>(
        &self,
        round_id: &str,
        applicant: &UserInfo,
        team: &[String],
        use_case: F,
    ) -> Result<Request, WriteError>
    where
        F: FnOnce(&Round, ApplicantFacts<'_>, RequestId) -> Result<Plan<Request>, Refusal>,
    {
        let applicant_org = applicant.organisation_id.as_deref();
        let applicant = applicant.username.as_str();
        with_db!(self.db(), |p| {
            let mut tx = p.begin_write(round_id).await?;
            let round: Round = read_one!(tx, Round, "SELECT body FROM rounds WHERE id = $1", round_id)
                .ok_or(WriteError::NotFound("round"))?;
            let mine: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requests WHERE round_id = $1 AND applicant = $2")
                .bind(round_id)
                .bind(applicant)
                .fetch_one(&mut *tx)
                .await?;
            let id: i64 = sqlx::query_scalar(&reserve_sql("requests")).fetch_one(&mut *tx).await?;
            let id = RequestId(u64::try_from(id).map_err(anyhow::Error::from)?);
            let org = match applicant_org {
                Some(org_id) => read_one!(tx, Organisation, "SELECT body FROM organisations WHERE id = $1", org_id),
                None => None,
            };
            let accounts = active_accounts!(tx, team);
            let facts = ApplicantFacts {
                organisation: org.as_ref(),
                requests_in_round: usize::try_from(mine).unwrap_or(usize::MAX),
                accounts: &accounts,
            };
            let plan = use_case(&round, facts, id)?;
            apply_plan!(tx, plan);
            tx.commit().await?;
            Ok(plan.outcome)
        })
    }

    /// Runs a command on request `id` (a review): the use case gets the
    /// request and its round as they are inside the transaction. Returns the
    /// outcome and the request's round id.
    pub async fn on_request<T, F>(&self, id: u64, use_case: F) -> Result<(T, String), WriteError>
    where
        F: FnOnce(&Round, &Request, &RequestRecords, DateTime<Utc>) -> Result<Plan<T>, Refusal>,
    {
        self.on_request_naming(id, &[], |round, request, records, _, now| use_case(round, request, records, now)).await
    }

    /// [`Self::on_request`] for a command that names accounts (`team`, the
    /// co-investigators of an edited request): the use case also gets which
    /// of them are active accounts, as the transaction reads them.
    pub async fn on_request_naming<T, F>(
        &self,
        id: u64,
        team: &[String],
        use_case: F,
    ) -> Result<(T, String), WriteError>
    where
        F: FnOnce(&Round, &Request, &RequestRecords, &[String], DateTime<Utc>) -> Result<Plan<T>, Refusal>,
    {
        let id = db_id(id)?;
        with_db!(self.db(), |p| {
            let round_id: String = sqlx::query_scalar("SELECT round_id FROM requests WHERE id = $1")
                .bind(id)
                .fetch_optional(p)
                .await?
                .ok_or(WriteError::NotFound("request"))?;
            let mut tx = p.begin_write(&round_id).await?;
            // The clock is read under the round's lock, so the times of a
            // request's history follow the order its commands committed in.
            let now = Utc::now();
            let round: Round = read_one!(tx, Round, "SELECT body FROM rounds WHERE id = $1", &round_id)
                .ok_or(WriteError::NotFound("round"))?;
            let request: Request = read_one!(tx, Request, "SELECT body FROM requests WHERE id = $1", id)
                .ok_or(WriteError::NotFound("request"))?;
            let rows =
                sqlx::query("SELECT body FROM assignments WHERE request_id = $1").bind(id).fetch_all(&mut *tx).await?;
            let assignments = decode(&rows)?;
            let rows =
                sqlx::query("SELECT body FROM conflicts WHERE request_id = $1").bind(id).fetch_all(&mut *tx).await?;
            let conflicts = decode(&rows)?;
            let rows =
                sqlx::query("SELECT body FROM reviews WHERE request_id = $1").bind(id).fetch_all(&mut *tx).await?;
            let reviews = decode(&rows)?;
            let accounts = active_accounts!(tx, team);
            let plan = use_case(&round, &request, &RequestRecords { assignments, conflicts, reviews }, &accounts, now)?;
            apply_plan!(tx, plan);
            tx.commit().await?;
            Ok((plan.outcome, round_id))
        })
    }

    /// Runs a decision on request `id`: the use case gets the round, the
    /// request, its number of reviews, every allocation of the round (all as
    /// they are inside the transaction, so the capacity left is exact) and a
    /// reserved allocation id, and the time (read under the round's lock,
    /// like every command's here, so records follow the order they committed in).
    pub async fn decide<T, F>(&self, id: u64, use_case: F) -> Result<(T, String), WriteError>
    where
        F: FnOnce(&Round, &Request, usize, &[Allocation], AllocationId, DateTime<Utc>) -> Result<Plan<T>, Refusal>,
    {
        let id = db_id(id)?;
        with_db!(self.db(), |p| {
            let round_id: String = sqlx::query_scalar("SELECT round_id FROM requests WHERE id = $1")
                .bind(id)
                .fetch_optional(p)
                .await?
                .ok_or(WriteError::NotFound("request"))?;
            let mut tx = p.begin_write(&round_id).await?;
            let now = Utc::now();
            let round: Round = read_one!(tx, Round, "SELECT body FROM rounds WHERE id = $1", &round_id)
                .ok_or(WriteError::NotFound("round"))?;
            let request: Request = read_one!(tx, Request, "SELECT body FROM requests WHERE id = $1", id)
                .ok_or(WriteError::NotFound("request"))?;
            let rows = sqlx::query("SELECT body FROM allocations WHERE round_id = $1")
                .bind(&round_id)
                .fetch_all(&mut *tx)
                .await?;
            let allocations: Vec<Allocation> = decode(&rows)?;
            let reviews: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE request_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let aid: i64 = sqlx::query_scalar(&reserve_sql("allocations")).fetch_one(&mut *tx).await?;
            let aid = AllocationId(u64::try_from(aid).map_err(anyhow::Error::from)?);
            let reviews = usize::try_from(reviews).unwrap_or(0);
            let plan = use_case(&round, &request, reviews, &allocations, aid, now)?;
            apply_plan!(tx, plan);
            tx.commit().await?;
            Ok((plan.outcome, round_id))
        })
    }
}

impl Storage {
    /// Runs a command on allocation `id` (a new period): the use case gets
    /// its round, its request and the allocation as they are inside the
    /// transaction, which holds the round's lock. Demo allocations are not
    /// found (the demo loader owns them). The time is read under the lock.
    pub async fn on_allocation<F>(&self, id: u64, use_case: F) -> Result<(Allocation, String), WriteError>
    where
        F: FnOnce(&Round, &Request, &Allocation, DateTime<Utc>) -> Result<Plan<Allocation>, Refusal>,
    {
        let id = i64::try_from(id).map_err(|_| WriteError::NotFound("allocation"))?;
        with_db!(self.db(), |p| {
            let round_id: String =
                sqlx::query_scalar("SELECT round_id FROM allocations WHERE id = $1 AND source <> 'demo'")
                    .bind(id)
                    .fetch_optional(p)
                    .await?
                    .ok_or(WriteError::NotFound("allocation"))?;
            let mut tx = p.begin_write(&round_id).await?;
            let now = Utc::now();
            let round: Round = read_one!(tx, Round, "SELECT body FROM rounds WHERE id = $1", &round_id)
                .ok_or(WriteError::NotFound("round"))?;
            let allocation: Allocation = read_one!(tx, Allocation, "SELECT body FROM allocations WHERE id = $1", id)
                .ok_or(WriteError::NotFound("allocation"))?;
            let request: Request =
                read_one!(tx, Request, "SELECT body FROM requests WHERE id = $1", db_id(allocation.request.0)?)
                    .ok_or(WriteError::NotFound("request"))?;
            let plan = use_case(&round, &request, &allocation, now)?;
            apply_plan!(tx, plan);
            tx.commit().await?;
            Ok((plan.outcome, round_id))
        })
    }

    /// Creates a round: the use case learns whether its id is taken.
    pub async fn create_round<F>(&self, id: &str, use_case: F) -> Result<Round, WriteError>
    where
        F: FnOnce(bool) -> Result<Plan<Round>, Refusal>,
    {
        with_db!(self.db(), |p| {
            let mut tx = p.begin_new().await?;
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM rounds WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
            let plan = use_case(n > 0)?;
            apply_plan!(tx, plan);
            tx.commit().await?;
            Ok(plan.outcome)
        })
    }

    /// Runs a command on round `id` (a change, a stage): the use case gets
    /// the round, its requests and its allocations as they are inside the
    /// transaction, which holds the round's lock, and the time read under it.
    pub async fn on_round<F>(&self, id: &str, use_case: F) -> Result<Round, WriteError>
    where
        F: FnOnce(RoundFacts<'_>, DateTime<Utc>) -> Result<Plan<Round>, Refusal>,
    {
        with_db!(self.db(), |p| {
            let mut tx = p.begin_write(id).await?;
            let now = Utc::now();
            let round: Round = read_one!(tx, Round, "SELECT body FROM rounds WHERE id = $1", id)
                .ok_or(WriteError::NotFound("round"))?;
            let rows = sqlx::query("SELECT body FROM requests WHERE round_id = $1 AND state <> 'withdrawn'")
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            let requests: Vec<Request> = decode(&rows)?;
            let rows =
                sqlx::query("SELECT body FROM allocations WHERE round_id = $1").bind(id).fetch_all(&mut *tx).await?;
            let allocations: Vec<Allocation> = decode(&rows)?;
            let plan = use_case(RoundFacts { round: &round, requests: &requests, allocations: &allocations }, now)?;
            apply_plan!(tx, plan);
            tx.commit().await?;
            Ok(plan.outcome)
        })
    }
}
