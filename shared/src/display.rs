//! Text for people, in a language: figures and times ([`format`]), the
//! page footer ([`footer`](mod@footer)) and the
//! names of statuses, states and answers ([`labels`]), the status page's
//! load chart as geometry ([`load_chart`]) and what its address asks
//! ([`status_query`]). The browser app and
//! the server's first view of the status page share them, so both write the
//! same words for the same snapshot.

pub mod footer;
pub mod format;
pub mod icons;
pub mod labels;
pub mod load_chart;
pub mod status_query;
