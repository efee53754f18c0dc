//! The simulator's accounting: the programme's accounts are given to their
//! pools, and each account's cumulative GPU-seconds are read out as the
//! usage counters a status source reports.

use crate::accounting::AccountUsage;
use crate::catalogue::Catalogue;

use super::accounts::{PoolAccounts, SimAccount};
use super::pool::PoolSim;
use super::Simulator;

/// Gives each pool the accounts awarded on it.
pub(super) fn assign_accounts(cat: &Catalogue, pools: &mut [PoolSim], accounts: Vec<SimAccount>) {
    for p in pools.iter_mut() {
        let def = &cat.systems[p.system].pools[p.pool];
        let mine: Vec<SimAccount> = accounts.iter().filter(|a| a.pool_id == def.id).cloned().collect();
        if mine.is_empty() {
            continue;
        }
        let busy_gpus = def.target_utilisation * f64::from(def.nodes_in_service) * f64::from(def.gpus_per_node);
        let pool_accounts = PoolAccounts::new(mine, busy_gpus, &p.workload);
        p.ledger.set_accounts(pool_accounts);
    }
}

impl Simulator {
    /// Every programme account's GPU-seconds since the simulation began, up
    /// to the current simulated time: cumulative counters (pool, then account order).
    pub fn account_usage(&self) -> Vec<AccountUsage> {
        let mut out = Vec::new();
        for p in &self.pools {
            let pool_id = &self.catalogue.systems[p.system].pools[p.pool].id;
            for (k, a) in p.ledger.accounts.accounts.iter().enumerate() {
                out.push(AccountUsage {
                    pool_id: pool_id.clone(),
                    account: a.account.clone(),
                    gpu_seconds_total: p.ledger.account_gpu_seconds(k, self.now),
                });
            }
        }
        out
    }

    /// GPU-seconds run by users outside the programme in pool `index` (only
    /// counted in pools that have programme accounts).
    pub fn other_gpu_seconds(&self, index: usize) -> u64 {
        self.pools.get(index).map_or(0, |p| p.ledger.other_gpu_seconds(self.now))
    }

    /// Records pool `i`'s busy GPUs after an event, from the scheduler's own
    /// node count (an independent check of the ledger in tests).
    #[cfg(test)]
    pub(super) fn observe_busy(&mut self, i: usize) {
        let now = self.now;
        let gpn = u64::from(self.catalogue.systems[self.pools[i].system].pools[self.pools[i].pool].gpus_per_node);
        let p = &mut self.pools[i];
        if !p.ledger.accounts.is_empty() {
            let busy = u64::from(p.sched.busy_nodes()) * gpn;
            p.ledger.busy.set_busy(now, busy);
        }
    }
}

#[cfg(test)]
#[path = "usage_tests.rs"]
mod tests;
