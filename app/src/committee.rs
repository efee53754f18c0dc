//! The committee's pages (`/committee`, `/committee/requests/*`) rendered
//! without Leptos, as the wizard is (issue 11: the committee's first load
//! was 379 KB gzip with Leptos, against a goal of 300; it is 241). `text.rs`
//! the words in one language;
//! `model.rs` its one state; `view.rs` + `view/` the regions as HTML from
//! data; `page.rs` the loop (data → model → regions morphed in) and the events.

pub mod model;
pub mod page;
pub mod text;
pub mod view;
