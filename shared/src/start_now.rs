//! "If I submit N GPUs now, will it run?": answered from a pool's live status.

use serde::{Deserialize, Serialize};

use crate::api::PoolStatus;
use crate::status::Status;

/// The answer for one pool and one job width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum StartAnswer {
    /// Starts now whatever its run time.
    Now { gpus: u32 },
    /// Starts now only if its walltime ends before the queue head's reservation.
    IfShorterThan { gpus: u32, seconds: u64 },
    /// Starts now only if its walltime ends before the maintenance that takes
    /// the whole pool out of service in `seconds`.
    BeforeMaintenance { gpus: u32, seconds: u64 },
    /// Not enough idle GPUs now: it queues behind `pending_jobs` jobs.
    Waits { gpus: u32, free_gpus: u32, pending_jobs: u32 },
    /// Wider than the largest job the pool accepts.
    TooLarge { gpus: u32, max_gpus: u32 },
    /// The pool is in a major outage.
    Unavailable { status: Status },
}

/// Why a requested width could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GpuCountError {
    #[error("enter a whole number of GPUs")]
    NotANumber,
    #[error("the number of GPUs must be at least 1")]
    Zero,
}

/// GPUs pre-filled in the status page's "N GPUs" input (and its first view).
pub const DEFAULT_GPUS: u32 = 64;

/// Parses the "N GPUs" input: a positive whole number (surrounding spaces allowed).
pub fn parse_gpu_count(input: &str) -> Result<u32, GpuCountError> {
    let n: u32 = input.trim().parse().map_err(|_| GpuCountError::NotANumber)?;
    if n == 0 {
        return Err(GpuCountError::Zero);
    }
    Ok(n)
}

/// GPUs a job asking for `gpus` actually occupies: whole nodes.
pub fn rounded_to_nodes(gpus: u32, gpus_per_node: u32) -> u32 {
    let per = gpus_per_node.max(1);
    gpus.div_ceil(per) * per
}

