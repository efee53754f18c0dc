//! KAIRR's pure domain crate: the fleet catalogue, status roll-up, the demo
//! simulator with its backfill scheduler, incident tracking and the wire types
//! of the HTTP API. No IO, no clock: callers pass the current time in.
#![forbid(unsafe_code)]

pub mod accounting;
pub mod advisor;
pub mod allocation;
pub mod api;
pub mod auth;
pub mod catalogue;
pub mod display;
pub mod feeds;
pub mod history;
pub mod i18n;
pub mod identity;
pub mod incidents;
pub mod notifications;
pub mod organisations;
pub mod people;
pub mod provisioning;
pub mod sim;
pub mod slurm;
pub mod start_now;
pub mod status;
pub mod status_ops;
pub mod subscriptions;
pub mod telemetry;
pub mod time;
