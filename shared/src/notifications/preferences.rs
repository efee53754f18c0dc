//! A person's notices as the API lists them, their preferences, and the
//! e-mail rules the preferences and subscriptions share.

use serde::{Deserialize, Serialize};

use super::*;

/// One notice of a person's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredNotice {
    pub id: i64,
    pub notice: Notice,
    pub read: bool,
}

/// `GET /api/v1/me/notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    /// Newest first, at most 100.
    pub items: Vec<StoredNotice>,
    pub unread: u64,
    /// Where e-mail goes (none: only in the portal).
    pub email: Option<String>,
    /// The language of e-mails (`ko` or `en`).
    pub locale: String,
}

/// `POST /api/v1/me/notifications/read`: which notices were read (none named: all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MarkRead {
    /// At most 100 ids; empty or absent: every notice.
    pub ids: Vec<i64>,
}

/// `PUT /api/v1/me/preferences`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Preferences {
    /// Where notices are e-mailed; empty: only in the portal.
    pub email: String,
    /// `ko` or `en`: the language of e-mails.
    pub locale: String,
}

impl Preferences {
    /// The address (none: notices stay in the portal) and the e-mails'
    /// language, or every field that is not valid, in words for the form.
    pub fn read(&self) -> Result<(Option<String>, Locale), crate::advisor::FieldErrors> {
        use crate::advisor::field_error::FieldErrorCode as Code;
        let mut errors = crate::advisor::FieldErrors::default();
        let email = self.email.trim();
        if !email.is_empty() && !valid_email(email) {
            refuse_email(&mut errors, "email");
        }
        let locale = Locale::from_tag(self.locale.trim());
        if locale.is_none() {
            errors.push(
                "locale",
                Code::UnknownValue,
                "한국어 또는 영어를 고르세요.".into(),
                "Choose Korean or English.".into(),
            );
        }
        match locale {
            Some(l) if errors.is_empty() => Ok(((!email.is_empty()).then(|| email.to_owned()), l)),
            _ => Err(errors),
        }
    }
}

/// Longest e-mail address kept.
pub const MAX_EMAIL_LEN: usize = 254;

/// True for an address e-mail can be sent to: one `@` between a non-empty
/// local part and a dotted domain, no spaces, control or bracket characters
/// (nothing that could add a header or a second recipient).
pub fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else { return false };
    address.len() <= MAX_EMAIL_LEN
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"' | '(' | ')'))
}

/// Refuses `field` as an address [`valid_email`] turned down, in the words
/// every form that asks for an e-mail address uses.
pub fn refuse_email(errors: &mut crate::advisor::FieldErrors, field: &str) {
    errors.push(
        field,
        crate::advisor::field_error::FieldErrorCode::UnknownValue,
        "올바른 전자우편 주소를 입력하세요.".into(),
        "Enter a valid e-mail address.".into(),
    );
}

/// Seconds to wait before delivery attempt `attempts + 1` after `attempts`
/// failures: 30 s doubling, at most an hour.
pub fn retry_after_seconds(attempts: u32) -> i64 {
    30_i64.saturating_mul(1_i64 << attempts.min(7)).min(3_600)
}

/// Delivery attempts after which an e-mail is given up (about a day of retries).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 30;
