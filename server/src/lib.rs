//! KAIRR's thin server: configuration, storage, the status monitor loop and
//! the HTTP routes. Domain logic lives in `kairr-shared`; this crate only
//! moves data between the source, the database and the network.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod auth;
pub mod error;
pub mod first_view;
pub mod handlers;
pub mod history_pages;
pub mod kept;
pub mod mail;
pub mod metrics;
pub mod monitor;
pub mod notify;
pub mod oidc;
pub mod openapi;
pub mod people;
pub mod programme;
pub mod provision;
pub mod replica;
pub mod router;
pub mod serve;
pub mod settings;
pub mod source;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod status_ops;
pub mod storage;
pub mod subscription_pages;
pub mod subscriptions;
pub mod telemetry;
pub mod whole_page;
