//! Local accounts: argon2id password hashing, the `users` table, and the
//! sign-in records (attempt counters, audit entries, shared keys).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use kairr_shared::allocation::AuditAction;
use kairr_shared::auth::{Role, UserInfo};
use rand_core::OsRng;
use sqlx::Row;

use crate::storage::{with_db, Storage};

/// Shortest accepted password.
pub const MIN_PASSWORD_LEN: usize = 12;

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub info: UserInfo,
    pub password_hash: String,
    /// Created by the demo.
    pub demo: bool,
    /// May not sign in, and its sessions end (demo accounts once
    /// `demo.accounts` is off).
    pub disabled: bool,
}

/// Hashes `password` with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// True when `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A random password of 16 URL-safe characters (for demo accounts).
pub fn random_password() -> String {
    use rand_core::RngCore;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect()
}

fn row_to_account<R>(row: &R) -> anyhow::Result<Account>
where
    R: Row,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'s> &'s str: sqlx::ColumnIndex<R>,
{
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("id")?,
        info: UserInfo {
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            organisation: row.try_get("organisation")?,
            organisation_id: row.try_get("organisation_id")?,
            role: Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role {role:?} in database"))?,
        },
        password_hash: row.try_get("password_hash")?,
        demo: row.try_get("demo")?,
        disabled: row.try_get("disabled")?,
    })
}

