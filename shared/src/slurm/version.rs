//! The versions of Slurm's REST/JSON schema this crate reads, recognised from
//! `meta.plugin.type` (`openapi/v0.0.38`) of every answer.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::SlurmError;

/// A supported `openapi/v0.0.3x` schema. Slurm 22.05's slurmrestd serves all
/// three; its `sinfo --json` / `squeue --json` print v0.0.38.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ApiVersion {
    #[serde(rename = "v0.0.36")]
    V0036,
    #[serde(rename = "v0.0.37")]
    V0037,
    #[serde(rename = "v0.0.38")]
    V0038,
}

impl ApiVersion {
    /// Every supported version, newest first (the order auto-detection tries).
    pub const NEWEST_FIRST: [ApiVersion; 3] = [ApiVersion::V0038, ApiVersion::V0037, ApiVersion::V0036];

    /// The path segment, e.g. `v0.0.38` (`/slurm/v0.0.38/nodes`).
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V0036 => "v0.0.36",
            ApiVersion::V0037 => "v0.0.37",
            ApiVersion::V0038 => "v0.0.38",
        }
    }

    /// The supported versions as one readable list, for error messages.
    pub fn supported_list() -> String {
        ["v0.0.36", "v0.0.37", "v0.0.38"].join(", ")
    }

    /// Parses `v0.0.38`, `0.0.38`, `openapi/v0.0.38` or `dbv0.0.38`-free forms;
    /// any other version is [`SlurmError::UnsupportedVersion`].
    pub fn parse(text: &str) -> Result<ApiVersion, SlurmError> {
        let t = text.trim();
        let t = t.strip_prefix("openapi/").unwrap_or(t);
        let t = t.strip_prefix('v').unwrap_or(t);
        match t {
            "0.0.36" => Ok(ApiVersion::V0036),
            "0.0.37" => Ok(ApiVersion::V0037),
            "0.0.38" => Ok(ApiVersion::V0038),
            _ => Err(SlurmError::UnsupportedVersion { found: text.trim().to_owned() }),
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_types_parse_to_versions() {
        assert_eq!(ApiVersion::parse("openapi/v0.0.38").unwrap(), ApiVersion::V0038);
        assert_eq!(ApiVersion::parse("v0.0.37").unwrap(), ApiVersion::V0037);
        assert_eq!(ApiVersion::parse("0.0.36").unwrap(), ApiVersion::V0036);
    }

    #[test]
    fn an_unknown_version_names_itself_and_the_supported_ones() {
        let err = ApiVersion::parse("openapi/v0.0.39").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("openapi/v0.0.39"), "{msg}");
        assert!(msg.contains("v0.0.36, v0.0.37, v0.0.38"), "{msg}");
    }
}
