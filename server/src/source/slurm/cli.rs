//! The command-line mode: `sinfo --json` and `squeue --json` (schema v0.0.38
//! in Slurm 22.05), plus `scontrol show partition|reservation --oneliner`
//! for partition limits and maintenance reservations (`scontrol` has no
//! `--json` before 23.02). All four run at once, each killed at the timeout;
//! each one's output is read up to a byte cap (the command is killed past it).

use std::process::Stdio;
use std::time::Duration;

use kairr_shared::slurm::{parse_jobs, parse_nodes, parse_partitions_text, parse_reservations_text, Cluster};
use tokio::io::{AsyncRead, AsyncReadExt};

use super::config::CliConfig;
use super::parse_failure;
use crate::source::limit::{too_large, Failure};

/// Bytes of a command's standard error kept for the log (the rest is drained).
const STDERR_KEPT: u64 = 64 * 1024;

/// Reads at most `max` bytes of `r`; `None` when there is more.
async fn read_capped(r: impl AsyncRead + Unpin, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    r.take(max.saturating_add(1)).read_to_end(&mut buf).await?;
    Ok((buf.len() as u64 <= max).then_some(buf))
}

/// Reads `r` to its end keeping only its first `keep` bytes.
async fn read_head(r: impl AsyncRead + Unpin, keep: u64) -> Vec<u8> {
    let mut head = r.take(keep);
    let mut buf = Vec::new();
    let _ = head.read_to_end(&mut buf).await;
    let _ = tokio::io::copy(&mut head.into_inner(), &mut tokio::io::sink()).await;
    buf
}

/// Runs `program args`; its stdout (at most `max` bytes), or why not. The
/// child is killed when the `timeout` runs out (a client retries for 10 s or
/// more while the controller is down) or its output passes `max`. `TZ=UTC`
/// makes scontrol print times in UTC.
pub(crate) async fn run(
    config: &CliConfig,
    program: &std::path::Path,
    args: &[&str],
    timeout: Duration,
    max: u64,
) -> Result<String, Failure> {
    let name = format!("{} {}", program.display(), args.join(" "));
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .env("TZ", "UTC")
        .env("SLURM_TIME_FORMAT", "standard")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.kill_on_drop(true);
    if let Some(conf) = &config.slurm_conf {
        cmd.env("SLURM_CONF", conf);
    }
    let mut child =
        cmd.spawn().map_err(|e| Failure::new("the Slurm commands could not be run", format!("{name}: {e}")))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(Failure::new("the Slurm commands could not be run", format!("{name}: no pipes")));
    };
    let work = async {
        let (out, err) = tokio::join!(read_capped(stdout, max), read_head(stderr, STDERR_KEPT));
        let out = out.map_err(|e| Failure::new("the Slurm commands could not be run", format!("{name}: {e}")))?;
        let Some(out) = out else {
            // Killed on drop; say which command.
            return Err(too_large("Slurm", max).context(&name));
        };
        let status = child
            .wait()
            .await
            .map_err(|e| Failure::new("the Slurm commands could not be run", format!("{name}: {e}")))?;
        Ok((status, out, err))
    };
    let (status, out, err) = match tokio::time::timeout(timeout, work).await {
        Err(_) => {
            return Err(Failure::new(
                format!("Slurm did not answer within {} s", timeout.as_secs_f64()),
                format!("{name} timed out after {} s", timeout.as_secs_f64()),
            ))
        }
        Ok(r) => r?,
    };
    if !status.success() {
        let stderr = String::from_utf8_lossy(&err);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(Failure::new("the Slurm commands failed", format!("{name} failed ({status}): {last}")));
    }
    if err.iter().any(|b| !b.is_ascii_whitespace()) {
        // Succeeded with a word on stderr (a warning, or why an answer came back empty): kept in the log.
        tracing::info!(command = %name, stderr = %String::from_utf8_lossy(&err).trim(), "Slurm command wrote to stderr");
    }
    String::from_utf8(out)
        .map_err(|_| Failure::new("Slurm's answer could not be read", format!("{name} printed invalid UTF-8")))
}

/// Reads nodes, jobs, partitions and reservations with the commands, each
/// answer at most `max` bytes.
pub async fn read(config: &CliConfig, timeout: Duration, max: u64) -> Result<Cluster, Failure> {
    let (nodes, jobs, partitions, reservations) = futures_util::future::try_join4(
        run(config, &config.sinfo, &["--json"], timeout, max),
        run(config, &config.squeue, &["--json"], timeout, max),
        run(config, &config.scontrol, &["show", "partition", "--oneliner"], timeout, max),
        run(config, &config.scontrol, &["show", "reservation", "--oneliner"], timeout, max),
    )
    .await?;
    // Large clusters print megabytes of JSON: parse off the async workers.
    let parse = move || {
        let nodes = parse_nodes(&nodes).map_err(parse_failure)?.items;
        let jobs = parse_jobs(&jobs).map_err(parse_failure)?.items;
        let partitions = parse_partitions_text(&partitions).map_err(parse_failure)?;
        let reservations = parse_reservations_text(&reservations).map_err(parse_failure)?;
        Ok(Cluster::assemble(nodes, partitions, jobs, reservations))
    };
    tokio::task::spawn_blocking(parse)
        .await
        .map_err(|e| Failure::new("Slurm's answer could not be read", format!("parsing: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn output_past_the_cap_fails_and_kills_the_command() {
        let config = CliConfig::default();
        let yes = std::path::Path::new("yes");
        let started = std::time::Instant::now();
        let err = run(&config, yes, &["kairr"], Duration::from_secs(20), 1024 * 1024).await.unwrap_err();
        assert_eq!(err.public, "Slurm's answer was larger than the 1 MiB limit");
        assert!(err.detail.contains("yes kairr"), "{}", err.detail);
        assert!(started.elapsed() < Duration::from_secs(10), "stopped reading at the cap");
        let ok = run(&config, std::path::Path::new("echo"), &["fine"], Duration::from_secs(5), 100).await.unwrap();
        assert_eq!(ok, "fine\n");
        let slow = run(&config, std::path::Path::new("sleep"), &["5"], Duration::from_millis(200), 100).await;
        assert_eq!(slow.unwrap_err().public, "Slurm did not answer within 0.2 s");
    }
}
