//! Storage of provisioning: the awards to provision, each allocation's
//! state in its cluster and the last pass per cluster.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kairr_shared::allocation::usecase::AuditRecord;
use kairr_shared::allocation::{Allocation, AllocationId, Request};
use kairr_shared::auth::valid_username;
use kairr_shared::people::valid_login;
use kairr_shared::provisioning::{AccountSpec, Award, ProvisionState, Provisioning, ProvisioningRun};
use sqlx::Row;

use crate::programme::write::insert_audit;
use crate::storage::{with_db, Storage};

pub use kairr_shared::provisioning::{ProvisioningReport, ProvisioningRun as RunReport};

/// One allocation's result of a pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub allocation: AllocationId,
    pub state: ProvisionState,
    pub reason: String,
}

impl Outcome {
    pub fn provisioned(allocation: AllocationId) -> Outcome {
        Outcome { allocation, state: ProvisionState::Provisioned, reason: String::new() }
    }

    pub fn failed(allocation: AllocationId, reason: &str) -> Outcome {
        Outcome { allocation, state: ProvisionState::Failed, reason: reason.chars().take(2_000).collect() }
    }
}

/// Two texts read together (an allocation and its request; a username and its login).
type Pair = (String, String);

/// Key of the PostgreSQL advisory lock held while a provisioning pass runs ("KAIRRPRV").
const PASS_LOCK: i64 = 0x4B41_4952_5250_5256;

/// One provisioning pass at a time, across replicas: held from reading the
/// awards to recording the outcome (two passes at once would both see the
/// same difference, both change the cluster and both audit the change).
pub struct PassGuard {
    _local: tokio::sync::OwnedMutexGuard<()>,
    /// PostgreSQL: the session holding [`PASS_LOCK`], detached from the pool
    /// (dropped, even by a cancelled pass, it closes, which releases the lock).
    session: Option<sqlx::PgConnection>,
}

impl PassGuard {
    /// Ends the pass (the lock is released when its session closes).
    pub async fn release(self) {
        if let Some(session) = self.session {
            let _ = sqlx::Connection::close(session).await;
        }
    }
}

impl Storage {
    /// Waits until no other pass runs, in this process (SQLite: the only
    /// one) or on any replica (PostgreSQL's advisory lock), and holds that.
    pub async fn provisioning_pass(&self) -> anyhow::Result<PassGuard> {
        let local = self.passes.clone().lock_owned().await;
        let session = match self.db() {
            crate::storage::Db::Sqlite(_) => None,
            crate::storage::Db::Postgres(pool) => {
                let mut session = pool.acquire().await?.detach();
                sqlx::query("SELECT pg_advisory_lock($1)").bind(PASS_LOCK).execute(&mut session).await?;
                Some(session)
            }
        };
        Ok(PassGuard { _local: local, session })
    }

    /// Every allocation of a real round (demo awards are never provisioned),
    /// with its applicant and co-investigators (with `cluster_logins`, for
    /// Slurm, as the logins admins set for them, else their usernames; else
    /// as portal usernames, which the Kubernetes objects name) and the
    /// applicant's organisation.
    pub async fn provisioning_awards(&self, cluster_logins: bool) -> anyhow::Result<Vec<Award>> {
        const SQL: &str = "SELECT a.body AS allocation, r.body AS request FROM allocations a \
                           JOIN requests r ON r.id = a.request_id WHERE a.source <> 'demo' ORDER BY a.id";
        const LOGINS: &str = "SELECT username, cluster_login FROM users WHERE cluster_login IS NOT NULL";
        let (rows, logins): (Vec<Pair>, Vec<Pair>) = with_db!(self.db(), |p| {
            let rows = sqlx::query(SQL)
                .fetch_all(p)
                .await?
                .iter()
                .map(|row| Ok((row.try_get("allocation")?, row.try_get("request")?)))
                .collect::<Result<_, sqlx::Error>>()?;
            (rows, sqlx::query_as(LOGINS).fetch_all(p).await?)
        });
        let logins: std::collections::HashMap<String, String> = logins.into_iter().collect();
        let mut awards = Vec::with_capacity(rows.len());
        for (allocation, request) in rows {
            let allocation: Allocation = serde_json::from_str(&allocation)?;
            let request: Request = serde_json::from_str(&request)?;
            let mut seen = std::collections::HashSet::new();
            let users = std::iter::once(&request.applicant)
                .chain(&request.co_investigators)
                .filter_map(|u| match logins.get(u).filter(|_| cluster_logins) {
                    Some(login) => valid_login(login).then(|| login.clone()),
                    None => {
                        (valid_username(u) && u.starts_with(|c: char| c.is_ascii_alphanumeric())).then(|| u.clone())
                    }
                })
                .filter(|u| seen.insert(u.clone()))
                .collect();
            let organisation = request.organisation_id.clone().unwrap_or_else(|| request.organisation.clone());
            awards.push(Award { allocation, organisation, users });
        }
        Ok(awards)
    }

