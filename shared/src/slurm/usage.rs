//! GPU use per project account from Slurm's jobs: GPUs running now, and a
//! cumulative GPU-seconds counter per pool and account
//! ([`crate::accounting::AccountUsage`]) that never decreases while the
//! source runs, even as finished jobs leave `squeue`.

use std::collections::BTreeMap;

use crate::accounting::AccountUsage;

use super::model::{Job, JobState};

/// Counts GPU-seconds of jobs from successive readings of the job list.
#[derive(Debug, Clone, Default)]
pub struct UsageIntegrator {
    /// GPU-seconds already counted per job id.
    seen: BTreeMap<u64, u64>,
    /// Cumulative GPU-seconds per (pool id, account).
    totals: BTreeMap<(String, String), u64>,
}

impl UsageIntegrator {
    /// Adds what `jobs` ran up to `now` (Unix seconds) that was not counted
    /// yet; `pool_of` maps a partition to its pool id (`None`: not shown).
    /// Jobs without an account are not counted. Returns every counter.
    pub fn observe(&mut self, jobs: &[Job], now: i64, pool_of: impl Fn(&str) -> Option<String>) -> Vec<AccountUsage> {
        let mut still_listed = BTreeMap::new();
        for job in jobs {
            let Some(start) = job.start_time.filter(|_| job.state != JobState::Pending) else { continue };
            if job.account.is_empty() || job.gpus == 0 || start > now {
                continue;
            }
            let Some(pool) = job.partitions.first().and_then(|p| pool_of(p)) else { continue };
            let until = match job.state {
                JobState::Running | JobState::Suspended => now,
                _ => job.end_time.unwrap_or(now).min(now),
            };
            let seconds = u64::try_from(until.saturating_sub(start)).unwrap_or(0);
            let gpu_seconds = u64::from(job.gpus).saturating_mul(seconds);
            let counted = self.seen.get(&job.id).copied().unwrap_or(0);
            let total = self.totals.entry((pool, job.account.clone())).or_default();
            *total = total.saturating_add(gpu_seconds.saturating_sub(counted));
            still_listed.insert(job.id, gpu_seconds.max(counted));
        }
        self.seen = still_listed;
        self.totals
            .iter()
            .map(|((pool_id, account), s)| AccountUsage {
                pool_id: pool_id.clone(),
                account: account.clone(),
                gpu_seconds_total: *s,
            })
            .collect()
    }
}
