//! Tests of the EASY backfill scheduler.

use proptest::prelude::*;

use super::*;

fn job(id: JobId, nodes: u32, submit: i64, walltime: i64) -> Job {
    Job { id, nodes, submit, runtime: walltime, walltime }
}

#[test]
fn jobs_start_in_order_while_they_fit() {
    let mut s = PoolScheduler::new(10);
    s.submit(job(1, 6, 0, 100));
    s.submit(job(2, 4, 0, 100));
    s.submit(job(3, 1, 0, 100));
    let started: Vec<_> = s.schedule(0).iter().map(|x| x.id).collect();
    assert_eq!(started, vec![1, 2]);
    assert_eq!(s.queue().len(), 1);
    s.check().unwrap();
}

#[test]
fn a_short_job_backfills_before_the_heads_reservation() {
    let mut s = PoolScheduler::new(10);
    s.submit(job(1, 8, 0, 1_000)); // runs 0..1000
    s.schedule(0);
    s.submit(job(2, 10, 1, 500)); // head: needs all 10 nodes, shadow 1000
    s.submit(job(3, 2, 1, 900)); // ends at 901 < 1000: may backfill
    s.submit(job(4, 2, 1, 5_000)); // would delay the head: may not
    let started: Vec<_> = s.schedule(1).iter().map(|x| x.id).collect();
    assert_eq!(started, vec![3]);
    let r = s.reservation(1).unwrap();
    assert_eq!((r.head, r.shadow, r.extra_nodes), (2, 1_000, 0));
}

#[test]
fn a_long_job_may_use_nodes_the_head_does_not_need() {
    let mut s = PoolScheduler::new(10);
    s.submit(job(1, 6, 0, 1_000));
    s.schedule(0);
    s.submit(job(2, 8, 1, 500)); // shadow 1000, extra = 10 - 8 = 2
    s.submit(job(3, 2, 1, 9_000));
    s.submit(job(4, 2, 1, 9_000));
    let started: Vec<_> = s.schedule(1).iter().map(|x| x.id).collect();
    assert_eq!(started, vec![3], "only two spare nodes exist beyond the head's need");
}

#[test]
fn a_barrier_keeps_jobs_from_running_into_maintenance() {
    let mut s = PoolScheduler::new(4);
    s.set_barrier(Some(1_000));
    s.submit(job(1, 1, 0, 2_000));
    s.submit(job(2, 1, 0, 500));
    let started: Vec<_> = s.schedule(0).iter().map(|x| x.id).collect();
    assert_eq!(started, vec![2]);
    let started: Vec<_> = s.schedule(1_000).iter().map(|x| x.id).collect();
    assert_eq!(started, vec![1], "after the barrier time the job may start");
}

#[test]
fn taking_a_busy_node_out_kills_its_job_and_frees_the_rest() {
    let mut s = PoolScheduler::new(4);
    s.submit(job(1, 3, 0, 100));
    s.schedule(0);
    let victim = (0..4).find(|n| matches!(s.node(*n), Some(NodeState::Busy(1)))).unwrap();
    assert_eq!(s.take_out(victim, NodeState::Down { until: 50 }), Some(1));
    assert_eq!(s.idle_nodes(), 3);
    assert_eq!(s.unavailable_nodes(), (1, 0));
    assert!(!s.bring_back(victim, 49), "not before its repair time");
    assert!(s.bring_back(victim, 50));
    assert_eq!(s.idle_nodes(), 4);
    s.check().unwrap();
}

fn shapes() -> impl Strategy<Value = Vec<(u32, i64)>> {
    prop::collection::vec((1u32..=16, 60i64..20_000), 1..40)
}

proptest! {
    /// EASY's promise: backfilling never pushes the head's start later.
    #[test]
    fn backfill_never_delays_the_queue_heads_reservation(first in shapes(), later in shapes(), nodes in 16u32..48) {
        let mut s = PoolScheduler::new(nodes);
        let mut id = 0;
        for (n, w) in first {
            id += 1;
            s.submit(job(id, n.min(nodes), 0, w));
        }
        s.schedule(0);
        let before = s.reservation(10);
        for (n, w) in later {
            id += 1;
            s.submit(job(id, n.min(nodes), 10, w));
        }
        s.schedule(10);
        s.check().map_err(TestCaseError::fail)?;
        if let (Some(b), Some(head)) = (before, s.queue().front()) {
            if head.id == b.head {
                let after = s.reservation(10).map_or(10, |r| r.shadow);
                prop_assert!(after <= b.shadow, "head {} reservation moved from {} to {}", b.head, b.shadow, after);
            }
        }
    }

    /// Nodes are conserved through any sequence of starts, ends and failures.
    #[test]
    fn nodes_are_conserved(shapes in shapes(), fails in prop::collection::vec(0u32..16, 0..8)) {
        let mut s = PoolScheduler::new(16);
        for (i, (n, w)) in shapes.iter().enumerate() {
            s.submit(job(i as JobId + 1, *n, 0, *w));
        }
        s.schedule(0);
        for f in fails {
            s.take_out(f, NodeState::Down { until: 100 });
            s.check().map_err(TestCaseError::fail)?;
        }
        let ids: Vec<JobId> = s.running().keys().copied().collect();
        for id in ids {
            s.finish(id);
        }
        s.schedule(1);
        s.check().map_err(TestCaseError::fail)?;
        let (down, drained) = s.unavailable_nodes();
        prop_assert_eq!(s.idle_nodes() + s.busy_nodes() + down + drained, 16);
    }
}
