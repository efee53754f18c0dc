//! Status-page subscriptions (issue 10 §3): anyone can follow incidents and
//! maintenance of chosen systems by e-mail (double opt-in, one-click
//! unsubscribe) or by webhook (signed payloads, retried). This module is the
//! pure part: what a subscription request must hold, which events the status
//! records make (each once, by a stable key), who gets which, and what the
//! e-mails and webhook payloads say. Storage, delivery and signing are the
//! server's.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::api::{DataSource, Incident, IncidentState, Maintenance};
use crate::display::format::kst_minute;
use crate::display::labels;
use crate::i18n::Locale;
use crate::notifications::valid_email;

/// Longest webhook address accepted.
pub const MAX_URL_LEN: usize = 2_000;
/// Most systems one subscription names (none: every system).
pub const MAX_SYSTEMS: usize = 32;

/// How a subscriber is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionKind {
    Email,
    Webhook,
}

impl SubscriptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionKind::Email => "email",
            SubscriptionKind::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Option<SubscriptionKind> {
        match s {
            "email" => Some(SubscriptionKind::Email),
            "webhook" => Some(SubscriptionKind::Webhook),
            _ => None,
        }
    }
}

/// `POST /api/v1/subscriptions` (and the subscription form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SubscribeInput {
    /// `email` or `webhook`.
    pub kind: String,
    /// The e-mail address, or the webhook's `https://` address.
    pub target: String,
    /// System ids to follow; empty: every system.
    pub systems: Vec<String>,
    /// `ko` (default) or `en`: the e-mails' language.
    pub locale: String,
}

/// A subscription request that holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    pub kind: SubscriptionKind,
    /// E-mail addresses lower-cased.
    pub target: String,
    /// Sorted, without repeats; empty: every system.
    pub systems: Vec<String>,
    pub locale: Locale,
}

/// Where webhooks may point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WebhookPolicy {
    /// Plain `http://` allowed (tests and closed networks only).
    pub allow_http: bool,
    /// Loopback and private addresses allowed (tests only: otherwise the
    /// portal could be made to call its own network).
    pub allow_private: bool,
}

impl SubscribeInput {
    /// Checks the request against the `known` system ids and the webhook policy.
    pub fn parse(&self, known: &[&str], policy: WebhookPolicy) -> Result<NewSubscription, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = SubscriptionKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(
                "kind",
                Code::UnknownValue,
                "전자우편 또는 웹훅 중 하나를 고르세요.".into(),
                "Choose e-mail or webhook.".into(),
            );
        }
        let target = self.target.trim();
        let target = match kind {
            Some(SubscriptionKind::Email) if valid_email(target) => Some(target.to_lowercase()),
            Some(SubscriptionKind::Email) => {
                crate::notifications::refuse_email(&mut errors, "target");
                None
            }
            Some(SubscriptionKind::Webhook) => match webhook_problem(target, policy) {
                None => Some(target.to_owned()),
                Some((ko, en)) => {
                    errors.push("target", Code::UnknownValue, ko.into(), en.into());
                    None
                }
            },
            None => None,
        };
        let mut systems: Vec<String> = Vec::new();
        for s in self.systems.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).take(MAX_SYSTEMS + 1) {
            if !known.contains(&s) {
                let (ko, en) = (format!("알 수 없는 시스템입니다: {s}"), format!("Unknown system: {s}"));
                errors.push("systems", Code::UnknownValue, ko, en);
            } else if !systems.iter().any(|x| x == s) {
                systems.push(s.to_owned());
            }
        }
        if self.systems.len() > MAX_SYSTEMS {
            let n = MAX_SYSTEMS;
            errors.push(
                "systems",
                Code::OutOfRange,
                format!("시스템은 {n}개까지입니다."),
                format!("At most {n} systems."),
            );
        }
        systems.sort();
        let locale = match self.locale.trim() {
            "" => Some(Locale::Ko),
            tag => Locale::from_tag(tag),
        };
        if locale.is_none() {
            errors.push("locale", Code::UnknownValue, "ko 또는 en이어야 합니다.".into(), "Must be ko or en.".into());
        }
        match (kind, target, locale) {
            (Some(kind), Some(target), Some(locale)) if errors.is_empty() => {
                Ok(NewSubscription { kind, target, systems, locale })
            }
            _ => Err(errors),
        }
    }
}

