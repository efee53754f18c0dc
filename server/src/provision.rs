//! Provisioning awards into Slurm (issue 13 §1): the reconciler.
//!
//! One pass ([`reconcile_once`]) reads the awards of real rounds in the
//! configured pools, reads the cluster's associations with `sacctmgr`, makes
//! the changes [`kairr_shared::provisioning::reconcile`] plans, reads the
//! cluster again to verify, and records per allocation `pending` /
//! `provisioned` / `failed` (with the reason) plus one audit entry per change,
//! in one transaction. A Slurm that does not answer delays provisioning and
//! loses nothing: the allocations stay pending or become failed with the
//! reason, and the next pass retries (every 30 s while some fail, else every
//! `interval_seconds`, and a few seconds after any decision on any replica).
//! Only the leader reconciles; passes are idempotent, so a failover overlap
//! is harmless.

mod meter;
mod storage;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use kairr_shared::allocation::usecase::AuditRecord;
use kairr_shared::allocation::{AllocationId, AuditAction, AuditSubject, Metering, PoolMetering, UsageSource};
use kairr_shared::api::ProgrammeChange;
use kairr_shared::provisioning::{
    desired, parse_associations, reconcile, AccountSpec, SlurmChange, SlurmSite, SlurmState, ASSOC_FORMAT,
};
use serde::{Deserialize, Serialize};

use crate::replica::Replica;
use crate::source::slurm::CliConfig;
use crate::state::AppState;
use crate::storage::Storage;

pub use meter::{meter_once, Metered};
pub use storage::{Outcome, ProvisioningReport, RunReport};

