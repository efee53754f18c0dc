//! The demo source: a deterministic, seeded discrete-event simulation of the
//! national fleet. Jobs arrive, queue and run under EASY backfill; nodes fail,
//! racks go down, operators drain nodes and planned maintenance takes nodes
//! out. Same seed and start time → same history.

pub mod accounts;
mod ledger;
pub mod maintenance;
mod pool;
mod probe;
pub mod scheduler;
mod snapshot;
mod usage;
pub mod workload;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::api::{DataSource, Maintenance, MaintenanceState, StatusSummary, SystemStatus};
use crate::catalogue::Catalogue;
use crate::status::rollup;
use crate::time::utc;

pub use accounts::SimAccount;
pub use pool::PoolSim;
pub use probe::{LoggedJob, Probe};

/// How the simulation is set up.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Seed of every random choice.
    pub seed: u64,
    /// Node failures, rack outages and drains (maintenance always happens).
    pub faults: bool,
    /// Simulated time before `start` to reach a loaded steady state, seconds.
    pub warm_up_seconds: i64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig { seed: 20_260_102, faults: true, warm_up_seconds: 4 * 86_400 }
    }
}

/// Something that happens at a time in one pool (index into `pools`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Event {
    Arrival(usize),
    JobEnd(usize, u64),
    NodeFailure(usize),
    NodeBack(usize, u32),
    RackFailure(usize),
    RangeBack(usize, u32, u32),
    Drain(usize),
    MaintenanceStart(usize, i64),
}

/// The whole simulated fleet.
#[derive(Debug, Clone)]
pub struct Simulator {
    catalogue: Catalogue,
    config: SimConfig,
    now: i64,
    rng: ChaCha8Rng,
    /// A separate stream for choosing each job's account, so that adding
    /// accounts leaves the jobs, failures and maintenance unchanged.
    attr_rng: ChaCha8Rng,
    pools: Vec<PoolSim>,
    events: BinaryHeap<Reverse<(i64, u64, Event)>>,
    seq: u64,
    next_job: u64,
    maintenance_planned_until: i64,
    probes: probe::Probes,
}

/// Days of look-ahead when planning maintenance events.
const PLAN_AHEAD: i64 = 3 * 86_400;

impl Simulator {
    /// A fleet that has been running for `warm_up_seconds` at `start`, every
    /// job submitted by users outside the programme.
    pub fn new(catalogue: Catalogue, config: SimConfig, start: i64) -> Simulator {
        Simulator::with_accounts(catalogue, config, Vec::new(), start)
    }

    /// Like [`Simulator::new`], with the programme's `accounts` submitting
    /// their share of each pool's jobs (accounts of unknown pools are ignored).
    /// The job stream is the same as without accounts.
    pub fn with_accounts(catalogue: Catalogue, config: SimConfig, accounts: Vec<SimAccount>, start: i64) -> Simulator {
        let begin = start - config.warm_up_seconds.max(0);
        let mut pools: Vec<PoolSim> = catalogue
            .systems
            .iter()
            .enumerate()
            .flat_map(|(si, s)| s.pools.iter().enumerate().map(move |(pi, p)| PoolSim::new(si, pi, p)))
            .collect();
        usage::assign_accounts(&catalogue, &mut pools, accounts);
        let mut attr_rng = ChaCha8Rng::seed_from_u64(config.seed);
        attr_rng.set_stream(1);
        let mut sim = Simulator {
            attr_rng,
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            catalogue,
            config,
            now: begin,
            pools,
            events: BinaryHeap::new(),
            seq: 0,
            next_job: 1,
            maintenance_planned_until: begin,
            probes: probe::Probes::default(),
        };
        for i in 0..sim.pools.len() {
            let gap = sim.pools[i].workload.next_gap(&mut sim.rng);
            sim.push(begin + gap, Event::Arrival(i));
            if sim.config.faults {
                sim.schedule_faults(i, begin);
            }
            // A maintenance window already under way when the simulation begins.
            let (s, p) = sim.pool_def(i);
            let w = maintenance::next_window(s, sim.pools[i].system, p, begin);
            if w.start <= begin {
                sim.push(begin, Event::MaintenanceStart(i, w.index));
            }
        }
        sim.advance_to(start);
        sim
    }

    /// Current simulated time, Unix seconds.
    pub fn now(&self) -> i64 {
        self.now
    }

    /// The catalogue being simulated.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The simulated pools, in catalogue order.
    pub fn pools(&self) -> &[PoolSim] {
        &self.pools
    }

    fn pool_def(&self, i: usize) -> (&crate::catalogue::System, &crate::catalogue::Pool) {
        let ps = &self.pools[i];
        let s = &self.catalogue.systems[ps.system];
        (s, &s.pools[ps.pool])
    }

    pub(crate) fn push(&mut self, at: i64, e: Event) {
        self.seq += 1;
        self.events.push(Reverse((at, self.seq, e)));
    }