/// Why `url` cannot be a webhook address, in Korean and English. The
/// address is read as the HTTP client will read it (WHATWG URL parsing:
/// `127.1`, `0x7f.1`, `2130706433`, percent-encoded or backslashed hosts
/// are all the loopback address), so the host checked is the host called.
/// Host names are checked again when they are resolved (the server's
/// resolver drops private addresses).
fn webhook_problem(raw: &str, policy: WebhookPolicy) -> Option<(&'static str, &'static str)> {
    if raw.len() > MAX_URL_LEN || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(("주소가 너무 길거나 공백을 담고 있습니다.", "The address is too long or holds spaces."));
    }
    let Ok(url) = url::Url::parse(raw) else {
        return Some(("올바른 주소가 아닙니다.", "Not a valid address."));
    };
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_http => {}
        _ => return Some(("https:// 주소여야 합니다.", "Must be an https:// address.")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Some(("주소에 사용자 정보를 넣을 수 없습니다.", "The address may not carry user information."));
    }
    let private = match url.host() {
        None => return Some(("주소에 호스트가 없습니다.", "The address has no host.")),
        Some(url::Host::Ipv4(ip)) => is_private_ip(std::net::IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private_ip(std::net::IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            // A name without a dot is resolved through the local search domains.
            !d.contains('.') || d.ends_with(".localhost") || d.ends_with(".local") || d.ends_with(".internal")
        }
    };
    if private && !policy.allow_private {
        return Some((
            "내부망·루프백 주소로는 보낼 수 없습니다.",
            "Loopback and private network addresses are not allowed.",
        ));
    }
    None
}

/// Loopback, private, shared (CGNAT), link-local, unspecified, multicast,
/// broadcast, documentation or translated addresses: none a public webhook has.
pub fn is_private_ip(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19))
                || o[0] >= 240
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80
                || (seg[0] == 0x64 && seg[1] == 0xff9b)
                || (seg[0] == 0x2001 && seg[1] == 0x0db8)
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private_ip(IpAddr::V4(v4)))
                || (seg[..6] == [0, 0, 0, 0, 0, 0])
        }
    }
}

/// What happened on the status page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    IncidentOpened,
    IncidentUpdated,
    IncidentResolved,
    MaintenanceScheduled,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::IncidentOpened => "incident_opened",
            EventKind::IncidentUpdated => "incident_updated",
            EventKind::IncidentResolved => "incident_resolved",
            EventKind::MaintenanceScheduled => "maintenance_scheduled",
        }
    }
}

/// One event subscribers hear of, once: its `key` is stable however often
/// the records are read (an incident's n-th update, a maintenance window).
/// It is also the webhook's payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusEvent {
    pub key: String,
    pub kind: EventKind,
    pub system_id: String,
    pub pool_id: String,
    pub title_ko: String,
    pub title_en: String,
    /// The update's text (incidents), empty for maintenance.
    pub body_ko: String,
    pub body_en: String,
    /// When it happened (the update), or when the maintenance starts.
    pub at: DateTime<Utc>,
    /// The maintenance window's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    /// The incident's state after this update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<IncidentState>,
    /// Path of the page that shows it (on the portal).
    pub link: String,
    /// Demo, detected or posted by an operator.
    pub source: DataSource,
}

/// The events `incidents` and `maintenance` make: one per incident update
/// (the first opens it, a resolved one closes it) and one per window.
pub fn events_of(incidents: &[Incident], maintenance: &[Maintenance]) -> Vec<StatusEvent> {
    let mut out = Vec::new();
    for i in incidents {
        let base =
            |k: usize, kind: EventKind, at: DateTime<Utc>, state: IncidentState, ko: &str, en: &str| StatusEvent {
                key: format!("incident:{}:{k}", i.id),
                kind,
                system_id: i.system_id.clone(),
                pool_id: i.pool_id.clone(),
                title_ko: i.title_ko.clone(),
                title_en: i.title_en.clone(),
                body_ko: ko.to_owned(),
                body_en: en.to_owned(),
                at,
                ends_at: None,
                state: Some(state),
                link: "/#incidents".into(),
                source: i.source,
            };
        if i.updates.is_empty() {
            out.push(base(0, EventKind::IncidentOpened, i.started_at, i.state, "", ""));
        }
        for (k, u) in i.updates.iter().enumerate() {
            let kind = match (k, u.state) {
                (_, IncidentState::Resolved) => EventKind::IncidentResolved,
                (0, _) => EventKind::IncidentOpened,
                _ => EventKind::IncidentUpdated,
            };
            out.push(base(k, kind, u.at, u.state, &u.body_ko, &u.body_en));
        }
    }
    for m in maintenance {
        out.push(StatusEvent {
            key: format!("maintenance:{}", m.id),
            kind: EventKind::MaintenanceScheduled,
            system_id: m.system_id.clone(),
            pool_id: m.pool_id.clone(),
            title_ko: m.title_ko.clone(),
            title_en: m.title_en.clone(),
            body_ko: String::new(),
            body_en: String::new(),
            at: m.starts_at,
            ends_at: Some(m.ends_at),
            state: None,
            link: "/#maintenance".into(),
            source: m.source,
        });
    }
    out
}

