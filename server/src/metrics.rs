//! Prometheus metrics of the server itself: request counts and latencies by
//! route, the age of the live snapshot, and per system whether its sources
//! are failing and how old its last good answer is (set at scrape time).
//! Labels are bounded: methods outside the standard seven are `other`,
//! routes are the matched route template or `unmatched`. Also counts (and
//! caps) the connected SSE clients.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use kairr_shared::api::StatusSummary;

use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SystemLabels {
    system: String,
}

/// The registry and the metrics in it.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    snapshot_age: Gauge,
    sse_clients: Gauge,
    system_stale: Family<SystemLabels, Gauge>,
    system_good_age: Family<SystemLabels, Gauge>,
    replica_leader: Gauge,
    snapshots_published: Counter,
    snapshots_relayed: Counter,
    history_reads: Counter,
    /// SSE clients connected now, and the most admitted at once.
    sse_connected: AtomicUsize,
    sse_limit: AtomicUsize,
}

/// The content type of the OpenMetrics text `render` writes (what
/// `promtool check metrics` and Prometheus expect for it).
pub const OPENMETRICS_CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// Content type of the classic Prometheus text format (version 0.0.4).
pub const PROMETHEUS_TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The same metrics in the classic Prometheus text format, for clients that
/// do not ask for OpenMetrics (`promtool check metrics`, older scrapers):
/// a counter family `x` is named `x_total` in its `# HELP` and `# TYPE`
/// lines, as its samples are, and the OpenMetrics-only `# UNIT` and `# EOF`
/// lines are left out.
pub fn to_prometheus_text(openmetrics: &str) -> String {
    let counters: std::collections::HashSet<&str> =
        openmetrics.lines().filter_map(|l| l.strip_prefix("# TYPE ")?.strip_suffix(" counter")).collect();
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let meta = ["# HELP ", "# TYPE "].iter().find_map(|p| line.strip_prefix(p).map(|rest| (*p, rest)));
        match meta {
            Some((prefix, rest)) => {
                let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
                if counters.contains(name) {
                    out.push_str(&format!("{prefix}{name}_total {tail}"));
                } else {
                    out.push_str(line);
                }
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The most SSE clients one replica serves at once by default; each holds a
/// connection and a task, so beyond it new ones get 503 with `Retry-After`.
pub const MAX_SSE_CLIENTS: usize = 10_000;

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("kairr");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
        });
        let snapshot_age = Gauge::default();
        let sse_clients = Gauge::default();
        registry.register("http_requests", "HTTP requests by method, route and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency by route", latency.clone());
        registry.register("status_snapshot_age_seconds", "Age of the live status snapshot", snapshot_age.clone());
        registry.register("sse_clients", "Connected Server-Sent Events clients", sse_clients.clone());
        let system_stale = Family::<SystemLabels, Gauge>::default();
        let system_good_age = Family::<SystemLabels, Gauge>::default();
        registry.register("system_stale", "1 while a system's data is stale (a source failing)", system_stale.clone());
        registry.register(
            "system_last_good_age_seconds",
            "Seconds since a system's sources last answered well",
            system_good_age.clone(),
        );
        let replica_leader = Gauge::default();
        let snapshots_published = Counter::default();
        let snapshots_relayed = Counter::default();
        registry.register("replica_leader", "1 while this replica polls the status sources", replica_leader.clone());
        registry.register(
            "replica_snapshots_published",
            "Snapshots this replica polled and shared with the others (PostgreSQL)",
            snapshots_published.clone(),
        );
        registry.register(
            "replica_snapshots_relayed",
            "Snapshots this replica received from the leader (PostgreSQL)",
            snapshots_relayed.clone(),
        );
        let history_reads = Counter::default();
        registry.register(
            "history_reads",
            "Reads of a system's history from the database (the API and the status page share one per system, range and recording interval)",
            history_reads.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            snapshot_age,
            sse_clients,
            system_stale,
            system_good_age,
            replica_leader,
            snapshots_published,
            snapshots_relayed,
            history_reads,
            sse_connected: AtomicUsize::new(0),
            sse_limit: AtomicUsize::new(MAX_SSE_CLIENTS),
        }
    }
}

