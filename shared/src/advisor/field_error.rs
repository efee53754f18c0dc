//! Typed, per-field validation errors: every problem of a form at once, each
//! naming its field so the wizard can mark it and the API can return it.

use serde::{Deserialize, Serialize};

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorCode {
    Required,
    NotANumber,
    NotAWholeNumber,
    OutOfRange,
    UnknownValue,
    /// Contradicts another field.
    Conflict,
}

/// One invalid field, with a message in Korean and English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The input field, e.g. `gpus`, or `stages[1].gpus` inside a workflow.
    pub field: String,
    pub code: FieldErrorCode,
    pub message_ko: String,
    pub message_en: String,
}

/// Most field errors one answer lists.
pub const MAX_FIELD_ERRORS: usize = 32;

/// Every invalid field of one input, in form order (one per field, at most
/// [`MAX_FIELD_ERRORS`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{} invalid field(s): {}", .0.len(), fields(.0))]
pub struct FieldErrors(pub Vec<FieldError>);

fn fields(errors: &[FieldError]) -> String {
    errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(", ")
}

impl FieldErrors {
    /// Records a problem with `field`: the first problem of each field only,
    /// and at most [`MAX_FIELD_ERRORS`] in all, so hostile input (a list of
    /// a million bad entries) cannot make the answer large.
    pub fn push(&mut self, field: &str, code: FieldErrorCode, message_ko: String, message_en: String) {
        if self.0.len() >= MAX_FIELD_ERRORS || self.0.iter().any(|e| e.field == field) {
            return;
        }
        self.0.push(FieldError { field: field.to_string(), code, message_ko, message_en });
    }

    /// Adds every error of `other` (under the same bounds as [`Self::push`]).
    pub fn extend(&mut self, other: FieldErrors) {
        for e in other.0 {
            self.push(&e.field, e.code, e.message_ko, e.message_en);
        }
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first error about `field`, if any.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// The same errors with every field name prefixed (e.g. `stages[2].`).
    pub fn prefixed(self, prefix: &str) -> FieldErrors {
        FieldErrors(self.0.into_iter().map(|e| FieldError { field: format!("{prefix}{}", e.field), ..e }).collect())
    }
}
