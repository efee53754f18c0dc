//! Probes for the wait backtest: at sampled submissions the simulator keeps
//! the queue as the submitting user saw it, and later the wait the job
//! really had. Off unless [`Simulator::probe`] turns it on.

use std::collections::BTreeMap;

use crate::api::QueueSnapshot;

use super::scheduler::{JobId, Started};
use super::Simulator;

/// One sampled submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// Index of the pool (catalogue order).
    pub pool: usize,
    /// Submission time, Unix seconds.
    pub at: i64,
    /// Whole nodes asked for.
    pub nodes: u32,
    /// Requested walltime (or declared duration), seconds.
    pub walltime_seconds: u64,
    /// The pool's queue just before the job joined it.
    pub snapshot: QueueSnapshot,
    /// Seconds the job waited; `None` while it has not started.
    pub waited_seconds: Option<u64>,
}

/// One job of a log that ran (the demo fleet's history, or a real log's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedJob {
    /// Submission, seconds (any origin).
    pub submit: i64,
    /// Seconds it waited.
    pub wait: i64,
    /// Seconds it ran.
    pub runtime: i64,
    /// Processors (or GPUs) it was given.
    pub procs: u32,
    /// Requested walltime, seconds.
    pub walltime: i64,
}

/// Which submissions are probed, and what was seen.
#[derive(Debug, Clone, Default)]
pub(crate) struct Probes {
    /// Probe one in `every[pool]` submissions (0 = none).
    every: Vec<u64>,
    seen: Vec<u64>,
    pub(crate) taken: Vec<Probe>,
    open: BTreeMap<JobId, usize>,
    /// Every job started while probing, by pool (catalogue order).
    pub(crate) history: Vec<Vec<LoggedJob>>,
}

impl Simulator {
    /// From now on, keeps about `per_day` probes a day in each pool (0:
    /// none; probes already taken still learn when their job starts).
    pub fn probe(&mut self, per_day: f64) {
        let every = self
            .pools
            .iter()
            .map(|p| {
                let daily = p.workload.arrival_rate * 86_400.0;
                if per_day <= 0.0 {
                    0
                } else {
                    (daily / per_day).round().max(1.0) as u64
                }
            })
            .collect();
        self.probes.every = every;
        self.probes.seen = vec![0; self.pools.len()];
        self.probes.history.resize(self.pools.len(), Vec::new());
    }

    /// The probes taken so far, in submission order.
    pub fn probes(&self) -> &[Probe] {
        &self.probes.taken
    }

    /// Called for every submission to pool `i`, before the job joins the queue.
    pub(super) fn maybe_probe(&mut self, i: usize, id: JobId, nodes: u32, walltime: i64) {
        let Some(every) = self.probes.every.get(i).copied().filter(|e| *e > 0) else { return };
        self.probes.seen[i] += 1;
        if !self.probes.seen[i].is_multiple_of(every) {
            return;
        }
        let probe = Probe {
            pool: i,
            at: self.now,
            nodes,
            walltime_seconds: walltime.max(0) as u64,
            snapshot: self.queue_snapshot(i),
            waited_seconds: None,
        };
        self.probes.open.insert(id, self.probes.taken.len());
        self.probes.taken.push(probe);
    }

    /// Every job that started in pool `i` since probing was first turned
    /// on, in start order: its history as a job log.
    pub fn history(&self, i: usize) -> &[LoggedJob] {
        self.probes.history.get(i).map_or(&[], Vec::as_slice)
    }

    /// Called for every job start in pool `i`.
    pub(super) fn probe_started(&mut self, i: usize, st: &Started) {
        if let Some(k) = self.probes.open.remove(&st.id) {
            self.probes.taken[k].waited_seconds = Some(st.wait.max(0) as u64);
        }
        let Some(history) = self.probes.history.get_mut(i) else { return };
        if let Some(r) = self.pools[i].sched.running().get(&st.id) {
            let gpus = self.catalogue.systems[self.pools[i].system].pools[self.pools[i].pool].gpus_per_node;
            history.push(LoggedJob {
                submit: r.job.submit,
                wait: st.wait.max(0),
                runtime: st.end - st.start,
                procs: r.job.nodes * gpus,
                walltime: r.job.walltime,
            });
        }
    }
}
