//! The committee's pages (`/committee`, `/committee/requests/*`) rendered
//! without Leptos, as the wizard is: work in progress on branch
//! `committee-html` (issue 11: the committee's first load, 379 KB gzip with
//! Leptos, against a goal of 300). `text.rs` the words in one language;
//! `view.rs` + `view/` the regions as HTML from data.

pub mod text;
pub mod view;
