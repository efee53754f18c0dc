//! GPU-seconds per account in one pool, integrated exactly: each job's owner
//! is chosen when it is submitted; from its start until it ends (finished, or
//! killed by a failure or maintenance) its GPUs count towards its owner's
//! counter. Counters only grow, like Prometheus counters.

use std::collections::HashMap;

use rand::Rng;

use super::accounts::PoolAccounts;
use super::scheduler::{Job, JobId};

/// An integral of busy GPUs over time, GPU-seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counter {
    /// GPU-seconds up to `since`.
    total: u64,
    /// GPUs busy since `since`.
    busy_gpus: u64,
    since: i64,
}

impl Counter {
    fn accrue(&mut self, t: i64) {
        if t > self.since {
            self.total += self.busy_gpus * (t - self.since) as u64;
            self.since = t;
        }
    }

    /// Sets the GPUs busy from `t` on.
    pub fn set_busy(&mut self, t: i64, gpus: u64) {
        self.accrue(t);
        self.busy_gpus = gpus;
    }

    /// GPU-seconds up to `t` (not before the last change).
    pub fn value(&self, t: i64) -> u64 {
        self.total + self.busy_gpus * (t - self.since).max(0) as u64
    }
}

/// Owners and counters of one pool's jobs.
#[derive(Debug, Clone)]
pub(crate) struct Ledger {
    pub accounts: PoolAccounts,
    gpus_per_node: u64,
    /// One per account, in the order of `accounts`.
    counters: Vec<Counter>,
    /// Other users' jobs.
    other: Counter,
    /// Owner (`None`: other users) and width of each queued job.
    queued: HashMap<JobId, (Option<usize>, u32)>,
    /// Owner and GPUs of each running job.
    running: HashMap<JobId, (Option<usize>, u64)>,
    /// The pool's busy GPUs integrated from the scheduler's node counts, for tests.
    #[cfg(test)]
    pub busy: Counter,
}

impl Ledger {
    /// A ledger for a pool of `gpus_per_node`-GPU nodes, with no accounts.
    pub fn new(gpus_per_node: u32) -> Ledger {
        Ledger {
            accounts: PoolAccounts::default(),
            gpus_per_node: u64::from(gpus_per_node),
            counters: Vec::new(),
            other: Counter::default(),
            queued: HashMap::new(),
            running: HashMap::new(),
            #[cfg(test)]
            busy: Counter::default(),
        }
    }

    /// Sets the pool's accounts (before any job is submitted).
    pub fn set_accounts(&mut self, accounts: PoolAccounts) {
        self.counters = vec![Counter::default(); accounts.accounts.len()];
        self.accounts = accounts;
    }

    /// Chooses the owner of a job submitted at `now`. Pools without
    /// accounts keep no ledger (and draw nothing).
    pub fn submit(&mut self, job: &Job, now: i64, rng: &mut impl Rng) {
        if self.accounts.is_empty() {
            return;
        }
        let owner = self.accounts.choose(job.nodes, now, rng);
        self.queued.insert(job.id, (owner, job.nodes));
    }

    fn counter(&mut self, owner: Option<usize>) -> Option<&mut Counter> {
        match owner {
            Some(k) => self.counters.get_mut(k),
            None => Some(&mut self.other),
        }
    }

    /// Job `id` started at `now`: its GPUs count for its owner from now on.
    pub fn started(&mut self, id: JobId, now: i64) {
        let Some((owner, nodes)) = self.queued.remove(&id) else { return };
        let gpus = u64::from(nodes) * self.gpus_per_node;
        if let Some(c) = self.counter(owner) {
            let busy = c.busy_gpus + gpus;
            c.set_busy(now, busy);
        }
        self.running.insert(id, (owner, gpus));
    }

    /// Job `id` ended (finished or killed) at `now`.
    pub fn ended(&mut self, id: JobId, now: i64) {
        let Some((owner, gpus)) = self.running.remove(&id) else { return };
        if let Some(c) = self.counter(owner) {
            let busy = c.busy_gpus.saturating_sub(gpus);
            c.set_busy(now, busy);
        }
    }

    /// GPU-seconds of account `k` up to `t`.
    pub fn account_gpu_seconds(&self, k: usize, t: i64) -> u64 {
        self.counters.get(k).map_or(0, |c| c.value(t))
    }

    /// GPU-seconds of other users' jobs up to `t`.
    pub fn other_gpu_seconds(&self, t: i64) -> u64 {
        self.other.value(t)
    }
}
