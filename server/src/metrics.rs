//! Prometheus metrics of the server itself: request counts and latencies by
//! route, the age of the live snapshot, and per system whether its sources
//! are failing and how old its last good answer is (set at scrape time).

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
}

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
        }
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

    /// Counts an SSE client in (+1) or out (-1).
    pub fn sse_client(&self, delta: i64) {
        self.sse_clients.inc_by(delta);
    }
}

/// Middleware recording every request under its route template (not its
/// raw path, so cardinality stays bounded).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "static".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let m = &state.metrics;
    m.requests.get_or_create(&RequestLabels { method, route: route.clone(), status: res.status().as_u16() }).inc();
    m.latency.get_or_create(&RouteLabels { route }).observe(start.elapsed().as_secs_f64());
    res
}
