//! Status-page subscriptions: storing them, turning new status events into
//! deliveries (each event once, whichever replica sees it first), and
//! delivering them by e-mail (through the mailer) or webhook (signed JSON
//! over HTTPS). What a subscription may be and what the messages say is
//! `kairr_shared::subscriptions`.
//!
//! Links in e-mails carry the subscription's id and an HMAC of it under the
//! server's key `subscriptions` (`id.mac`): nothing to store, nothing to
//! guess, and the same link works on every replica.

use std::collections::HashSet;
use std::time::Duration;

use hmac::{Hmac, Mac};
use kairr_shared::i18n::Locale;
use kairr_shared::notifications::{retry_after_seconds, MAX_DELIVERY_ATTEMPTS};
use kairr_shared::subscriptions::{follows, NewSubscription, StatusEvent, SubscriptionKind};
use serde::Serialize;
use sha2::Sha256;
use sqlx::Row;

use crate::storage::{with_db, Storage};

/// Seconds a replica holds a claimed delivery (longer than one attempt may take).
const CLAIM_SECONDS: i64 = 120;
/// Pending e-mail subscriptions one address may have from the last day: a
/// stranger cannot make the portal mail someone more than this.
const MAX_PENDING_PER_ADDRESS: i64 = 3;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Manage,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Manage => "manage",
        }
    }
}

/// Makes and checks the tokens of subscription links.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

impl LinkKey {
    /// The replicas' shared key.
    pub async fn of(storage: &Storage) -> anyhow::Result<LinkKey> {
        Ok(LinkKey(storage.server_key("subscriptions").await?.into_bytes()))
    }

    fn mac(&self, purpose: Purpose, id: i64) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else { return String::new() };
        mac.update(format!("kairr-subscription-v1\0{}\0{id}", purpose.as_str()).as_bytes());
        crate::auth::hex(&mac.finalize().into_bytes()[..20])
    }

    /// `id.mac`.
    pub fn token(&self, purpose: Purpose, id: i64) -> String {
        format!("{id}.{}", self.mac(purpose, id))
    }

    /// The subscription a token names, if its MAC holds.
    pub fn check(&self, purpose: Purpose, token: &str) -> Option<i64> {
        let (id, mac) = token.trim().split_once('.')?;
        let id: i64 = id.parse().ok().filter(|i| *i > 0)?;
        crate::auth::same_token(mac, &self.mac(purpose, id)).then_some(id)
    }
}

/// A subscription as its pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SubscriptionView {
    pub kind: SubscriptionKind,
    /// The address, partly hidden (`k***@example.kr`), or the webhook's host.
    pub target: String,
    pub systems: Vec<String>,
    /// `pending`, `active` or `unsubscribed`.
    pub state: String,
}

fn masked(kind: SubscriptionKind, target: &str) -> String {
    match kind {
        SubscriptionKind::Email => match target.split_once('@') {
            Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
            None => "***".into(),
        },
        SubscriptionKind::Webhook => {
            target.split("://").nth(1).and_then(|r| r.split(['/', '?']).next()).unwrap_or("***").to_owned()
        }
    }
}

/// One message owed: the opt-in e-mail (`event` none) or an event.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub subscription: i64,
    pub kind: SubscriptionKind,
    pub target: String,
    pub locale: Locale,
    pub secret: Option<String>,
    /// The systems it follows (empty: every system).
    pub systems: Vec<String>,
    pub event: Option<StatusEvent>,
    pub attempts: u32,
    pub lease: i64,
}

