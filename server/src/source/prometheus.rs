//! The Prometheus source (IO only): GPU utilisation, power and node liveness
//! of one system's pools from Prometheus's HTTP API (`/api/v1/query`), with
//! per-pool PromQL (NVIDIA DCGM exporter metrics by default). Parsing and
//! the meaning of the answers are `kairr_shared::telemetry`.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::future::{try_join_all, BoxFuture};
use kairr_shared::api::DataSource;
use kairr_shared::feeds::Backoff;
use kairr_shared::telemetry::{parse_query, PoolQueries, PoolTelemetry, PromError, PromSample};
use serde::{Deserialize, Serialize};

use super::limit::{self, Failure, PROMETHEUS_MAX_BYTES};
use super::{Schedule, SourceError, SourcePoll, StatusSource};
use crate::settings::Secret;

/// `[sources.<system>.prometheus]`: where one system's telemetry comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrometheusConfig {
    /// Base URL of the Prometheus server, e.g. `http://prometheus.example:9090`.
    pub url: String,
    /// Seconds between polls.
    #[serde(default = "default_interval")]
    pub interval_seconds: u32,
    /// Seconds a poll (all queries of all pools) may take.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
    /// Longest wait between retries after failures, seconds.
    #[serde(default = "default_backoff_max")]
    pub backoff_max_seconds: u32,
    /// Sent as `Authorization: Bearer …` when set (never logged).
    #[serde(default)]
    pub bearer_token: Option<Secret>,
    /// Pool id (catalogue) → its selector and queries.
    pub pools: BTreeMap<String, PoolQueries>,
    /// Longest answer read, bytes (8 MiB by default); a longer one fails the poll.
    #[serde(default = "default_max_response_bytes")]
    pub max_response_bytes: u64,
}

/// The default cap on one answer: [`PROMETHEUS_MAX_BYTES`].
pub fn default_max_response_bytes() -> u64 {
    PROMETHEUS_MAX_BYTES
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

impl PrometheusConfig {
    /// The poll schedule: interval, timeout, backoff from 1 s up to `backoff_max_seconds`.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            interval: Duration::from_secs(u64::from(self.interval_seconds)),
            timeout: Duration::from_secs(u64::from(self.timeout_seconds)),
            backoff: Backoff { base_ms: 1_000, max_ms: u64::from(self.backoff_max_seconds) * 1_000 },
        }
    }
}

/// Reads one system's pools from one Prometheus server.
pub struct PrometheusSource {
    name: String,
    config: PrometheusConfig,
    client: reqwest::Client,
    /// GPUs held per project namespace, integrated into usage counters.
    usage: kairr_shared::accounting::GaugeIntegrator,
}

impl PrometheusSource {
    /// A source for `system` (used in its name, `prometheus:<system>`).
    pub fn new(system: &str, config: PrometheusConfig) -> Result<PrometheusSource, SourceError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(u64::from(config.timeout_seconds.max(1))))
            .build()
            .map_err(|e| {
                SourceError::new(
                    &format!("prometheus:{system}"),
                    Failure::new("Prometheus is misconfigured", e.to_string()),
                )
            })?;
        Ok(PrometheusSource { name: format!("prometheus:{system}"), config, client, usage: Default::default() })
    }

    async fn query(&self, promql: &str) -> Result<Vec<PromSample>, Failure> {
        let url = format!("{}/api/v1/query", self.config.url.trim_end_matches('/'));
        let mut req = self.client.get(&url).query(&[("query", promql)]);
        if let Some(token) = &self.config.bearer_token {
            req = req.bearer_auth(token.expose());
        }
        let timeout_s = u64::from(self.config.timeout_seconds.max(1));
        let res = req.send().await.map_err(|e| limit::http_failure("Prometheus", e, timeout_s))?;
        let code = res.status();
        let body = limit::read_text(res, "Prometheus", self.config.max_response_bytes, timeout_s)
            .await
            .map_err(|f| f.context(&format!("query {promql}")))?;
        // Prometheus answers errors (400, 422, 503) with its JSON envelope: prefer its message.
        let answered = format!("Prometheus answered with status {}", code.as_u16());
        match parse_query(&body) {
            Ok(samples) if code.is_success() => Ok(samples),
            Ok(_) => Err(Failure::new(answered, format!("HTTP {code} for query {promql}"))),
            Err(e @ PromError::Malformed(_)) if !code.is_success() => {
                Err(Failure::new(answered, format!("HTTP {code} for query {promql}: {e}")))
            }
            Err(e @ PromError::Api { .. }) => {
                Err(Failure::new("Prometheus query failed", format!("{e} (HTTP {code}, query {promql})")))
            }
            Err(e) => {
                Err(Failure::new("Prometheus's answer could not be read", format!("{e} (HTTP {code}, query {promql})")))
            }
        }
    }

    async fn pool(&self, pool_id: &str, queries: &PoolQueries) -> Result<PoolTelemetry, Failure> {
        let [util, power, up] = queries.rendered();
        let (util, power, up) =
            futures_util::future::try_join3(self.query(&util), self.query(&power), self.query(&up)).await?;
        PoolTelemetry::from_samples(pool_id, &util, &power, &up).map_err(|e| {
            Failure::new(
                format!("Prometheus has no usable readings for pool {pool_id}"),
                format!("pool {pool_id}: {e} (liveness query {})", queries.rendered()[2]),
            )
        })
    }
}

impl PrometheusSource {
    /// The usage counters after this poll's reading of the GPUs each project
    /// namespace holds (pools with a usage query). A failed usage query skips
    /// that pool's reading (its status is unaffected; the gap is not counted).
    async fn usage_now(&mut self, now: i64) -> Vec<kairr_shared::accounting::AccountUsage> {
        let queries: Vec<(String, PoolQueries, String)> = self
            .config
            .pools
            .iter()
            .filter_map(|(id, q)| q.rendered_usage().map(|u| (id.clone(), q.clone(), u)))
            .collect();
        if queries.is_empty() {
            return Vec::new();
        }
        let mut held = BTreeMap::new();
        for (pool, q, promql) in &queries {
            match self.query(promql).await {
                Ok(samples) => {
                    for (account, gpus) in q.namespace_gpus(&samples) {
                        *held.entry((pool.clone(), account)).or_insert(0.0) += gpus;
                    }
                }
                Err(f) => tracing::warn!(source = %self.name, pool = %pool, error = %f.detail, "usage query failed"),
            }
        }
        self.usage.observe(now, held)
    }
}

impl StatusSource for PrometheusSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> DataSource {
        DataSource::Prometheus
    }

    fn poll(&mut self, now: i64) -> BoxFuture<'_, Result<SourcePoll, SourceError>> {
        Box::pin(async move {
            let readings = try_join_all(self.config.pools.iter().map(|(id, q)| self.pool(id, q)))
                .await
                .map_err(|failure| SourceError::new(&self.name, failure))?;
            let usage = self.usage_now(now).await;
            Ok(SourcePoll { at: now, telemetry: readings, usage, ..SourcePoll::default() })
        })
    }
}
