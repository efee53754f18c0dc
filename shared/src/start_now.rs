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
    /// Not enough idle GPUs now: it queues behind `pending_jobs` jobs.
    Waits { gpus: u32, free_gpus: u32, pending_jobs: u32 },
    /// Wider than the largest job the pool accepts.
    TooLarge { gpus: u32, max_gpus: u32 },
    /// The pool is in maintenance or a major outage.
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

/// The GPU count a status page address asks about (`?gpus=128`, the page's
/// input kept in its address): `None` when the query has none or it is not
/// a count (the page then asks about [`DEFAULT_GPUS`]).
pub fn gpus_in_query(query: &str) -> Option<u32> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "gpus")
        .and_then(|(_, value)| parse_gpu_count(value).ok())
}

/// The query that keeps `gpus` in a status page address (none for the default).
pub fn gpus_query(gpus: u32) -> String {
    if gpus == DEFAULT_GPUS {
        String::new()
    } else {
        format!("?gpus={gpus}")
    }
}

/// GPUs a job asking for `gpus` actually occupies: whole nodes.
pub fn rounded_to_nodes(gpus: u32, gpus_per_node: u32) -> u32 {
    let per = gpus_per_node.max(1);
    gpus.div_ceil(per) * per
}

/// Would a job of `gpus` GPUs start now on `pool`?
///
/// Jobs take whole nodes, so `gpus` is first rounded up to full nodes.
pub fn start_now(pool: &PoolStatus, gpus: u32) -> StartAnswer {
    let gpus = rounded_to_nodes(gpus, pool.gpus_per_node);
    if gpus > pool.max_job_gpus {
        return StartAnswer::TooLarge { gpus, max_gpus: pool.max_job_gpus };
    }
    if matches!(pool.status, Status::MajorOutage) {
        return StartAnswer::Unavailable { status: pool.status };
    }
    if gpus <= pool.largest_startable_gpus {
        return StartAnswer::Now { gpus };
    }
    match pool.backfill_window_seconds {
        Some(seconds) if gpus <= pool.backfill_gpus && seconds > 0 => StartAnswer::IfShorterThan { gpus, seconds },
        _ => StartAnswer::Waits {
            gpus,
            free_gpus: pool.gpus.iter().map(|g| g.free).sum(),
            pending_jobs: pool.pending_jobs,
        },
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_gpu_count_travels_in_the_address() {
        assert_eq!(gpus_in_query("?gpus=128"), Some(128));
        assert_eq!(gpus_in_query("lang=en&gpus=8"), Some(8));
        assert_eq!(gpus_in_query("?gpus=0"), None);
        assert_eq!(gpus_in_query("?gpus=abc"), None);
        assert_eq!(gpus_in_query("?gpus=99999999999"), None);
        assert_eq!(gpus_in_query("?xgpus=8"), None);
        assert_eq!(gpus_in_query(""), None);
        assert_eq!(gpus_query(DEFAULT_GPUS), "");
        assert_eq!(gpus_query(512), "?gpus=512");
        assert_eq!(gpus_in_query(&gpus_query(512)), Some(512));
    }

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
