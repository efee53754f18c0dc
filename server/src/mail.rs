//! The mailer: drains the e-mail outbox ([`crate::notify`]) through SMTP
//! with `lettre`. Every replica runs it; each e-mail is claimed with a lease
//! before it is sent (a conditional update), so no two replicas send the
//! same one. A mail server that is down or refuses delays delivery (retried
//! with backoff from 30 s to an hour, given up after about a day and then
//! shown as `failed`); nothing is lost. An e-mail is marked sent once the
//! server accepted it; should a replica die in between, it is sent once
//! more with the same `Message-ID`, so mail systems can tell.
//!
//! The same loop stores the timed notices once an hour (reviews due,
//! allocations ending or idle), and serves the status-page subscriptions
//! ([`crate::subscriptions`]): new status events become deliveries, which
//! go out by e-mail or webhook.

use std::time::Duration;

use kairr_shared::i18n::Locale;
use kairr_shared::notifications::render;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::notify::Outgoing;
use crate::settings::Secret;
use crate::state::AppState;

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MailSecurity {
    /// Plain SMTP (a relay on the same host or network only).
    None,
    /// STARTTLS on the submission port (587), required.
    #[default]
    Starttls,
    /// TLS from the first byte (465).
    Tls,
}

/// `[mail]`: where e-mail goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    pub smtp_host: String,
    /// Default: 587 with STARTTLS, 465 with TLS, 25 without.
    #[serde(default)]
    pub smtp_port: Option<u16>,
    #[serde(default)]
    pub security: MailSecurity,
    /// The sender, e.g. `KAIRR <noreply@kairr.example.kr>`.
    pub from: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
    /// Seconds between looks at the outbox.
    #[serde(default = "default_poll")]
    pub poll_seconds: u32,
}

fn default_poll() -> u32 {
    5
}

/// Sends e-mails for one configured mail server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
    host: String,
}

impl Mailer {
    pub fn new(settings: &MailSettings, public_url: &str) -> anyhow::Result<Mailer> {
        let builder = match settings.security {
            MailSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.smtp_host),
            MailSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.smtp_host)?,
            MailSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.smtp_host)?,
        };
        let mut builder = builder.timeout(Some(Duration::from_secs(30)));
        if let Some(port) = settings.smtp_port {
            builder = builder.port(port);
        }
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        let host = public_url.split("://").nth(1).unwrap_or("kairr").split(['/', ':']).next().unwrap_or("kairr");
        Ok(Mailer {
            transport: builder.build(),
            from: settings.from.parse()?,
            public_url: public_url.to_owned(),
            host: host.to_owned(),
        })
    }

    /// The e-mail of `out`, in the recipient's language.
    pub fn message(&self, out: &Outgoing, pool_name: &dyn Fn(&str) -> String) -> anyhow::Result<Message> {
        let text = render(&out.notice, out.locale, pool_name);
        let footer = match out.locale {
            Locale::Ko => "이 메일은 국가 AI 연구자원 포털(KAIRR)이 보냈습니다. 알림 설정은 포털의 알림 페이지에서 바꿀 수 있습니다.",
            Locale::En => "This e-mail was sent by KAIRR, the national AI research compute portal. Change what you receive on the portal's notifications page.",
        };
        let body = format!("{}\n\n{}{}\n\n--\n{footer}\n", text.body, self.public_url, text.link);
        Ok(Message::builder()
            .from(self.from.clone())
            .to(out.to.parse()?)
            .subject(format!("[KAIRR] {}", text.subject))
            .message_id(Some(format!("<kairr-outbox-{}@{}>", out.id, self.host)))
            .header(ContentType::TEXT_PLAIN)
            .body(body)?)
    }
}

impl Mailer {
    /// The portal's address, as links in e-mails start.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// A plain-text e-mail to `to`; with `unsubscribe` (a full address) it
    /// carries the one-click unsubscribe headers of RFC 8058.
    pub fn plain(
        &self,
        to: &str,
        text: &kairr_shared::subscriptions::MailText,
        message_id: &str,
        unsubscribe: Option<&str>,
    ) -> anyhow::Result<Message> {
        use lettre::message::header::{HeaderName, HeaderValue};
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(text.subject.clone())
            .message_id(Some(format!("<{message_id}@{}>", self.host)))
            .header(ContentType::TEXT_PLAIN);
        if let Some(url) = unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        Ok(builder.body(text.body.clone())?)
    }

    /// Sends `message`; an error says whether the server refused it for good.
    pub async fn send(&self, message: Message) -> Result<(), (bool, String)> {
        self.transport.send(message).await.map(|_| ()).map_err(|e| (e.is_permanent(), e.to_string()))
    }
}

/// Delivers the outbox, and stores the timed notices hourly, until the task is aborted.
pub async fn run(state: AppState, mailer: Option<Mailer>, poll: Duration) {
    let mut last_scan = None::<std::time::Instant>;
    let mut subscriptions = match crate::subscriptions::Courier::new(state.settings.webhooks.policy()) {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::error!(error = %e, "no HTTP client for webhooks: status subscriptions are not served");
            None
        }
    };
    loop {
        if last_scan.is_none_or(|t| t.elapsed() >= Duration::from_secs(3_600)) {
            let stored = match crate::provision::metering(&state.storage, &state.settings, false).await {
                Ok(metering) => state.storage.store_due_notices(chrono::Utc::now(), &metering).await,
                Err(e) => Err(e),
            };
            match stored {
                Ok(n) if n > 0 => tracing::info!(new = n, "timed notices stored"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "timed notices not stored"),
            }
            last_scan = Some(std::time::Instant::now());
        }
        if let Some(mailer) = &mailer {
            if let Err(e) = deliver(&state, mailer).await {
                tracing::warn!(error = %e, "outbox not read");
            }
        }
        if let Some(courier) = subscriptions.as_mut() {
            if let Err(e) = courier.tick(&state, mailer.as_ref()).await {
                tracing::warn!(error = %e, "status subscriptions not served");
            }
        }
        tokio::time::sleep(poll).await;
    }
}

/// Sends what is due now (at most 20), claiming each e-mail just before it
/// is sent; each is marked sent or rescheduled.
pub async fn deliver(state: &AppState, mailer: &Mailer) -> anyhow::Result<usize> {
    let catalogue = state.catalogue.clone();
    let mut sent = 0;
    for _ in 0..20 {
        let Some(out) = state.storage.claim_outgoing(chrono::Utc::now().timestamp()).await? else { break };
        let pool_name = |id: &str| {
            let (ko, en) = catalogue.pool_names(id).unwrap_or_default();
            kairr_shared::display::labels::pool_name(out.locale, id, &ko, &en)
        };
        // A message that cannot be built (an address the mail library refuses) never will be.
        let result = match mailer.message(&out, &pool_name) {
            Ok(m) => mailer.transport.send(m).await.map_err(|e| (e.is_permanent(), e.to_string())),
            Err(e) => Err((true, e.to_string())),
        };
        let now = chrono::Utc::now().timestamp();
        match result {
            Ok(_) => {
                state.storage.outgoing_sent(&out, now).await?;
                sent += 1;
            }
            Err((permanent, e)) => {
                tracing::warn!(outbox = out.id, attempts = out.attempts + 1, permanent, error = %e, "e-mail not delivered");
                state.storage.outgoing_failed(&out, &e, permanent, now).await?;
            }
        }
    }
    Ok(sent)
}
