//! Who may do what in the allocation programme: the signed-in roles (the
//! anonymous public has no account) and the demo accounts the server creates.

use serde::{Deserialize, Serialize};

pub use crate::auth::Role;

/// A demo account for the server to create in demo mode (it sets the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub display_name: String,
    /// The organisation, which the conflict-of-interest rule compares.
    pub organisation: String,
    /// Its directory id.
    pub organisation_id: Option<String>,
}
