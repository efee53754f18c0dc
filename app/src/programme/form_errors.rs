//! Server answers to a form, split for display: the message of one field
//! (shown next to it) and what belongs to no field (shown above the form).

use kairr_shared::advisor::FieldErrors;
use kairr_shared::display::labels::api_error;
use leptos::prelude::{RwSignal, Set};

use crate::common::api::FetchError;
use crate::common::i18n::current_locale;

/// The server's message for `field`: from the per-field list (Korean or
/// English) or, for single-field answers, what the answer's code means in
/// the current language.
pub fn field_message(error: Option<&FetchError>, field: &str) -> Option<String> {
    let Some(FetchError::Http { api: Some(api), .. }) = error else { return None };
    let loc = current_locale();
    if let Some(f) = api.fields.iter().find(|f| f.field == field) {
        return Some(loc.pick(&f.message_ko, &f.message_en).to_owned());
    }
    (api.fields.is_empty() && api.field.as_deref() == Some(field)).then(|| api_error(loc, api))
}

/// Shows the form's own `problems` (found before sending) as its answer;
/// true when there are any, and so nothing is to be sent.
pub fn refused_before_sending(error: RwSignal<Option<FetchError>>, problems: FieldErrors) -> bool {
    let refused = !problems.is_empty();
    if refused {
        error.set(Some(FetchError::invalid(problems)));
    }
    refused
}

/// The error when it names none of `fields` (a network failure, 403, 409 …).
pub fn general_error(error: Option<&FetchError>, fields: &[&str]) -> Option<FetchError> {
    let e = error?;
    let named = fields.iter().any(|f| field_message(Some(e), f).is_some());
    (!named).then(|| e.clone())
}
