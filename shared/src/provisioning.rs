//! Awards made into scheduler accounts (issue 13 §1): what a Slurm cluster
//! should hold for the portal's allocations, what it holds (read from
//! `sacctmgr`), and the changes that converge the one to the other.
//!
//! Pure: the server reads the cluster's associations, calls [`reconcile`],
//! runs each [`SlurmChange`]'s `sacctmgr` arguments and records the outcome
//! per allocation ([`ProvisionState`]) and in the audit log.
//!
//! An award becomes one Slurm account (its [`account_code`]) under the
//! site's parent account, with the applicant and co-investigators as users,
//! and a limit on the account's association:
//! - GPU-hours → `GrpTRESMins=gres/gpu=<hours × 60>` (GPU-minutes over the period);
//! - node-hours → `GrpTRESMins=node=<hours × 60>`;
//! - whole servers → `GrpTRES=gres/gpu=<GPUs>` (GPUs held at once).
//!
//! Outside the allocation's period (KST days, inclusive) the account is
//! closed: `GrpSubmitJobs=0` and `GrpJobs=0` (nothing new is accepted or
//! started; its records stay). A fair-share weight is set when the site
//! configures one. Accounts in the cluster the portal does not know are
//! reported, never deleted; nor are users the portal no longer names.
//!
//! [`account_code`]: crate::allocation::account_code

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::allocation::{Allocation, AllocationId, PoolUnit};

pub mod kubernetes;

/// The TRES name of GPUs in Slurm's accounting.
pub const GPU_TRES: &str = "gres/gpu";
/// The TRES name of nodes.
pub const NODE_TRES: &str = "node";

/// One Slurm cluster the portal provisions, and which pools it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlurmSite {
    /// `ClusterName` in `slurm.conf`.
    pub cluster: String,
    /// Catalogue ids of the pools whose awards become accounts here.
    pub pools: Vec<String>,
    /// Account the projects' accounts are created under (`root` by default).
    pub parent: String,
    /// Fair-share weight given to every project account; `None`: Slurm's default.
    pub fairshare: Option<u32>,
}

/// An allocation of a real round, with who may run jobs under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Award {
    pub allocation: Allocation,
    /// Organisation id of the applicant (Slurm's `Organization`).
    pub organisation: String,
    /// Cluster logins: the applicant and co-investigators (portal usernames).
    pub users: Vec<String>,
}

/// The limits on a project account's association.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limits {
    /// `GrpTRESMins`: TRES name → minutes (e.g. `gres/gpu` → GPU-minutes).
    pub grp_tres_mins: BTreeMap<String, u64>,
    /// `GrpTRES`: TRES name → count held at once.
    pub grp_tres: BTreeMap<String, u64>,
    /// Whether jobs may be submitted and started (`GrpSubmitJobs`/`GrpJobs` not 0).
    pub open: bool,
    /// `Fairshare`, when managed.
    pub fairshare: Option<u32>,
}

/// What one account should be.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSpec {
    pub account: String,
    /// The allocations it serves (one, unless a request was awarded several pools of one cluster).
    pub allocations: Vec<AllocationId>,
    pub description: String,
    pub organisation: String,
    pub users: BTreeSet<String>,
    pub limits: Limits,
}

/// One account as the cluster holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObservedAccount {
    pub limits: Limits,
    pub users: BTreeSet<String>,
}

/// The associations of one cluster, by account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlurmState {
    pub accounts: BTreeMap<String, ObservedAccount>,
}

/// A change to make with `sacctmgr`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SlurmChange {
    AddAccount { account: String, parent: String, description: String, organisation: String },
    AddUser { account: String, user: String },
    SetLimits { account: String, limits: Limits, was: Option<Limits> },
}

impl SlurmChange {
    pub fn account(&self) -> &str {
        match self {
            SlurmChange::AddAccount { account, .. }
            | SlurmChange::AddUser { account, .. }
            | SlurmChange::SetLimits { account, .. } => account,
        }
    }

    /// `sacctmgr`'s arguments for it on `cluster` (`-i`: no confirmation prompt).
    pub fn sacctmgr_args(&self, cluster: &str) -> Vec<String> {
        let cluster = format!("cluster={cluster}");
        let mut args: Vec<String> = vec!["-i".into()];
        match self {
            SlurmChange::AddAccount { account, parent, description, organisation } => args.extend([
                "add".into(),
                "account".into(),
                account.clone(),
                cluster,
                format!("parent={parent}"),
                format!("description={description}"),
                format!("organization={organisation}"),
            ]),
            SlurmChange::AddUser { account, user } => {
                args.extend(["add".into(), "user".into(), user.clone(), format!("account={account}"), cluster])
            }
            SlurmChange::SetLimits { account, limits, was } => {
                args.extend(["modify".into(), "account".into(), "where".into(), format!("name={account}"), cluster]);
                args.push("set".into());
                let none = Limits::default();
                let was = was.as_ref().unwrap_or(&none);
                args.push(format!("GrpTRESMins={}", tres_setting(&limits.grp_tres_mins, &was.grp_tres_mins)));
                args.push(format!("GrpTRES={}", tres_setting(&limits.grp_tres, &was.grp_tres)));
                let jobs = if limits.open { "-1" } else { "0" };
                args.push(format!("GrpJobs={jobs}"));
                args.push(format!("GrpSubmitJobs={jobs}"));
                if let Some(share) = limits.fairshare {
                    args.push(format!("Fairshare={share}"));
                }
            }
        }
        args
    }
}

