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
//! Only the leader reconciles on its own ([`run`]); a pass asked for from
//! the admin page may run on any replica, but passes run one at a time
//! across replicas (see `Storage::provisioning_pass`), and each is
//! idempotent.
//!
//! Modules: `settings` (`[provisioning]`), `run` (the leader's loop),
//! `meter` (usage from accounting), `storage` (the provisioning tables).

mod meter;
mod run;
mod settings;
mod storage;

use chrono::{DateTime, Utc};
use kairr_shared::allocation::usecase::AuditRecord;
use kairr_shared::allocation::{AllocationId, AuditAction, AuditSubject, Metering, PoolMetering, UsageSource};
use kairr_shared::provisioning::{desired, reconcile, AccountSpec, SlurmChange};

use crate::storage::Storage;

pub use meter::{meter_once, Metered};
pub use run::run;
pub use settings::{KubeProvisioning, ProvisioningSettings, SlurmProvisioning};
pub use storage::{Outcome, ProvisioningReport, RunReport};

/// Who the audit log names for the reconciler's changes.
pub const ACTOR: &str = "system:provisioning";

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
        let reads = storage.accounting_reads(&slurm.cluster).await?;
        // Not read yet: complete from tomorrow at the earliest.
        let from = reads.map_or(now + 86_400, |(first, _)| first - meter::FIRST_READ_S);
        let mut since = kairr_shared::time::kst_day(from).succ_opt();
        // Not read up to today's start (slurmdbd down, say): yesterday is not complete, nothing is judged.
        let until = reads.map_or(0, |(_, until)| until);
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
    let awards = storage.provisioning_awards(true).await?;
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