/// Would a job of `gpus` GPUs start now on `pool`?
///
/// Jobs take whole nodes, so `gpus` is first rounded up to full nodes. A job
/// that fits the idle GPUs must end before the earliest of what bounds it, and
/// the answer names that bound:
///
/// - the queue head's reservation (`backfill_window_seconds`), unless the job
///   also fits the GPUs free for any run time (`largest_startable_gpus`);
/// - a whole-pool maintenance (`maintenance_in_seconds`): always when it is
///   nearer than the reservation, and, for a job no reservation bounds, when
///   it starts before a job at the walltime limit (or at no limit) would end.
///   One at or beyond the limit leaves "any run time" true.
///
/// A job that fits the idle GPUs but not the any-length ones, with no
/// reservation ahead (none, or one due now), waits today; with a maintenance
/// within the walltime limit it may still start if it ends before it: the
/// head then is read as held back by that maintenance (Slurm keeps pending
/// what would run into it, and the Slurm source's figures do not count it).
pub fn start_now(pool: &PoolStatus, gpus: u32) -> StartAnswer {
    let gpus = rounded_to_nodes(gpus, pool.gpus_per_node);
    if gpus > pool.max_job_gpus {
        return StartAnswer::TooLarge { gpus, max_gpus: pool.max_job_gpus };
    }
    if matches!(pool.status, Status::MajorOutage) {
        return StartAnswer::Unavailable { status: pool.status };
    }
    let maintenance = pool.maintenance_in_seconds.filter(|m| *m > 0);
    // A maintenance that a job at the pool's walltime limit would run into.
    let limit = pool.walltime_limit_hours.map(|h| u64::from(h) * 3_600);
    let binding = maintenance.filter(|m| limit.is_none_or(|l| *m < l));
    if gpus <= pool.largest_startable_gpus {
        return match binding {
            Some(seconds) => StartAnswer::BeforeMaintenance { gpus, seconds },
            None => StartAnswer::Now { gpus },
        };
    }
    if gpus <= pool.backfill_gpus {
        match (pool.backfill_window_seconds.filter(|s| *s > 0), maintenance) {
            (Some(s), Some(m)) if m <= s => return StartAnswer::BeforeMaintenance { gpus, seconds: m },
            (Some(seconds), _) => return StartAnswer::IfShorterThan { gpus, seconds },
            (None, _) => {
                if let Some(seconds) = binding {
                    return StartAnswer::BeforeMaintenance { gpus, seconds };
                }
            }
        }
    }
    StartAnswer::Waits { gpus, free_gpus: pool.gpus.iter().map(|g| g.free).sum(), pending_jobs: pool.pending_jobs }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::api::GpuCounts;
    use crate::status::NodeCounts;

    fn pool(largest: u32, backfill: u32, window: Option<u64>, status: Status) -> PoolStatus {
        PoolStatus {
            id: "p".into(),
            name_ko: "p".into(),
            name_en: "p".into(),
            status,
            gpus_per_node: 4,
            nodes: NodeCounts { total: 100, up: 100, down: 0, drained: 0 },
            gpus: vec![GpuCounts {
                model: "GH200".into(),
                total: 400,
                allocated: 400 - backfill,
                free: backfill,
                unavailable: 0,
            }],
            utilisation: 0.9,
            running_jobs: 10,
            pending_jobs: 7,
            pending_gpus: 64,
            median_wait_seconds: None,
            largest_startable_gpus: largest,
            backfill_gpus: backfill,
            backfill_window_seconds: window,
            maintenance_in_seconds: None,
            max_job_gpus: 256,
            walltime_limit_hours: Some(48),
            power_kw: 1.0,
            gpu_utilisation: None,
        }
    }

    #[test]
    fn answers_follow_the_backfill_window() {
        let p = pool(8, 40, Some(3600), Status::Operational);
        let cases = [
            (1, StartAnswer::Now { gpus: 4 }),
            (8, StartAnswer::Now { gpus: 8 }),
            (9, StartAnswer::IfShorterThan { gpus: 12, seconds: 3600 }),
            (40, StartAnswer::IfShorterThan { gpus: 40, seconds: 3600 }),
            (41, StartAnswer::Waits { gpus: 44, free_gpus: 40, pending_jobs: 7 }),
            (300, StartAnswer::TooLarge { gpus: 300, max_gpus: 256 }),
        ];
        for (n, expected) in cases {
            assert_eq!(start_now(&p, n), expected, "n={n}");
        }
    }

    /// `pool` with a whole-pool maintenance in `m` seconds (walltime limit 48 h).
    fn before(p: PoolStatus, m: u64) -> PoolStatus {
        PoolStatus { maintenance_in_seconds: Some(m), ..p }
    }

    const H: u64 = 3_600;

    #[test]
    fn a_maintenance_within_the_walltime_limit_bounds_jobs_that_would_start_now() {
        // 2 h away, the queue head's reservation 1 h away: the reservation stays the bound for
        // jobs it bounds; the maintenance bounds those that would have run any length.
        let p = before(pool(8, 40, Some(H), Status::Operational), 2 * H);
        let cases = [
            (1, StartAnswer::BeforeMaintenance { gpus: 4, seconds: 2 * H }),
            (8, StartAnswer::BeforeMaintenance { gpus: 8, seconds: 2 * H }),
            (9, StartAnswer::IfShorterThan { gpus: 12, seconds: H }),
            (40, StartAnswer::IfShorterThan { gpus: 40, seconds: H }),
            (41, StartAnswer::Waits { gpus: 44, free_gpus: 40, pending_jobs: 7 }),
            (300, StartAnswer::TooLarge { gpus: 300, max_gpus: 256 }),
        ];
        for (n, expected) in cases {
            assert_eq!(start_now(&p, n), expected, "n={n}");
        }
        // 47 h 59 min away: a 48 h job would still run into it.
        let p = before(pool(8, 40, None, Status::Operational), 48 * H - 60);
        assert_eq!(start_now(&p, 8), StartAnswer::BeforeMaintenance { gpus: 8, seconds: 48 * H - 60 });
    }

    #[test]
    fn a_maintenance_nearer_than_the_reservation_is_the_bound() {
        // The demo folds it in (window = maintenance, nothing any length): m == s.
        let p = before(pool(0, 40, Some(2 * H), Status::Operational), 2 * H);
        assert_eq!(start_now(&p, 40), StartAnswer::BeforeMaintenance { gpus: 40, seconds: 2 * H });
        // Slurm's reservation ignores it: m < s.
        let p = before(pool(8, 40, Some(30 * H), Status::Operational), 2 * H);
        assert_eq!(start_now(&p, 12), StartAnswer::BeforeMaintenance { gpus: 12, seconds: 2 * H });
        assert_eq!(start_now(&p, 4), StartAnswer::BeforeMaintenance { gpus: 4, seconds: 2 * H });
        // Beyond the walltime limit but still nearer than the reservation: it is the nearer bound.
        let p = before(pool(8, 40, Some(60 * H), Status::Operational), 50 * H);
        assert_eq!(start_now(&p, 12), StartAnswer::BeforeMaintenance { gpus: 12, seconds: 50 * H });
        assert_eq!(start_now(&p, 8), StartAnswer::Now { gpus: 8 });
    }

    #[test]
    fn a_maintenance_at_or_beyond_the_walltime_limit_leaves_any_run_time() {
        let p = before(pool(8, 40, Some(H), Status::Operational), 48 * H);
        assert_eq!(start_now(&p, 8), StartAnswer::Now { gpus: 8 });
        assert_eq!(start_now(&p, 12), StartAnswer::IfShorterThan { gpus: 12, seconds: H });
        let p = before(pool(8, 40, Some(0), Status::Operational), 30 * 24 * H);
        assert_eq!(start_now(&p, 12), StartAnswer::Waits { gpus: 12, free_gpus: 40, pending_jobs: 7 });
    }

    #[test]
    fn without_a_walltime_limit_any_scheduled_maintenance_bounds() {
        let mut p = before(pool(40, 40, None, Status::Operational), 30 * 24 * H);
        p.walltime_limit_hours = None;
        assert_eq!(start_now(&p, 16), StartAnswer::BeforeMaintenance { gpus: 16, seconds: 30 * 24 * H });
    }

    #[test]
    fn idle_gpus_held_for_a_head_due_now_are_usable_before_a_maintenance() {
        // Slurm: the head "could start now" but stays pending (it would run into the
        // maintenance); without the maintenance such a job waits.
        let p = pool(8, 40, Some(0), Status::Operational);
        assert_eq!(start_now(&p, 12), StartAnswer::Waits { gpus: 12, free_gpus: 40, pending_jobs: 7 });
        let p = before(p, 5 * H);
        assert_eq!(start_now(&p, 12), StartAnswer::BeforeMaintenance { gpus: 12, seconds: 5 * H });
        assert_eq!(start_now(&p, 44), StartAnswer::Waits { gpus: 44, free_gpus: 40, pending_jobs: 7 });
        // Fewer GPUs free for any length than idle, no reservation given: the same.
        let p = before(pool(8, 40, None, Status::Operational), 5 * H);
        assert_eq!(start_now(&p, 12), StartAnswer::BeforeMaintenance { gpus: 12, seconds: 5 * H });
    }

    #[test]
    fn a_maintenance_changes_neither_outages_nor_too_large_nor_a_zero_count() {
        let p = before(pool(400, 400, None, Status::MajorOutage), H);
        assert_eq!(start_now(&p, 4), StartAnswer::Unavailable { status: Status::MajorOutage });
        assert_eq!(start_now(&p, 300), StartAnswer::TooLarge { gpus: 300, max_gpus: 256 });
        let p = before(pool(8, 40, None, Status::Operational), 0);
        assert_eq!(start_now(&p, 8), StartAnswer::Now { gpus: 8 }, "0 s away is not a scheduled one");
    }

    #[test]
    fn a_major_outage_answers_unavailable() {
        let p = pool(400, 400, None, Status::MajorOutage);
        assert_eq!(start_now(&p, 4), StartAnswer::Unavailable { status: Status::MajorOutage });
    }

    #[test]
    fn with_an_empty_queue_only_free_gpus_matter() {
        let p = pool(40, 40, None, Status::Operational);
        assert_eq!(start_now(&p, 41), StartAnswer::Waits { gpus: 44, free_gpus: 40, pending_jobs: 7 });
    }

    #[test]
    fn gpu_count_input_is_parsed_strictly() {
        assert_eq!(parse_gpu_count(" 16 "), Ok(16));
        assert_eq!(parse_gpu_count("0"), Err(GpuCountError::Zero));
        assert_eq!(parse_gpu_count("-3"), Err(GpuCountError::NotANumber));
        assert_eq!(parse_gpu_count("abc"), Err(GpuCountError::NotANumber));
        assert_eq!(parse_gpu_count(""), Err(GpuCountError::NotANumber));
    }
}
