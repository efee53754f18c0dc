//! Simulator invariants over a simulated month of the real fleet.

use super::*;

fn month() -> Simulator {
    let cat = Catalogue::embedded().unwrap();
    let start = 1_790_000_000;
    let mut sim = Simulator::new(cat, SimConfig::default(), start);
    for h in 1..=(30 * 24) {
        sim.advance_to(start + h * 3_600);
        for p in sim.pools() {
            p.sched.check().unwrap();
        }
    }
    sim
}

#[test]
fn never_more_gpus_allocated_than_exist_and_jobs_never_start_before_they_arrive() {
    let sim = month();
    for p in sim.pools() {
        assert!(!p.start_log.is_empty(), "pool {} started no job", p.pool);
        for (job, s) in &p.start_log {
            assert!(s.start >= job.submit, "job {} started before it arrived", job.id);
            assert!(job.nodes <= p.nodes_in_service());
        }
    }
    for sys in sim.systems() {
        for pool in sys.pools {
            let g = &pool.gpus[0];
            assert_eq!(g.allocated + g.free + g.unavailable, g.total, "{}", pool.id);
            assert_eq!(pool.nodes.up + pool.nodes.down + pool.nodes.drained, pool.nodes.total);
        }
    }
}

#[test]
fn the_demo_fleet_is_busy_but_not_saturated() {
    let sim = month();
    for sys in sim.systems() {
        for pool in &sys.pools {
            assert!(pool.utilisation > 0.3 && pool.utilisation <= 1.0, "{} at {}", pool.id, pool.utilisation);
            assert!(pool.running_jobs > 0);
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_history() {
    let cat = Catalogue::embedded().unwrap();
    let a = Simulator::new(cat.clone(), SimConfig::default(), 1_790_000_000);
    let b = Simulator::new(cat.clone(), SimConfig::default(), 1_790_000_000);
    assert_eq!(a.summary(30), b.summary(30));
    let c = Simulator::new(cat, SimConfig { seed: 1, ..SimConfig::default() }, 1_790_000_000);
    assert_ne!(a.summary(30), c.summary(30));
}

#[test]
fn whole_system_maintenance_shows_as_maintenance_with_nodes_drained() {
    let cat = Catalogue::embedded().unwrap();
    let s = cat.system("kisti6").unwrap().clone();
    let w = maintenance::next_window(&s, 0, &s.pools[0], 1_790_000_000);
    let mut sim = Simulator::new(cat, SimConfig { faults: false, ..SimConfig::default() }, w.start - 3_600);
    // Before the window nothing may run past its start.
    for r in sim.pools()[0].sched.running().values() {
        assert!(r.expected_end <= w.start || r.start < w.start - 48 * 3_600, "job {} runs into maintenance", r.job.id);
    }
    sim.advance_to(w.start + 60);
    let pool = &sim.systems()[0].pools[0];
    assert_eq!(pool.status, crate::status::Status::Maintenance);
    assert_eq!(pool.nodes.drained, pool.nodes.total);
    assert_eq!(pool.running_jobs, 0);
    sim.advance_to(w.end + 60);
    let pool = &sim.systems()[0].pools[0];
    assert_eq!(pool.status, crate::status::Status::Operational);
    assert!(pool.running_jobs > 0, "work resumes after maintenance");
}

#[test]
fn a_whole_system_maintenance_within_the_walltime_bounds_what_starts_now() {
    use crate::start_now::{start_now, StartAnswer};
    let cat = Catalogue::embedded().unwrap();
    let s = cat.system("kisti6").unwrap().clone();
    let w = maintenance::next_window(&s, 0, &s.pools[0], 1_790_000_000);
    assert!(w.whole_pool);
    let config = SimConfig { faults: false, ..SimConfig::default() };
    // An hour before: no job may run past its start, and the answer says so.
    let sim = Simulator::new(cat.clone(), config.clone(), w.start - 3_600);
    let pool = &sim.systems()[0].pools[0];
    assert_eq!(pool.maintenance_in_seconds, Some(3_600));
    assert_eq!((pool.largest_startable_gpus, pool.backfill_window_seconds), (0, Some(3_600)));
    assert!(pool.backfill_gpus >= pool.gpus_per_node, "nodes stand idle before the maintenance: {pool:?}");
    let gpus = pool.gpus_per_node;
    assert_eq!(start_now(pool, gpus), StartAnswer::BeforeMaintenance { gpus, seconds: 3_600 });
    // Three days before, beyond the 48 h limit: reported, but no bound on a job that fits.
    let sim = Simulator::new(cat.clone(), config.clone(), w.start - 72 * 3_600);
    let pool = &sim.systems()[0].pools[0];
    assert_eq!(pool.maintenance_in_seconds, Some(72 * 3_600));
    assert!(!matches!(start_now(pool, gpus), StartAnswer::BeforeMaintenance { .. }), "{pool:?}");
    // During it, and for pools whose maintenance takes only some nodes: none.
    let sim = Simulator::new(cat, config, w.start + 60);
    let systems = sim.systems();
    assert_eq!(systems[0].pools[0].maintenance_in_seconds, None);
    for pool in systems.iter().skip(1).flat_map(|s| &s.pools) {
        assert_eq!(pool.maintenance_in_seconds, None, "{}", pool.id);
    }
}

#[test]
fn faults_produce_outages_over_a_quarter() {
    let cat = Catalogue::embedded().unwrap();
    let start = 1_790_000_000;
    let mut sim = Simulator::new(cat, SimConfig::default(), start);
    let mut worst = crate::status::Status::Operational;
    for m in (0..90 * 24 * 60).step_by(10) {
        sim.advance_to(start + m * 60);
        for s in sim.systems() {
            if s.status != crate::status::Status::Maintenance {
                worst = worst.max(s.status);
            }
        }
    }
    assert!(worst >= crate::status::Status::PartialOutage, "90 days without an outage: {worst:?}");
}
