//! Builds the application: storage, catalogue, source, history, monitor and
//! router, bound to a listener (port 0 in tests).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use kairr_shared::api::DataSource;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::sim::{SimAccount, SimConfig};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_sessions::ExpiredDeletion;
use tower_sessions_sqlx_store::SqliteStore;

use kairr_shared::allocation::{demo_data, open_demo_round, FIRST_CALL_2026};
use kairr_shared::auth::{Role, UserInfo};

use crate::accounts::random_password;
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
        // Before the simulation: its users run jobs under the demo allocations' accounts,
        // and the usage it reports is stored against those allocations.
        let accounts = load_demo_programme(&settings, &storage, &catalogue).await?;
        let (feeds, plans) = crate::monitor::plan::build(&settings, &catalogue, || {
            DemoSource::with_accounts(catalogue.clone(), config, accounts, start)
        })?;
        // The demo's history is regenerated on every start from its seed.
        storage.clear_source(DataSource::Demo).await?;
        let mut monitor = Monitor::new(
            feeds,
            plans,
            catalogue.status_policy.clone(),
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
            login_limiter: Arc::default(),
        };
        let session_store = SqliteStore::new(state.storage.pool().clone());
        session_store.migrate().await?;
        tokio::spawn(session_store.clone().continuously_delete_expired(Duration::from_secs(3_600)));
        if state.settings.demo.accounts {
            create_demo_accounts(&state).await?;
        }
        let router = crate::router::build(state, session_store);
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

/// Loads the demo allocation rounds (demo mode) and returns the simulator's
/// accounts for their allocations (none when the demo programme is off).
async fn load_demo_programme(
    settings: &Settings,
    storage: &Storage,
    catalogue: &Catalogue,
) -> anyhow::Result<Vec<SimAccount>> {
    if !settings.demo.programme {
        return Ok(Vec::new());
    }
    let today = kairr_shared::time::kst_day(chrono::Utc::now().timestamp());
    let demo = demo_data(&FIRST_CALL_2026, settings.demo.seed, today, catalogue)?;
    storage.replace_demo_programme(&demo).await?;
    storage.insert_round(&open_demo_round(today, catalogue)?, "demo").await?;
    tracing::info!(
        requests = demo.requests.len(),
        allocations = demo.allocations.len(),
        "demo allocation round loaded"
    );
    Ok(demo.sim_accounts())
}

/// The demo accounts: one per role, printed at start-up in demo mode only.
const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 4] = [
    ("demo.researcher", "김연구 (데모)", "부산대학교", Role::Researcher),
    ("demo.reviewer", "이심사 (데모)", "KAIST", Role::Reviewer),
    ("demo.committee", "박위원 (데모)", "정보통신산업진흥원", Role::Committee),
    ("demo.admin", "최관리 (데모)", "KAIRR 운영팀", Role::Admin),
];

async fn create_demo_accounts(state: &AppState) -> anyhow::Result<()> {
    let password =
        state.settings.demo.accounts_password.as_ref().map_or_else(random_password, |p| p.expose().to_owned());
    let now = chrono::Utc::now().timestamp();
    for (username, name, org, role) in DEMO_ACCOUNTS {
        let info = UserInfo { username: username.into(), display_name: name.into(), organisation: org.into(), role };
        state.storage.upsert_account(&info, &password, true, now).await?;
    }
    // Printed, not logged as a field: demo mode only, for people trying the portal.
    println!(
        "Demo accounts (demo data only): {} / password: {password}",
        DEMO_ACCOUNTS.iter().map(|a| a.0).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// Creates (or resets) an admin account: the `create-admin` subcommand.
pub async fn create_admin(
    settings: &Settings,
    username: &str,
    display_name: &str,
    organisation: &str,
    password: &str,
) -> anyhow::Result<()> {
    if !kairr_shared::auth::valid_username(username) {
        anyhow::bail!("username must be 3-32 characters of a-z, 0-9, '.', '_', '-'");
    }
    if password.chars().count() < crate::accounts::MIN_PASSWORD_LEN {
        anyhow::bail!("password must be at least {} characters", crate::accounts::MIN_PASSWORD_LEN);
    }
    let storage = Storage::open(&settings.database_path).await?;
    let info = UserInfo {
        username: username.into(),
        display_name: display_name.into(),
        organisation: organisation.into(),
        role: Role::Admin,
    };
    storage.upsert_account(&info, password, false, chrono::Utc::now().timestamp()).await
}
