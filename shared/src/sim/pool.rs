//! One simulated pool: its scheduler, workload and recent starts, and its
//! live status as the API reports it.

use std::collections::VecDeque;

use rand::Rng;

use crate::api::{GpuCounts, PoolStatus};
use crate::catalogue::{Catalogue, Pool};
use crate::status::{pool_status, NodeCounts};

use super::ledger::Ledger;
use super::scheduler::{JobId, NodeState, PoolScheduler, Started};
use super::workload::Workload;

/// Share of node power drawn by a busy node (GPUs rarely sit at board power).
const BUSY_POWER_FRACTION: f64 = 0.8;
/// Share of node power drawn by an idle node.
const IDLE_POWER_FRACTION: f64 = 0.2;
/// Window of the median queue wait, seconds.
const WAIT_WINDOW_S: i64 = 3_600;
/// Finished jobs whose run-time ratios a queue snapshot carries.
const RATIO_WINDOW: usize = 256;

/// A pool inside the simulator.
#[derive(Debug, Clone)]
pub struct PoolSim {
    /// Index of the system in the catalogue.
    pub system: usize,
    /// Index of the pool within its system.
    pub pool: usize,
    pub sched: PoolScheduler,
    pub workload: Workload,
    /// Who owns each job and the GPU-seconds per account.
    pub(crate) ledger: Ledger,
    /// (start time, wait seconds) of recent starts, oldest first.
    recent_starts: VecDeque<(i64, i64)>,
    /// Run time / walltime of the last finished jobs, per mille.
    recent_ratios: VecDeque<u16>,
    /// Every start, for invariant tests (kept only in test builds).
    #[cfg(test)]
    pub start_log: Vec<(super::scheduler::Job, Started)>,
}

impl PoolSim {
    /// An idle pool as the catalogue describes it.
    pub fn new(system: usize, pool: usize, def: &Pool) -> PoolSim {
        PoolSim {
            system,
            pool,
            sched: PoolScheduler::new(def.nodes_in_service),
            workload: Workload::for_pool(def),
            ledger: Ledger::new(def.gpus_per_node),
            recent_starts: VecDeque::new(),
            recent_ratios: VecDeque::new(),
            #[cfg(test)]
            start_log: Vec::new(),
        }
    }

    /// Nodes in national service.
    pub fn nodes_in_service(&self) -> u32 {
        self.sched.node_count()
    }

    /// Nodes asked for by queued jobs.
    pub fn queued_nodes(&self) -> u32 {
        self.sched.queue().iter().map(|j| j.nodes).sum()
    }

