//! `SlurmConfig`: how one system's Slurm cluster is reached (slurmrestd or
//! the `sinfo` / `squeue` commands), how often, and what it stands for.

use std::path::PathBuf;
use std::time::Duration;

use kairr_shared::feeds::Backoff;
use kairr_shared::slurm::{ApiVersion, SlurmMapping};
use serde::{Deserialize, Serialize};

use crate::settings::Secret;

/// How the cluster is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlurmMode {
    /// slurmrestd over HTTP with a JWT (`[rest]`).
    Rest,
    /// `sinfo --json`, `squeue --json` and `scontrol show … --oneliner` on this machine (`[cli]`).
    Cli,
}

/// The schema version slurmrestd is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VersionChoice {
    /// Try v0.0.38, v0.0.37, v0.0.36 in turn; the first that answers is kept.
    #[serde(rename = "auto")]
    Auto,
    #[serde(untagged)]
    Fixed(ApiVersion),
}

/// `[rest]`: slurmrestd.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestConfig {
    /// Base URL, e.g. `http://slurmrestd.example:6820`.
    pub url: String,
    /// `auto` or one of `v0.0.36`, `v0.0.37`, `v0.0.38`.
    #[serde(default = "auto")]
    pub version: VersionChoice,
    /// Sent as `X-SLURM-USER-NAME`.
    pub user: String,
    /// The JWT itself (prefer `token_file` or `token_env`). Never logged.
    #[serde(default)]
    pub token: Option<Secret>,
    /// A file holding the JWT (re-read at every poll, so it can be rotated).
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// An environment variable holding the JWT, e.g. `SLURM_JWT`.
    #[serde(default)]
    pub token_env: Option<String>,
}

fn auto() -> VersionChoice {
    VersionChoice::Auto
}

/// `[cli]`: the Slurm commands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CliConfig {
    pub sinfo: PathBuf,
    pub squeue: PathBuf,
    /// For partition limits and maintenance reservations.
    pub scontrol: PathBuf,
    /// Passed to the commands as `SLURM_CONF` when set.
    pub slurm_conf: Option<PathBuf>,
}

impl Default for CliConfig {
    fn default() -> Self {
        CliConfig { sinfo: "sinfo".into(), squeue: "squeue".into(), scontrol: "scontrol".into(), slurm_conf: None }
    }
}

/// One system's Slurm source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlurmConfig {
    /// System id, partition → pool ids, GPU model names, default walltime.
    #[serde(flatten)]
    pub mapping: SlurmMapping,
    pub mode: SlurmMode,
    /// Required when `mode = "rest"`.
    #[serde(default)]
    pub rest: Option<RestConfig>,
    #[serde(default)]
    pub cli: CliConfig,
    /// Seconds between polls.
    #[serde(default = "default_interval")]
    pub interval_seconds: u32,
    /// Seconds one poll (every request or command) may take.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
    /// Longest wait between retries after failures, seconds.
    #[serde(default = "default_backoff_max")]
    pub backoff_max_seconds: u32,
    /// Longest answer (REST body or command output) read, bytes; 64 MiB by
    /// default (a 20,000-job answer is about 49 MB). A longer one fails the poll.
    #[serde(default = "default_max_response_bytes")]
    pub max_response_bytes: u64,
}

/// The default cap on one answer: [`crate::source::limit::SLURM_MAX_BYTES`].
pub fn default_max_response_bytes() -> u64 {
    crate::source::limit::SLURM_MAX_BYTES
}

fn default_interval() -> u32 {
    15
}
fn default_timeout() -> u32 {
    5
}
fn default_backoff_max() -> u32 {
    60
}

impl SlurmConfig {
    /// Reads the `[sources.<system>.slurm]` table (as settings hold it) for
    /// catalogue system `system_id`, which becomes the mapping's system id (a
    /// table naming another `system_id` is refused, as is any other problem).
    pub fn for_system(system_id: &str, table: serde_json::Value) -> Result<SlurmConfig, String> {
        let key = format!("sources.{system_id}.slurm");
        if let Some(other) = table.get("system_id").and_then(|v| v.as_str()).filter(|v| *v != system_id) {
            return Err(format!(
                "{key}.system_id: {other:?} differs from the table's system {system_id:?}; leave it out"
            ));
        }
        let mut config: SlurmConfig = serde_json::from_value(table).map_err(|e| format!("{key}: {e}"))?;
        config.mapping.system_id = system_id.to_owned();
        match config.problem() {
            Some(problem) => Err(format!("{key}: {problem}")),
            None => Ok(config),
        }
    }

