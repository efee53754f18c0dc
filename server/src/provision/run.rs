//! The leader's loop of provisioning and accounting.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use kairr_shared::api::ProgrammeChange;

use super::{meter_once, reconcile_once, SlurmProvisioning};
use crate::replica::Replica;
use crate::state::AppState;

/// Between passes while some allocation failed.
const RETRY: Duration = Duration::from_secs(30);

/// The leader's loop: a reconciliation at start, a few seconds after the
/// last decision of a burst, every `interval_seconds`, and every 30 s while
/// some allocation failed; a reading of the accounting every
/// `usage_interval_seconds` when usage comes from it. Followers wait.
pub async fn run(state: AppState, replica: Arc<Replica>, slurm: SlurmProvisioning) {
    use tokio::time::Instant;
    let mut events = state.bus.subscribe();
    let interval = Duration::from_secs(slurm.interval_seconds.max(1));
    let usage_every = Duration::from_secs(slurm.usage_interval_seconds.max(5));
    let (mut reconcile_at, mut meter_at) = (Instant::now(), Instant::now());
    loop {
        let next = if slurm.usage_from_accounting { reconcile_at.min(meter_at) } else { reconcile_at };
        tokio::select! {
            () = tokio::time::sleep_until(next) => {}
            event = events.recv() => {
                match event {
                    // Let a burst (a batch adoption) finish first.
                    Ok(e) if matches!(
                        e.change,
                        ProgrammeChange::Decision | ProgrammeChange::Round | ProgrammeChange::Allocation
                    ) =>
                    {
                        reconcile_at = Instant::now() + Duration::from_secs(2);
                    }
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
                continue;
            }
        }
        let now = Instant::now();
        if !replica.is_leader() {
            (reconcile_at, meter_at) = (now + interval, now + usage_every);
            continue;
        }
        if reconcile_at <= now {
            let wait = match reconcile_once(&state.storage, &slurm, Utc::now()).await {
                Ok(report) if report.ok => interval,
                Ok(report) => {
                    tracing::warn!(cluster = %slurm.cluster, error = ?report.error, "provisioning: some accounts failed");
                    RETRY.min(interval)
                }
                Err(e) => {
                    tracing::warn!(cluster = %slurm.cluster, error = %e, "provisioning pass failed");
                    RETRY.min(interval)
                }
            };
            reconcile_at = Instant::now() + wait;
        }
        if slurm.usage_from_accounting && meter_at <= now {
            if let Err(e) = meter_once(&state.storage, &slurm, Utc::now()).await {
                tracing::warn!(cluster = %slurm.cluster, error = %e, "reading the accounting failed; retried");
            }
            meter_at = Instant::now() + usage_every;
        }
    }
}
