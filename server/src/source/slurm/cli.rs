//! `sinfo --json` and `squeue --json` (Slurm 22.05 prints schema v0.0.38;
//! no partitions or reservations: `scontrol` has no JSON before 23.02).

use std::process::Stdio;
use std::time::Duration;

use kairr_shared::slurm::{parse_jobs, parse_nodes, Cluster};

use super::config::CliConfig;

/// Runs one command with `--json`; its stdout, or why not. The child is killed
/// when the `timeout` runs out (a client retries for 10 s or more while the
/// controller is down).
async fn run(config: &CliConfig, program: &std::path::Path, timeout: Duration) -> Result<String, String> {
    let name = program.display().to_string();
    let mut cmd = tokio::process::Command::new(program);
    cmd.arg("--json").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    if let Some(conf) = &config.slurm_conf {
        cmd.env("SLURM_CONF", conf);
    }
    let out = match tokio::time::timeout(timeout, cmd.output()).await {
        Err(_) => return Err(format!("{name} --json timed out after {} s", timeout.as_secs())),
        Ok(Err(e)) => return Err(format!("{name}: {e}")),
        Ok(Ok(out)) => out,
    };
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(format!("{name} --json failed ({}): {last}", out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("{name} --json printed invalid UTF-8"))
}

/// Reads nodes and jobs with the commands, both at once.
pub async fn read(config: &CliConfig, timeout: Duration) -> Result<Cluster, String> {
    let (nodes, jobs) =
        futures_util::future::try_join(run(config, &config.sinfo, timeout), run(config, &config.squeue, timeout))
            .await?;
    let nodes = parse_nodes(&nodes).map_err(|e| e.to_string())?.items;
    let jobs = parse_jobs(&jobs).map_err(|e| e.to_string())?.items;
    Ok(Cluster::assemble(nodes, Vec::new(), jobs, Vec::new()))
}
