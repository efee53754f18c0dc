//! Notifications' storage (issue 10 §3): notices written in the write
//! transaction that caused them ([`store_notices!`], called by the
//! programme's `apply_plan!`), the timed ones found once an hour
//! ([`Storage::store_due_notices`]), a person's list and preferences, and
//! the e-mail outbox the mailer ([`crate::mail`]) drains.
//!
//! A notice is stored only for an existing account, once per (recipient,
//! key); its outbox row only when the account has an e-mail address. The
//! e-mail is rendered when it is sent, in the recipient's language then.

use chrono::{DateTime, Utc};
use kairr_shared::allocation::usage::{IdlePolicy, Metering};
use kairr_shared::i18n::Locale;
use kairr_shared::notifications::{due_notices, HeldAllocation, Notice, NotificationList, OpenPlace, StoredNotice};
use sqlx::Row;

use crate::storage::{with_db, Storage};

/// Writes `$notices` (a `Vec<Notice>`) and their outbox rows in transaction `$tx`.
macro_rules! store_notices {
    ($tx:expr, $notices:expr) => {{
        for n in $notices.iter() {
            let body = serde_json::to_string(n).map_err(anyhow::Error::from)?;
            sqlx::query(
                "INSERT INTO notifications (username, kind, dedup_key, body, created_at) \
                 SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM users WHERE username = $1) \
                 ON CONFLICT (username, dedup_key) DO NOTHING",
            )
            .bind(&n.recipient)
            .bind(n.kind.as_str())
            .bind(&n.key)
            .bind(&body)
            .bind(n.at.timestamp())
            .execute(&mut *$tx)
            .await?;
            sqlx::query(
                "INSERT INTO outbox (notification_id, to_address, next_attempt_at) \
                 SELECT n.id, u.email, $3 FROM notifications n JOIN users u ON u.username = n.username \
                 WHERE n.username = $1 AND n.dedup_key = $2 AND u.email IS NOT NULL AND u.email <> '' \
                 ON CONFLICT (notification_id) DO NOTHING",
            )
            .bind(&n.recipient)
            .bind(&n.key)
            .bind(n.at.timestamp())
            .execute(&mut *$tx)
            .await?;
        }
    }};
}
pub(crate) use store_notices;

/// An e-mail to send, claimed by this replica.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub to: String,
    pub locale: Locale,
    pub notice: Notice,
    pub attempts: u32,
    /// The claim's lease (its end), which the final update must still find.
    pub lease: i64,
}

/// How long a claimed e-mail stays this replica's (longer than a send may take).
pub const CLAIM_SECONDS: i64 = 120;

impl Storage {
    /// `username`'s notices, newest first, with the unread count and preferences.
    pub async fn notifications(&self, username: &str) -> anyhow::Result<NotificationList> {
        const LIST: &str = "SELECT id, body, read_at FROM notifications WHERE username = $1 ORDER BY id DESC LIMIT 100";
        const PREFS: &str = "SELECT email, locale FROM users WHERE username = $1";
        let (items, email, locale) = with_db!(self.db(), |p| {
            let rows = sqlx::query(LIST).bind(username).fetch_all(p).await?;
            let mut items = Vec::with_capacity(rows.len());
            for r in &rows {
                let body: String = r.try_get("body")?;
                let read_at: Option<i64> = r.try_get("read_at")?;
                items.push(StoredNotice {
                    id: r.try_get("id")?,
                    notice: serde_json::from_str(&body)?,
                    read: read_at.is_some(),
                });
            }
            let prefs = sqlx::query(PREFS).bind(username).fetch_optional(p).await?;
            let (email, locale) = match prefs {
                Some(r) => (r.try_get::<Option<String>, _>("email")?, r.try_get::<String, _>("locale")?),
                None => (None, "ko".to_owned()),
            };
            (items, email, locale)
        });
        Ok(NotificationList { items, unread: self.unread_notices(username).await?, email, locale })
    }

    /// How many of `username`'s notices are unread (the navigation's badge).
    pub async fn unread_notices(&self, username: &str) -> anyhow::Result<u64> {
        const UNREAD: &str = "SELECT COUNT(*) FROM notifications WHERE username = $1 AND read_at IS NULL";
        let unread: i64 = with_db!(self.db(), |p| sqlx::query_scalar(UNREAD).bind(username).fetch_one(p).await?);
        Ok(u64::try_from(unread).unwrap_or(0))
    }

    /// Marks `username`'s notices `ids` (all when `None`) read; how many changed.
    pub async fn mark_read(&self, username: &str, ids: Option<&[i64]>, now: i64) -> anyhow::Result<u64> {
        with_db!(self.db(), |p| {
            let mut n = 0;
            match ids {
                None => {
                    n += sqlx::query("UPDATE notifications SET read_at = $1 WHERE username = $2 AND read_at IS NULL")
                        .bind(now)
                        .bind(username)
                        .execute(p)
                        .await?
                        .rows_affected();
                }
                Some(ids) => {
                    for id in ids {
                        n += sqlx::query(
                            "UPDATE notifications SET read_at = $1 WHERE username = $2 AND id = $3 AND read_at IS NULL",
                        )
                        .bind(now)
                        .bind(username)
                        .bind(id)
                        .execute(p)
                        .await?
                        .rows_affected();
                    }
                }
            }
            Ok(n)
        })
    }

