//! The public status page (`/`, binary `kairr-app`). The server renders the
//! page; [`live_page`] keeps it live (refreshes, the GPU input, the language
//! toggle) and mounts each system's uptime bars and load chart
//! ([`components`], drawn by [`chart`]) as islands on the server's
//! placeholders. [`labels`] names the API's enums in the current language.

pub mod chart;
pub mod components;
pub mod labels;
pub mod live_page;
