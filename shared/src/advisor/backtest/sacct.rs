//! Slurm's accounting as a job log for the backtest: the output of
//!
//! ```text
//! sacct --allusers --allocations --parsable2 \
//!       --format=JobID,Submit,Start,End,Timelimit,NNodes,AllocTRES,State \
//!       --starttime=… --endtime=…
//! ```
//!
//! read into the same [`SwfLog`] an archive log gives. Columns are found by
//! their header, so any order (and extra columns) will do.

use chrono::NaiveDateTime;

use super::swf::{LoggedJob, SwfError, SwfLog};

/// Reads `sacct --parsable2` output. A job's size is its `gres/gpu` count
/// from `AllocTRES`, else `NNodes × gpus_per_node`. Job steps (`123.batch`),
/// jobs that never started and jobs still running are left out.
pub fn parse_sacct(text: &str, gpus_per_node: u32) -> Result<SwfLog, SwfError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Ok(SwfLog { jobs: Vec::new(), max_nodes: None, max_procs: None });
    };
    let columns: Vec<&str> = header.split('|').map(str::trim).collect();
    let col = |name: &str| columns.iter().position(|c| c.eq_ignore_ascii_case(name));
    let need = |name: &str| col(name).ok_or(SwfError { line: 1, problem: format!("no {name} column") });
    let (id, submit, start, end, limit) =
        (need("JobID")?, need("Submit")?, need("Start")?, need("End")?, need("Timelimit")?);
    let (nodes, tres) = (col("NNodes"), col("AllocTRES"));
    if nodes.is_none() && tres.is_none() {
        return Err(SwfError { line: 1, problem: "no NNodes or AllocTRES column".into() });
    }
    let mut jobs = Vec::new();
    for (i, line) in lines {
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        let get = |k: usize| f.get(k).copied().unwrap_or("");
        if get(id).contains('.') {
            continue;
        }
        let (Some(submitted), Some(started), Some(ended)) = (time(get(submit)), time(get(start)), time(get(end)))
        else {
            continue;
        };
        let Some(walltime) = timelimit(get(limit)) else { continue };
        let gpus = tres.and_then(|k| gpu_count(get(k)));
        let by_nodes = nodes.and_then(|k| get(k).parse::<u32>().ok()).map(|n| n.saturating_mul(gpus_per_node));
        let Some(procs) = gpus.or(by_nodes).filter(|p| *p > 0) else { continue };
        let (wait, runtime) = (started - submitted, ended - started);
        if wait < 0 || runtime <= 0 {
            if wait < 0 {
                return Err(SwfError { line: i + 1, problem: "Start is before Submit".into() });
            }
            continue;
        }
        jobs.push(LoggedJob { submit: submitted, wait, runtime, procs, walltime: walltime.max(runtime) });
    }
    jobs.sort_by_key(|j| j.submit);
    Ok(SwfLog { jobs, max_nodes: None, max_procs: None })
}

/// `2026-12-01T10:00:00` as seconds (Slurm prints local time; only
/// differences are used); `Unknown`, `None` and the like are `None`.
fn time(s: &str) -> Option<i64> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok().map(|t| t.and_utc().timestamp())
}

/// Slurm's time limit, `[days-]hours:minutes:seconds` or `minutes:seconds`
/// or minutes, as seconds; `UNLIMITED` and `Partition_Limit` are `None`.
fn timelimit(s: &str) -> Option<i64> {
    let (days, rest) = match s.split_once('-') {
        Some((d, r)) => (d.parse::<i64>().ok()?, r),
        None => (0, s),
    };
    let parts: Vec<i64> = rest.split(':').map(|p| p.parse::<i64>().ok()).collect::<Option<_>>()?;
    let secs = match parts.as_slice() {
        [m] if days == 0 => m * 60,
        [h] => h * 3_600,
        [m, s] if days == 0 => m * 60 + s,
        [h, m] => h * 3_600 + m * 60,
        [h, m, s] => h * 3_600 + m * 60 + s,
        _ => return None,
    };
    Some(days * 86_400 + secs).filter(|t| *t > 0)
}

/// The `gres/gpu=N` of an `AllocTRES` value.
fn gpu_count(tres: &str) -> Option<u32> {
    tres.split(',').find_map(|kv| kv.strip_prefix("gres/gpu=")).and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
JobID|Submit|Start|End|Timelimit|NNodes|AllocTRES|State
101|2026-12-01T10:00:00|2026-12-01T10:05:00|2026-12-01T12:05:00|1-00:00:00|2|billing=8,cpu=8,gres/gpu=8,node=2|COMPLETED
101.batch|2026-12-01T10:05:00|2026-12-01T10:05:00|2026-12-01T12:05:00||1|cpu=4|COMPLETED
102|2026-12-01T10:01:00|2026-12-01T11:00:00|2026-12-01T11:30:00|01:00:00|1|cpu=4,node=1|TIMEOUT
103|2026-12-01T10:02:00|Unknown|Unknown|02:00:00|1||PENDING
104|2026-12-01T10:03:00|2026-12-01T10:04:00|Unknown|30|4|cpu=16,gres/gpu=16,node=4|RUNNING
";

    #[test]
    fn sacct_output_reads_as_a_job_log() {
        let log = parse_sacct(SAMPLE, 4).unwrap();
        assert_eq!(log.jobs.len(), 2, "{:?}", log.jobs);
        let a = log.jobs[0];
        assert_eq!((a.wait, a.runtime, a.procs, a.walltime), (300, 7_200, 8, 86_400));
        let b = log.jobs[1];
        assert_eq!(
            (b.wait, b.runtime, b.procs, b.walltime),
            (3_540, 1_800, 4, 3_600),
            "no gres: nodes × GPUs per node"
        );
    }

    #[test]
    fn time_limits_read_as_slurm_writes_them() {
        assert_eq!(timelimit("2-12:00:00"), Some(2 * 86_400 + 12 * 3_600));
        assert_eq!(timelimit("01:30:00"), Some(5_400));
        assert_eq!(timelimit("45:00"), Some(2_700));
        assert_eq!(timelimit("30"), Some(1_800));
        assert_eq!(timelimit("1-6"), Some(86_400 + 6 * 3_600));
        assert_eq!(timelimit("UNLIMITED"), None);
        assert_eq!(timelimit("Partition_Limit"), None);
    }

    #[test]
    fn a_log_without_the_needed_columns_is_refused() {
        assert!(parse_sacct("JobID|Submit|State\n1|2026-12-01T10:00:00|COMPLETED\n", 4).is_err());
    }
}
