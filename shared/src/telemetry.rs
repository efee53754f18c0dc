//! GPU telemetry of a pool (Prometheus, NVIDIA DCGM exporter metrics): the
//! queries, the reading they give, and how a reading enters a pool's status.
//!
//! What `up == 0` means: the node's exporter did not answer its last scrape.
//! In a pool known only through telemetry that node counts as down (not
//! responding, like Slurm's `NOT_RESPONDING`). In a pool whose nodes come from
//! a scheduler, the scheduler's node states stand: the node merely has no
//! telemetry.

use serde::{Deserialize, Serialize};

use crate::api::{GpuCounts, PoolStatus};
use crate::catalogue::StatusPolicy;
use crate::status::{pool_status, NodeCounts};

pub mod prom;

pub use prom::{parse_query, PromError, PromSample};

/// Placeholder in a query template for the pool's label selector.
pub const SELECTOR: &str = "$selector";
/// Default utilisation query: DCGM's GPU utilisation (%) averaged per node.
pub const DEFAULT_UTILISATION_QUERY: &str = "avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL{$selector})";
/// Default power query: DCGM's board power (W) summed per node.
pub const DEFAULT_POWER_QUERY: &str = "sum by (Hostname) (DCGM_FI_DEV_POWER_USAGE{$selector})";
/// Default liveness query: one `up` series per scrape target (one exporter per node).
pub const DEFAULT_UP_QUERY: &str = "up{$selector}";

/// The PromQL queries of one pool. Each may contain `$selector`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoolQueries {
    /// Label matchers without braces, e.g. `job="dcgm",cluster="gov-b200"`.
    pub selector: String,
    /// One series per node or GPU, values in percent (0–100).
    pub utilisation: String,
    /// Series in watts, summed over the pool.
    pub power: String,
    /// One series per node, 1 = up, 0 = not answering.
    pub up: String,
    /// GPUs held by pods per namespace (one series per namespace, value =
    /// GPUs), for the allocations' usage, e.g.
    /// `count by (namespace) (DCGM_FI_DEV_GPU_UTIL{$selector,namespace=~"kairr-.+"})`
    /// with the DCGM exporter's pod labels; unset: usage is not read.
    pub usage: Option<String>,
    /// Prefix of the allocations' namespaces (`kairr-r2027-1-0042` → account `r2027-1-0042`).
    pub namespace_prefix: String,
}

impl Default for PoolQueries {
    fn default() -> Self {
        PoolQueries {
            selector: String::new(),
            utilisation: DEFAULT_UTILISATION_QUERY.into(),
            power: DEFAULT_POWER_QUERY.into(),
            up: DEFAULT_UP_QUERY.into(),
            usage: None,
            namespace_prefix: "kairr-".into(),
        }
    }
}

impl PoolQueries {
    /// The usage query with the selector filled in, if one is set.
    pub fn rendered_usage(&self) -> Option<String> {
        self.usage.as_ref().map(|q| q.replace(SELECTOR, &self.selector))
    }

    /// Project accounts and the GPUs their pods hold, from the usage query's
    /// samples: the `namespace` label without the prefix; namespaces without
    /// it (not the portal's) and values that are not finite are left out.
    pub fn namespace_gpus(&self, samples: &[PromSample]) -> Vec<(String, f64)> {
        samples
            .iter()
            .filter(|s| s.value.is_finite() && s.value > 0.0)
            .filter_map(|s| {
                let ns = s.labels.get("namespace")?;
                let account = ns.strip_prefix(self.namespace_prefix.as_str())?;
                (!account.is_empty()).then(|| (account.to_owned(), s.value))
            })
            .collect()
    }

    /// The utilisation, power and liveness queries with the selector filled in.
    pub fn rendered(&self) -> [String; 3] {
        [&self.utilisation, &self.power, &self.up].map(|q| q.replace(SELECTOR, &self.selector))
    }
}

/// One pool's telemetry at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolTelemetry {
    /// Catalogue pool id the reading describes.
    pub pool_id: String,
    /// Mean of the utilisation series, 0..=1; `None` when no series reported.
    pub gpu_utilisation: Option<f64>,
    /// Sum of the power series in kW (one decimal); `None` when no series reported.
    pub power_kw: Option<f64>,
    /// Scrape targets answering (`up == 1`).
    pub nodes_up: u32,
    /// Scrape targets not answering (`up == 0`).
    pub nodes_down: u32,
}

