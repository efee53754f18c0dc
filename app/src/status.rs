//! The public status page (`/`, binary `kairr-app`): its root component
//! ([`App`], no router), the page, its components ([`components`]), the
//! drawing of the load chart ([`chart`]) and the translated names of the
//! API's enums ([`labels`]). Its data comes from [`crate::common::live`].

mod app;
pub mod chart;
pub mod components;
pub mod labels;
mod page;

pub use app::App;
