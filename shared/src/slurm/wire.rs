//! Reading Slurm's JSON answers. Every answer carries `meta.plugin.type`
//! (the schema version) and `errors`; [`read`] checks both, then hands the
//! text to the version's serde types in `wire/`, which convert into the
//! internal model. An unknown version is an error naming it.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::model::Parsed;
use super::{ApiVersion, SlurmError};

mod jobs;
mod nodes;
mod partitions;
mod reservations;

pub use jobs::parse_jobs;
pub use nodes::parse_nodes;
pub use partitions::parse_partitions;
pub use reservations::parse_reservations;

/// The part every answer shares.
#[derive(Deserialize)]
struct Envelope {
    meta: Option<Meta>,
    #[serde(default)]
    errors: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Meta {
    plugin: Option<Plugin>,
    #[serde(rename = "Slurm")]
    slurm: Option<SlurmMeta>,
}

#[derive(Deserialize)]
struct Plugin {
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct SlurmMeta {
    release: Option<String>,
}

/// Reads the envelope of `text`: its version (an error for an unknown one)
/// and release; an answer whose `errors` is not empty is [`SlurmError::Api`].
fn envelope(text: &str, what: &'static str) -> Result<(ApiVersion, Option<String>), SlurmError> {
    let env: Envelope = serde_json::from_str(text).map_err(|e| SlurmError::Json { what, message: e.to_string() })?;
    if let Some(first) = env.errors.first() {
        let message = ["error", "description"]
            .iter()
            .find_map(|k| first.get(*k).and_then(|v| v.as_str()).filter(|s| !s.is_empty()))
            .map_or_else(|| first.to_string(), str::to_owned);
        return Err(SlurmError::Api { what, message });
    }
    let meta = env.meta.ok_or(SlurmError::MissingVersion { what })?;
    let kind = meta.plugin.and_then(|p| p.kind).ok_or(SlurmError::MissingVersion { what })?;
    let version = ApiVersion::parse(&kind)?;
    Ok((version, meta.slurm.and_then(|s| s.release)))
}

/// Deserialises `text` as `W` (one version's answer) for `what`.
fn body<W: DeserializeOwned>(text: &str, what: &'static str) -> Result<W, SlurmError> {
    serde_json::from_str(text).map_err(|e| SlurmError::Json { what, message: e.to_string() })
}

/// Reads an answer with `parse` chosen by its version.
fn read<T>(
    text: &str,
    what: &'static str,
    parse: impl FnOnce(ApiVersion, &str) -> Result<Vec<T>, SlurmError>,
) -> Result<Parsed<T>, SlurmError> {
    let (version, release) = envelope(text, what)?;
    Ok(Parsed { version, release, items: parse(version, text)? })
}

/// Slurm's "no value" and "infinite" markers (`NO_VAL`, `INFINITE`, negative) as `None`.
fn finite(v: Option<i64>) -> Option<u32> {
    v.filter(|n| (0..0xFFFF_FFFE).contains(n)).and_then(|n| u32::try_from(n).ok())
}

/// A Unix time, `None` for 0 or a marker.
fn time(v: Option<i64>) -> Option<i64> {
    v.filter(|t| *t > 0 && *t < 0xFFFF_FFFE)
}