    /// The poll schedule: interval, timeout, backoff from 1 s up to `backoff_max_seconds`.
    pub fn schedule(&self) -> super::super::Schedule {
        super::super::Schedule {
            interval: Duration::from_secs(u64::from(self.interval_seconds.max(1))),
            timeout: self.timeout(),
            backoff: Backoff { base_ms: 1_000, max_ms: u64::from(self.backoff_max_seconds.max(1)) * 1_000 },
        }
    }

    /// The bound on one poll.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.timeout_seconds.max(1)))
    }

    /// What is wrong with the configuration, if anything.
    pub fn problem(&self) -> Option<String> {
        if self.mapping.system_id.trim().is_empty() {
            return Some("slurm: system_id must not be empty".into());
        }
        match (&self.mode, &self.rest) {
            (SlurmMode::Rest, None) => Some("slurm: mode = \"rest\" needs a [rest] table (url, user, token)".into()),
            (SlurmMode::Rest, Some(r)) if r.token.is_none() && r.token_file.is_none() && r.token_env.is_none() => {
                Some("slurm: [rest] needs token, token_file or token_env".into())
            }
            (SlurmMode::Rest, Some(r)) if !(r.url.starts_with("http://") || r.url.starts_with("https://")) => {
                Some(format!("slurm: [rest] url must start with http:// or https:// (got {:?})", r.url))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SlurmConfig, Box<figment::Error>> {
        use figment::providers::{Format, Toml};
        figment::Figment::from(Toml::string(text)).extract().map_err(Box::new)
    }

    #[test]
    fn a_rest_config_reads_from_toml_and_hides_its_token() {
        let c: SlurmConfig = parse(
            r#"
            system_id = "kisti6"
            mode = "rest"
            timeout_seconds = 3
            [partitions]
            gh200 = "kisti6-gh200"
            [rest]
            url = "http://127.0.0.1:6820"
            version = "v0.0.37"
            user = "kairr"
            token = "eyJsecret"
            "#,
        )
        .unwrap();
        assert_eq!(c.mapping.system_id, "kisti6");
        assert_eq!(c.mapping.pool_id("gh200").as_deref(), Some("kisti6-gh200"));
        let rest = c.rest.as_ref().unwrap();
        assert_eq!(rest.version, VersionChoice::Fixed(ApiVersion::V0037));
        assert_eq!(c.timeout(), Duration::from_secs(3));
        assert_eq!(c.problem(), None);
        assert!(!format!("{c:?}").contains("eyJsecret"), "the token must not reach Debug output");
    }

    #[test]
    fn a_settings_table_becomes_a_config_for_its_system() {
        let table = serde_json::json!({"mode": "cli", "partitions": {"gh200": "kisti6-gh200"}});
        let c = SlurmConfig::for_system("kisti6", table).unwrap();
        assert_eq!((c.mapping.system_id.as_str(), c.mode), ("kisti6", SlurmMode::Cli));
        let e = SlurmConfig::for_system("kisti6", serde_json::json!({"mode": "rest"})).unwrap_err();
        assert!(e.starts_with("sources.kisti6.slurm: ") && e.contains("[rest]"), "{e}");
        let e =
            SlurmConfig::for_system("kisti6", serde_json::json!({"mode": "cli", "system_id": "naver"})).unwrap_err();
        assert!(e.contains("sources.kisti6.slurm.system_id"), "{e}");
        let e = SlurmConfig::for_system("kisti6", serde_json::json!({"mode": "batch"})).unwrap_err();
        assert!(e.contains("sources.kisti6.slurm") && e.contains("batch"), "{e}");
    }

    #[test]
    fn a_cli_config_needs_only_the_mode_and_bad_ones_are_named() {
        let c: SlurmConfig = parse("system_id = \"hpc\"\nmode = \"cli\"").unwrap();
        assert_eq!((c.cli.sinfo.to_str(), c.interval_seconds), (Some("sinfo"), 15));
        let auto: SlurmConfig =
            parse("mode = \"rest\"\n[rest]\nurl = \"http://x\"\nuser = \"u\"\ntoken_env = \"T\"").unwrap();
        assert_eq!(auto.rest.unwrap().version, VersionChoice::Auto);
        let no_rest: SlurmConfig = parse("mode = \"rest\"").unwrap();
        assert!(no_rest.problem().unwrap().contains("[rest]"));
        let bad = parse("mode = \"rest\"\n[rest]\nurl = \"http://x\"\nuser = \"u\"\nversion = \"v0.0.40\"");
        assert!(bad.is_err(), "an unknown version is refused when the configuration is read");
    }
}