    /// Sets where and in which language `username` is told.
    pub async fn set_notification_preferences(
        &self,
        username: &str,
        email: Option<&str>,
        locale: Locale,
    ) -> anyhow::Result<()> {
        with_db!(self.db(), |p| {
            sqlx::query("UPDATE users SET email = $1, locale = $2 WHERE username = $3")
                .bind(email)
                .bind(locale.tag())
                .bind(username)
                .execute(p)
                .await?;
            Ok(())
        })
    }

    /// Stores the timed notices of `now` (reviews due, allocations ending or
    /// idle) in one transaction; their keys make each one once. How many are
    /// new. Real rounds' idle flags are judged with `metering` (where each
    /// pool's usage comes from and since when it is complete), as the
    /// committee's overview judges them: no one is told "idle" about days
    /// the accounting has not read.
    pub async fn store_due_notices(&self, now: DateTime<Utc>, metering: &Metering) -> anyhow::Result<usize> {
        let today = kairr_shared::time::kst_day(now.timestamp());
        let mut places = Vec::new();
        let mut held = Vec::new();
        let demo = Metering::demo();
        for stored in self.rounds().await? {
            let round = &stored.round;
            let metering = if stored.demo { &demo } else { metering };
            let records = self.round_records(&round.id.0).await?;
            for a in records.assignments.iter().filter(|a| a.declined.is_none()) {
                let reviewed = records.reviews.iter().any(|r| r.request == a.request && r.reviewer == a.reviewer);
                if !reviewed {
                    places.push(OpenPlace {
                        reviewer: a.reviewer.clone(),
                        request: a.request.0,
                        round: round.id.0.clone(),
                        review_closes: round.review_closes(),
                    });
                }
            }
            for a in &records.allocations {
                let Some(request) = records.requests.iter().find(|r| r.id == a.request) else { continue };
                let idle = round.pool(&a.pool).is_some_and(|pool| {
                    kairr_shared::allocation::usage::idle_check(
                        a,
                        pool,
                        &records.usage,
                        today,
                        &IdlePolicy::default(),
                        metering.of(&a.pool),
                    )
                    .is_some_and(|c| c.flagged)
                });
                held.push(HeldAllocation {
                    applicant: request.applicant.clone(),
                    request: a.request.0,
                    pool: a.pool.clone(),
                    end: a.end,
                    idle,
                });
            }
        }
        let notices = due_notices(&places, &held, today, now);
        let before = self.notification_count().await?;
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            store_notices!(tx, notices);
            tx.commit().await?;
            anyhow::Ok(())
        })?;
        Ok(usize::try_from(self.notification_count().await? - before).unwrap_or(0))
    }

    async fn notification_count(&self) -> anyhow::Result<i64> {
        with_db!(self.db(), |p| Ok(sqlx::query_scalar("SELECT COUNT(*) FROM notifications").fetch_one(p).await?))
    }

    /// Claims the next e-mail that is due, for [`CLAIM_SECONDS`] (longer
    /// than one send may take): a conditional update, so two replicas never
    /// hold the same one. It goes to the recipient's address as it is now;
    /// one whose recipient removed their address is cancelled.
    pub async fn claim_outgoing(&self, now: i64) -> anyhow::Result<Option<Outgoing>> {
        const DUE: &str = "SELECT o.id, u.email, o.attempts, n.body, u.locale FROM outbox o \
             JOIN notifications n ON n.id = o.notification_id JOIN users u ON u.username = n.username \
             WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND o.claimed_until < $1 \
             ORDER BY o.next_attempt_at, o.id LIMIT 5";
        const CLAIM: &str =
            "UPDATE outbox SET claimed_until = $1 WHERE id = $2 AND status = 'pending' AND claimed_until < $3";
        const CANCEL: &str = "UPDATE outbox SET status = 'cancelled', last_error = 'no address' \
             WHERE id = $1 AND status = 'pending' AND claimed_until < $2";
        let lease = now + CLAIM_SECONDS;
        with_db!(self.db(), |p| {
            let rows = sqlx::query(DUE).bind(now).fetch_all(p).await?;
            for r in &rows {
                let id: i64 = r.try_get("id")?;
                let to: Option<String> = r.try_get("email")?;
                let Some(to) = to.filter(|t| kairr_shared::notifications::valid_email(t)) else {
                    sqlx::query(CANCEL).bind(id).bind(now).execute(p).await?;
                    continue;
                };
                let won = sqlx::query(CLAIM).bind(lease).bind(id).bind(now).execute(p).await?.rows_affected();
                if won != 1 {
                    continue;
                }
                let body: String = r.try_get("body")?;
                let locale: String = r.try_get("locale")?;
                return Ok(Some(Outgoing {
                    id,
                    to,
                    locale: Locale::from_tag(&locale).unwrap_or_default(),
                    notice: serde_json::from_str(&body)?,
                    attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(0),
                    lease,
                }));
            }
            Ok(None)
        })
    }

    /// The mail server accepted `out`; recorded only while this replica still holds its lease.
    pub async fn outgoing_sent(&self, out: &Outgoing, now: i64) -> anyhow::Result<()> {
        self.mark_sent("outbox", out.id, out.lease, now).await
    }

    /// `out` could not be sent: retried later with backoff, or given up
    /// after `MAX_DELIVERY_ATTEMPTS` (at once when `permanent`: the server
    /// refused the address or the message for good). Recorded only while
    /// this replica still holds its lease.
    pub async fn outgoing_failed(&self, out: &Outgoing, error: &str, permanent: bool, now: i64) -> anyhow::Result<()> {
        self.mark_failed("outbox", (out.id, out.lease, out.attempts), error, permanent, now).await
    }
}
