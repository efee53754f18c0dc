//! Test rig for the Prometheus source: DCGM-style `/metrics` endpoints the
//! test controls, and a real Prometheus (Debian's package) scraping them every
//! second on a free loopback port. A missing binary fails the test, saying so.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// A `/metrics` endpoint whose body (or failure status) the test changes.
#[derive(Clone)]
pub struct Exporter {
    body: Arc<Mutex<Option<String>>>,
    pub addr: SocketAddr,
}

impl Exporter {
    pub async fn start(body: Option<String>) -> Exporter {
        let body = Arc::new(Mutex::new(body));
        let shared = body.clone();
        let app = axum::Router::new().route(
            "/metrics",
            axum::routing::get(move || {
                let b = shared.lock().unwrap().clone();
                async move {
                    match b {
                        Some(text) => (axum::http::StatusCode::OK, text),
                        None => (axum::http::StatusCode::SERVICE_UNAVAILABLE, "exporter down".to_owned()),
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Exporter { body, addr }
    }

    pub fn set(&self, body: Option<String>) {
        *self.body.lock().unwrap() = body;
    }
}

/// DCGM exporter text for one node: per-GPU utilisation (%) and power (W).
pub fn dcgm(host: &str, gpus: &[(u32, f64)]) -> String {
    let mut out = String::from("# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n");
    for (i, (util, _)) in gpus.iter().enumerate() {
        out += &format!("DCGM_FI_DEV_GPU_UTIL{{gpu=\"{i}\",UUID=\"GPU-{host}-{i}\",Hostname=\"{host}\"}} {util}\n");
    }
    out += "# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n";
    for (i, (_, watts)) in gpus.iter().enumerate() {
        out += &format!("DCGM_FI_DEV_POWER_USAGE{{gpu=\"{i}\",UUID=\"GPU-{host}-{i}\",Hostname=\"{host}\"}} {watts}\n");
    }
    out
}

/// A real Prometheus on loopback; killed on drop.
pub struct Prometheus {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Prometheus {
    pub fn start(dir: &Path, port: u16, targets: &[SocketAddr]) -> Prometheus {
        let version = Command::new("prometheus").arg("--version").output();
        assert!(
            version.is_ok_and(|o| o.status.success()),
            "the `prometheus` binary is missing: install Debian's `prometheus` package (`./kairr test` does)"
        );
        let list: Vec<String> = targets.iter().map(|a| format!("'{a}'")).collect();
        let config = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: dcgm\n    \
             static_configs:\n      - targets: [{}]\n",
            list.join(", ")
        );
        std::fs::write(dir.join("prometheus.yml"), config).unwrap();
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", dir.join("prometheus.yml").display()))
            .arg(format!("--storage.tsdb.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("prometheus.log")).unwrap())
            .spawn()
            .unwrap();
        Prometheus { child, port, dir: dir.to_owned() }
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        self.stop();
    }
}
