//! HTTP handlers, one file per resource: extract → call the domain → JSON.

pub mod auth;
pub mod events;
pub mod feed;
pub mod health;
pub mod history;
pub mod incidents;
pub mod notifications;
pub mod organisations;
pub mod people;
pub mod placement;
pub mod programme;
pub mod provisioning;
pub mod status;
pub mod status_ops;
pub mod subscriptions;