/// Who the audit log names for the reconciler's changes.
pub const ACTOR: &str = "system:provisioning";
/// Longest wait for one `sacctmgr` call (it retries for a while when slurmdbd is down).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// Most of `sacctmgr`'s output read.
const MAX_OUTPUT: u64 = 16 * 1024 * 1024;
/// Between passes while some allocation failed.
const RETRY: Duration = Duration::from_secs(30);

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
    async fn run(&self, program: &std::path::Path, args: &[String]) -> Result<String, String> {
        let config = CliConfig { slurm_conf: self.slurm_conf.clone(), ..CliConfig::default() };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        crate::source::slurm::cli::run(&config, program, &args, COMMAND_TIMEOUT, MAX_OUTPUT).await.map_err(|f| f.detail)
    }

    async fn sacctmgr(&self, args: &[String]) -> Result<String, String> {
        self.run(&self.sacctmgr, args).await
    }

    /// The cluster's associations.
    async fn read(&self) -> Result<SlurmState, String> {
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

/// How the pools of a round are metered: a demo round's by the simulator;
/// a real round's pools read from accounting since the first full KST day
/// of its first reading (the reading went back `FIRST_READ_S`), the others
/// from the running jobs of their status source.
pub async fn metering(storage: &Storage, settings: &crate::settings::Settings, demo: bool) -> anyhow::Result<Metering> {
    if demo {
        return Ok(Metering::demo());
    }
    let mut metering = Metering::default();
    if let Some(slurm) = settings.provisioning.slurm.as_ref().filter(|s| s.usage_from_accounting) {
        let now = Utc::now().timestamp();
        let first = storage.accounting_first_read(&slurm.cluster).await?;
        // Not read yet: complete from tomorrow at the earliest.
        let from = first.map_or(now + 86_400, |t| t - meter::FIRST_READ_S);
        let mut since = kairr_shared::time::kst_day(from).succ_opt();
        // Not read up to today's start (slurmdbd down, say): yesterday is not complete, nothing is judged.
        let until = storage.accounting_read_until(&slurm.cluster).await?.unwrap_or(0);
        let today = kairr_shared::time::kst_day(now);
        if until < kairr_shared::time::kst_midnight(today) {
            since = since.max(today.succ_opt());
        }
        for pool in &slurm.pools {
            metering.by_pool.insert(pool.clone(), PoolMetering { source: UsageSource::Accounting, since });
        }
    }
    Ok(metering)
}

/// One reconciliation pass of `slurm` at `now`: what it found and did.
/// Passes run one at a time across replicas (one asked for from the admin
/// page waits for the leader's to finish, then finds nothing left to do).
pub async fn reconcile_once(
    storage: &Storage,
    slurm: &SlurmProvisioning,
    now: DateTime<Utc>,
) -> anyhow::Result<RunReport> {
    let guard = storage.provisioning_pass().await?;
    let report = pass(storage, slurm, now).await;
    guard.release().await;
    report
}

async fn pass(storage: &Storage, slurm: &SlurmProvisioning, now: DateTime<Utc>) -> anyhow::Result<RunReport> {
    let site = slurm.site();
    let awards = storage.provisioning_awards().await?;
    let want = desired(&site, &awards, kairr_shared::time::kst_day(now.timestamp()));
    let pools = awards.iter().map(|a| (a.allocation.id, a.allocation.pool.clone())).collect();
    storage.provisioning_seen(&slurm.cluster, &want, &pools).await?;

    let observed = match slurm.read().await {
        Ok(s) => s,
        Err(e) => {
            let reason = format!("the cluster's accounting could not be read: {e}");
            let outcomes = want.iter().flat_map(|s| failed(s, &reason)).collect();
            let report = RunReport {
                cluster: slurm.cluster.clone(),
                at: now,
                ok: false,
                error: Some(reason),
                ..RunReport::default()
            };
            storage.record_provisioning(&slurm.cluster, outcomes, Vec::new(), &report).await?;
            return Ok(report);
        }
    };
    let plan = reconcile(&site, want.clone(), &observed);
    let mut broken: std::collections::BTreeMap<String, String> = Default::default();
    let mut audits = Vec::new();
    let mut failed_soft = std::collections::BTreeSet::new();
    for (ids, change) in &plan.changes {
        if broken.contains_key(change.account()) && !failed_soft.contains(change.account()) {
            continue;
        }
        match slurm.sacctmgr(&change.sacctmgr_args(&slurm.cluster)).await {
            Ok(_) => audits.extend(ids.iter().map(|id| audit(*id, change, now))),
            // Without its account nothing else can be made; a failed limit or user blocks nothing else.
            Err(e) if matches!(change, SlurmChange::AddAccount { .. }) => {
                broken.insert(change.account().to_owned(), e);
            }
            Err(e) => {
                broken.entry(change.account().to_owned()).or_insert(e);
                failed_soft.insert(change.account().to_owned());
            }
        }
    }
    // Verify: what still differs after the changes is not provisioned.
    let after = match slurm.read().await {
        Ok(s) => reconcile(&site, want.clone(), &s),
        Err(e) => {
            let reason = format!("the changes could not be verified: {e}");
            for spec in &want {
                broken.entry(spec.account.clone()).or_insert_with(|| reason.clone());
            }
            plan.clone()
        }
    };
    let mut outcomes = Vec::new();
    for spec in &want {
        let left: Vec<&SlurmChange> =
            after.changes.iter().filter(|(_, c)| c.account() == spec.account).map(|(_, c)| c).collect();
        match (broken.get(&spec.account), left.is_empty()) {
            (Some(reason), _) => outcomes.extend(failed(spec, &format!("sacctmgr refused a change: {reason}"))),
            (None, true) => outcomes.extend(spec.allocations.iter().map(|id| Outcome::provisioned(*id))),
            (None, false) => {
                let reason = format!("the cluster still differs after the changes: {left:?}");
                outcomes.extend(failed(spec, &reason));
            }
        }
    }
    let report = RunReport {
        cluster: slurm.cluster.clone(),
        at: now,
        ok: broken.is_empty(),
        error: None,
        changes: audits.len(),
        unmanaged_accounts: after.unmanaged_accounts,
        unmanaged_users: after.unmanaged_users,
    };
    storage.record_provisioning(&slurm.cluster, outcomes, audits, &report).await?;
    Ok(report)
}

fn failed(spec: &AccountSpec, reason: &str) -> Vec<Outcome> {
    spec.allocations.iter().map(|id| Outcome::failed(*id, reason)).collect()
}

fn audit(id: AllocationId, change: &SlurmChange, at: DateTime<Utc>) -> AuditRecord {
    let before = match change {
        SlurmChange::SetLimits { was, .. } => was.as_ref().and_then(|w| serde_json::to_value(w).ok()),
        _ => None,
    };
    AuditRecord {
        actor: ACTOR.to_owned(),
        action: AuditAction::SchedulerAccountChanged,
        subject: AuditSubject::Allocation(id),
        before,
        after: serde_json::to_value(change).ok(),
        at,
    }
}

/// The leader's loop: a reconciliation at start, a few seconds after the
/// last decision of a burst, every `interval_seconds`, and every 30 s while
/// some allocation failed; a reading of the accounting every
/// `usage_interval_seconds` when usage comes from it. Followers wait.
pub async fn run(state: AppState, replica: Arc<Replica>, slurm: SlurmProvisioning) {
    use tokio::time::Instant;
    let mut events = state.bus.subscribe();
    let interval = Duration::from_secs(slurm.interval_seconds.max(1));
    let usage_every = Duration::from_secs(slurm.usage_interval_seconds.max(5));
    let (mut reconcile_at, mut meter_at) = (Instant::now(), Instant::now());
    loop {
        let next = if slurm.usage_from_accounting { reconcile_at.min(meter_at) } else { reconcile_at };
        tokio::select! {
            () = tokio::time::sleep_until(next) => {}
            event = events.recv() => {
                match event {
                    // Let a burst (a batch adoption) finish first.
                    Ok(e) if matches!(
                        e.change,
                        ProgrammeChange::Decision | ProgrammeChange::Round | ProgrammeChange::Allocation
                    ) =>
                    {
                        reconcile_at = Instant::now() + Duration::from_secs(2);
                    }
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
                continue;
            }
        }
        let now = Instant::now();
        if !replica.is_leader() {
            (reconcile_at, meter_at) = (now + interval, now + usage_every);
            continue;
        }
        if reconcile_at <= now {
            let wait = match reconcile_once(&state.storage, &slurm, Utc::now()).await {
                Ok(report) if report.ok => interval,
                Ok(report) => {
                    tracing::warn!(cluster = %slurm.cluster, error = ?report.error, "provisioning: some accounts failed");
                    RETRY.min(interval)
                }
                Err(e) => {
                    tracing::warn!(cluster = %slurm.cluster, error = %e, "provisioning pass failed");
                    RETRY.min(interval)
                }
            };
            reconcile_at = Instant::now() + wait;
        }
        if slurm.usage_from_accounting && meter_at <= now {
            if let Err(e) = meter_once(&state.storage, &slurm, Utc::now()).await {
                tracing::warn!(cluster = %slurm.cluster, error = %e, "reading the accounting failed; retried");
            }
            meter_at = Instant::now() + usage_every;
        }
    }
}