    /// Runs every event up to and including `t` (time never goes back).
    pub fn advance_to(&mut self, t: i64) {
        self.plan_maintenance(t);
        while let Some(Reverse((at, _, _))) = self.events.peek() {
            if *at > t {
                break;
            }
            let Some(Reverse((at, _, e))) = self.events.pop() else {
                break;
            };
            self.now = self.now.max(at);
            self.handle(e);
        }
        self.now = self.now.max(t);
    }

    fn plan_maintenance(&mut self, t: i64) {
        let until = t + PLAN_AHEAD;
        if until <= self.maintenance_planned_until {
            return;
        }
        let from = self.maintenance_planned_until;
        for i in 0..self.pools.len() {
            let (s, p) = self.pool_def(i);
            let ws = maintenance::windows_between(s, self.pools[i].system, p, from, until);
            for w in ws.into_iter().filter(|w| w.start >= from) {
                self.push(w.start, Event::MaintenanceStart(i, w.index));
            }
        }
        self.maintenance_planned_until = until;
    }

    fn handle(&mut self, e: Event) {
        let i = self.handle_event(e);
        self.run_scheduler(i);
        #[cfg(test)]
        self.observe_busy(i);
    }

    /// Applies one event; returns its pool.
    fn handle_event(&mut self, e: Event) -> usize {
        let now = self.now;
        match e {
            Event::Arrival(i) => {
                self.arrive(i);
                i
            }
            Event::JobEnd(i, id) => {
                self.pools[i].finish(id, now);
                i
            }
            Event::NodeFailure(i) => {
                self.node_failure(i);
                i
            }
            Event::NodeBack(i, n) => {
                self.pools[i].sched.bring_back(n, now);
                i
            }
            Event::RangeBack(i, first, count) => {
                self.pools[i].bring_back_range(first, count, now);
                i
            }
            Event::RackFailure(i) => {
                self.rack_failure(i);
                i
            }
            Event::Drain(i) => {
                self.drain(i);
                i
            }
            Event::MaintenanceStart(i, k) => {
                self.maintenance_start(i, k);
                i
            }
        }
    }

    fn run_scheduler(&mut self, i: usize) {
        let now = self.now;
        let (s, p) = self.pool_def(i);
        let w = maintenance::next_window(s, self.pools[i].system, p, now);
        let barrier = w.whole_pool.then_some(w.start);
        for st in self.pools[i].schedule(now, barrier) {
            self.push(st.end, Event::JobEnd(i, st.id));
            self.probe_started(i, &st);
        }
    }

    fn arrive(&mut self, i: usize) {
        let now = self.now;
        let gap = self.pools[i].workload.next_gap(&mut self.rng);
        self.push(now + gap, Event::Arrival(i));
        // Thinning: the day, the week and deadlines shape the rate, and users
        // hold back as the queue grows.
        let waited_hours = self.pools[i].median_wait(now).unwrap_or(0) as f64 / 3_600.0;
        let chance = self.pools[i].workload.submit_chance(now, waited_hours);
        if self.rng.gen_range(0.0..1.0) >= chance {
            return;
        }
        let id = self.next_job;
        self.next_job += 1;
        let job = self.pools[i].workload.job(id, now, &mut self.rng);
        self.maybe_probe(i, id, job.nodes, job.walltime);
        self.pools[i].ledger.submit(&job, now, &mut self.attr_rng);
        self.pools[i].sched.submit(job);
    }

    fn schedule_faults(&mut self, i: usize, from: i64) {
        let (_, p) = self.pool_def(i);
        let node_rate = f64::from(p.nodes_in_service) / (p.mtbf_node_days * 86_400.0);
        let drain_rate = f64::from(p.nodes_in_service) / (400.0 * 86_400.0);
        let rack_rate = 1.0 / (14.0 * 86_400.0);
        let a = from + exp_gap(&mut self.rng, node_rate);
        let b = from + exp_gap(&mut self.rng, rack_rate);
        let c = from + exp_gap(&mut self.rng, drain_rate);
        self.push(a, Event::NodeFailure(i));
        self.push(b, Event::RackFailure(i));
        self.push(c, Event::Drain(i));
    }

    fn node_failure(&mut self, i: usize) {
        let now = self.now;
        let (_, p) = self.pool_def(i);
        let rate = f64::from(p.nodes_in_service) / (p.mtbf_node_days * 86_400.0);
        let next = now + exp_gap(&mut self.rng, rate);
        self.push(next, Event::NodeFailure(i));
        let node = self.rng.gen_range(0..self.pools[i].nodes_in_service());
        let until = now + log_uniform(&mut self.rng, 2.0 * 3_600.0, 36.0 * 3_600.0);
        self.pools[i].take_out(node, scheduler::NodeState::Down { until }, now);
        self.push(until, Event::NodeBack(i, node));
    }

