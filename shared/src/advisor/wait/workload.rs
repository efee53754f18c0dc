//! Wait predictions for a workload: the job each pool would queue (whole
//! nodes; one walltime-limited segment) and the bands it gets, attached to
//! the live [`Conditions`].

use crate::api::QueueSnapshot;
use crate::catalogue::{Catalogue, SchedulerKind};

use super::{predict_wait, WaitBand, WaitJob};
use crate::advisor::conditions::{Conditions, PoolConditions};
use crate::advisor::estimate::{estimate, throughput, Target};
use crate::advisor::workload::Workload;

/// The job `w` submits to pool `pool_id` (`None` for an unknown pool).
pub fn job_for(cat: &Catalogue, w: &Workload, pool_id: &str) -> Option<WaitJob> {
    let (system, pool) = cat.pools().find(|(_, p)| p.id == pool_id)?;
    let gpu = cat.gpu_models.get(&pool.gpu_model)?;
    let ref_rate = cat.gpu_models.get(&w.measured_on).map_or(1.0, |g| throughput(g, w).rate);
    let e = estimate(cat, Target { system, pool, gpu }, w, None, ref_rate);
    let limit = pool.walltime_limit_hours.filter(|_| pool.scheduler == SchedulerKind::Batch);
    let hours = limit.map_or(e.run_hours, |l| e.run_hours.min(f64::from(l)));
    Some(WaitJob { nodes: e.nodes, walltime_seconds: (hours * 3_600.0).ceil().max(1.0) as u64 })
}

impl Conditions {
    /// Runs the wait prediction for `w` on every snapshot and attaches the
    /// bands (adding pools the conditions did not know yet).
    pub fn with_predicted_waits(
        mut self,
        cat: &Catalogue,
        w: &Workload,
        snapshots: &[QueueSnapshot],
        seed: u64,
    ) -> Conditions {
        for snap in snapshots {
            let Some(job) = job_for(cat, w, &snap.pool_id) else { continue };
            let band: Option<WaitBand> = predict_wait(snap, job, &cat.advisor.wait, seed);
            if self.get(&snap.pool_id).is_none() {
                let gpn = snap.gpus_per_node;
                self.pools.push(PoolConditions {
                    pool_id: snap.pool_id.clone(),
                    total_gpus: snap.nodes_up * gpn,
                    free_gpus: snap.nodes_up.saturating_sub(snap.busy_nodes()) * gpn,
                    pending_jobs: snap.pending.len() as u32,
                    pending_gpus: snap.pending.iter().map(|p| p.nodes).sum::<u32>() * gpn,
                    wait: None,
                    never_starts: false,
                });
            }
            match band {
                Some(band) => self.set_wait(&snap.pool_id, band),
                None => self.set_never_starts(&snap.pool_id),
            }
        }
        self
    }
}
