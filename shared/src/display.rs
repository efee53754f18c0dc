//! Text for people, in a language: figures and times ([`format`]) and the
//! names of statuses, states and answers ([`labels`]). The browser app and
//! the server's first view of the status page share them, so both write the
//! same words for the same snapshot.

pub mod format;
pub mod icons;
pub mod labels;