/// `tres=value,…` setting `want` and clearing (`=-1`) what `was` has beyond it.
fn tres_setting(want: &BTreeMap<String, u64>, was: &BTreeMap<String, u64>) -> String {
    let mut parts: Vec<String> = want.iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.extend(was.keys().filter(|k| !want.contains_key(*k)).map(|k| format!("{k}=-1")));
    if parts.is_empty() {
        // Nothing to hold or clear: clearing the GPU TRES is a no-op that keeps the argument well formed.
        parts.push(format!("{GPU_TRES}=-1"));
    }
    parts.join(",")
}

/// What converges the cluster to the awards, and what the portal only reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reconciliation {
    /// Changes in the order to make them, each with the allocations it serves.
    pub changes: Vec<(Vec<AllocationId>, SlurmChange)>,
    /// Every account the awards want, with its allocations (those without a change are in place).
    pub accounts: Vec<AccountSpec>,
    /// Accounts in the cluster the portal does not know (left alone).
    pub unmanaged_accounts: Vec<String>,
    /// Users of managed accounts the portal does not name (left alone).
    pub unmanaged_users: Vec<AccountUser>,
}

/// A user's association with an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountUser {
    pub account: String,
    pub user: String,
}

/// The accounts `awards` want on `site` on KST day `today`.
pub fn desired(site: &SlurmSite, awards: &[Award], today: NaiveDate) -> Vec<AccountSpec> {
    let mut by_account: BTreeMap<String, AccountSpec> = BTreeMap::new();
    for award in awards.iter().filter(|a| site.pools.contains(&a.allocation.pool)) {
        let a = &award.allocation;
        let spec = by_account.entry(a.account.clone()).or_insert_with(|| AccountSpec {
            account: a.account.clone(),
            allocations: Vec::new(),
            description: format!("kairr {} request {}", a.round.0, a.request.0),
            organisation: slurm_word(&award.organisation),
            users: BTreeSet::new(),
            limits: Limits { fairshare: site.fairshare, ..Limits::default() },
        });
        spec.allocations.push(a.id);
        spec.users.extend(award.users.iter().cloned());
        let (tres, minutes) = match a.unit {
            PoolUnit::GpuHours => (GPU_TRES, Some(a.amount.saturating_mul(60))),
            PoolUnit::NodeHours => (NODE_TRES, Some(a.amount.saturating_mul(60))),
            PoolUnit::Servers => (GPU_TRES, None),
        };
        match (minutes, a.gpus) {
            (Some(m), _) => *spec.limits.grp_tres_mins.entry(tres.into()).or_default() += m,
            (None, Some(gpus)) => *spec.limits.grp_tres.entry(tres.into()).or_default() += gpus,
            // A server award without its GPU count (records older than it): no limit rather than a 0 that blocks.
            (None, None) => {}
        }
        spec.limits.open |= (a.start..=a.end).contains(&today);
    }
    by_account.into_values().filter(|s| !s.account.is_empty()).collect()
}

/// Lower-case letters, digits and `-` only (what `sacctmgr` keeps verbatim).
fn slurm_word(text: &str) -> String {
    let w: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).take(40).collect();
    if w.is_empty() {
        "unknown".into()
    } else {
        w
    }
}

/// The changes that make `observed` hold `want`: per account, the account,
/// then its limits (so that no account is ever open without its limit, even
/// when adding a user fails), then its users.
pub fn reconcile(site: &SlurmSite, want: Vec<AccountSpec>, observed: &SlurmState) -> Reconciliation {
    let mut r = Reconciliation::default();
    for spec in &want {
        let ids = spec.allocations.clone();
        let have = observed.accounts.get(&spec.account);
        if have.is_none() {
            r.changes.push((
                ids.clone(),
                SlurmChange::AddAccount {
                    account: spec.account.clone(),
                    parent: site.parent.clone(),
                    description: spec.description.clone(),
                    organisation: spec.organisation.clone(),
                },
            ));
        }
        let was = have.map(|h| h.limits.clone());
        if !limits_hold(&spec.limits, was.as_ref()) {
            r.changes.push((
                ids.clone(),
                SlurmChange::SetLimits { account: spec.account.clone(), limits: spec.limits.clone(), was },
            ));
        }
        let users = have.map(|h| &h.users);
        for user in spec.users.iter().filter(|u| !users.is_some_and(|have| have.contains(*u))) {
            r.changes.push((ids.clone(), SlurmChange::AddUser { account: spec.account.clone(), user: user.clone() }));
        }
        if let Some(h) = have {
            r.unmanaged_users.extend(
                h.users
                    .iter()
                    .filter(|u| !spec.users.contains(*u))
                    .map(|u| AccountUser { account: spec.account.clone(), user: u.clone() }),
            );
        }
    }
    let wanted: BTreeSet<&str> = want.iter().map(|s| s.account.as_str()).collect();
    r.unmanaged_accounts = observed
        .accounts
        .keys()
        .filter(|a| *a != "root" && **a != site.parent && !wanted.contains(a.as_str()))
        .cloned()
        .collect();
    r.accounts = want;
    r
}

