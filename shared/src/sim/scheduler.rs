//! One pool's nodes and queue under EASY backfill (Slurm's `sched/backfill`
//! in its simplest form): jobs start in order while they fit; when the head of
//! the queue does not fit, it gets a reservation at the earliest time enough
//! nodes free up (the shadow time), and later jobs may start now only if they
//! end before that time or use nodes the head will not need.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use idle::IdleSet;

/// Job identifier, unique within a simulation.
pub type JobId = u64;

/// How many queued jobs one backfill pass looks at (Slurm's `bf_max_job_test`).
pub const BACKFILL_DEPTH: usize = 200;

/// A job as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: JobId,
    /// Whole nodes requested.
    pub nodes: u32,
    /// Submission time, Unix seconds.
    pub submit: i64,
    /// How long it really runs, seconds (unknown to the scheduler).
    pub runtime: i64,
    /// Requested walltime (batch) or declared duration (cloud), seconds.
    pub walltime: i64,
}

/// A running job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub job: Job,
    pub start: i64,
    /// When it will end (run time, cut at walltime on batch pools).
    pub end: i64,
    /// `start + walltime`: what the scheduler plans with.
    pub expected_end: i64,
    pub nodes: Vec<u32>,
}

/// One node's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeState {
    Idle,
    Busy(JobId),
    /// Failed; back up at `until` at the earliest.
    Down {
        until: i64,
    },
    /// Taken out by operators until `until`.
    Drained {
        until: i64,
    },
}

/// A started job, for the caller to schedule its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    pub id: JobId,
    pub start: i64,
    pub end: i64,
    /// Seconds it waited in the queue.
    pub wait: i64,
}

/// The reservation of the queue head, and what backfill may use now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    pub head: JobId,
    /// When the head will start at the latest (if estimates hold).
    pub shadow: i64,
    /// Idle-at-shadow nodes beyond the head's need: usable now for any length.
    pub extra_nodes: u32,
}

/// Nodes, queue and running jobs of one pool.
#[derive(Debug, Clone)]
pub struct PoolScheduler {
    nodes: Vec<NodeState>,
    idle: IdleSet,
    queue: VecDeque<Job>,
    running: BTreeMap<JobId, Running>,
    /// (expected end, job, nodes held): the reservation scan reads node counts without a map lookup.
    by_expected_end: BTreeSet<(i64, JobId, u32)>,
    /// A time no new job may run past (a whole-system maintenance), if any.
    barrier: Option<i64>,
}

impl PoolScheduler {
    /// A pool of `nodes` idle nodes.
    pub fn new(nodes: u32) -> PoolScheduler {
        PoolScheduler {
            nodes: vec![NodeState::Idle; nodes as usize],
            idle: IdleSet::full(nodes),
            queue: VecDeque::new(),
            running: BTreeMap::new(),
            by_expected_end: BTreeSet::new(),
            barrier: None,
        }
    }

    /// Number of nodes (all states).
    pub fn node_count(&self) -> u32 {
        self.nodes.len() as u32
    }

    /// State of node `i`.
    pub fn node(&self, i: u32) -> Option<NodeState> {
        self.nodes.get(i as usize).copied()
    }

    /// Idle nodes.
    pub fn idle_nodes(&self) -> u32 {
        self.idle.len() as u32
    }

    /// Nodes running jobs.
    pub fn busy_nodes(&self) -> u32 {
        self.running.values().map(|r| r.nodes.len() as u32).sum()
    }

    /// Counts of (down, drained) nodes.
    pub fn unavailable_nodes(&self) -> (u32, u32) {
        self.nodes.iter().fold((0, 0), |(d, r), n| match n {
            NodeState::Down { .. } => (d + 1, r),
            NodeState::Drained { .. } => (d, r + 1),
            _ => (d, r),
        })
    }

    /// The queue, head first.
    pub fn queue(&self) -> &VecDeque<Job> {
        &self.queue
    }

    /// Running jobs by id.
    pub fn running(&self) -> &BTreeMap<JobId, Running> {
        &self.running
    }

    /// Sets (or clears) the time no newly started job may run past.
    pub fn set_barrier(&mut self, barrier: Option<i64>) {
        self.barrier = barrier;
    }

    /// Queues a job (it starts at the next [`PoolScheduler::schedule`]).
    pub fn submit(&mut self, job: Job) {
        self.queue.push_back(job);
    }

    fn passes_barrier(&self, now: i64, job: &Job) -> bool {
        self.barrier.is_none_or(|b| now >= b || now + job.walltime <= b)
    }

    /// The head's reservation given the running jobs' expected ends, if the
    /// head waits and could ever fit on the nodes that are up.
    pub fn reservation(&self, now: i64) -> Option<Reservation> {
        let head = self.queue.front()?;
        let mut avail = self.idle_nodes();
        if head.nodes <= avail {
            return None;
        }
        for (end, _, nodes) in &self.by_expected_end {
            avail += nodes;
            if avail >= head.nodes {
                return Some(Reservation { head: head.id, shadow: (*end).max(now), extra_nodes: avail - head.nodes });
            }
        }
        None
    }

