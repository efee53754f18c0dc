//! One labelled form control with its help text and its error, both tied to
//! it with `aria-describedby`; the error also sets `aria-invalid` and is
//! announced (`role="alert"`). `bind` says what the control changes.

use maud::{html, Markup};

use crate::advisor::fields::input_id;

/// What every control has: its API field name (which names its element id),
/// what it changes, its label, help and error.
pub struct Control<'a> {
    pub field: &'a str,
    pub bind: &'a str,
    pub label: String,
    pub help: String,
    pub error: Option<String>,
}

impl Control<'_> {
    fn described_by(&self, id: &str) -> String {
        match self.error {
            Some(_) => format!("{id}-help {id}-error"),
            None => format!("{id}-help"),
        }
    }

    fn help_and_error(&self, id: &str) -> Markup {
        html! {
            p.hint id={ (id) "-help" } { (self.help) }
            @if let Some(error) = &self.error {
                p.field-error id={ (id) "-error" } role="alert" data-testid="field-error" { (error) }
            }
        }
    }

    /// A text input for a number (or any short text); `unit` after it
    /// (hidden from screen readers: the label names it), `inputmode`
    /// `decimal` or `text`.
    pub fn text(&self, value: &str, unit: &str, inputmode: &str) -> Markup {
        let id = input_id(self.field);
        html! {
            div.field data-field=(self.field) {
                label for=(id) { (self.label) }
                div.input-row {
                    input #(id) type="text" inputmode=(inputmode) autocomplete="off" spellcheck="false"
                        value=(value) data-bind=(self.bind)
                        aria-invalid=(if self.error.is_some() { "true" } else { "false" })
                        aria-describedby=(self.described_by(&id));
                    @if !unit.is_empty() { span.unit aria-hidden="true" { (unit) } }
                }
                (self.help_and_error(&id))
            }
        }
    }

    /// A `<select>` of `(value, label)` options (`""` the empty choice).
    pub fn select(&self, value: &str, options: &[(String, String)]) -> Markup {
        let id = input_id(self.field);
        html! {
            div.field data-field=(self.field) {
                label for=(id) { (self.label) }
                select #(id) data-bind=(self.bind)
                    aria-invalid=(if self.error.is_some() { "true" } else { "false" })
                    aria-describedby=(self.described_by(&id)) {
                    @for (v, l) in options {
                        option value=(v) selected[v == value] { (l) }
                    }
                }
                (self.help_and_error(&id))
            }
        }
    }

    /// A checkbox with its help text.
    pub fn check(&self, checked: bool) -> Markup {
        let id = input_id(self.field);
        html! {
            div.field.check-field data-field=(self.field) {
                input #(id) type="checkbox" checked[checked] data-bind=(self.bind) aria-describedby={ (id) "-help" };
                label for=(id) { (self.label) }
                p.hint id={ (id) "-help" } { (self.help) }
            }
        }
    }
}
