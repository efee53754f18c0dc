//! The Slurm source (IO only): reads one system's cluster through slurmrestd
//! (`rest.rs`) or `sinfo` / `squeue` (`cli.rs`) under a timeout, and hands the
//! JSON to `kairr_shared::slurm`, which parses every supported schema version
//! into one model and maps it onto the portal's status, queues and maintenance.

use futures_util::future::BoxFuture;
use kairr_shared::accounting::AccountUsage;
use kairr_shared::api::DataSource;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::slurm::{view, ApiVersion, Cluster, SlurmError, UsageIntegrator};

use super::limit::Failure;
use super::{SourceError, SourcePoll, StatusSource};

pub(crate) mod cli;
mod config;
mod rest;

pub use config::{default_max_response_bytes, CliConfig, RestConfig, SlurmConfig, SlurmMode, VersionChoice};

/// A Slurm answer that did not parse, in plain words (the detail for the log).
fn parse_failure(e: SlurmError) -> Failure {
    let public = match &e {
        SlurmError::UnsupportedVersion { .. } | SlurmError::MissingVersion { .. } => {
            "Slurm answered with an unsupported API version"
        }
        SlurmError::Api { .. } => "Slurm reported an error",
        SlurmError::HostList { .. } => "Slurm's answer lists more nodes than the portal reads",
        SlurmError::Json { .. } | SlurmError::NotInVersion { .. } => "Slurm's answer could not be read",
    };
    Failure::new(public, e.to_string())
}

/// Polls one Slurm cluster.
pub struct SlurmSource {
    name: String,
    config: SlurmConfig,
    catalogue: Catalogue,
    rest: Option<rest::Rest>,
    usage: UsageIntegrator,
    last_usage: Vec<AccountUsage>,
}

impl SlurmSource {
    /// A source for `config` (named `slurm:<system_id>`); `catalogue` gives
    /// the names, model and limits of the system and pools it maps onto.
    pub fn new(config: SlurmConfig, catalogue: Catalogue) -> Result<SlurmSource, SourceError> {
        let name = format!("slurm:{}", config.mapping.system_id);
        if let Some(problem) = config.problem() {
            return Err(SourceError::new(&name, Failure::new("Slurm is misconfigured", problem)));
        }
        let rest = match (&config.mode, &config.rest) {
            (SlurmMode::Rest, Some(r)) => Some(
                rest::Rest::new(r.clone(), config.timeout(), config.max_response_bytes)
                    .map_err(|f| SourceError::new(&name, f))?,
            ),
            _ => None,
        };
        Ok(SlurmSource {
            name: name.clone(),
            config,
            catalogue,
            rest,
            usage: UsageIntegrator::default(),
            last_usage: Vec::new(),
        })
    }

    /// The configuration it was built from (`schedule()` gives its poll schedule).
    pub fn config(&self) -> &SlurmConfig {
        &self.config
    }

    /// The REST schema version in use (`None` in CLI mode or before detection).
    pub fn api_version(&self) -> Option<ApiVersion> {
        self.rest.as_ref().and_then(rest::Rest::version)
    }

    /// Cumulative GPU-seconds per pool and project account as of the last good
    /// poll (also in every poll's `usage`).
    pub fn usage(&self) -> &[AccountUsage] {
        &self.last_usage
    }

    /// Reads the cluster, bounded by the configured timeout.
    pub async fn read(&mut self) -> Result<Cluster, SourceError> {
        let timeout = self.config.timeout();
        let max = self.config.max_response_bytes;
        let read = async {
            match &mut self.rest {
                Some(rest) => rest.read().await,
                None => cli::read(&self.config.cli, timeout, max).await,
            }
        };
        let result = match tokio::time::timeout(timeout, read).await {
            Ok(r) => r,
            Err(_) => Err(Failure::new(
                format!("Slurm did not answer within {} s", timeout.as_secs_f64()),
                format!("timed out after {} s", timeout.as_secs_f64()),
            )),
        };
        result.map_err(|failure| SourceError::new(&self.name, failure))
    }
}

impl StatusSource for SlurmSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> DataSource {
        DataSource::Slurm
    }

    fn poll(&mut self, now: i64) -> BoxFuture<'_, Result<SourcePoll, SourceError>> {
        Box::pin(async move {
            let cluster = self.read().await?;
            let v = view(&cluster, &self.config.mapping, &self.catalogue, now);
            let mapping = &self.config.mapping;
            self.last_usage = self.usage.observe(&cluster.jobs, now, |p| mapping.pool_id(p));
            Ok(SourcePoll {
                at: now,
                systems: vec![v.system],
                maintenance: v.maintenance,
                queues: v.queues,
                usage: self.last_usage.clone(),
                ..SourcePoll::default()
            })
        })
    }
}
