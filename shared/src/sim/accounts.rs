//! Who submits each simulated job: the programme's project accounts
//! (Slurm-style `--account` codes such as `r2026-1-0042`) or "other users"
//! outside the programme.
//!
//! A job of `w` nodes goes to account `a` with probability `k_a × w` when
//! the account may run jobs that wide (`w ≤ c_a`, its award in servers: a
//! quota), where `k_a = demand_a ÷ (pool busy GPUs × Σ_{v ≤ c_a} share_v × v)`
//! and `share_v` is the share of busy GPU-seconds in jobs `v` wide. Summed
//! over the widths, an account's expected GPU-seconds are its demand (award
//! × busy share) × time; small awards only run small jobs, and large ones
//! lean to wide jobs, leaving the narrow ones to the small. When accounts ask
//! for more than a width offers, their chances are scaled down to sum to 1
//! (nobody gets all they want); whatever is left goes to other users.

use rand::Rng;

use super::workload::Workload;

/// A programme account as the simulator's users behave.
#[derive(Debug, Clone, PartialEq)]
pub struct SimAccount {
    /// Slurm-style account code, e.g. `r2026-1-0042`.
    pub account: String,
    /// Catalogue id of the pool it was awarded.
    pub pool_id: String,
    /// GPUs the award entitles its holder to on average (servers × GPUs per
    /// server, or GPU-hours per day ÷ 24).
    pub awarded_gpus: f64,
    /// Widest job its users run, nodes (the award in servers: a quota).
    pub max_job_nodes: u32,
    /// First Unix second its users may submit (the allocation's first KST day).
    pub active_from: i64,
    /// First Unix second they may no longer submit (after the allocation's last day).
    pub active_until: i64,
    /// Share of the award its users keep busy while they work, 0..=1.
    pub busy_share: f64,
    /// Unix second from which its users stop submitting (went idle), if they do.
    pub idle_from: Option<i64>,
}

impl SimAccount {
    /// GPUs its users want busy at `t` (0 outside the period or once idle).
    pub fn demand_gpus(&self, t: i64) -> f64 {
        let active = (self.active_from..self.active_until).contains(&t) && self.idle_from.is_none_or(|i| t < i);
        if active {
            self.awarded_gpus * self.busy_share.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// The accounts of one pool and how jobs are shared among them.
#[derive(Debug, Clone, Default)]
pub(crate) struct PoolAccounts {
    pub accounts: Vec<SimAccount>,
    /// Per account: busy GPUs of the pool × the width-weighted share it draws from.
    offered_gpus: Vec<f64>,
}

impl PoolAccounts {
    /// The accounts of a pool whose `workload` keeps `busy_gpus` busy on average.
    pub fn new(accounts: Vec<SimAccount>, busy_gpus: f64, workload: &Workload) -> PoolAccounts {
        let offered_gpus =
            accounts.iter().map(|a| busy_gpus * workload.width_weighted_share_up_to(a.max_job_nodes)).collect();
        PoolAccounts { accounts, offered_gpus }
    }

    /// Whether no programme account uses the pool.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The account (index) a job of `nodes` submitted at `now` belongs to, or
    /// `None` for other users. Draws exactly one number from `rng`.
    pub fn choose(&self, nodes: u32, now: i64, rng: &mut impl Rng) -> Option<usize> {
        let roll: f64 = rng.gen_range(0.0..1.0);
        let chances: Vec<(usize, f64)> = self
            .accounts
            .iter()
            .enumerate()
            .zip(&self.offered_gpus)
            .filter(|((_, a), _)| nodes <= a.max_job_nodes)
            .map(|((k, a), offered)| {
                let chance = if *offered > 0.0 { a.demand_gpus(now) * f64::from(nodes) / offered } else { 0.0 };
                (k, chance)
            })
            .filter(|(_, p)| *p > 0.0)
            .collect();
        let total: f64 = chances.iter().map(|(_, p)| p).sum();
        let scale = if total > 1.0 { 1.0 / total } else { 1.0 };
        let mut acc = 0.0;
        for (k, p) in chances {
            acc += p * scale;
            if roll < acc {
                return Some(k);
            }
        }
        None
    }
}
