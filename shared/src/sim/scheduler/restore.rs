//! Restoring a scheduler mid-run from a queue snapshot, so the advisor can
//! run EASY backfill forward from the live state.

use super::{Job, JobId, PoolScheduler, Running};

/// A running job to restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoredJob {
    pub id: JobId,
    /// Whole nodes it holds.
    pub nodes: u32,
    /// Seconds until it really ends.
    pub remaining: i64,
    /// Seconds until its walltime runs out (what the scheduler plans with).
    pub planned_remaining: i64,
}

impl PoolScheduler {
    /// A pool of `nodes` up nodes at `now` with `running` jobs holding nodes
    /// (in order, from node 0; a job that no longer fits is left out) and
    /// `queue` waiting, head first. Call [`PoolScheduler::schedule`] next.
    pub fn restore(
        nodes: u32,
        now: i64,
        running: impl IntoIterator<Item = RestoredJob>,
        queue: impl IntoIterator<Item = Job>,
    ) -> PoolScheduler {
        let mut s = PoolScheduler::new(nodes);
        for r in running {
            if r.nodes == 0 || r.nodes > s.idle_nodes() {
                continue;
            }
            let planned = r.planned_remaining.max(1);
            let job = Job { id: r.id, nodes: r.nodes, submit: now, runtime: r.remaining.max(1), walltime: planned };
            let held: Vec<u32> = s.idle.take_lowest(r.nodes as usize);
            for n in &held {
                s.nodes[*n as usize] = super::NodeState::Busy(r.id);
            }
            let end = now + job.runtime.min(planned);
            s.by_expected_end.insert((now + planned, r.id, r.nodes));
            s.running.insert(r.id, Running { job, start: now, end, expected_end: now + planned, nodes: held });
        }
        s.queue.extend(queue);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restored_pool_holds_its_running_jobs_and_queue() {
        let running = [
            RestoredJob { id: 1, nodes: 3, remaining: 100, planned_remaining: 200 },
            RestoredJob { id: 2, nodes: 9, remaining: 50, planned_remaining: 60 },
        ];
        let queue = [Job { id: 3, nodes: 2, submit: 0, runtime: 10, walltime: 20 }];
        let s = PoolScheduler::restore(10, 0, running, queue);
        s.check().unwrap();
        assert_eq!(s.busy_nodes(), 3, "the job wider than the free nodes is left out");
        assert_eq!(s.queue().len(), 1);
        assert_eq!(s.running()[&1].end, 100);
    }
}