/// An admitted SSE client: counted until dropped.
pub struct SseClient(Arc<Metrics>);

impl std::fmt::Debug for SseClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SseClient")
    }
}

impl Drop for SseClient {
    fn drop(&mut self) {
        self.0.sse_connected.fetch_sub(1, Ordering::AcqRel);
        self.0.sse_clients.dec();
    }
}

impl Metrics {
    /// Renders the text exposition format for the live `summary` at `now` (Unix seconds).
    pub fn render(&self, summary: &StatusSummary, now: i64) -> String {
        self.snapshot_age.set(now - summary.updated_at.timestamp());
        let aged = summary.aged(now);
        for sys in &summary.systems {
            let labels = SystemLabels { system: sys.id.clone() };
            self.system_stale.get_or_create(&labels).set(i64::from(sys.stale || aged));
            if let Some(t) = sys.last_good_at {
                self.system_good_age.get_or_create(&labels).set(now - t.timestamp());
            }
        }
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }

    /// Marks this replica as the one polling the sources (or not).
    pub fn set_replica_leader(&self, leads: bool) {
        self.replica_leader.set(i64::from(leads));
    }

    /// Counts a snapshot shared with the other replicas.
    pub fn snapshot_published(&self) {
        self.snapshots_published.inc();
    }

    /// Counts a snapshot received from the leader.
    pub fn snapshot_relayed(&self) {
        self.snapshots_relayed.inc();
    }

    /// Counts a read of a system's history from the database.
    pub fn history_read(&self) {
        self.history_reads.inc();
    }

    /// Admits one more SSE client unless the limit is reached (`None`);
    /// the client is counted until the returned value is dropped.
    pub fn sse_admit(self: &Arc<Self>) -> Option<SseClient> {
        let limit = self.sse_limit.load(Ordering::Acquire);
        self.sse_connected.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < limit).then_some(n + 1)).ok()?;
        self.sse_clients.inc();
        Some(SseClient(self.clone()))
    }

    /// Sets the most SSE clients served at once (default [`MAX_SSE_CLIENTS`]).
    pub fn set_sse_limit(&self, limit: usize) {
        self.sse_limit.store(limit, Ordering::Release);
    }
}

/// The method as a label: one of the standard seven, else `other` (a client
/// may send any token as a method; each must not become a series).
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Middleware recording every request under its route template (not its
/// raw path) and a bounded method label, so cardinality stays bounded.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(req.method()).to_owned();
    let start = Instant::now();
    let res = next.run(req).await;
    let m = &state.metrics;
    m.requests.get_or_create(&RequestLabels { method, route: route.clone(), status: res.status().as_u16() }).inc();
    m.latency.get_or_create(&RouteLabels { route }).observe(start.elapsed().as_secs_f64());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_labels_are_bounded() {
        use axum::http::Method;
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::OPTIONS), "OPTIONS");
        assert_eq!(method_label(&Method::from_bytes(b"FOO123").unwrap()), "other");
        assert_eq!(method_label(&Method::TRACE), "other");
    }

    #[test]
    fn sse_clients_are_admitted_up_to_the_limit_and_released_on_drop() {
        let m = Arc::new(Metrics::default());
        m.set_sse_limit(2);
        let a = m.sse_admit().unwrap();
        let b = m.sse_admit().unwrap();
        assert!(m.sse_admit().is_none(), "a third client is refused");
        drop(a);
        let c = m.sse_admit();
        assert!(c.is_some(), "a slot frees when a client leaves");
        drop((b, c));
        assert_eq!(m.sse_connected.load(Ordering::Acquire), 0);
    }
}
