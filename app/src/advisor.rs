//! The placement wizard's state and plumbing, apart from its components: the
//! URL form of the wizard ([`query`]), the signals it lives in ([`state`]),
//! the engine run in the browser with cached wait predictions ([`engine`]),
//! render timings ([`timing`]) and the JSON download ([`download`]).
//! Every rule is `kairr_shared::advisor`'s; this module only wires it.

pub mod download;
pub mod engine;
pub mod fields;
pub mod labels;
pub mod query;
pub mod state;
pub mod timing;
