//! Builds the application: storage, catalogue, source, history, monitor and
//! router, bound to a listener (port 0 in tests).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use kairr_shared::api::DataSource;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::sim::SimConfig;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::monitor::Monitor;
use crate::settings::Settings;
use crate::source::DemoSource;
use crate::state::AppState;
use crate::storage::Storage;

/// A built application, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    /// Where it listens (the real port when 0 was asked for).
    pub addr: SocketAddr,
}

/// Loads the catalogue from `settings.catalogue_path` or the embedded one.
pub fn load_catalogue(settings: &Settings) -> anyhow::Result<Catalogue> {
    Ok(match &settings.catalogue_path {
        Some(path) => Catalogue::parse(&std::fs::read_to_string(path)?)?,
        None => Catalogue::embedded()?,
    })
}

impl Application {
    /// Opens storage, pre-simulates history, starts the monitor and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let storage = Storage::open(&settings.database_path).await?;
        let catalogue = load_catalogue(&settings)?;
        let now = chrono::Utc::now().timestamp();
        let days = i64::from(settings.demo.presimulate_days);
        let start = now - days * 86_400;
        let config = SimConfig { seed: settings.demo.seed, faults: settings.demo.faults, ..SimConfig::default() };
        let source = DemoSource::new(catalogue.clone(), config, start);
        // The demo's history is regenerated on every start from its seed.
        storage.clear_source(DataSource::Demo).await?;
        let mut monitor = Monitor::new(
            Box::new(source),
            storage.clone(),
            settings.record_interval_seconds,
            settings.stale_after_seconds,
        );
        if days > 0 {
            tracing::info!(days, "pre-simulating demo history");
            monitor = monitor.presimulate(start, now).await?;
        }
        let first = monitor.tick(chrono::Utc::now().timestamp()).await?;
        let (tx, rx) = watch::channel(Arc::new(first));
        let tick = Duration::from_secs(u64::from(settings.demo.tick_seconds));
        tokio::spawn(monitor.run(tick, tx));
        let listener = TcpListener::bind(settings.listen).await?;
        let addr = listener.local_addr()?;
        let state = AppState {
            settings: Arc::new(settings),
            catalogue: Arc::new(catalogue),
            storage,
            live: rx,
            metrics: Arc::new(Metrics::default()),
            history_cache: Arc::default(),
        };
        let router = crate::router::build(state);
        Ok(Application { listener, router, addr })
    }

    /// Serves until the process receives Ctrl-C.
    pub async fn run(self) -> anyhow::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    }
}
