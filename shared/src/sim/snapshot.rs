//! The simulator's queues as [`QueueSnapshot`]s, the input of the advisor's
//! queue-wait prediction.

use crate::api::{DataSource, PendingJob, QueueSnapshot, RunningJob};
use crate::time::utc;

use super::Simulator;

impl Simulator {
    /// Every pool's running jobs (remaining walltime, as a scheduler sees
    /// them) and queue at the current simulated time, in catalogue order.
    pub fn queue_snapshots(&self) -> Vec<QueueSnapshot> {
        (0..self.pools.len()).map(|i| self.queue_snapshot(i)).collect()
    }

    /// The queue of pool `i` (catalogue order) at the current simulated time.
    pub fn queue_snapshot(&self, i: usize) -> QueueSnapshot {
        let ps = &self.pools[i];
        let pool = &self.catalogue.systems[ps.system].pools[ps.pool];
        let sched = &ps.sched;
        let running = sched
            .running()
            .values()
            .map(|r| RunningJob {
                nodes: r.nodes.len() as u32,
                remaining_seconds: (r.expected_end - self.now).max(0) as u64,
            })
            .collect();
        let pending = sched
            .queue()
            .iter()
            .map(|j| PendingJob { nodes: j.nodes, walltime_seconds: j.walltime.max(0) as u64 })
            .collect();
        QueueSnapshot {
            pool_id: pool.id.clone(),
            at: utc(self.now),
            nodes_up: sched.idle_nodes() + sched.busy_nodes(),
            gpus_per_node: pool.gpus_per_node,
            running,
            pending,
            pending_reasons: Vec::new(),
            runtime_ratio_permille: ps.runtime_ratios().collect(),
            source: DataSource::Demo,
        }
    }
}
