//! Storage of people: the administration's use cases
//! (`kairr_shared::people`) run as one transaction each, and invitation
//! links are redeemed. Like the programme's write path, each command re-reads
//! what its rule needs inside the transaction (on PostgreSQL the enabled
//! admins' rows are locked, so two admins cannot demote each other at once
//! and leave none), and each update is conditional on what the rule saw.

use chrono::{DateTime, Utc};
use kairr_shared::allocation::usecase::Refusal;
use kairr_shared::auth::Role;
use kairr_shared::organisations::Organisation;
use kairr_shared::people::{PeoplePlan, Person, PersonWrite};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::programme::write::{insert_audit, BeginWrite, WriteError};

/// The row-lock suffix of `pool`'s database.
fn for_update<P: BeginWrite>(_pool: &P) -> &'static str {
    P::FOR_UPDATE
}
use crate::storage::{with_db, Storage};

/// The stored form of an invitation token.
pub fn token_hash(token: &str) -> String {
    crate::auth::hex(&Sha256::digest(token.as_bytes()))
}

const PERSON_COLUMNS: &str = "username, display_name, organisation, organisation_id, role, disabled, demo, \
     password_hash, expertise, cluster_login, (SELECT MIN(i.provider) FROM identities i WHERE i.username = users.username) AS provider";

fn row_to_person<R>(row: &R) -> anyhow::Result<Person>
where
    R: Row,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'s> &'s str: sqlx::ColumnIndex<R>,
{
    let role: String = row.try_get("role")?;
    let hash: String = row.try_get("password_hash")?;
    let provider: Option<String> = row.try_get("provider")?;
    Ok(Person {
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        organisation: row.try_get("organisation")?,
        organisation_id: row.try_get("organisation_id")?,
        role: Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role {role:?} in database"))?,
        expertise: serde_json::from_str(&row.try_get::<String, _>("expertise")?).unwrap_or_default(),
        disabled: row.try_get("disabled")?,
        demo: row.try_get("demo")?,
        active: !hash.is_empty() || provider.is_some(),
        provider,
        cluster_login: row.try_get("cluster_login")?,
    })
}

