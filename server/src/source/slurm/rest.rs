//! slurmrestd over HTTP: JWT headers, version detection, the four reads.

use std::error::Error as _;

use kairr_shared::slurm::{
    parse_jobs, parse_nodes, parse_partitions, parse_reservations, ApiVersion, Cluster, SlurmError,
};

use super::config::{RestConfig, VersionChoice};
use crate::settings::Secret;

/// A slurmrestd endpoint with its (detected) schema version.
pub struct Rest {
    config: RestConfig,
    client: reqwest::Client,
    /// The version in use; `None` until auto-detection succeeds.
    version: Option<ApiVersion>,
}

impl Rest {
    /// A client whose every request is cut off after `timeout`.
    pub fn new(config: RestConfig, timeout: std::time::Duration) -> Result<Rest, String> {
        let client = reqwest::Client::builder().timeout(timeout).build().map_err(describe)?;
        let version = match config.version {
            VersionChoice::Auto => None,
            VersionChoice::Fixed(v) => Some(v),
        };
        Ok(Rest { config, client, version })
    }

    /// The schema version in use, once known.
    pub fn version(&self) -> Option<ApiVersion> {
        self.version
    }

    /// The JWT from the configuration, its file or its environment variable.
    fn token(&self) -> Result<Secret, String> {
        let raw = if let Some(t) = &self.config.token {
            return Ok(t.clone());
        } else if let Some(path) = &self.config.token_file {
            std::fs::read_to_string(path).map_err(|e| format!("token_file {}: {e}", path.display()))?
        } else if let Some(var) = &self.config.token_env {
            std::env::var(var).map_err(|_| format!("token_env {var} is not set"))?
        } else {
            return Err("no token configured".into());
        };
        let raw = raw.trim();
        let raw = raw.strip_prefix("SLURM_JWT=").unwrap_or(raw);
        serde_json::from_value(serde_json::Value::String(raw.to_owned())).map_err(|e| e.to_string())
    }

    /// GET `/slurm/<version>/<what>`: the body, or why not (HTTP status, Slurm's error).
    async fn get(&self, version: ApiVersion, what: &str, token: &Secret) -> Result<(u16, String), String> {
        let url = format!("{}/slurm/{version}/{what}", self.config.url.trim_end_matches('/'));
        let res = self
            .client
            .get(&url)
            .header("X-SLURM-USER-NAME", &self.config.user)
            .header("X-SLURM-USER-TOKEN", token.expose())
            .send()
            .await
            .map_err(|e| format!("{what}: {}", describe(e)))?;
        let code = res.status().as_u16();
        let body = res.text().await.map_err(|e| format!("{what}: {}", describe(e)))?;
        Ok((code, body))
    }

    /// GET and check the HTTP status; a non-200 answer's own error message is preferred.
    async fn fetch(&self, version: ApiVersion, what: &'static str, token: &Secret) -> Result<String, String> {
        let (code, body) = self.get(version, what, token).await?;
        if code == 200 {
            return Ok(body);
        }
        let hint = match code {
            401 | 403 => " (check the JWT and the user name)",
            404 => " (this slurmrestd does not serve that version or endpoint)",
            _ => "",
        };
        // slurmrestd puts its reason in the JSON `errors` of failed answers.
        let slurm = match parse_nodes(&body) {
            Err(SlurmError::Api { message, .. }) => format!(": {message}"),
            _ => String::new(),
        };
        Err(format!("{what}: HTTP {code}{hint}{slurm}"))
    }

    /// The version to use: the configured one, or the newest that answers.
    async fn detect(&mut self, token: &Secret) -> Result<ApiVersion, String> {
        if let Some(v) = self.version {
            return Ok(v);
        }
        let mut tried = Vec::new();
        for v in ApiVersion::NEWEST_FIRST {
            let (code, body) = self.get(v, "partitions", token).await?;
            if code == 200 && parse_partitions(&body).is_ok_and(|p| p.version == v) {
                self.version = Some(v);
                return Ok(v);
            }
            tried.push(format!("{v}: HTTP {code}"));
        }
        Err(format!(
            "no supported Slurm API version answers ({}); supported: {}",
            tried.join(", "),
            ApiVersion::supported_list()
        ))
    }

    /// Reads nodes, partitions, jobs (and reservations from v0.0.37 on).
    pub async fn read(&mut self) -> Result<Cluster, String> {
        let token = self.token()?;
        let version = self.detect(&token).await?;
        let result = self.read_version(version, &token).await;
        if result.is_err() && self.config.version == VersionChoice::Auto {
            // slurmrestd may have been upgraded or restarted with other plugins: detect again next time.
            self.version = None;
        }
        result
    }

    async fn read_version(&self, v: ApiVersion, token: &Secret) -> Result<Cluster, String> {
        let reservations = async {
            match v {
                ApiVersion::V0036 => Ok(None),
                _ => self.fetch(v, "reservations", token).await.map(Some),
            }
        };
        let (nodes, jobs, partitions, reservations) = futures_util::future::try_join4(
            self.fetch(v, "nodes", token),
            self.fetch(v, "jobs", token),
            self.fetch(v, "partitions", token),
            reservations,
        )
        .await?;
        // Large clusters answer megabytes of JSON: parse off the async workers.
        let parse = move || {
            let s = |e: SlurmError| e.to_string();
            let reservations = match reservations {
                Some(text) => parse_reservations(&text).map_err(s)?.items,
                None => Vec::new(),
            };
            Ok(Cluster::assemble(
                parse_nodes(&nodes).map_err(s)?.items,
                parse_partitions(&partitions).map_err(s)?.items,
                parse_jobs(&jobs).map_err(s)?.items,
                reservations,
            ))
        };
        tokio::task::spawn_blocking(parse).await.map_err(|e| format!("parsing: {e}"))?
    }
}

/// An HTTP error with its causes (e.g. "connection refused"), without the URL or headers.
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut msg = if e.is_timeout() { "timed out".to_owned() } else { e.to_string() };
    let mut cause = e.source();
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    msg
}
