//! The command-line mode: `sinfo --json` and `squeue --json` (schema v0.0.38
//! in Slurm 22.05), plus `scontrol show partition|reservation --oneliner`
//! for partition limits and maintenance reservations (`scontrol` has no
//! `--json` before 23.02). All four run at once, each killed at the timeout.

use std::process::Stdio;
use std::time::Duration;

use kairr_shared::slurm::{parse_jobs, parse_nodes, parse_partitions_text, parse_reservations_text, Cluster};

use super::config::CliConfig;

/// Runs `program args`; its stdout, or why not. The child is killed when the
/// `timeout` runs out (a client retries for 10 s or more while the
/// controller is down). `TZ=UTC` makes scontrol print times in UTC.
async fn run(
    config: &CliConfig,
    program: &std::path::Path,
    args: &[&str],
    timeout: Duration,
) -> Result<String, String> {
    let name = format!("{} {}", program.display(), args.join(" "));
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args).env("TZ", "UTC").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.kill_on_drop(true);
    if let Some(conf) = &config.slurm_conf {
        cmd.env("SLURM_CONF", conf);
    }
    let out = match tokio::time::timeout(timeout, cmd.output()).await {
        Err(_) => return Err(format!("{name} timed out after {} s", timeout.as_secs())),
        Ok(Err(e)) => return Err(format!("{name}: {e}")),
        Ok(Ok(out)) => out,
    };
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(format!("{name} failed ({}): {last}", out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("{name} printed invalid UTF-8"))
}

/// Reads nodes, jobs, partitions and reservations with the commands.
pub async fn read(config: &CliConfig, timeout: Duration) -> Result<Cluster, String> {
    let (nodes, jobs, partitions, reservations) = futures_util::future::try_join4(
        run(config, &config.sinfo, &["--json"], timeout),
        run(config, &config.squeue, &["--json"], timeout),
        run(config, &config.scontrol, &["show", "partition", "--oneliner"], timeout),
        run(config, &config.scontrol, &["show", "reservation", "--oneliner"], timeout),
    )
    .await?;
    // Large clusters print megabytes of JSON: parse off the async workers.
    let parse = move || {
        let nodes = parse_nodes(&nodes).map_err(|e| e.to_string())?.items;
        let jobs = parse_jobs(&jobs).map_err(|e| e.to_string())?.items;
        Ok(Cluster::assemble(nodes, parse_partitions_text(&partitions), jobs, parse_reservations_text(&reservations)))
    };
    tokio::task::spawn_blocking(parse).await.map_err(|e| format!("parsing: {e}"))?
}