    /// Run time over requested walltime of the pool's recently finished
    /// jobs, per mille, oldest first.
    pub fn runtime_ratios(&self) -> impl Iterator<Item = u16> + '_ {
        self.recent_ratios.iter().copied()
    }

    /// Runs the scheduler at `now` with an optional maintenance barrier.
    pub fn schedule(&mut self, now: i64, barrier: Option<i64>) -> Vec<Started> {
        self.sched.set_barrier(barrier);
        #[cfg(test)]
        let queued: Vec<_> = self.sched.queue().iter().cloned().collect();
        let started = self.sched.schedule(now);
        for s in &started {
            self.ledger.started(s.id, s.start);
            self.recent_starts.push_back((s.start, s.wait));
            #[cfg(test)]
            if let Some(j) = queued.iter().find(|j| j.id == s.id) {
                self.start_log.push((j.clone(), *s));
            }
        }
        while self.recent_starts.front().is_some_and(|(t, _)| *t <= now - WAIT_WINDOW_S) {
            self.recent_starts.pop_front();
        }
        started
    }

    /// Ends job `id` at `now` (it finished); false if it was no longer running.
    pub fn finish(&mut self, id: JobId, now: i64) -> bool {
        let Some(r) = self.sched.finish(id) else { return false };
        self.ledger.ended(id, now);
        let ratio = (now - r.start) as f64 / r.job.walltime.max(1) as f64;
        self.recent_ratios.push_back((ratio.clamp(0.0, 1.0) * 1_000.0).round() as u16);
        if self.recent_ratios.len() > RATIO_WINDOW {
            self.recent_ratios.pop_front();
        }
        true
    }

    /// Takes node `n` out of service at `now`, killing the job on it.
    pub fn take_out(&mut self, n: u32, state: NodeState, now: i64) {
        if let Some(killed) = self.sched.take_out(n, state) {
            self.ledger.ended(killed, now);
        }
    }

    /// Takes `count` nodes from `first` (wrapping) out of service at `now`.
    pub fn take_out_range(&mut self, first: u32, count: u32, state: NodeState, now: i64) {
        let total = self.nodes_in_service();
        for k in 0..count.min(total) {
            self.take_out((first + k) % total, state, now);
        }
    }

    /// Brings back the nodes of a range whose outage is over.
    pub fn bring_back_range(&mut self, first: u32, count: u32, now: i64) {
        let total = self.nodes_in_service();
        for k in 0..count.min(total) {
            self.sched.bring_back((first + k) % total, now);
        }
    }

    /// A random idle node, if any.
    pub fn pick_idle(&self, rng: &mut impl Rng) -> Option<u32> {
        let idle = self.sched.idle_nodes();
        if idle == 0 {
            return None;
        }
        let k = rng.gen_range(0..idle);
        (0..self.nodes_in_service()).filter(|n| self.sched.node(*n) == Some(NodeState::Idle)).nth(k as usize)
    }

    /// Median wait of jobs started in the last hour, seconds.
    pub fn median_wait(&self, now: i64) -> Option<u64> {
        let mut waits: Vec<i64> =
            self.recent_starts.iter().filter(|(t, _)| *t > now - WAIT_WINDOW_S).map(|(_, w)| *w).collect();
        if waits.is_empty() {
            return None;
        }
        waits.sort_unstable();
        let mid = waits.len() / 2;
        let m = if waits.len().is_multiple_of(2) { (waits[mid - 1] + waits[mid]) / 2 } else { waits[mid] };
        Some(m.max(0) as u64)
    }

    /// The pool's live status at `now`.
    pub fn status(&self, cat: &Catalogue, now: i64) -> PoolStatus {
        let def = &cat.systems[self.system].pools[self.pool];
        let system = &cat.systems[self.system];
        let gpn = def.gpus_per_node;
        let (down, drained) = self.sched.unavailable_nodes();
        let idle = self.sched.idle_nodes();
        let busy = self.sched.busy_nodes();
        let total = self.nodes_in_service();
        let nodes = NodeCounts { total, up: idle + busy, down, drained };
        let window = super::maintenance::next_window(system, self.system, def, now);
        let in_maintenance = window.start <= now && now < window.end;
        let status = pool_status(nodes, in_maintenance, &cat.status_policy);
        // Backfill view: a job may run past neither the head's reservation nor a
        // whole-pool maintenance.
        let reservation = self.sched.reservation(now);
        let barrier = window.whole_pool.then_some(window.start).filter(|b| *b > now);
        let limit = def.walltime_limit_hours.map_or(i64::MAX, |h| i64::from(h) * 3_600);
        // A maintenance closer than the walltime limit bounds every new job.
        let binding_barrier = barrier.filter(|b| *b - now < limit);
        let any_length_nodes = match (binding_barrier, reservation) {
            (Some(_), _) => 0,
            (None, Some(r)) => idle.min(r.extra_nodes),
            (None, None) => idle,
        };
        let deadline = [reservation.map(|r| r.shadow), binding_barrier].into_iter().flatten().min();
        let power_kw =
            def.node_power_kw * (f64::from(busy) * BUSY_POWER_FRACTION + f64::from(idle) * IDLE_POWER_FRACTION);
        let in_service_gpus = total * gpn;
        PoolStatus {
            id: def.id.clone(),
            name_ko: def.name_ko.clone(),
            name_en: def.name_en.clone(),
            status,
            gpus_per_node: gpn,
            nodes,
            gpus: vec![GpuCounts {
                model: def.gpu_model.clone(),
                total: in_service_gpus,
                allocated: busy * gpn,
                free: idle * gpn,
                unavailable: (down + drained) * gpn,
            }],
            utilisation: if in_service_gpus == 0 { 0.0 } else { f64::from(busy * gpn) / f64::from(in_service_gpus) },
            running_jobs: self.sched.running().len() as u32,
            pending_jobs: self.sched.queue().len() as u32,
            pending_gpus: self.queued_nodes() * gpn,
            median_wait_seconds: self.median_wait(now),
            largest_startable_gpus: any_length_nodes.min(def.max_job_nodes) * gpn,
            backfill_gpus: idle.min(def.max_job_nodes) * gpn,
            backfill_window_seconds: deadline.map(|d| (d - now).max(0) as u64),
            maintenance_in_seconds: barrier.and_then(|b| u64::try_from(b - now).ok()),
            max_job_gpus: def.max_job_nodes * gpn,
            walltime_limit_hours: def.walltime_limit_hours,
            power_kw: (power_kw * 10.0).round() / 10.0,
            gpu_utilisation: None,
        }
    }
}
