//! slurmrestd over HTTP: JWT headers, version detection, the four reads.
//! Every answer is read with a byte cap (`max_response_bytes`).

use kairr_shared::slurm::{
    parse_jobs, parse_nodes, parse_partitions, parse_reservations, ApiVersion, Cluster, SlurmError,
};

use super::config::{RestConfig, VersionChoice};
use super::parse_failure;
use crate::settings::Secret;
use crate::source::limit::{self, Failure};

/// A slurmrestd endpoint with its (detected) schema version.
pub struct Rest {
    config: RestConfig,
    client: reqwest::Client,
    /// The version in use; `None` until auto-detection succeeds.
    version: Option<ApiVersion>,
    /// Cap on one answer, bytes.
    max_bytes: u64,
    /// Seconds one request may take (for messages).
    timeout_s: u64,
}

impl Rest {
    /// A client whose every request is cut off after `timeout` and whose
    /// answers are read up to `max_bytes`.
    pub fn new(config: RestConfig, timeout: std::time::Duration, max_bytes: u64) -> Result<Rest, Failure> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| limit::http_failure("Slurm", e, timeout.as_secs()))?;
        let version = match config.version {
            VersionChoice::Auto => None,
            VersionChoice::Fixed(v) => Some(v),
        };
        Ok(Rest { config, client, version, max_bytes, timeout_s: timeout.as_secs() })
    }

    /// The schema version in use, once known.
    pub fn version(&self) -> Option<ApiVersion> {
        self.version
    }

    /// The JWT from the configuration, its file or its environment variable.
    fn token(&self) -> Result<Secret, Failure> {
        let missing = |detail: String| Failure::new("the Slurm access token is not available", detail);
        let raw = if let Some(t) = &self.config.token {
            return Ok(t.clone());
        } else if let Some(path) = &self.config.token_file {
            std::fs::read_to_string(path).map_err(|e| missing(format!("token_file {}: {e}", path.display())))?
        } else if let Some(var) = &self.config.token_env {
            std::env::var(var).map_err(|_| missing(format!("token_env {var} is not set")))?
        } else {
            return Err(missing("no token configured".into()));
        };
        let raw = raw.trim();
        let raw = raw.strip_prefix("SLURM_JWT=").unwrap_or(raw);
        serde_json::from_value(serde_json::Value::String(raw.to_owned())).map_err(|e| missing(e.to_string()))
    }

    /// GET `/slurm/<version>/<what>`: the body, or why not (HTTP status, Slurm's error).
    async fn get(&self, version: ApiVersion, what: &str, token: &Secret) -> Result<(u16, String), Failure> {
        let url = format!("{}/slurm/{version}/{what}", self.config.url.trim_end_matches('/'));
        let res = self
            .client
            .get(&url)
            .header("X-SLURM-USER-NAME", &self.config.user)
            .header("X-SLURM-USER-TOKEN", token.expose())
            .send()
            .await
            .map_err(|e| limit::http_failure("Slurm", e, self.timeout_s).context(what))?;
        let code = res.status().as_u16();
        let body = limit::read_text(res, "Slurm", self.max_bytes, self.timeout_s).await.map_err(|f| f.context(what))?;
        Ok((code, body))
    }

    /// GET and check the HTTP status; a non-200 answer's own error message is preferred.
    async fn fetch(&self, version: ApiVersion, what: &'static str, token: &Secret) -> Result<String, Failure> {
        let (code, body) = self.get(version, what, token).await?;
        if code == 200 {
            return Ok(body);
        }
        let (public, hint) = match code {
            401 | 403 => (
                format!("Slurm refused the portal's credentials (status {code})"),
                " (check the JWT and the user name)",
            ),
            404 => (
                format!("Slurm answered with status {code}"),
                " (this slurmrestd does not serve that version or endpoint)",
            ),
            _ => (format!("Slurm answered with status {code}"), ""),
        };
        // slurmrestd puts its reason in the JSON `errors` of failed answers.
        let slurm = match parse_nodes(&body) {
            Err(SlurmError::Api { message, .. }) => format!(": {message}"),
            _ => String::new(),
        };
        Err(Failure::new(public, format!("{what}: HTTP {code}{hint}{slurm}")))
    }

    /// The version to use: the configured one, or the newest that answers.
    async fn detect(&mut self, token: &Secret) -> Result<ApiVersion, Failure> {
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
        Err(Failure::new(
            "Slurm serves no supported API version",
            format!(
                "no supported Slurm API version answers ({}); supported: {}",
                tried.join(", "),
                ApiVersion::supported_list()
            ),
        ))
    }

    /// Reads nodes, partitions, jobs (and reservations from v0.0.37 on).
    pub async fn read(&mut self) -> Result<Cluster, Failure> {
        let token = self.token()?;
        let version = self.detect(&token).await?;
        let result = self.read_version(version, &token).await;
        if result.is_err() && self.config.version == VersionChoice::Auto {
            // slurmrestd may have been upgraded or restarted with other plugins: detect again next time.
            self.version = None;
        }
        result
    }

    async fn read_version(&self, v: ApiVersion, token: &Secret) -> Result<Cluster, Failure> {
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
            let reservations = match reservations {
                Some(text) => parse_reservations(&text).map_err(parse_failure)?.items,
                None => Vec::new(),
            };
            Ok(Cluster::assemble(
                parse_nodes(&nodes).map_err(parse_failure)?.items,
                parse_partitions(&partitions).map_err(parse_failure)?.items,
                parse_jobs(&jobs).map_err(parse_failure)?.items,
                reservations,
            ))
        };
        tokio::task::spawn_blocking(parse)
            .await
            .map_err(|e| Failure::new("Slurm's answer could not be read", format!("parsing: {e}")))?
    }
}
