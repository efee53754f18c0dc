//! A real Slurm 22.05 for the Slurm tests: `scripts/slurm-cluster.sh` on free
//! loopback ports in a temporary directory, stopped when dropped (even when a
//! test fails), and the jobs the tests run against it.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // test support; each test uses a part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A running cluster; stopped (jobs cancelled, daemons ended) when dropped, even on failure.
pub struct Cluster {
    dir: tempfile::TempDir,
    /// slurmrestd's base URL.
    pub url: String,
    /// One cluster at a time in this test process (dropped after `down`).
    _exclusive: std::sync::MutexGuard<'static, ()>,
}

/// Held by the running cluster: the Slurm tests share one process and a
/// 2-core machine, so their clusters take turns rather than starve each other.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Cluster {
    pub fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/slurm-cluster.sh")
    }

    pub fn base(&self) -> PathBuf {
        self.dir.path().join("c")
    }

    pub fn conf(&self) -> PathBuf {
        self.base().join("etc/slurm.conf")
    }

    pub fn start() -> Cluster {
        Cluster::start_with(&[])
    }

    /// With Slurm's accounting: MariaDB and slurmdbd, limits enforced (`--accounting`).
    pub fn start_accounting() -> Cluster {
        Cluster::start_with(&["--accounting"])
    }

    fn start_with(extra: &[&str]) -> Cluster {
        // A test that failed while holding it poisoned it; the cluster itself was stopped.
        let exclusive = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // The ports are free when chosen but not held: another process may still
        // take one before the daemons bind it, so a start that lost that race is
        // retried on other ports (anything else fails at once).
        let mut attempt = 0;
        loop {
            attempt += 1;
            let dir = tempfile::Builder::new().prefix("kairr-slurm-").tempdir().unwrap();
            let port = free_port_range(10);
            let out = Command::new(Cluster::script())
                .args(["up", dir.path().join("c").to_str().unwrap(), &port.to_string()])
                .args(extra)
                .output()
                .unwrap();
            let log = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            if out.status.success() {
                return Cluster { dir, url: format!("http://127.0.0.1:{}", port + 9), _exclusive: exclusive };
            }
            let _ = Command::new(Cluster::script()).args(["down", dir.path().join("c").to_str().unwrap()]).output();
            assert!(attempt < 3 && log.contains("Address already in use"), "slurm-cluster.sh up failed:\n{log}");
            eprintln!("slurm-cluster.sh up: port {port} was taken meanwhile; trying other ports");
        }
    }

    pub fn script_cmd(&self, cmd: &str) {
        let out = Command::new(Cluster::script()).args([cmd, self.base().to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "slurm-cluster.sh {cmd}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Runs a Slurm client command (bounded: clients retry while the controller is down).
    pub fn slurm(&self, args: &[&str]) -> String {
        let out = Command::new("timeout").arg("10").args(args).env("SLURM_CONF", self.conf()).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn sbatch(&self, args: &[&str]) {
        let mut all = vec!["sbatch", "-o", "/dev/null", "--wrap", "sleep 900"];
        all.extend_from_slice(args);
        self.slurm(&all);
    }

    pub fn token(&self) -> PathBuf {
        self.base().join("jwt.token")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(Cluster::script()).args(["down", self.base().to_str().unwrap_or("")]).output();
    }
}

/// A first port such that it and the `n - 1` after it are free, chosen at
/// random below the kernel's ephemeral range: ports the kernel hands out on its
/// own (to `bind(0)` and to outgoing connections of every other test running
/// meanwhile) are never in it, so only another explicit choice can collide.
pub fn free_port_range(n: u16) -> u16 {
    let ephemeral_low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|p| p.parse::<u16>().ok()))
        .unwrap_or(32_768);
    let (low, high) = (10_000u16, ephemeral_low.max(10_000 + 2 * n) - n);
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
        ^ std::process::id().rotate_left(16);
    for _ in 0..200 {
        // xorshift: enough spread that two test processes rarely pick the same.
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let p = low + (seed % u32::from(high - low)) as u16;
        if (p..p + n).all(|q| std::net::TcpListener::bind(("127.0.0.1", q)).is_ok()) {
            return p;
        }
    }
    panic!("no {n} consecutive free ports");
}

pub fn require_slurm() {
    let missing: Vec<&str> = ["munged", "slurmctld", "slurmd", "slurmrestd", "sinfo", "squeue", "sbatch", "scontrol"]
        .into_iter()
        .filter(|b| !Command::new("sh").args(["-c", &format!("command -v {b}")]).output().unwrap().status.success())
        .collect();
    assert!(
        missing.is_empty(),
        "Slurm is not installed (missing {missing:?}): run ./kairr test, or apt-get install --no-install-recommends \
         slurm-wlm slurmctld slurmd slurmrestd slurm-client munge slurm-wlm-jwt-plugin"
    );
}

/// Waits until `done` holds (checked every 200 ms), or fails after `secs`.
pub fn wait_until(secs: u64, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Jobs so that some run and some pend; g3 draining with a job on it; g4 has no slurmd.
pub fn load(c: &Cluster) {
    c.sbatch(&["-p", "gpu", "-w", "g3", "--gres=gpu:2", "-t", "30", "-A", "proj-a", "-J", "on-g3"]);
    wait_until(20, "the job on g3 to run", || c.slurm(&["squeue", "-h", "-t", "R", "-o", "%i"]).lines().count() == 1);
    c.slurm(&["scontrol", "update", "nodename=g3", "state=drain", "reason=disk check"]);
    c.sbatch(&["-p", "gpu", "--gres=gpu:a100:4", "-t", "60", "-A", "proj-a", "-J", "train-a"]);
    c.sbatch(&["-p", "gpu", "--gres=gpu:a100:4", "-t", "120", "-A", "proj-b", "-J", "train-b"]);
    c.sbatch(&["-p", "gpu", "--gres=gpu:a100:8", "-t", "90", "-A", "proj-a", "-J", "train-c"]);
    c.sbatch(&["-p", "gpu", "--gres=gpu:a100:8", "-N", "2", "-t", "240", "-A", "proj-c", "-J", "big"]);
    c.sbatch(&["-p", "gpu", "--gres=gpu:8", "-t", "30", "-A", "proj-b", "-J", "after"]);
    c.sbatch(&["-p", "gpu", "-w", "g3", "--gres=gpu:1", "-t", "10", "-A", "proj-b", "-J", "want-g3"]);
    c.sbatch(&["-p", "gpu", "-H", "--gres=gpu:1", "-t", "10", "-A", "proj-a", "-J", "held"]);
    c.sbatch(&["-p", "cpu", "-c", "32", "-t", "20", "-A", "proj-d"]);
    c.sbatch(&["-p", "cpu", "-c", "32", "-t", "20", "-A", "proj-d"]);
    // A maintenance reservation in an hour (reported by REST v0.0.37+).
    c.slurm(&[
        "scontrol",
        "create",
        "reservation",
        "reservationname=maint-g2",
        "starttime=now+1hour",
        "duration=60",
        "nodes=g2",
        "flags=maint,ignore_jobs",
        "users=root",
    ]);
    // Settled: 5 running (g3, g1 twice, g2, c1), every pending job evaluated, g4 not responding.
    wait_until(30, "jobs to settle", || {
        let q = c.slurm(&["squeue", "-h", "-t", "R,PD", "-o", "%T|%r"]);
        let running = q.lines().filter(|l| l.starts_with("RUNNING")).count();
        let unevaluated = q.lines().any(|l| l.starts_with("PENDING|None"));
        let g4 = c.slurm(&["sinfo", "-h", "-N", "-n", "g4", "-o", "%T"]);
        running == 5 && !unevaluated && g4.trim().ends_with('*')
    });
}
