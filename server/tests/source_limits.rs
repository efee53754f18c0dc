//! Source answers are read with a byte cap (a source streaming without end
//! fails the poll with a clear reason instead of filling memory), and the
//! public `stale_reason` says what failed in plain words: no URL, path,
//! PromQL or command (those go to the log).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing fast is the point

use crate::support;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use kairr_server::settings::SystemSources;
use kairr_server::source::prometheus::{PrometheusConfig, PrometheusSource};
use kairr_server::source::slurm::{RestConfig, SlurmConfig, SlurmMode, SlurmSource, VersionChoice};
use kairr_server::source::StatusSource;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::slurm::{ApiVersion, SlurmMapping};
use kairr_shared::telemetry::PoolQueries;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How the fake server answers every request.
#[derive(Clone, Copy)]
enum Answer {
    /// `200`, chunked, JSON-looking bytes without end (until the client goes).
    Endless,
    /// `200` declaring a `Content-Length` of `n` bytes (and sending a few).
    Declares(u64),
}

/// A raw HTTP/1.1 server on a free port; returns its address.
async fn serve(answer: Answer) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                match answer {
                    Answer::Endless => {
                        let head =
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                        if sock.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = vec![b' '; 64 * 1024];
                        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                        framed.extend_from_slice(&chunk);
                        framed.extend_from_slice(b"\r\n");
                        while sock.write_all(&framed).await.is_ok() {}
                    }
                    Answer::Declares(n) => {
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {n}\r\n\r\n{{"
                        );
                        let _ = sock.write_all(head.as_bytes()).await;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                }
            });
        }
    });
    addr
}

fn prometheus(addr: SocketAddr, max: u64) -> PrometheusConfig {
    prometheus_for(addr, max, "kakao-b200")
}

fn prometheus_for(addr: SocketAddr, max: u64, pool: &str) -> PrometheusConfig {
    PrometheusConfig {
        url: format!("http://{addr}"),
        interval_seconds: 1,
        timeout_seconds: 20,
        backoff_max_seconds: 1,
        bearer_token: None,
        max_response_bytes: max,
        pools: BTreeMap::from([(pool.to_owned(), PoolQueries::default())]),
    }
}

fn slurm(addr: SocketAddr, max: u64) -> SlurmConfig {
    let mut mapping = SlurmMapping { system_id: "kisti6".into(), ..SlurmMapping::default() };
    mapping.partitions.insert("gpu".into(), "kisti6-gh200".into());
    let rest: RestConfig = serde_json::from_value(serde_json::json!({
        "url": format!("http://{addr}"), "version": "v0.0.38", "user": "kairr", "token": "eyJtest",
    }))
    .unwrap();
    assert_eq!(rest.version, VersionChoice::Fixed(ApiVersion::V0038));
    let mut config = SlurmConfig::for_system("kisti6", serde_json::json!({"mode": "cli"})).unwrap();
    config.mapping = mapping;
    config.mode = SlurmMode::Rest;
    config.rest = Some(rest);
    config.timeout_seconds = 20;
    config.max_response_bytes = max;
    config
}

#[tokio::test]
async fn an_endless_prometheus_answer_fails_at_the_cap() {
    let addr = serve(Answer::Endless).await;
    let mut source = PrometheusSource::new("kakao", prometheus(addr, 8 * 1024 * 1024)).unwrap();
    let started = Instant::now();
    let err = source.poll(0).await.unwrap_err();
    assert_eq!(err.message, "Prometheus's answer was larger than the 8 MiB limit");
    assert!(err.detail.contains("query"), "the log has the detail: {}", err.detail);
    assert!(started.elapsed() < Duration::from_secs(10), "stopped at the cap, not at the timeout");
}

#[tokio::test]
async fn a_declared_length_over_the_cap_fails_before_reading() {
    let addr = serve(Answer::Declares(9 * 1024 * 1024)).await;
    let mut source = PrometheusSource::new("kakao", prometheus(addr, 8 * 1024 * 1024)).unwrap();
    let started = Instant::now();
    let err = source.poll(0).await.unwrap_err();
    assert_eq!(err.message, "Prometheus's answer was larger than the 8 MiB limit");
    assert!(started.elapsed() < Duration::from_secs(5), "no waiting for a body that is refused anyway");
}

#[tokio::test]
async fn an_endless_slurm_answer_fails_at_the_configured_cap() {
    assert_eq!(kairr_server::source::slurm::default_max_response_bytes(), 64 * 1024 * 1024);
    let addr = serve(Answer::Endless).await;
    let catalogue = Catalogue::embedded().unwrap();
    let mut source = SlurmSource::new(slurm(addr, 2 * 1024 * 1024), catalogue).unwrap();
    let started = Instant::now();
    let err = source.poll(0).await.unwrap_err();
    assert_eq!(err.message, "Slurm's answer was larger than the 2 MiB limit");
    assert!(started.elapsed() < Duration::from_secs(10), "stopped at the cap, not at the timeout");
}

async fn status_of(app: &support::TestApp, id: &str) -> serde_json::Value {
    let (code, body) = app.get_json("/api/v1/status").await;
    assert_eq!(code, 200);
    body["systems"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone()
}

/// A public reason: plain words, nothing internal.
fn assert_plain(reason: &str) {
    for bad in ["http", "HTTP", "/", "{", "}", "127.0.0.1", "DCGM", "query="] {
        assert!(!reason.contains(bad), "{bad:?} in the public stale_reason {reason:?}");
    }
}

#[tokio::test]
async fn a_failing_prometheus_is_stale_with_a_plain_reason() {
    // Prometheus refusing the PromQL (its 400 error envelope echoes the query).
    let fake = axum::Router::new().fallback(|| async {
        (
            axum::http::StatusCode::BAD_REQUEST,
            r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:2: parse error: unexpected \"{\" in avg(DCGM_FI_DEV_GPU_UTIL{job=\"x\"})"}"#,
        )
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let refusing = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, fake).await });
    // And one where nothing listens.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let (a, b) = (prometheus(refusing, 1 << 20), prometheus_for(closed, 1 << 20, "naver-h200"));
    let app = support::spawn_with(move |s| {
        s.sources.insert("kakao".into(), SystemSources { prometheus: Some(a), ..SystemSources::default() });
        s.sources.insert("naver".into(), SystemSources { prometheus: Some(b), ..SystemSources::default() });
    })
    .await;
    let kakao = status_of(&app, "kakao").await;
    assert_eq!(kakao["stale"], true);
    let reason = kakao["stale_reason"].as_str().unwrap();
    assert_eq!(reason, "prometheus:kakao: Prometheus query failed");
    assert_plain(reason);
    let naver = status_of(&app, "naver").await;
    let reason = naver["stale_reason"].as_str().unwrap();
    assert_eq!(reason, "prometheus:naver: Prometheus could not be reached (connection failed)");
    assert_plain(reason);
}
