//! Storage of the organisations directory: seeded at start-up from the
//! repository's data file (new entries added, admins' changes kept), read by
//! the people and programme commands inside their transactions, changed by
//! the directory use cases (`kairr_shared::organisations`) in one transaction
//! each, with the table locked on PostgreSQL so two admins cannot give two
//! organisations the same name at once.

use chrono::{DateTime, Utc};
use kairr_shared::organisations::{Directory, Organisation};
use kairr_shared::people::{PeoplePlan, PersonWrite};

use crate::programme::write::{insert_audit, BeginWrite, WriteError};
use crate::storage::{with_db, Storage};

/// The stored JSON of an organisation.
pub(crate) fn body(org: &Organisation) -> Result<String, WriteError> {
    serde_json::to_string(org).map_err(|e| WriteError::Db(e.into()))
}

pub(crate) fn parse(body: &str) -> anyhow::Result<Organisation> {
    Ok(serde_json::from_str(body)?)
}

/// Every organisation, by id, read in transaction (or on pool) `$conn`.
macro_rules! read_directory {
    ($conn:expr) => {{
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM organisations ORDER BY id").fetch_all($conn).await?;
        rows.iter().map(|(b,)| $crate::people::directory::parse(b)).collect::<anyhow::Result<Vec<Organisation>>>()?
    }};
}
pub(crate) use read_directory;

impl Storage {
    /// The directory, by id.
    pub async fn organisations(&self) -> anyhow::Result<Vec<Organisation>> {
        Ok(with_db!(self.db(), |p| read_directory!(p)))
    }

    /// The directory entry `id`.
    pub async fn organisation(&self, id: &str) -> anyhow::Result<Option<Organisation>> {
        Ok(self.organisations().await?.into_iter().find(|o| o.id == id))
    }

    /// Adds the seed's entries not yet present (admins' changes are kept),
    /// removes the demo's fictional companies when the seed has none (the
    /// demo is off) and no account belongs to them, then links accounts from
    /// before the directory whose organisation name is one of an entry's
    /// names. Returns how many entries were added.
    pub async fn seed_organisations(&self, seed: &[Organisation]) -> anyhow::Result<u64> {
        let mut added = 0;
        with_db!(self.db(), |p| {
            if !seed.iter().any(|o| o.demo) {
                sqlx::query(
                    "DELETE FROM organisations WHERE demo AND id NOT IN \
                     (SELECT organisation_id FROM users WHERE organisation_id IS NOT NULL)",
                )
                .execute(p)
                .await?;
            }
            for org in seed {
                added += sqlx::query(
                    "INSERT INTO organisations (id, body, demo) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                )
                .bind(&org.id)
                .bind(body(org)?)
                .bind(org.demo)
                .execute(p)
                .await?
                .rows_affected();
            }
        });
        let orgs = self.organisations().await?;
        let unlinked: Vec<(String, String)> = with_db!(self.db(), |p| sqlx::query_as(
            "SELECT username, organisation FROM users WHERE organisation_id IS NULL"
        )
        .fetch_all(p)
        .await?);
        for (username, name) in unlinked {
            if let Some(org) = Directory(&orgs).resolve(&name) {
                with_db!(self.db(), |p| {
                    sqlx::query(
                    "UPDATE users SET organisation_id = $1, organisation = $2 WHERE username = $3 AND organisation_id IS NULL"
                )
                .bind(&org.id)
                .bind(&org.name_ko)
                .bind(&username)
                .execute(p)
                .await?
                .rows_affected()
                });
            }
        }
        Ok(added)
    }

    /// Runs a directory command: the use case gets the directory, read (with
    /// the table locked on PostgreSQL) inside the transaction.
    pub async fn on_directory<T, F>(&self, now: DateTime<Utc>, use_case: F) -> Result<T, WriteError>
    where
        F: FnOnce(&[Organisation]) -> Result<PeoplePlan<T>, WriteError>,
    {
        with_db!(self.db(), |p| {
            let mut tx = p.begin_new().await?;
            if !lock_directory(p).is_empty() {
                sqlx::query(lock_directory(p)).execute(&mut *tx).await?;
            }
            let directory = read_directory!(&mut *tx);
            let plan = use_case(&directory)?;
            apply_people_plan!(tx, plan, now);
            tx.commit().await?;
            Ok(plan.outcome)
        })
    }
}

fn lock_directory<P: BeginWrite>(_pool: &P) -> &'static str {
    P::LOCK_DIRECTORY
}
