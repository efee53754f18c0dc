//! `[provisioning]` in the settings: the Slurm cluster and the Kubernetes
//! pools awards are provisioned into, and how Slurm's commands are run.

use std::path::PathBuf;
use std::time::Duration;

use kairr_shared::provisioning::{parse_associations, SlurmSite, SlurmState, ASSOC_FORMAT};
use serde::{Deserialize, Serialize};

use crate::source::slurm::CliConfig;

/// Longest wait for one `sacctmgr` call (it retries for a while when slurmdbd is down).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// Most of `sacctmgr`'s output read.
const MAX_OUTPUT: u64 = 16 * 1024 * 1024;

/// `[provisioning]`: the schedulers awards are made into.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProvisioningSettings {
    /// `[provisioning.slurm]`: one Slurm cluster (through its slurmdbd).
    #[serde(default)]
    pub slurm: Option<SlurmProvisioning>,
    /// `[provisioning.kubernetes]`: GPU-cloud pools whose awards become namespaces (manifests to apply).
    #[serde(default)]
    pub kubernetes: Option<KubeProvisioning>,
}

/// `[provisioning.kubernetes]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KubeProvisioning {
    /// Catalogue pool ids whose awards become namespaces.
    pub pools: Vec<String>,
    /// Kubeflow `Profile`s instead of plain namespaces.
    #[serde(default)]
    pub kubeflow: bool,
    #[serde(default = "default_namespace_prefix")]
    pub namespace_prefix: String,
    /// The GPUs' extended resource name.
    #[serde(default = "default_gpu_resource")]
    pub gpu_resource: String,
    /// Appended to usernames to make the cluster's user names (e.g. `@kairr.kr`).
    #[serde(default)]
    pub user_suffix: String,
}

fn default_namespace_prefix() -> String {
    "kairr-".into()
}
fn default_gpu_resource() -> String {
    "nvidia.com/gpu".into()
}

impl KubeProvisioning {
    pub fn site(&self) -> kairr_shared::provisioning::kubernetes::KubeSite {
        kairr_shared::provisioning::kubernetes::KubeSite {
            pools: self.pools.clone(),
            kubeflow: self.kubeflow,
            namespace_prefix: self.namespace_prefix.clone(),
            gpu_resource: self.gpu_resource.clone(),
            user_suffix: self.user_suffix.clone(),
        }
    }
}

/// `[provisioning.slurm]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlurmProvisioning {
    /// `ClusterName` of the cluster (as registered in slurmdbd).
    pub cluster: String,
    /// Catalogue pool ids whose awards become accounts on this cluster.
    pub pools: Vec<String>,
    /// Account the project accounts are created under.
    #[serde(default = "default_parent")]
    pub parent: String,
    /// Fair-share weight of every project account (unset: Slurm's default, not managed).
    #[serde(default)]
    pub fairshare: Option<u32>,
    /// The `sacctmgr` program.
    #[serde(default = "default_sacctmgr")]
    pub sacctmgr: PathBuf,
    /// Passed to `sacctmgr` as `SLURM_CONF` when set.
    #[serde(default)]
    pub slurm_conf: Option<PathBuf>,
    /// Seconds between passes when nothing failed.
    #[serde(default = "default_interval")]
    pub interval_seconds: u64,
    /// Usage of these pools' allocations from the cluster's accounting
    /// (`sacct`) instead of the running jobs the status source sees.
    #[serde(default = "default_true")]
    pub usage_from_accounting: bool,
    /// The `sacct` program.
    #[serde(default = "default_sacct")]
    pub sacct: PathBuf,
    /// Partition → pool id for jobs' usage (unset: every job in the site's one pool).
    #[serde(default)]
    pub partitions: std::collections::BTreeMap<String, String>,
    /// Seconds between readings of the accounting.
    #[serde(default = "default_usage_interval")]
    pub usage_interval_seconds: u64,
}

fn default_parent() -> String {
    "root".into()
}
fn default_sacctmgr() -> PathBuf {
    "sacctmgr".into()
}
fn default_interval() -> u64 {
    300
}
fn default_true() -> bool {
    true
}
fn default_sacct() -> PathBuf {
    "sacct".into()
}
fn default_usage_interval() -> u64 {
    60
}

impl SlurmProvisioning {
    /// Settings that cannot work, said at start-up: usage from accounting
    /// for several pools needs each partition's pool.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.usage_from_accounting && self.pools.len() > 1 && self.partitions.is_empty() {
            anyhow::bail!(
                "[provisioning.slurm] has several pools and reads usage from accounting: set `partitions` \
                 (partition = pool id) so each job's usage goes to its pool"
            );
        }
        Ok(())
    }

    /// `cluster` provisioning `pools`, every other setting at its default.
    pub fn new(cluster: &str, pools: &[&str]) -> SlurmProvisioning {
        SlurmProvisioning {
            cluster: cluster.to_owned(),
            pools: pools.iter().map(|p| (*p).to_owned()).collect(),
            parent: default_parent(),
            fairshare: None,
            sacctmgr: default_sacctmgr(),
            slurm_conf: None,
            interval_seconds: default_interval(),
            usage_from_accounting: true,
            sacct: default_sacct(),
            partitions: Default::default(),
            usage_interval_seconds: default_usage_interval(),
        }
    }

    pub fn site(&self) -> SlurmSite {
        SlurmSite {
            cluster: self.cluster.clone(),
            pools: self.pools.clone(),
            parent: self.parent.clone(),
            fairshare: self.fairshare,
        }
    }

    /// Runs one of Slurm's commands (bounded in time and output; `TZ=UTC`).
    pub(super) async fn run(&self, program: &std::path::Path, args: &[String]) -> Result<String, String> {
        let config = CliConfig { slurm_conf: self.slurm_conf.clone(), ..CliConfig::default() };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        crate::source::slurm::cli::run(&config, program, &args, COMMAND_TIMEOUT, MAX_OUTPUT).await.map_err(|f| f.detail)
    }

    pub(super) async fn sacctmgr(&self, args: &[String]) -> Result<String, String> {
        self.run(&self.sacctmgr, args).await
    }

    /// The cluster's associations.
    pub(super) async fn read(&self) -> Result<SlurmState, String> {
        let args = [
            "-n".to_owned(),
            "-P".to_owned(),
            "show".to_owned(),
            "assoc".to_owned(),
            format!("cluster={}", self.cluster),
            format!("format={ASSOC_FORMAT}"),
        ];
        parse_associations(&self.sacctmgr(&args).await?)
    }
}