/// Writes a plan's rows and audit entries in transaction `$tx`.
macro_rules! apply_people_plan {
    ($tx:expr, $plan:expr, $now:expr) => {{
        for w in &$plan.writes {
            match w {
                PersonWrite::Insert(p) => {
                    sqlx::query(
                        "INSERT INTO users (username, display_name, organisation, organisation_id, role, \
                         password_hash, demo, created_at, disabled, expertise) \
                         VALUES ($1, $2, $3, $4, $5, '', FALSE, $6, FALSE, $7)",
                    )
                    .bind(&p.username)
                    .bind(&p.display_name)
                    .bind(&p.organisation)
                    .bind(&p.organisation_id)
                    .bind(p.role.as_str())
                    .bind($now.timestamp())
                    .bind(serde_json::to_string(&p.expertise).unwrap_or_else(|_| "[]".into()))
                    .execute(&mut *$tx)
                    .await
                    .map_err(|e| match WriteError::from(e) {
                        WriteError::Changed(_) => {
                            WriteError::Refused(kairr_shared::allocation::usecase::Refusal::Conflict {
                                code: "username_taken",
                                field: Some("username"),
                                message: format!("the username {} is taken", p.username),
                            })
                        }
                        other => other,
                    })?;
                }
                PersonWrite::Update { person, expected } => {
                    let n = sqlx::query(
                        "UPDATE users SET display_name = $1, organisation = $2, organisation_id = $3, role = $4, \
                         disabled = $5, expertise = $9, cluster_login = $10 \
                         WHERE username = $6 AND role = $7 AND disabled = $8",
                    )
                    .bind(&person.display_name)
                    .bind(&person.organisation)
                    .bind(&person.organisation_id)
                    .bind(person.role.as_str())
                    .bind(person.disabled)
                    .bind(&person.username)
                    .bind(expected.0.as_str())
                    .bind(expected.1)
                    .bind(serde_json::to_string(&person.expertise).unwrap_or_else(|_| "[]".into()))
                    .bind(&person.cluster_login)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected();
                    if n != 1 {
                        return Err(WriteError::Changed("account"));
                    }
                }
                PersonWrite::Invite { username, token_hash, expires_at } => {
                    sqlx::query("DELETE FROM invitations WHERE username = $1 AND used_at IS NULL")
                        .bind(username)
                        .execute(&mut *$tx)
                        .await?;
                    sqlx::query("INSERT INTO invitations (token_hash, username, expires_at) VALUES ($1, $2, $3)")
                        .bind(token_hash)
                        .bind(username)
                        .bind(expires_at.timestamp())
                        .execute(&mut *$tx)
                        .await?;
                }
                PersonWrite::InsertOrganisation(org) => {
                    sqlx::query("INSERT INTO organisations (id, body, demo) VALUES ($1, $2, $3)")
                        .bind(&org.id)
                        .bind(crate::people::directory::body(org)?)
                        .bind(org.demo)
                        .execute(&mut *$tx)
                        .await
                        .map_err(|e| match WriteError::from(e) {
                            WriteError::Changed(_) => {
                                WriteError::Refused(kairr_shared::allocation::usecase::Refusal::Conflict {
                                    code: "organisation_taken",
                                    field: Some("id"),
                                    message: format!("the organisation id {} is taken", org.id),
                                })
                            }
                            other => other,
                        })?;
                }
                PersonWrite::UpdateOrganisation { organisation, expected } => {
                    let n = sqlx::query("UPDATE organisations SET body = $1 WHERE id = $2 AND body = $3")
                        .bind(crate::people::directory::body(organisation)?)
                        .bind(&organisation.id)
                        .bind(crate::people::directory::body(expected)?)
                        .execute(&mut *$tx)
                        .await?
                        .rows_affected();
                    if n != 1 {
                        return Err(WriteError::Changed("organisation"));
                    }
                    sqlx::query("UPDATE users SET organisation = $1 WHERE organisation_id = $2")
                        .bind(&organisation.name_ko)
                        .bind(&organisation.id)
                        .execute(&mut *$tx)
                        .await?;
                }
                PersonWrite::LinkIdentity(link) => {
                    sqlx::query(
                        "INSERT INTO identities (provider, subject, username, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(&link.provider)
                    .bind(&link.subject)
                    .bind(&link.username)
                    .bind($now.timestamp())
                    .execute(&mut *$tx)
                    .await
                    .map_err(|e| match WriteError::from(e) {
                        WriteError::Changed(_) => WriteError::Changed("identity"),
                        other => other,
                    })?;
                }
            }
        }
        for e in &$plan.audit {
            insert_audit!(&mut *$tx, e);
        }
    }};
}

pub mod directory;
mod identities;

/// Why an invitation was not redeemed.
#[derive(Debug, thiserror::Error)]
pub enum InvitationError {
    /// Unknown, used, expired or replaced (one answer for all: the token is the secret).
    #[error("this link is not valid any more")]
    Invalid,
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for InvitationError {
    fn from(e: sqlx::Error) -> Self {
        InvitationError::Db(e.into())
    }
}

impl Storage {
    /// Every person, by username.
    pub async fn people(&self) -> anyhow::Result<Vec<Person>> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM users ORDER BY username");
        with_db!(self.db(), |p| sqlx::query(&sql).fetch_all(p).await?.iter().map(row_to_person).collect())
    }

    /// Creates a person: the use case learns whether the username is taken,
    /// and gets the directory.
    pub async fn create_person<T, F>(&self, username: &str, now: DateTime<Utc>, use_case: F) -> Result<T, WriteError>
    where
        F: FnOnce(bool, &[Organisation]) -> Result<PeoplePlan<T>, Refusal>,
    {
        // Only a well-formed username is looked up: one that is not cannot
        // exist, and the use case refuses it by name (PostgreSQL would fail
        // on a NUL in it, a 500 instead of that answer).
        let well_formed = kairr_shared::auth::valid_username(username);
        with_db!(self.db(), |p| {
            let mut tx = p.begin_new().await?;
            let n: i64 = if well_formed {
                sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
                    .bind(username)
                    .fetch_one(&mut *tx)
                    .await?
            } else {
                0
            };
            let directory = directory::read_directory!(&mut *tx);
            let plan = use_case(n > 0, &directory)?;
            apply_people_plan!(tx, plan, now);
            tx.commit().await?;
            Ok(plan.outcome)
        })
    }

    /// Runs a command on person `username`: the use case gets them, the
    /// directory and the number of enabled admins, all read (and, on
    /// PostgreSQL, the admins locked) inside the transaction.
    pub async fn on_person<T, F>(&self, username: &str, now: DateTime<Utc>, use_case: F) -> Result<T, WriteError>
    where
        F: FnOnce(&Person, &[Organisation], usize) -> Result<PeoplePlan<T>, Refusal>,
    {
        let one = format!("SELECT {PERSON_COLUMNS} FROM users WHERE username = $1");
        with_db!(self.db(), |p| {
            let mut tx = p.begin_new().await?;
            let admins: Vec<String> = sqlx::query_scalar(&format!(
                "SELECT username FROM users WHERE role = 'admin' AND NOT disabled{}",
                for_update(p)
            ))
            .fetch_all(&mut *tx)
            .await?;
            let row = sqlx::query(&one).bind(username).fetch_optional(&mut *tx).await?;
            let person = row.as_ref().map(row_to_person).transpose()?.ok_or(WriteError::NotFound("account"))?;
            let directory = directory::read_directory!(&mut *tx);
            let plan = use_case(&person, &directory, admins.len())?;
            apply_people_plan!(tx, plan, now);
            tx.commit().await?;
            Ok(plan.outcome)
        })
    }

    /// The account a usable invitation `token` is for (unused, unexpired, replaced by no newer one, account enabled).
    pub async fn invitation_username(&self, token: &str, now: DateTime<Utc>) -> anyhow::Result<Option<String>> {
        const SQL: &str = "SELECT i.username FROM invitations i JOIN users u ON u.username = i.username \
             WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND NOT u.disabled";
        let hash = token_hash(token);
        Ok(with_db!(self.db(), |p| sqlx::query_scalar(SQL).bind(&hash).bind(now.timestamp()).fetch_optional(p).await?))
    }

    /// Redeems invitation `token` of `username`: marks it used and sets the
    /// password hash `phc` (hashed by the caller, outside the transaction),
    /// in one transaction; a link used, expired or replaced meanwhile is `Invalid`.
    pub async fn redeem_invitation(
        &self,
        token: &str,
        username: &str,
        phc: &str,
        now: DateTime<Utc>,
    ) -> Result<(), InvitationError> {
        let hash = token_hash(token);
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            // Marking the link used first makes a second, concurrent redemption find nothing to mark.
            let n = sqlx::query(
                "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND username = $3 AND used_at IS NULL \
                 AND expires_at > $1",
            )
            .bind(now.timestamp())
            .bind(&hash)
            .bind(username)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(InvitationError::Invalid);
            }
            sqlx::query("UPDATE users SET password_hash = $1 WHERE username = $2 AND NOT disabled")
                .bind(phc)
                .bind(username)
                .execute(&mut *tx)
                .await?;
            let entry = kairr_shared::allocation::usecase::AuditRecord {
                actor: username.to_owned(),
                action: kairr_shared::allocation::AuditAction::InvitationUsed,
                subject: kairr_shared::allocation::AuditSubject::Account(username.to_owned()),
                before: None,
                after: None,
                at: now,
            };
            insert_audit!(&mut *tx, &entry);
            tx.commit().await?;
            Ok(())
        })
    }
}