    fn rack_failure(&mut self, i: usize) {
        let now = self.now;
        let next = now + exp_gap(&mut self.rng, 1.0 / (14.0 * 86_400.0));
        self.push(next, Event::RackFailure(i));
        let (_, p) = self.pool_def(i);
        let total = self.pools[i].nodes_in_service();
        let rack = p.rack_nodes.min(total);
        let roll: f64 = self.rng.gen_range(0.0..1.0);
        // Mostly one rack (power, top-of-rack switch); sometimes a row; rarely
        // the whole pool (fabric, storage, cooling).
        let count = if roll < 0.70 {
            rack
        } else if roll < 0.95 {
            ((f64::from(total) * self.rng.gen_range(0.10..0.35)) as u32).max(rack)
        } else {
            total
        };
        let first = if count >= total { 0 } else { self.rng.gen_range(0..total - count) };
        let until = now + log_uniform(&mut self.rng, 1_800.0, 4.0 * 3_600.0);
        self.pools[i].take_out_range(first, count, scheduler::NodeState::Down { until }, now);
        self.push(until, Event::RangeBack(i, first, count));
    }

    fn drain(&mut self, i: usize) {
        let now = self.now;
        let (_, p) = self.pool_def(i);
        let rate = f64::from(p.nodes_in_service) / (400.0 * 86_400.0);
        let next = now + exp_gap(&mut self.rng, rate);
        self.push(next, Event::Drain(i));
        let Some(node) = self.pools[i].pick_idle(&mut self.rng) else {
            return;
        };
        let until = now + log_uniform(&mut self.rng, 2.0 * 3_600.0, 48.0 * 3_600.0);
        self.pools[i].take_out(node, scheduler::NodeState::Drained { until }, now);
        self.push(until, Event::NodeBack(i, node));
    }

    fn maintenance_start(&mut self, i: usize, k: i64) {
        let (s, p) = self.pool_def(i);
        let w = maintenance::window(s, self.pools[i].system, p, k);
        let now = self.now;
        self.pools[i].take_out_range(w.first_node, w.nodes, scheduler::NodeState::Drained { until: w.end }, now);
        self.push(w.end, Event::RangeBack(i, w.first_node, w.nodes));
    }

    /// The live status of every system at the current simulated time.
    pub fn systems(&self) -> Vec<SystemStatus> {
        self.catalogue
            .systems
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let pools: Vec<_> =
                    self.pools.iter().filter(|p| p.system == si).map(|p| p.status(&self.catalogue, self.now)).collect();
                SystemStatus {
                    id: s.id.clone(),
                    name_ko: s.name_ko.clone(),
                    name_en: s.name_en.clone(),
                    kind: s.kind,
                    operator: s.operator.clone(),
                    operator_ko: s.operator_ko.clone(),
                    status: rollup(pools.iter().map(|p| p.status)),
                    source: DataSource::Demo,
                    stale: false,
                    stale_reason: None,
                    last_good_at: None,
                    pue: s.pue,
                    power_kw: pools.iter().map(|p| p.power_kw).sum(),
                    pools,
                }
            })
            .collect()
    }

    /// The status summary at the current simulated time.
    pub fn summary(&self, stale_after_seconds: u32) -> StatusSummary {
        StatusSummary::new(self.now, self.systems(), stale_after_seconds).with_policy(&self.catalogue.status_policy)
    }
}

impl Simulator {
    /// Planned maintenance of every pool overlapping `[from, to)`, as the API
    /// lists it (state relative to the current simulated time).
    pub fn planned_maintenance(&self, from: i64, to: i64) -> Vec<Maintenance> {
        let mut out = Vec::new();
        for ps in &self.pools {
            let s = &self.catalogue.systems[ps.system];
            let p = &s.pools[ps.pool];
            for w in maintenance::windows_between(s, ps.system, p, from, to) {
                let (ko, en) = if w.whole_pool {
                    ("전체 시스템 정기 점검", "Planned maintenance of the whole system")
                } else {
                    ("노드 순차 정기 점검", "Planned rolling maintenance of nodes")
                };
                out.push(Maintenance {
                    id: format!("{}-m{}", p.id, w.index),
                    system_id: s.id.clone(),
                    pool_id: p.id.clone(),
                    title_ko: format!("{}: {ko}", p.name_ko),
                    title_en: format!("{}: {en}", p.name_en),
                    starts_at: utc(w.start),
                    ends_at: utc(w.end),
                    nodes_affected: w.nodes,
                    state: maintenance_state(w.start, w.end, self.now),
                    source: DataSource::Demo,
                });
            }
        }
        out.sort_by_key(|m| m.starts_at);
        out
    }
}

/// Where a window stands at `now`.
pub fn maintenance_state(start: i64, end: i64, now: i64) -> MaintenanceState {
    if now < start {
        MaintenanceState::Scheduled
    } else if now < end {
        MaintenanceState::InProgress
    } else {
        MaintenanceState::Completed
    }
}

/// An exponential gap (seconds, ≥ 1) for events at `rate` per second.
fn exp_gap(rng: &mut impl Rng, rate: f64) -> i64 {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    ((-u.ln() / rate.max(1e-12)).ceil() as i64).clamp(1, 10 * 365 * 86_400)
}

/// A log-uniform duration between `lo` and `hi` seconds.
fn log_uniform(rng: &mut impl Rng, lo: f64, hi: f64) -> i64 {
    (lo * (hi / lo).powf(rng.gen_range(0.0..1.0))) as i64
}

#[cfg(test)]
#[path = "sim/tests.rs"]
mod tests;
