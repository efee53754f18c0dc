//! A small collector of per-field errors for the allocation forms (rounds,
//! requests, reviews, decisions): each reader reports its problem and returns
//! `None`, so a form reports every invalid field at once.

use chrono::NaiveDate;

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::display::format::thousands;

/// Collects the errors of one form.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub errors: FieldErrors,
}

impl Form {
    /// Records a problem with `field`.
    pub fn fail(&mut self, field: &str, code: Code, ko: impl Into<String>, en: impl Into<String>) {
        self.errors.push(field, code, ko.into(), en.into());
    }

    /// Required text, trimmed, at most `max_chars` characters.
    pub fn text(&mut self, field: &str, value: &str, max_chars: usize) -> Option<String> {
        let t = value.trim();
        if t.is_empty() {
            self.fail(field, Code::Required, "필수 항목입니다.", "This field is required.");
            return None;
        }
        self.bounded(field, t, max_chars)
    }

    /// Optional text, trimmed (empty when absent), at most `max_chars` characters.
    pub fn optional_text(&mut self, field: &str, value: &str, max_chars: usize) -> Option<String> {
        self.bounded(field, value.trim(), max_chars)
    }

    fn bounded(&mut self, field: &str, t: &str, max_chars: usize) -> Option<String> {
        if t.chars().any(forbidden_char) {
            self.fail(
                field,
                Code::UnknownValue,
                "제어 문자나 방향 재정의 문자는 쓸 수 없습니다.",
                "Control and bidirectional-override characters are not allowed.",
            );
            return None;
        }
        if t.chars().count() > max_chars {
            self.fail(
                field,
                Code::OutOfRange,
                format!("{max_chars}자 이하로 입력하세요."),
                format!("At most {max_chars} characters."),
            );
            return None;
        }
        Some(t.to_string())
    }

    /// A required ISO date (`YYYY-MM-DD`).
    pub fn date(&mut self, field: &str, value: &str) -> Option<NaiveDate> {
        let t = value.trim();
        if t.is_empty() {
            self.fail(field, Code::Required, "날짜를 입력하세요.", "Enter a date.");
            return None;
        }
        // `YYYY-MM-DD`, as `NaiveDate`'s `FromStr` reads it (the same reader as its JSON form).
        let parsed = t.parse::<NaiveDate>().ok();
        if parsed.is_none() {
            self.fail(field, Code::UnknownValue, "YYYY-MM-DD 형식이어야 합니다.", "Use the form YYYY-MM-DD.");
        }
        parsed
    }

    /// A required choice among `names` (snake_case), read with `parse`.
    pub fn choice<T>(
        &mut self,
        field: &str,
        value: &str,
        parse: impl Fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        if value.trim().is_empty() {
            self.fail(field, Code::Required, "값을 선택하세요.", "Choose a value.");
            return None;
        }
        let parsed = parse(value);
        if parsed.is_none() {
            let list = names.join(", ");
            self.fail(field, Code::UnknownValue, format!("다음 중 하나: {list}"), format!("One of: {list}"));
        }
        parsed
    }

    /// A required whole number in `lo..=hi`.
    pub fn whole(&mut self, field: &str, value: Option<u64>, lo: u64, hi: u64) -> Option<u64> {
        let Some(v) = value else {
            self.fail(field, Code::Required, "필수 항목입니다.", "This field is required.");
            return None;
        };
        if !(lo..=hi).contains(&v) {
            let (lo, hi) = (thousands(lo), thousands(hi));
            self.fail(
                field,
                Code::OutOfRange,
                format!("{lo} 이상 {hi} 이하의 정수를 입력하세요."),
                format!("Enter a whole number from {lo} to {hi}."),
            );
            return None;
        }
        Some(v)
    }

    /// A number in `lo..=hi` (finite).
    pub fn fraction(&mut self, field: &str, value: f64, lo: f64, hi: f64) -> Option<f64> {
        if !value.is_finite() || !(lo..=hi).contains(&value) {
            self.fail(
                field,
                Code::OutOfRange,
                format!("{lo} 이상 {hi} 이하로 입력하세요."),
                format!("Enter a number from {lo} to {hi}."),
            );
            return None;
        }
        Some(value)
    }

    /// `Ok(value)` when no error was recorded and the value was built.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, FieldErrors> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

/// Characters no free-text field may hold: NUL and other control characters
/// (line breaks and tabs excepted) and the bidirectional overrides and
/// isolates that make text display differently from what it is (U+202A–202E,
/// U+2066–2069; "Trojan Source").
pub fn forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_out_of_range_is_refused_in_words_with_grouped_bounds() {
        let mut f = Form::default();
        assert_eq!(f.whole("amount", Some(0), 1, 4_587_840), None);
        let e = f.errors.get("amount").unwrap();
        assert_eq!(e.message_ko, "1 이상 4,587,840 이하의 정수를 입력하세요.");
        assert_eq!(e.message_en, "Enter a whole number from 1 to 4,587,840.");
        assert_eq!(f.fraction("min_score", 7.0, 1.0, 5.0), None);
        assert_eq!(f.errors.get("min_score").unwrap().message_en, "Enter a number from 1 to 5.");
    }

    #[test]
    fn text_with_nul_or_a_bidi_override_is_refused_and_line_breaks_are_kept() {
        let mut f = Form::default();
        assert_eq!(f.text("a", "x\u{0}y", 100), None);
        assert_eq!(f.text("b", "abc\u{202E}cba", 100), None);
        assert_eq!(f.text("c", "첫 줄\n둘째 줄\t끝", 100).as_deref(), Some("첫 줄\n둘째 줄\t끝"));
        assert_eq!(f.errors.0.len(), 2);
        assert!(f.errors.get("a").is_some() && f.errors.get("b").is_some());
    }
}