/// Whether a subscription to `systems` (empty: all) hears of `event`.
pub fn follows(systems: &[String], event: &StatusEvent) -> bool {
    systems.is_empty() || systems.contains(&event.system_id)
}

/// An e-mail's subject and body (without the unsubscribe footer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// The e-mail telling of `event` in `loc`; `link` is the page's full address.
pub fn event_mail(event: &StatusEvent, loc: Locale, link: &str) -> MailText {
    let ko = loc == Locale::Ko;
    let title = if ko { &event.title_ko } else { &event.title_en };
    let demo = if event.source == DataSource::Demo {
        if ko {
            " (데모)"
        } else {
            " (demo)"
        }
    } else {
        ""
    };
    let what = match (event.kind, ko) {
        (EventKind::IncidentOpened, true) => "장애 발생",
        (EventKind::IncidentOpened, false) => "Incident",
        (EventKind::IncidentUpdated, true) => "장애 진행 상황",
        (EventKind::IncidentUpdated, false) => "Incident update",
        (EventKind::IncidentResolved, true) => "장애 해결",
        (EventKind::IncidentResolved, false) => "Incident resolved",
        (EventKind::MaintenanceScheduled, true) => "정기 점검 예정",
        (EventKind::MaintenanceScheduled, false) => "Maintenance scheduled",
    };
    let mut lines = vec![format!("{what}{demo}: {title}")];
    lines.push(format!("{}: {}", if ko { "시스템" } else { "System" }, event.system_id));
    match event.ends_at {
        Some(end) => lines.push(format!(
            "{}: {} – {}",
            if ko { "점검 시간" } else { "Window" },
            kst_minute(event.at),
            kst_minute(end)
        )),
        None => lines.push(format!("{}: {}", if ko { "시각" } else { "At" }, kst_minute(event.at))),
    }
    if let Some(state) = event.state {
        lines.push(format!("{}: {}", if ko { "상태" } else { "State" }, labels::incident_state(loc, state)));
    }
    let text = if ko { &event.body_ko } else { &event.body_en };
    if !text.is_empty() {
        lines.push(String::new());
        lines.push(text.clone());
    }
    lines.push(String::new());
    lines.push(link.to_owned());
    MailText { subject: format!("[KAIRR] {what}{demo}: {title}"), body: lines.join("\n") }
}

/// The opt-in e-mail: `link` confirms the subscription.
pub fn confirm_mail(loc: Locale, systems: &[String], link: &str) -> MailText {
    let which = if systems.is_empty() {
        if loc == Locale::Ko {
            "모든 시스템".to_owned()
        } else {
            "every system".to_owned()
        }
    } else {
        systems.join(", ")
    };
    match loc {
        Locale::Ko => MailText {
            subject: "[KAIRR] 장애·점검 알림 구독을 확인해 주세요".into(),
            body: format!(
                "국가 AI 연구자원 현황(KAIRR)의 장애·점검 알림({which}) 구독 신청을 받았습니다.\n\
                 아래 주소를 열어 확인하면 알림이 시작됩니다. 신청하지 않으셨다면 이 메일을 무시하세요. \
                 확인하지 않으면 아무 메일도 더 보내지 않습니다.\n\n{link}"
            ),
        },
        Locale::En => MailText {
            subject: "[KAIRR] Please confirm your status subscription".into(),
            body: format!(
                "We received a request to send incident and maintenance notices of KAIRR ({which}) to this address.\n\
                 Open the address below to confirm. If you did not ask for this, ignore this e-mail: \
                 nothing more is sent unless you confirm.\n\n{link}"
            ),
        },
    }
}

/// The answer to a subscription request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscribed {
    pub kind: SubscriptionKind,
    /// `pending` (an e-mail awaits confirmation) or `active` (a webhook).
    pub state: String,
    /// Webhooks only, shown once: the key of the `X-KAIRR-Signature` HMAC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Webhooks only, shown once: `POST /api/v1/subscriptions/unsubscribe?token=` ends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_token: Option<String>,
}

#[cfg(test)]
mod tests;