/// Whether the account's association already holds `want` (fair share only when managed).
fn limits_hold(want: &Limits, have: Option<&Limits>) -> bool {
    let Some(have) = have else { return false };
    want.grp_tres_mins == have.grp_tres_mins
        && want.grp_tres == have.grp_tres
        && want.open == have.open
        && (want.fairshare.is_none() || want.fairshare == have.fairshare)
}

/// The `format=` of [`parse_associations`]'s input.
pub const ASSOC_FORMAT: &str = "account,user,grptresmins,grptres,grpjobs,grpsubmit,fairshare";

/// The state read from `sacctmgr -n -P show assoc cluster=… format=`[`ASSOC_FORMAT`]:
/// an account's limits are on its own association (no user); users are the
/// associations with one. A line that does not parse is an error naming it.
pub fn parse_associations(text: &str) -> Result<SlurmState, String> {
    let mut state = SlurmState::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('|').collect();
        let [account, user, mins, tres, jobs, submit, share, ..] = f[..] else {
            return Err(format!("unexpected association line: {line}"));
        };
        let entry = state.accounts.entry(account.to_owned()).or_default();
        if user.is_empty() {
            entry.limits = Limits {
                grp_tres_mins: parse_tres(mins).ok_or_else(|| format!("bad GrpTRESMins in: {line}"))?,
                grp_tres: parse_tres(tres).ok_or_else(|| format!("bad GrpTRES in: {line}"))?,
                open: jobs.trim() != "0" && submit.trim() != "0",
                fairshare: share.trim().parse().ok(),
            };
        } else {
            entry.users.insert(user.to_owned());
        }
    }
    Ok(state)
}

/// `gres/gpu=60,node=2` → map; empty → empty map.
fn parse_tres(text: &str) -> Option<BTreeMap<String, u64>> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.to_owned(), v.parse().ok()?))
        })
        .collect()
}

/// Where an allocation's scheduler account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProvisionState {
    /// Decided, not yet in the scheduler (the next reconciliation makes it).
    Pending,
    /// The scheduler holds the account, its users and limits as awarded.
    Provisioned,
    /// The last attempt failed (the reason says why); retried.
    Failed,
}

impl ProvisionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProvisionState::Pending => "pending",
            ProvisionState::Provisioned => "provisioned",
            ProvisionState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<ProvisionState> {
        [ProvisionState::Pending, ProvisionState::Provisioned, ProvisionState::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// One allocation's provisioning, as the portal shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provisioning {
    pub allocation: AllocationId,
    /// Scheduler account, e.g. `r2026-1-0042`.
    pub account: String,
    pub pool: String,
    /// Slurm cluster name.
    pub cluster: String,
    pub state: ProvisionState,
    /// Why the last attempt failed (empty otherwise).
    pub reason: String,
    /// Attempts that failed since it last succeeded.
    pub failures: u32,
    /// When it was last checked against the scheduler.
    pub checked_at: Option<DateTime<Utc>>,
}

/// What one reconciliation pass of a cluster found and did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisioningRun {
    pub cluster: String,
    pub at: DateTime<Utc>,
    /// Every change made and verified (false: see `error` and the failed allocations).
    pub ok: bool,
    /// Why the cluster could not be read, if it could not.
    pub error: Option<String>,
    /// Changes made in this pass.
    pub changes: usize,
    /// Accounts in the cluster the portal does not know (left alone).
    pub unmanaged_accounts: Vec<String>,
    /// Users of managed accounts the portal does not name (left alone).
    pub unmanaged_users: Vec<AccountUser>,
}

/// Provisioning as staff see it: the last pass per cluster and every award's account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvisioningReport {
    /// Whether a scheduler is configured (`[provisioning.slurm]`).
    pub configured: bool,
    /// Whether GPU-cloud pools are configured (`[provisioning.kubernetes]`): their manifests can be downloaded.
    #[serde(default)]
    pub kubernetes: bool,
    pub runs: Vec<ProvisioningRun>,
    pub allocations: Vec<Provisioning>,
}

#[cfg(test)]
mod tests;
