//! Usage from the scheduler's accounting (issue 13 §2): every job Slurm
//! accounted (`sacct`), including those that started and ended between two
//! readings, metered exactly once.
//!
//! A reading returns the jobs that ran during `[since, now]`; each job's
//! GPU-seconds are counted from where the previous reading left it
//! (`counted_until`) to its end, or to `now` while it runs, so re-reading
//! the same jobs adds nothing and a running job is counted as it goes.

use std::collections::HashMap;

use super::UsageDelta;

/// One job as `sacct -a -X -n -P -o` [`SACCT_FORMAT`] prints it (run with `TZ=UTC`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountedJob {
    /// `JobIDRaw`: unique per cluster (array tasks have their own).
    pub id: u64,
    pub account: String,
    pub partition: String,
    /// GPUs allocated (`gres/gpu=` of `AllocTRES`; 0 when none).
    pub gpus: u64,
    /// Unix seconds; `None` while it has not started.
    pub start: Option<i64>,
    /// Unix seconds; `None` while it runs (or when Slurm lost its end).
    pub end: Option<i64>,
    /// Its time limit in seconds (`TimelimitRaw`; `None`: unlimited or not given).
    pub limit: Option<i64>,
}

/// The `--format` of [`parse_sacct`]'s input.
pub const SACCT_FORMAT: &str = "jobidraw,account,partition,alloctres,start,end,timelimitraw";

/// Jobs from `sacct -a -X -n -P -o `[`SACCT_FORMAT`] text; a line that does
/// not parse is an error naming it.
pub fn parse_sacct(text: &str) -> Result<Vec<AccountedJob>, String> {
    let mut jobs = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('|').collect();
        let [id, account, partition, tres, start, end, ..] = f[..] else {
            return Err(format!("unexpected sacct line: {line}"));
        };
        let id = id.parse().map_err(|_| format!("bad JobIDRaw in: {line}"))?;
        let gpus = tres
            .split(',')
            .filter_map(|p| p.split_once('='))
            .filter(|(k, _)| *k == "gres/gpu")
            .map(|(_, v)| v.parse::<u64>().map_err(|_| format!("bad gres/gpu in: {line}")))
            .sum::<Result<u64, String>>()?;
        jobs.push(AccountedJob {
            id,
            account: account.to_owned(),
            partition: partition.to_owned(),
            gpus,
            start: time(start),
            end: time(end),
            // Minutes; `UNLIMITED` or `Partition_Limit` are no bound.
            limit: f.get(6).and_then(|m| m.trim().parse::<i64>().ok()).map(|m| m.saturating_mul(60)),
        });
    }
    Ok(jobs)
}

/// `2026-12-06T00:00:14` (UTC) → Unix seconds; `Unknown`, `None`, empty → `None`.
fn time(text: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S").ok().map(|t| t.and_utc().timestamp())
}

