//! The allocation period the committee grants with a decision: the period
//! asked unless the committee sets another, always inside the round's
//! allocation period; and the body of `POST …/requests/{id}/decision`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode, FieldErrors};
use crate::allocation::form::Form;
use crate::allocation::grant::Allocation;
use crate::allocation::request::{check_period, Request};
use crate::allocation::round::Round;

use super::DecisionInput;

/// The granted period as entered (`YYYY-MM-DD`); an empty field keeps the request's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PeriodInput {
    pub period_start: String,
    pub period_end: String,
}

/// The decision form: kind, amount and rationale, plus the granted period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DecisionRequest {
    #[serde(flatten)]
    pub decision: DecisionInput,
    #[serde(flatten)]
    pub period: PeriodInput,
    /// Admins only: why the decision is made before the review window
    /// closes (audited); empty otherwise.
    pub override_reason: String,
}

/// Longest override reason accepted.
const MAX_REASON_CHARS: usize = 1_000;

impl DecisionRequest {
    /// The admin's reason for deciding while the review window (open until
    /// `review_closes`) is still open: required, at most 1,000 characters,
    /// no control characters. The reason trimmed, to be audited.
    pub fn check_override_reason(reason: &str, review_closes: NaiveDate) -> Result<String, FieldErrors> {
        let reason = reason.trim();
        if reason.is_empty()
            || reason.chars().count() > MAX_REASON_CHARS
            || reason.chars().any(crate::allocation::form::forbidden_char)
        {
            let mut f = FieldErrors::default();
            f.push(
                "override_reason",
                FieldErrorCode::Required,
                format!("심사 기간({review_closes}까지) 중 결정하려면 사유를 {MAX_REASON_CHARS}자 이내로 적으세요."),
                format!(
                    "Deciding before the review window closes ({review_closes}) needs a reason of at most {MAX_REASON_CHARS} characters."
                ),
            );
            return Err(f);
        }
        Ok(reason.to_owned())
    }

    /// What the server would refuse in the form's own fields, checked before
    /// sending: the kind, amount and rationale for a request of `asked`
    /// units, the period against the period `asked_period` and the round's
    /// `round_period`, and, when `override_until` names the last day of a
    /// review window the decider (an admin) decides within, the override reason.
    pub fn field_problems(
        &self,
        asked: u64,
        asked_period: (NaiveDate, NaiveDate),
        round_period: (NaiveDate, NaiveDate),
        override_until: Option<NaiveDate>,
    ) -> FieldErrors {
        let mut errors = self.decision.field_problems(asked);
        errors.extend(self.period.field_problems(asked_period, round_period));
        if let Some(Err(e)) = override_until.map(|until| Self::check_override_reason(&self.override_reason, until)) {
            errors.extend(e);
        }
        errors
    }
}

impl PeriodInput {
    /// The granted first and last day: within the round's allocation period,
    /// the end not before the start; empty fields are the request's own days.
    pub fn parse(&self, request: &Request, round: &Round) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
        let mut f = Form::default();
        let days =
            self.read(&mut f, (request.period_start, request.period_end), (round.period_start, round.period_end));
        f.finish(days)
    }

    /// What [`PeriodInput::parse`] would refuse, for a request of the period
    /// `asked` in a round whose allocation period is `round` (first and last days).
    pub fn field_problems(&self, asked: (NaiveDate, NaiveDate), round: (NaiveDate, NaiveDate)) -> FieldErrors {
        let mut f = Form::default();
        self.read(&mut f, asked, round);
        f.errors
    }

    fn read(
        &self,
        f: &mut Form,
        asked: (NaiveDate, NaiveDate),
        round: (NaiveDate, NaiveDate),
    ) -> Option<(NaiveDate, NaiveDate)> {
        let day = |f: &mut Form, field: &str, text: &str, asked: NaiveDate| {
            if text.trim().is_empty() {
                Some(asked)
            } else {
                f.date(field, text)
            }
        };
        let start = day(f, "period_start", &self.period_start, asked.0);
        let end = day(f, "period_end", &self.period_end, asked.1);
        if let (Some(s), Some(e)) = (start, end) {
            check_period(f, round, s, e);
        }
        start.zip(end)
    }
}

impl Allocation {
    /// The same allocation over `start..=end` (the period the committee granted).
    pub fn over(self, start: NaiveDate, end: NaiveDate) -> Allocation {
        Allocation { start, end, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::request::tests::{request, round};

    fn period(start: &str, end: &str) -> PeriodInput {
        PeriodInput { period_start: start.into(), period_end: end.into() }
    }

    #[test]
    fn empty_fields_keep_the_period_asked_and_a_shorter_one_inside_the_round_is_granted() {
        let r = request(1);
        assert_eq!(period("", "").parse(&r, &round()), Ok((r.period_start, r.period_end)));
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(period("2026-04-01", "2026-04-30").parse(&r, &round()), Ok((d("2026-04-01"), d("2026-04-30"))));
    }

    #[test]
    fn a_period_outside_the_round_or_reversed_names_its_field() {
        let r = request(1);
        let e = period("2026-02-01", "").parse(&r, &round()).unwrap_err();
        assert!(e.get("period_start").is_some() && e.get("period_end").is_none());
        let e = period("2026-05-01", "2026-04-01").parse(&r, &round()).unwrap_err();
        assert!(e.get("period_end").is_some());
        let e = period("someday", "").parse(&r, &round()).unwrap_err();
        assert!(e.get("period_start").is_some());
    }

    #[test]
    fn the_form_reads_flat_json() {
        let body: DecisionRequest =
            serde_json::from_str(r#"{"kind":"approve","rationale":"x","period_end":"2026-05-01"}"#).unwrap();
        assert_eq!((body.decision.kind.as_str(), body.period.period_end.as_str()), ("approve", "2026-05-01"));
    }
}