/// A telemetry answer that cannot describe the pool.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TelemetryError {
    /// The `up` query matched nothing: no node can be judged.
    #[error("liveness query returned no series (check the selector)")]
    NoTargets,
    /// An `up` value other than 0 or 1 (the query is not a liveness query).
    #[error("liveness value {0} is neither 0 nor 1")]
    BadUp(f64),
}

fn finite(samples: &[PromSample]) -> impl Iterator<Item = f64> + '_ {
    samples.iter().map(|s| s.value).filter(|v| v.is_finite())
}

impl PoolTelemetry {
    /// Reduces the three query answers (utilisation %, power W, `up`) to a reading.
    /// Non-finite values (NaN, ±Inf) are skipped.
    pub fn from_samples(
        pool_id: &str,
        utilisation: &[PromSample],
        power: &[PromSample],
        up: &[PromSample],
    ) -> Result<PoolTelemetry, TelemetryError> {
        if up.is_empty() {
            return Err(TelemetryError::NoTargets);
        }
        let (mut nodes_up, mut nodes_down) = (0, 0);
        for s in up {
            if s.value == 1.0 {
                nodes_up += 1;
            } else if s.value == 0.0 {
                nodes_down += 1;
            } else {
                return Err(TelemetryError::BadUp(s.value));
            }
        }
        let utils: Vec<f64> = finite(utilisation).collect();
        let gpu_utilisation =
            (!utils.is_empty()).then(|| (utils.iter().sum::<f64>() / utils.len() as f64 / 100.0).clamp(0.0, 1.0));
        let watts: Vec<f64> = finite(power).collect();
        let power_kw = (!watts.is_empty()).then(|| (watts.iter().sum::<f64>() / 100.0).round() / 10.0);
        Ok(PoolTelemetry { pool_id: pool_id.to_owned(), gpu_utilisation, power_kw, nodes_up, nodes_down })
    }
}

/// Merges a reading into `pool`. Utilisation and power always come from the
/// reading when it has them. With `nodes_from_telemetry` (no scheduler feeds
/// the pool) the node counts, GPU counts, status and start-now figures are
/// derived from liveness; allocated GPUs are estimated as utilisation × GPUs
/// on answering nodes, and there is no queue.
pub fn apply(pool: &mut PoolStatus, t: &PoolTelemetry, nodes_from_telemetry: bool, policy: &StatusPolicy) {
    pool.gpu_utilisation = t.gpu_utilisation;
    if let Some(kw) = t.power_kw {
        pool.power_kw = kw;
    }
    if !nodes_from_telemetry {
        return;
    }
    let gpn = pool.gpus_per_node;
    let nodes = NodeCounts { total: t.nodes_up + t.nodes_down, up: t.nodes_up, down: t.nodes_down, drained: 0 };
    let util = t.gpu_utilisation.unwrap_or(0.0);
    let up_gpus = nodes.up * gpn;
    let allocated = ((util * f64::from(up_gpus)).round() as u32).min(up_gpus);
    let idle_nodes = nodes.up - allocated.div_ceil(gpn.max(1));
    let max_job_nodes = pool.max_job_gpus / gpn.max(1);
    pool.nodes = nodes;
    pool.status = pool_status(nodes, false, policy);
    let model = pool.gpus.first().map(|g| g.model.clone()).unwrap_or_default();
    pool.gpus = vec![GpuCounts {
        model,
        total: nodes.total * gpn,
        allocated,
        free: up_gpus - allocated,
        unavailable: nodes.down * gpn,
    }];
    pool.utilisation = util;
    pool.largest_startable_gpus = idle_nodes.min(max_job_nodes) * gpn;
    pool.backfill_gpus = pool.largest_startable_gpus;
    pool.backfill_window_seconds = None;
    (pool.running_jobs, pool.pending_jobs, pool.pending_gpus, pool.median_wait_seconds) = (0, 0, 0, None);
}

#[cfg(test)]
mod tests;
