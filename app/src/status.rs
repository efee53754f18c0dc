//! The public status page (`/`, binary `kairr-app`). The server renders the
//! whole page; [`live_page`] keeps it live (refreshes put in place by
//! [`swap`], the GPU input, the charts' range, the language toggle) and
//! [`uptime`] makes the server's uptime bars explorable. No Leptos view:
//! the few DOM helpers are in [`crate::common::dom`].

pub mod live_page;
pub mod swap;
pub mod uptime;
