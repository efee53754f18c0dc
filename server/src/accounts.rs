//! Local accounts: argon2id password hashing and the `users` table.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
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
    for<'s> &'s str: sqlx::ColumnIndex<R>,
{
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("id")?,
        info: UserInfo {
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            organisation: row.try_get("organisation")?,
            role: Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role {role:?} in database"))?,
        },
        password_hash: row.try_get("password_hash")?,
    })
}

impl Storage {
    /// Creates or replaces (by username) an account with a fresh password hash.
    pub async fn upsert_account(&self, info: &UserInfo, password: &str, demo: bool, now: i64) -> anyhow::Result<()> {
        let hash = hash_password(password)?;
        const SQL: &str = "INSERT INTO users (username, display_name, organisation, role, password_hash, demo, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO UPDATE SET \
             display_name = excluded.display_name, organisation = excluded.organisation, role = excluded.role, \
             password_hash = excluded.password_hash, demo = excluded.demo";
        with_db!(self.db(), |p| sqlx::query(SQL)
            .bind(&info.username)
            .bind(&info.display_name)
            .bind(&info.organisation)
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