impl Storage {
    /// Stores `sub`: a webhook active at once with `secret`, an e-mail
    /// pending with its opt-in e-mail owed. `None` when the address already
    /// has [`MAX_PENDING_PER_ADDRESS`] unconfirmed subscriptions from the
    /// last day (nothing stored, nothing sent).
    pub async fn subscribe(
        &self,
        sub: &NewSubscription,
        secret: Option<&str>,
        now: i64,
    ) -> anyhow::Result<Option<i64>> {
        const PENDING: &str =
            "SELECT COUNT(*) FROM subscriptions WHERE kind = 'email' AND target = $1 AND state = 'pending' AND created_at > $2";
        const INSERT: &str =
            "INSERT INTO subscriptions (kind, target, systems, locale, state, secret, created_at, confirmed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        const OWE: &str =
            "INSERT INTO deliveries (subscription_id, event_key, next_attempt_at) VALUES ($1, 'confirm', $2)";
        let email = sub.kind == SubscriptionKind::Email;
        let systems = serde_json::to_string(&sub.systems)?;
        with_db!(self.db(), |p| {
            // A write transaction from the start (SQLite: BEGIN IMMEDIATE), so the count holds for the insert.
            let mut tx = crate::programme::write::BeginWrite::begin_new(p).await?;
            if email {
                let n: i64 =
                    sqlx::query_scalar(PENDING).bind(&sub.target).bind(now - 86_400).fetch_one(&mut *tx).await?;
                if n >= MAX_PENDING_PER_ADDRESS {
                    return Ok(None);
                }
            }
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(sub.kind.as_str())
                .bind(&sub.target)
                .bind(&systems)
                .bind(sub.locale.tag())
                .bind(if email { "pending" } else { "active" })
                .bind(secret)
                .bind(now)
                .bind((!email).then_some(now))
                .fetch_one(&mut *tx)
                .await?;
            if email {
                sqlx::query(OWE).bind(id).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Subscription `id` as its pages show it.
    pub async fn subscription(&self, id: i64) -> anyhow::Result<Option<SubscriptionView>> {
        const SQL: &str = "SELECT kind, target, systems, state FROM subscriptions WHERE id = $1";
        with_db!(self.db(), |p| {
            let Some(row) = sqlx::query(SQL).bind(id).fetch_optional(p).await? else { return Ok(None) };
            let kind = SubscriptionKind::parse(&row.try_get::<String, _>("kind")?).unwrap_or(SubscriptionKind::Email);
            let target: String = row.try_get("target")?;
            Ok(Some(SubscriptionView {
                kind,
                target: masked(kind, &target),
                systems: serde_json::from_str(&row.try_get::<String, _>("systems")?).unwrap_or_default(),
                state: row.try_get("state")?,
            }))
        })
    }

    /// The address owner opened the opt-in link: a pending subscription
    /// becomes active (again: nothing changes; an ended one stays ended).
    pub async fn confirm_subscription(&self, id: i64, now: i64) -> anyhow::Result<Option<SubscriptionView>> {
        const SQL: &str =
            "UPDATE subscriptions SET state = 'active', confirmed_at = $1 WHERE id = $2 AND state = 'pending'";
        with_db!(self.db(), |p| sqlx::query(SQL).bind(now).bind(id).execute(p).await?.rows_affected());
        self.subscription(id).await
    }

    /// Ends subscription `id` (again: nothing changes); what it was still owed is cancelled.
    pub async fn unsubscribe(&self, id: i64, now: i64) -> anyhow::Result<Option<SubscriptionView>> {
        const END: &str =
            "UPDATE subscriptions SET state = 'unsubscribed', ended_at = $1 WHERE id = $2 AND state <> 'unsubscribed'";
        const CANCEL: &str =
            "UPDATE deliveries SET status = 'cancelled' WHERE subscription_id = $1 AND status = 'pending'";
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            sqlx::query(END).bind(now).bind(id).execute(&mut *tx).await?;
            sqlx::query(CANCEL).bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        self.subscription(id).await
    }

    /// Records `events`; each one not seen before is owed, in the same
    /// transaction, to every active subscription that follows its system.
    /// Returns how many deliveries were added.
    pub async fn record_status_events(&self, events: &[StatusEvent], now: i64) -> anyhow::Result<usize> {
        const SEEN: &str = "INSERT INTO status_events (event_key, system_id, seen_at, body) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (event_key) DO NOTHING";
        const ACTIVE: &str = "SELECT id, systems FROM subscriptions WHERE state = 'active'";
        const OWE: &str = "INSERT INTO deliveries (subscription_id, event_key, next_attempt_at) VALUES ($1, $2, $3) \
             ON CONFLICT (subscription_id, event_key) DO NOTHING";
        let mut owed = 0;
        for event in events {
            let body = serde_json::to_string(event)?;
            owed += with_db!(self.db(), |p| {
                let mut tx = p.begin().await?;
                let new = sqlx::query(SEEN)
                    .bind(&event.key)
                    .bind(&event.system_id)
                    .bind(now)
                    .bind(&body)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let mut n = 0;
                if new == 1 {
                    for row in sqlx::query(ACTIVE).fetch_all(&mut *tx).await? {
                        let systems: Vec<String> =
                            serde_json::from_str(&row.try_get::<String, _>("systems")?).unwrap_or_default();
                        if follows(&systems, event) {
                            let id: i64 = row.try_get("id")?;
                            n += sqlx::query(OWE)
                                .bind(id)
                                .bind(&event.key)
                                .bind(now)
                                .execute(&mut *tx)
                                .await?
                                .rows_affected();
                        }
                    }
                }
                tx.commit().await?;
                n
            });
        }
        Ok(usize::try_from(owed).unwrap_or(usize::MAX))
    }

    /// Claims the next delivery that is due (a conditional update with a
    /// lease, so no two replicas hold it); one whose subscription ended is cancelled.
    pub async fn claim_delivery(&self, now: i64) -> anyhow::Result<Option<Delivery>> {
        const DUE: &str = "SELECT d.id, d.subscription_id, d.attempts, s.kind, s.target, s.locale, s.state, s.secret, \
             s.systems, e.body FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id \
             LEFT JOIN status_events e ON e.event_key = d.event_key \
             WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND d.claimed_until < $1 \
             ORDER BY d.next_attempt_at, d.id LIMIT 5";
        const CLAIM: &str =
            "UPDATE deliveries SET claimed_until = $1 WHERE id = $2 AND status = 'pending' AND claimed_until < $3";
        const CANCEL: &str = "UPDATE deliveries SET status = 'cancelled' WHERE id = $1 AND status = 'pending'";
        const GIVE_UP: &str =
            "UPDATE deliveries SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'pending'";
        let lease = now + CLAIM_SECONDS;
        with_db!(self.db(), |p| {
            for r in sqlx::query(DUE).bind(now).fetch_all(p).await? {
                let id: i64 = r.try_get("id")?;
                let kind = SubscriptionKind::parse(&r.try_get::<String, _>("kind")?);
                let state: String = r.try_get("state")?;
                let Some(kind) = kind.filter(|_| state != "unsubscribed") else {
                    sqlx::query(CANCEL).bind(id).execute(p).await?;
                    continue;
                };
                if sqlx::query(CLAIM).bind(lease).bind(id).bind(now).execute(p).await?.rows_affected() != 1 {
                    continue;
                }
                let body: Option<String> = r.try_get("body")?;
                let event = match body.map(|b| serde_json::from_str::<StatusEvent>(&b)).transpose() {
                    Ok(e) => e,
                    Err(e) => {
                        // Never readable (a newer replica's event kind, say): given up, not retried forever.
                        tracing::warn!(delivery = id, error = %e, "status event unreadable: delivery given up");
                        sqlx::query(GIVE_UP).bind(id).bind(e.to_string()).execute(p).await?;
                        continue;
                    }
                };
                return Ok(Some(Delivery {
                    id,
                    subscription: r.try_get("subscription_id")?,
                    kind,
                    target: r.try_get("target")?,
                    locale: Locale::from_tag(&r.try_get::<String, _>("locale")?).unwrap_or_default(),
                    secret: r.try_get("secret")?,
                    systems: serde_json::from_str(&r.try_get::<String, _>("systems")?).unwrap_or_default(),
                    event,
                    attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(0),
                    lease,
                }));
            }
            Ok(None)
        })
    }

    /// `d` was accepted by the mail server or the webhook; recorded while the lease holds.
    pub async fn delivery_sent(&self, d: &Delivery, now: i64) -> anyhow::Result<()> {
        self.mark_sent("deliveries", d.id, d.lease, now).await
    }

    /// `d` failed: retried with backoff, or given up (at once when `permanent`).
    pub async fn delivery_failed(&self, d: &Delivery, error: &str, permanent: bool, now: i64) -> anyhow::Result<()> {
        self.mark_failed("deliveries", (d.id, d.lease, d.attempts), error, permanent, now).await
    }
}

impl Storage {
    /// Marks row `id` of outbox-like `table` sent, if this replica still holds its lease.
    pub(crate) async fn mark_sent(&self, table: &'static str, id: i64, lease: i64, now: i64) -> anyhow::Result<()> {
        let sql = format!(
            "UPDATE {table} SET status = 'sent', sent_at = $1, attempts = attempts + 1 \
             WHERE id = $2 AND status = 'pending' AND claimed_until = $3"
        );
        with_db!(self.db(), |p| sqlx::query(&sql).bind(now).bind(id).bind(lease).execute(p).await?.rows_affected());
        Ok(())
    }

    /// Reschedules row `id` (held with `lease`, tried `attempts` times) of
    /// outbox-like `table` with backoff, or gives it up after
    /// [`MAX_DELIVERY_ATTEMPTS`] (at once when `permanent`).
    pub(crate) async fn mark_failed(
        &self,
        table: &'static str,
        (id, lease, attempts): (i64, i64, u32),
        error: &str,
        permanent: bool,
        now: i64,
    ) -> anyhow::Result<()> {
        let tried = attempts + 1;
        let status = if permanent || tried >= MAX_DELIVERY_ATTEMPTS { "failed" } else { "pending" };
        let error: String = error.chars().take(500).collect();
        let sql = format!(
            "UPDATE {table} SET status = $1, attempts = $2, next_attempt_at = $3, claimed_until = 0, \
             last_error = $4 WHERE id = $5 AND status = 'pending' AND claimed_until = $6"
        );
        with_db!(self.db(), |p| sqlx::query(&sql)
            .bind(status)
            .bind(i64::from(tried))
            .bind(now + retry_after_seconds(attempts))
            .bind(&error)
            .bind(id)
            .bind(lease)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }
}

/// Reads the recent status records and records their new events (`seen`
/// spares the database the keys this replica already recorded).
pub async fn scan(storage: &Storage, seen: &mut HashSet<String>, now: i64) -> anyhow::Result<usize> {
    // Open ones whatever their age, and those resolved lately (an outage of weeks still ends with a notice).
    let incidents = storage.incidents_touched_since(now - 7 * 86_400).await?;
    let maintenance = storage.maintenance_between(now - 86_400, now + 366 * 86_400).await?;
    let events: Vec<StatusEvent> = kairr_shared::subscriptions::events_of(&incidents, &maintenance)
        .into_iter()
        .filter(|e| !seen.contains(&e.key))
        .collect();
    let owed = storage.record_status_events(&events, now).await?;
    seen.extend(events.into_iter().map(|e| e.key));
    Ok(owed)
}

/// Signs a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" under the secret>`.
pub fn signature(secret: &str, at: i64, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(format!("{at}.{body}").as_bytes());
    format!("t={at},v1={}", crate::auth::hex(&mac.finalize().into_bytes()))
}

/// Resolves host names to their public addresses only: a name that points
/// into the portal's own network (or is re-pointed there after it was
/// checked) is not called.
struct PublicAddresses;

impl reqwest::dns::Resolve for PublicAddresses {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let public: Vec<std::net::SocketAddr> =
                found.filter(|a| !kairr_shared::subscriptions::is_private_ip(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The HTTP client of webhooks: short timeouts, no redirects (a redirect
/// could lead into the portal's own network), and unless the settings allow
/// private addresses, a resolver that drops them.
pub fn webhook_client(policy: kairr_shared::subscriptions::WebhookPolicy) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("KAIRR-Webhook/1");
    if !policy.allow_private {
        builder = builder.dns_resolver(std::sync::Arc::new(PublicAddresses));
    }
    Ok(builder.build()?)
}

/// Posts `event` to webhook delivery `d`: `Ok` on a 2xx; an error says
/// whether to give up (410 Gone ends the subscription).
pub async fn post_webhook(
    client: &reqwest::Client,
    d: &Delivery,
    event: &StatusEvent,
    now: i64,
) -> Result<(), (bool, String)> {
    let body = serde_json::to_string(event).map_err(|e| (true, e.to_string()))?;
    let signed = signature(d.secret.as_deref().unwrap_or_default(), now, &body);
    let res = client
        .post(&d.target)
        .header("content-type", "application/json")
        .header("x-kairr-event", event.kind.as_str())
        .header("x-kairr-delivery", d.id.to_string())
        .header("x-kairr-signature", signed)
        .body(body)
        .send()
        .await
        .map_err(|e| (false, e.to_string()))?;
    match res.status().as_u16() {
        200..=299 => Ok(()),
        410 => Err((true, "410 Gone: the receiver ended the subscription".into())),
        code => Err((false, format!("HTTP {code}"))),
    }
}

/// Serves the subscriptions from the mail loop: records new status events
/// and sends what is due (at most 20 a tick).
pub struct Courier {
    http: reqwest::Client,
    seen: HashSet<String>,
}

impl Courier {
    pub fn new(policy: kairr_shared::subscriptions::WebhookPolicy) -> anyhow::Result<Courier> {
        Ok(Courier { http: webhook_client(policy)?, seen: HashSet::new() })
    }

    /// One round: scan, then deliver. E-mails wait while no mail server is configured.
    pub async fn tick(
        &mut self,
        state: &crate::state::AppState,
        mailer: Option<&crate::mail::Mailer>,
    ) -> anyhow::Result<()> {
        let now = chrono::Utc::now().timestamp();
        let owed = scan(&state.storage, &mut self.seen, now).await?;
        if owed > 0 {
            tracing::info!(owed, "status events owed to subscribers");
        }
        let key = LinkKey::of(&state.storage).await?;
        for _ in 0..20 {
            let Some(d) = state.storage.claim_delivery(chrono::Utc::now().timestamp()).await? else { break };
            let result = match (d.kind, &d.event, mailer) {
                (SubscriptionKind::Webhook, Some(event), _) => {
                    post_webhook(&self.http, &d, event, chrono::Utc::now().timestamp()).await
                }
                (SubscriptionKind::Webhook, None, _) => Err((true, "nothing to send".to_owned())),
                (SubscriptionKind::Email, _, Some(mailer)) => send_mail(mailer, &key, &d).await,
                (SubscriptionKind::Email, _, None) => Err((false, "no mail server is configured".to_owned())),
            };
            let now = chrono::Utc::now().timestamp();
            match result {
                Ok(()) => state.storage.delivery_sent(&d, now).await?,
                Err((permanent, e)) => {
                    tracing::warn!(delivery = d.id, attempts = d.attempts + 1, permanent, error = %e, "subscription not served");
                    state.storage.delivery_failed(&d, &e, permanent, now).await?;
                    if e.starts_with("410") {
                        state.storage.unsubscribe(d.subscription, now).await?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The opt-in e-mail or an event's, with its unsubscribe link.
async fn send_mail(mailer: &crate::mail::Mailer, key: &LinkKey, d: &Delivery) -> Result<(), (bool, String)> {
    use kairr_shared::subscriptions::{confirm_mail, event_mail};
    let base = mailer.public_url().trim_end_matches('/');
    let manage = key.token(Purpose::Manage, d.subscription);
    let (text, unsubscribe) = match &d.event {
        None => {
            let link = format!("{base}/subscriptions/confirm?token={}", key.token(Purpose::Confirm, d.subscription));
            (confirm_mail(d.locale, &d.systems, &link), None)
        }
        Some(event) => {
            let mut text = event_mail(event, d.locale, &format!("{base}{}", event.link));
            let page = format!("{base}/subscriptions/unsubscribe?token={manage}");
            let footer = match d.locale {
                Locale::Ko => "이 알림을 그만 받으려면:",
                Locale::En => "To stop these notices:",
            };
            text.body = format!("{}\n\n--\n{footer} {page}\n", text.body);
            // The page's address: a GET shows the button, the one-click POST (RFC 8058) unsubscribes.
            (text, Some(page))
        }
    };
    let message = mailer
        .plain(&d.target, &text, &format!("kairr-subscription-{}", d.id), unsubscribe.as_deref())
        .map_err(|e| (true, e.to_string()))?;
    mailer.send(message).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_their_subscription_and_purpose_only() {
        let key = LinkKey(b"test key".to_vec());
        let t = key.token(Purpose::Confirm, 42);
        assert_eq!(key.check(Purpose::Confirm, &t), Some(42));
        assert_eq!(key.check(Purpose::Manage, &t), None, "a confirmation link does not unsubscribe");
        let forged = t.replacen("42.", "43.", 1);
        assert_eq!(key.check(Purpose::Confirm, &forged), None);
        for bad in ["", "42", ".", "0.abc", "-1.abc", "x.y"] {
            assert_eq!(key.check(Purpose::Confirm, bad), None, "{bad}");
        }
        assert_eq!(LinkKey(b"other".to_vec()).check(Purpose::Confirm, &t), None);
    }

    #[test]
    fn a_signature_covers_the_time_and_the_body() {
        let s = signature("secret", 1_767_000_000, "{\"a\":1}");
        assert!(s.starts_with("t=1767000000,v1=") && s.len() == "t=1767000000,v1=".len() + 64, "{s}");
        assert_ne!(s, signature("secret", 1_767_000_001, "{\"a\":1}"));
        assert_ne!(s, signature("secret", 1_767_000_000, "{\"a\":2}"));
        assert_ne!(s, signature("other", 1_767_000_000, "{\"a\":1}"));
    }

    #[test]
    fn pages_show_addresses_partly() {
        assert_eq!(masked(SubscriptionKind::Email, "kim@example.kr"), "k***@example.kr");
        assert_eq!(masked(SubscriptionKind::Webhook, "https://hooks.example.kr/x?k=1"), "hooks.example.kr");
    }
}
