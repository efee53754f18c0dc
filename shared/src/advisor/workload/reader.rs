//! Reading one form field: choices by name, numbers from JSON or form text,
//! required fields, each problem recorded as a [`FieldErrors`] entry.

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};

use super::NumberText;

/// Reads fields and records what is wrong with them.
#[derive(Default)]
pub(super) struct Reader {
    pub errors: FieldErrors,
}

impl Reader {
    pub fn fail(&mut self, field: &str, code: Code, ko: impl Into<String>, en: impl Into<String>) {
        self.errors.push(field, code, ko.into(), en.into());
    }

    pub fn choice<T: Copy>(
        &mut self,
        field: &str,
        v: &Option<String>,
        all: &[T],
        parse: fn(&str) -> Option<T>,
        name: fn(T) -> &'static str,
    ) -> Option<T> {
        let text = v.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
        let found = parse(text);
        if found.is_none() {
            let names = all.iter().map(|x| name(*x)).collect::<Vec<_>>().join(", ");
            self.fail(
                field,
                Code::UnknownValue,
                format!("알 수 없는 값입니다. 가능한 값: {names}"),
                format!("Unknown value; expected one of: {names}."),
            );
        }
        found
    }

    pub fn required<T>(&mut self, field: &str, v: Option<T>, given: bool) -> Option<T> {
        if v.is_none() && !given {
            self.fail(field, Code::Required, "필수 항목입니다.", "This field is required.");
        }
        v
    }

    pub fn number(&mut self, field: &str, v: &Option<NumberText>, min: f64, max: f64, whole: bool) -> Option<f64> {
        let x = match v.as_ref()?.read()? {
            Ok(x) => x,
            Err(()) => {
                self.fail(field, Code::NotANumber, "숫자를 입력하세요.", "Enter a number.");
                return None;
            }
        };
        if whole && x.fract() != 0.0 {
            self.fail(field, Code::NotAWholeNumber, "정수를 입력하세요.", "Enter a whole number.");
            return None;
        }
        let open_below = min == 0.0 && field_excludes_zero(field);
        if !x.is_finite() || x < min || x > max || (open_below && x == 0.0) {
            let (lo, hi) = (fmt(min), fmt(max));
            // The bound as it is: "above 0" when 0 itself is refused, else "at least".
            let (ko, en) = if open_below {
                (format!("{lo}보다 크고 {hi} 이하여야 합니다."), format!("Must be above {lo} and at most {hi}."))
            } else {
                (format!("{lo} 이상 {hi} 이하여야 합니다."), format!("Must be at least {lo} and at most {hi}."))
            };
            self.fail(field, Code::OutOfRange, ko, en);
            return None;
        }
        Some(x)
    }
}

/// Fields that must be strictly positive although their lower bound reads 0.
fn field_excludes_zero(field: &str) -> bool {
    matches!(field, "gpu_memory_gb" | "model_params_b" | "run_hours" | "gpu_hours")
}

/// A bound as people read it: whole numbers grouped (`100,000`).
fn fmt(x: f64) -> String {
    if x.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&x) {
        crate::display::format::thousands(x as u64)
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// Whether a number field holds anything (empty text counts as absent).
pub(super) fn given(v: &Option<NumberText>) -> bool {
    v.as_ref().is_some_and(|n| !matches!(n, NumberText::Text(t) if t.trim().is_empty()))
}