    /// Records the allocations `want` serves on `cluster` as pending unless they already have a state.
    pub async fn provisioning_seen(
        &self,
        cluster: &str,
        want: &[AccountSpec],
        pools: &BTreeMap<AllocationId, String>,
    ) -> anyhow::Result<()> {
        const SQL: &str = "INSERT INTO provisioning (allocation_id, cluster, account, pool, state, reason, failures) \
                           VALUES ($1, $2, $3, $4, 'pending', '', 0) ON CONFLICT (allocation_id) DO NOTHING";
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            for spec in want {
                for id in &spec.allocations {
                    sqlx::query(SQL)
                        .bind(id.0 as i64)
                        .bind(cluster)
                        .bind(&spec.account)
                        .bind(pools.get(id).map_or("", String::as_str))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Writes a pass's outcomes, its audit entries and its report, in one transaction.
    pub async fn record_provisioning(
        &self,
        cluster: &str,
        outcomes: Vec<Outcome>,
        audits: Vec<AuditRecord>,
        report: &RunReport,
    ) -> anyhow::Result<()> {
        const OK: &str = "UPDATE provisioning SET state = $1, reason = '', failures = 0, checked_at = $2 \
                          WHERE allocation_id = $3";
        const FAILED: &str = "UPDATE provisioning SET state = $1, reason = $2, failures = failures + 1, \
                              checked_at = $3 WHERE allocation_id = $4";
        const RUN: &str = "INSERT INTO provisioning_runs (cluster, at, ok, report) VALUES ($1, $2, $3, $4) \
                           ON CONFLICT (cluster) DO UPDATE SET at = excluded.at, ok = excluded.ok, \
                           report = excluded.report";
        let at = report.at.timestamp();
        let body = serde_json::to_string(&RunReport { cluster: cluster.to_owned(), ..report.clone() })?;
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            for o in &outcomes {
                let id = o.allocation.0 as i64;
                if o.state == ProvisionState::Failed {
                    sqlx::query(FAILED)
                        .bind(o.state.as_str())
                        .bind(&o.reason)
                        .bind(at)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                } else {
                    sqlx::query(OK).bind(o.state.as_str()).bind(at).bind(id).execute(&mut *tx).await?;
                }
            }
            for e in &audits {
                insert_audit!(&mut *tx, e);
            }
            sqlx::query(RUN).bind(cluster).bind(at).bind(report.ok).bind(&body).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The last pass per cluster and every allocation's state (newest allocation first).
    pub async fn provisioning_report(&self, configured: bool) -> anyhow::Result<ProvisioningReport> {
        const RUNS: &str = "SELECT report FROM provisioning_runs ORDER BY cluster";
        const ROWS: &str = "SELECT allocation_id, cluster, account, pool, state, reason, failures, checked_at \
                            FROM provisioning ORDER BY allocation_id DESC";
        let (runs, allocations) = with_db!(self.db(), |p| {
            let runs: Vec<String> = sqlx::query_scalar(RUNS).fetch_all(p).await?;
            let rows = sqlx::query(ROWS).fetch_all(p).await?;
            let mut allocations = Vec::with_capacity(rows.len());
            for row in &rows {
                let state: String = row.try_get("state")?;
                let checked: Option<i64> = row.try_get("checked_at")?;
                allocations.push(Provisioning {
                    allocation: AllocationId(u64::try_from(row.try_get::<i64, _>("allocation_id")?)?),
                    cluster: row.try_get("cluster")?,
                    account: row.try_get("account")?,
                    pool: row.try_get("pool")?,
                    state: ProvisionState::parse(&state).unwrap_or(ProvisionState::Pending),
                    reason: row.try_get("reason")?,
                    failures: u32::try_from(row.try_get::<i64, _>("failures")?).unwrap_or(u32::MAX),
                    checked_at: checked.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)),
                });
            }
            (runs, allocations)
        });
        let runs = runs.iter().map(|r| serde_json::from_str::<ProvisioningRun>(r)).collect::<Result<_, _>>()?;
        Ok(ProvisioningReport { configured, kubernetes: false, runs, allocations })
    }
}
