//! The placement wizard (`/advisor`, binary `kairr-advisor`), without
//! Leptos: the server's first view (header and introduction) stays, and the
//! wizard below it is HTML rendered from one [`model::Model`] by
//! [`view`] (maud) and put in place region by region (`common::morph`).
//! [`page`] holds the model and its loop and loads the data; [`events`]
//! turns what the person does into changes; [`query`] is the wizard's
//! address; [`fields`] where each field sits; [`labels`] its words;
//! [`timing`] the render timings; [`download`] the JSON download.
//! Every rule is `kairr_shared::advisor`'s; this module only wires it.

pub mod download;
pub mod events;
pub mod fields;
pub mod labels;
pub mod model;
pub mod page;
pub mod query;
pub mod timing;
pub mod view;
