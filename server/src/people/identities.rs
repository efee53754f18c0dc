//! Institutional sign-in's storage: the account linked to a provider's
//! subject, or the account its first sign-in creates
//! ([`kairr_shared::identity::first_sign_in`]), in one transaction.

use chrono::{DateTime, Utc};
use kairr_shared::identity::{first_sign_in, username_base, Identity};
use kairr_shared::organisations::Organisation;
use kairr_shared::people::PersonWrite;

use super::directory;
use crate::accounts::Account;
use crate::programme::write::{insert_audit, BeginWrite, WriteError};
use crate::storage::{with_db, Storage};

const LINKED: &str = "SELECT username FROM identities WHERE provider = $1 AND subject = $2";

impl Storage {
    /// The account `identity` signs in as: the one its subject is linked to,
    /// else a new researcher account linked to it. Two first sign-ins of the
    /// same subject at once create one account (the link's primary key; the
    /// loser reads the winner's link).
    pub async fn sign_in_identity(&self, identity: &Identity, now: DateTime<Utc>) -> Result<Account, WriteError> {
        let mut tries = 0;
        let username = loop {
            tries += 1;
            match self.link_identity(identity, now).await {
                Ok(username) => break username,
                Err(WriteError::Changed(_)) if tries < 3 => continue,
                Err(e) => return Err(e),
            }
        };
        self.account_by_username(&username).await?.ok_or(WriteError::NotFound("account"))
    }

    async fn link_identity(&self, identity: &Identity, now: DateTime<Utc>) -> Result<String, WriteError> {
        let base = username_base(identity);
        with_db!(self.db(), |p| {
            let mut tx = p.begin_new().await?;
            let linked: Option<String> = sqlx::query_scalar(LINKED)
                .bind(&identity.provider)
                .bind(&identity.subject)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(username) = linked {
                return Ok(username);
            }
            // Taken: accounts, and names records already carry (the demo's applicants and
            // reviewers have no account): a new account must not inherit anyone's requests.
            let taken: Vec<String> = sqlx::query_scalar(
                "SELECT username FROM users WHERE username LIKE $1 \
                 UNION SELECT applicant FROM requests WHERE applicant LIKE $1 \
                 UNION SELECT reviewer FROM reviews WHERE reviewer LIKE $1 \
                 UNION SELECT reviewer FROM assignments WHERE reviewer LIKE $1 \
                 UNION SELECT reviewer FROM conflicts WHERE reviewer LIKE $1",
            )
            .bind(format!("{base}%"))
            .fetch_all(&mut *tx)
            .await?;
            let directory = directory::read_directory!(&mut *tx);
            let plan = first_sign_in(identity, &taken, &directory, now)?;
            apply_people_plan!(tx, plan, now);
            // Notifications go to the address the institution vouches for (the person can change it).
            if let Some(email) = identity.email.as_deref().filter(|e| kairr_shared::notifications::valid_email(e)) {
                sqlx::query("UPDATE users SET email = $1 WHERE username = $2")
                    .bind(email)
                    .bind(&plan.outcome.username)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(plan.outcome.username)
        })
    }
}