    /// Starts what can start at `now`: the queue in order, then EASY backfill.
    pub fn schedule(&mut self, now: i64) -> Vec<Started> {
        let mut started = Vec::new();
        while let Some(head) = self.queue.front() {
            if head.nodes > self.idle_nodes() || !self.passes_barrier(now, head) {
                break;
            }
            if let Some(job) = self.queue.pop_front() {
                started.push(self.start(job, now));
            }
        }
        if self.queue.len() < 2 || self.idle.is_empty() {
            return started;
        }
        let reservation = self.reservation(now);
        let mut extra = reservation.map_or(u32::MAX, |r| r.extra_nodes);
        // In place: only the first `BACKFILL_DEPTH` jobs behind the head are
        // looked at, so a long queue costs nothing beyond them.
        let (mut i, mut budget) = (1, BACKFILL_DEPTH);
        while budget > 0 && !self.idle.is_empty() {
            let Some(k) = self.next_backfill(now, i, budget, reservation, extra) else { break };
            budget -= k + 1;
            i += k;
            let Some(job) = self.queue.remove(i) else { break };
            if let Some(r) = reservation {
                if now + job.walltime > r.shadow {
                    extra -= job.nodes;
                }
            }
            started.push(self.start(job, now));
        }
        started
    }

    /// Offset from `from` of the first of the next `budget` queued jobs that
    /// fits the idle nodes now without delaying the head's reservation.
    fn next_backfill(
        &mut self,
        now: i64,
        from: usize,
        budget: usize,
        reservation: Option<Reservation>,
        extra: u32,
    ) -> Option<usize> {
        let idle = self.idle_nodes();
        let barrier = self.barrier;
        let (shadow, extra) = reservation.map_or((i64::MAX, u32::MAX), |r| (r.shadow, extra));
        let queue = self.queue.make_contiguous();
        let window = queue.get(from..)?;
        let window = &window[..budget.min(window.len())];
        window.iter().position(|job| {
            let end = now.saturating_add(job.walltime);
            job.nodes <= idle && barrier.is_none_or(|b| now >= b || end <= b) && (end <= shadow || job.nodes <= extra)
        })
    }

    fn start(&mut self, job: Job, now: i64) -> Started {
        let nodes: Vec<u32> = self.idle.take_lowest(job.nodes as usize);
        for n in &nodes {
            self.nodes[*n as usize] = NodeState::Busy(job.id);
        }
        let end = now + job.runtime.min(job.walltime);
        let expected_end = now + job.walltime;
        let s = Started { id: job.id, start: now, end, wait: now - job.submit };
        self.by_expected_end.insert((expected_end, job.id, job.nodes));
        self.running.insert(job.id, Running { job, start: now, end, expected_end, nodes });
        s
    }

    /// Ends job `id` (finished or killed); its nodes go back to idle unless
    /// they are down or drained. Returns the job if it was running.
    pub fn finish(&mut self, id: JobId) -> Option<Running> {
        let r = self.running.remove(&id)?;
        self.by_expected_end.remove(&(r.expected_end, id, r.job.nodes));
        for n in &r.nodes {
            if self.nodes[*n as usize] == NodeState::Busy(id) {
                self.nodes[*n as usize] = NodeState::Idle;
                self.idle.insert(*n);
            }
        }
        Some(r)
    }

    /// Takes node `i` out of service until `until` (down or drained), killing
    /// the job on it. Returns the killed job's id.
    pub fn take_out(&mut self, i: u32, state: NodeState) -> Option<JobId> {
        let current = self.node(i)?;
        let until = match state {
            NodeState::Down { until } | NodeState::Drained { until } => until,
            _ => return None,
        };
        let killed = match current {
            NodeState::Busy(id) => {
                self.nodes[i as usize] = state;
                self.finish(id).map(|r| r.job.id)
            }
            NodeState::Idle => {
                self.idle.remove(&i);
                None
            }
            // Extend an outage; a failure during a drain counts as down.
            NodeState::Down { until: u } => {
                self.nodes[i as usize] = NodeState::Down { until: u.max(until) };
                return None;
            }
            NodeState::Drained { until: u } => match state {
                NodeState::Down { .. } => None,
                _ => {
                    self.nodes[i as usize] = NodeState::Drained { until: u.max(until) };
                    return None;
                }
            },
        };
        self.nodes[i as usize] = state;
        killed
    }

    /// Returns node `i` to service if its outage or drain is over at `now`.
    pub fn bring_back(&mut self, i: u32, now: i64) -> bool {
        match self.node(i) {
            Some(NodeState::Down { until } | NodeState::Drained { until }) if until <= now => {
                self.nodes[i as usize] = NodeState::Idle;
                self.idle.insert(i);
                true
            }
            _ => false,
        }
    }

    /// Checks the bookkeeping: every node is in exactly one state and the
    /// counters agree. For tests; returns a description of the first problem.
    pub fn check(&self) -> Result<(), String> {
        let busy_in_map: usize = self.running.values().map(|r| r.nodes.len()).sum();
        let busy_states = self.nodes.iter().filter(|n| matches!(n, NodeState::Busy(_))).count();
        if busy_in_map != busy_states {
            return Err(format!("{busy_in_map} nodes held by jobs but {busy_states} marked busy"));
        }
        let idle_states = self.nodes.iter().filter(|n| matches!(n, NodeState::Idle)).count();
        if idle_states != self.idle.len() {
            return Err(format!("{idle_states} idle states but {} in the idle set", self.idle.len()));
        }
        for r in self.running.values() {
            if r.start < r.job.submit {
                return Err(format!("job {} started before it was submitted", r.job.id));
            }
            if r.nodes.len() as u32 != r.job.nodes {
                return Err(format!("job {} holds {} nodes, asked {}", r.job.id, r.nodes.len(), r.job.nodes));
            }
        }
        Ok(())
    }
}

mod idle;
mod restore;

pub use restore::RestoredJob;

#[cfg(test)]
#[path = "scheduler_tests.rs"]
mod tests;