/// What a reading at `now` adds: the GPU-seconds of each job since it was
/// last counted (`counted`: job id → Unix seconds counted up to), as usage
/// deltas in the pool `pool_of` gives its partition (jobs of no pool or no
/// GPUs are left out), and each counted job's new `counted_until`. A job
/// without an end counts up to `now`, but never past its start plus its time
/// limit: Slurm ends it by then, so a job whose end Slurm lost (`Unknown`
/// after a controller crash) is not counted for ever.
pub fn meter_jobs(
    jobs: &[AccountedJob],
    counted: &HashMap<u64, i64>,
    now: i64,
    pool_of: impl Fn(&str) -> Option<String>,
) -> (Vec<UsageDelta>, Vec<(u64, i64)>) {
    let mut deltas = Vec::new();
    let mut marks = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // A job listed twice (a requeued job's records) is counted once.
    for job in jobs.iter().filter(|j| j.gpus > 0 && seen.insert(j.id)) {
        let (Some(start), Some(pool)) = (job.start, pool_of(&job.partition)) else { continue };
        let from = counted.get(&job.id).map_or(start, |c| (*c).max(start));
        let open_end = job.limit.map_or(now, |limit| start.saturating_add(limit));
        let to = job.end.unwrap_or(open_end).min(now);
        if to <= from {
            continue;
        }
        let seconds = u64::try_from(to - from).unwrap_or(0);
        deltas.push(UsageDelta {
            pool_id: pool,
            account: job.account.clone(),
            from,
            to,
            gpu_seconds: seconds.saturating_mul(job.gpus),
        });
        marks.push((job.id, to));
    }
    (deltas, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
        7|r2027-1-0041|gpu|billing=1,cpu=1,gres/gpu=2,mem=1000M,node=1|2026-12-06T00:00:00|2026-12-06T00:00:30|5\n\
        8|r2027-1-0041|gpu|billing=8,cpu=8,gres/gpu=8,node=1|2026-12-06T00:00:10|Unknown|UNLIMITED\n\
        9|r2027-1-0041|gpu||Unknown|Unknown|60\n\
        10|lab-x|cpu|cpu=4,node=1|2026-12-06T00:00:00|2026-12-06T00:10:00|Partition_Limit\n";

    fn t(hms: &str) -> i64 {
        time(&format!("2026-12-06T{hms}")).unwrap()
    }

    fn gpu_pool(p: &str) -> Option<String> {
        (p == "gpu").then(|| "kisti6-gh200".to_owned())
    }

    #[test]
    fn sacct_lines_become_jobs_with_their_gpus_and_times() {
        let jobs = parse_sacct(TEXT).unwrap();
        assert_eq!(jobs.len(), 4);
        assert_eq!(
            (jobs[0].id, jobs[0].gpus, jobs[0].start, jobs[0].end),
            (7, 2, Some(t("00:00:00")), Some(t("00:00:30")))
        );
        assert_eq!((jobs[1].gpus, jobs[1].end, jobs[1].limit), (8, None, None));
        assert_eq!((jobs[0].limit, jobs[2].limit, jobs[3].limit), (Some(300), Some(3_600), None));
        assert_eq!((jobs[2].gpus, jobs[2].start), (0, None), "pending: nothing allocated yet");
        assert!(parse_sacct("x|a|gpu||").is_err());
        assert!(parse_sacct("1|a|gpu|gres/gpu=two|Unknown|Unknown").unwrap_err().contains("gres/gpu=two"));
    }

    #[test]
    fn a_job_that_started_and_ended_between_readings_is_counted_whole_and_once() {
        let jobs = parse_sacct(TEXT).unwrap();
        let now = t("00:01:00");
        let (deltas, marks) = meter_jobs(&jobs, &HashMap::new(), now, gpu_pool);
        // Job 7: 30 s × 2 GPUs; job 8: running for 50 s × 8 GPUs; 9 pending, 10 no GPUs.
        let secs: Vec<(u64, u64)> = deltas.iter().map(|d| ((d.to - d.from) as u64, d.gpu_seconds)).collect();
        assert_eq!(secs, [(30, 60), (50, 400)]);
        assert_eq!(marks, [(7, t("00:00:30")), (8, now)]);

        // Read again a minute later: job 7 adds nothing; job 8 its next 60 s.
        let mut counted: HashMap<u64, i64> = marks.into_iter().collect();
        let (deltas, marks) = meter_jobs(&jobs, &counted, t("00:02:00"), gpu_pool);
        assert_eq!(deltas.iter().map(|d| d.gpu_seconds).collect::<Vec<_>>(), [480]);
        assert_eq!(marks, [(8, t("00:02:00"))]);
        // The same reading again (the ledger keeps every job's mark): nothing.
        counted.extend(marks);
        assert!(meter_jobs(&jobs, &counted, t("00:02:00"), gpu_pool).0.is_empty());
    }

    #[test]
    fn a_job_whose_end_slurm_lost_counts_up_to_its_time_limit_and_no_further() {
        // Started at midnight with a 10-minute limit; its end is `Unknown` (a controller crash).
        let jobs = parse_sacct("11|r2027-1-0041|gpu|gres/gpu=4,node=1|2026-12-06T00:00:00|Unknown|10").unwrap();
        let (deltas, marks) = meter_jobs(&jobs, &HashMap::new(), t("00:04:00"), gpu_pool);
        assert_eq!(deltas[0].gpu_seconds, 240 * 4, "within its limit it counts as it runs");
        let counted: HashMap<u64, i64> = marks.into_iter().collect();
        let (deltas, marks) = meter_jobs(&jobs, &counted, t("05:00:00"), gpu_pool);
        assert_eq!(deltas[0].gpu_seconds, 360 * 4, "the rest of its 10 minutes, not five hours");
        assert_eq!(marks, [(11, t("00:10:00"))]);
        let counted: HashMap<u64, i64> = marks.into_iter().collect();
        assert!(meter_jobs(&jobs, &counted, t("09:00:00"), gpu_pool).0.is_empty(), "and nothing after");
    }
}