impl Storage {
    /// Creates or replaces (by username) an account with a fresh password
    /// hash; it is enabled.
    pub async fn upsert_account(&self, info: &UserInfo, password: &str, demo: bool, now: i64) -> anyhow::Result<()> {
        let hash = hash_password(password)?;
        const SQL: &str = "INSERT INTO users (username, display_name, organisation, organisation_id, role, \
             password_hash, demo, created_at, disabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE) \
             ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, \
             organisation = excluded.organisation, organisation_id = excluded.organisation_id, role = excluded.role, \
             password_hash = excluded.password_hash, demo = excluded.demo, disabled = FALSE";
        with_db!(self.db(), |p| sqlx::query(SQL)
            .bind(&info.username)
            .bind(&info.display_name)
            .bind(&info.organisation)
            .bind(&info.organisation_id)
            .bind(info.role.as_str())
            .bind(&hash)
            .bind(demo)
            .bind(now)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// The account named `username`, if any.
    pub async fn account_by_username(&self, username: &str) -> anyhow::Result<Option<Account>> {
        const SQL: &str = "SELECT * FROM users WHERE username = $1";
        with_db!(self.db(), |p| sqlx::query(SQL)
            .bind(username)
            .fetch_optional(p)
            .await?
            .as_ref()
            .map(row_to_account)
            .transpose())
    }

    /// The account with `id`, if any.
    pub async fn account_by_id(&self, id: i64) -> anyhow::Result<Option<Account>> {
        const SQL: &str = "SELECT * FROM users WHERE id = $1";
        with_db!(self.db(), |p| sqlx::query(SQL)
            .bind(id)
            .fetch_optional(p)
            .await?
            .as_ref()
            .map(row_to_account)
            .transpose())
    }
}

/// Counts one sign-in attempt in `bucket` at `now`, starting a new window
/// when the current one began at or before `window_ends_before`; returns the
/// attempts in the window (this one included) and when the window began.
/// One statement, so concurrent attempts on any replica each count.
const COUNT_ATTEMPT: &str = "INSERT INTO login_attempts (bucket, window_start, attempts) VALUES ($1, $2, 1) \
     ON CONFLICT (bucket) DO UPDATE SET \
     attempts = CASE WHEN login_attempts.window_start <= $3 THEN 1 ELSE login_attempts.attempts + 1 END, \
     window_start = CASE WHEN login_attempts.window_start <= $3 THEN excluded.window_start \
     ELSE login_attempts.window_start END \
     RETURNING attempts, window_start";

impl Storage {
    /// Counts an attempt in `bucket` (see [`COUNT_ATTEMPT`]): (attempts, window start).
    pub async fn count_sign_in_attempt(&self, bucket: &str, now: i64, window: i64) -> anyhow::Result<(i64, i64)> {
        with_db!(self.db(), |p| {
            let row = sqlx::query(COUNT_ATTEMPT).bind(bucket).bind(now).bind(now - window).fetch_one(p).await?;
            Ok((row.try_get("attempts")?, row.try_get("window_start")?))
        })
    }

    /// Gives back one attempt of `bucket` (a successful sign-in's, so
    /// successes do not use up a shared address's allowance).
    pub async fn refund_sign_in_attempt(&self, bucket: &str) -> anyhow::Result<()> {
        const SQL: &str = "UPDATE login_attempts SET attempts = attempts - 1 WHERE bucket = $1 AND attempts > 0";
        with_db!(self.db(), |p| sqlx::query(SQL).bind(bucket).execute(p).await?.rows_affected());
        Ok(())
    }

    /// Forgets the attempts of `bucket`.
    pub async fn forget_sign_in_attempts(&self, bucket: &str) -> anyhow::Result<()> {
        const SQL: &str = "DELETE FROM login_attempts WHERE bucket = $1";
        with_db!(self.db(), |p| sqlx::query(SQL).bind(bucket).execute(p).await?.rows_affected());
        Ok(())
    }

    /// Deletes the counters whose window began at or before `ended_before`.
    pub async fn prune_sign_in_attempts(&self, ended_before: i64) -> anyhow::Result<u64> {
        const SQL: &str = "DELETE FROM login_attempts WHERE window_start <= $1";
        Ok(with_db!(self.db(), |p| sqlx::query(SQL).bind(ended_before).execute(p).await?.rows_affected()))
    }

    /// Disables every demo account (they can no longer sign in and their
    /// sessions end); returns how many were enabled.
    pub async fn disable_demo_accounts(&self) -> anyhow::Result<u64> {
        const SQL: &str = "UPDATE users SET disabled = TRUE WHERE demo = TRUE AND disabled = FALSE";
        Ok(with_db!(self.db(), |p| sqlx::query(SQL).execute(p).await?.rows_affected()))
    }

    /// The shared key `name`, created (random) by the first replica to ask.
    pub async fn server_key(&self, name: &str) -> anyhow::Result<String> {
        const INSERT: &str = "INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
        const SELECT: &str = "SELECT value FROM server_keys WHERE name = $1";
        let fresh = format!("{}{}{}{}", random_password(), random_password(), random_password(), random_password());
        with_db!(self.db(), |p| {
            sqlx::query(INSERT).bind(name).bind(&fresh).execute(p).await?;
            Ok(sqlx::query(SELECT).bind(name).fetch_one(p).await?.try_get("value")?)
        })
    }

    /// Appends a sign-in (`SignIn`) or failed sign-in (`SignInFailed`) to the
    /// audit log: who (a valid username, or a truncated invalid one), from
    /// which client, and for a failure why. Never the password.
    pub async fn record_sign_in(
        &self,
        at: chrono::DateTime<chrono::Utc>,
        actor: &str,
        action: AuditAction,
        client: &str,
        reason: Option<&str>,
    ) -> anyhow::Result<()> {
        const SQL: &str =
            "INSERT INTO audit_log (at, actor, action, source, body, subject) VALUES ($1, $2, $3, 'real', $4, $5)";
        let action_name = serde_json::to_value(action)?.as_str().unwrap_or_default().to_owned();
        let body = serde_json::json!({
            "actor": actor, "action": action, "subject": {"kind": "account", "id": actor},
            "before": null, "after": {"client": client, "reason": reason}, "at": at,
        })
        .to_string();
        with_db!(self.db(), |p| sqlx::query(SQL)
            .bind(at.timestamp())
            .bind(actor)
            .bind(&action_name)
            .bind(&body)
            .bind(format!("account:{actor}"))
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterx", &h));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn random_passwords_are_long_and_differ() {
        let (a, b) = (random_password(), random_password());
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
    }
}
