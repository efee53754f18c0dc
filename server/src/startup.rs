//! Builds the application: storage (SQLite or PostgreSQL), catalogue, the
//! replica's role (the leader seeds the demo and runs the monitor, a follower
//! relays the leader's snapshots), sessions and router, bound to a listener
//! (port 0 in tests).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use kairr_shared::catalogue::Catalogue;
use kairr_shared::sim::SimAccount;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_sessions::{ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use kairr_shared::allocation::{demo_data, open_demo_round, FIRST_CALL_2026};
use kairr_shared::auth::{Role, UserInfo};

use crate::accounts::random_password;
use crate::metrics::Metrics;
use crate::replica::{Bus, Candidate, Replica};
use crate::settings::Settings;
use crate::state::AppState;
use crate::storage::{Db, Storage};

mod poller;

/// A built application, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    /// Background work (monitor or relay, election, session expiry), aborted
    /// when the application stops.
    tasks: JoinSet<()>,
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
    /// Opens storage and tries to lead: the leader pre-simulates history,
    /// seeds the demo data and starts the monitor; a follower serves the
    /// leader's snapshots. Then binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let storage = Storage::connect(&settings).await?;
        let catalogue = load_catalogue(&settings)?;
        let metrics = Arc::new(Metrics::default());
        let retry = Duration::from_secs(u64::from(settings.database.leader_retry_seconds));
        let replica = Replica::new(storage.clone(), metrics.clone(), retry);
        let mut candidate = Candidate::new(storage.db());
        let leads = candidate.try_acquire().await?;
        tracing::info!(database = storage.backend().as_str(), leads, replica = replica.id, "storage ready");
        let start = Arc::new(poller::MonitorStart {
            settings: settings.clone(),
            catalogue: catalogue.clone(),
            storage: storage.clone(),
        });
        let (tx, rx, first) = if leads {
            // Before the simulation: its users run jobs under the demo allocations' accounts,
            // and the usage it reports is stored against those allocations.
            let accounts = load_demo_programme(&settings, &storage, &catalogue).await?;
            let (monitor, live) = start.begin(accounts).await?;
            let (tx, rx) = watch::channel(Arc::new(live));
            (tx.clone(), rx, Some(start.run(monitor, tx)))
        } else {
            let (tx, rx) = watch::channel(Arc::new(replica.initial_snapshot(settings.stale_after_seconds).await?));
            (tx, rx, None)
        };
        let listener = TcpListener::bind(settings.listen).await?;
        let addr = listener.local_addr()?;
        let state = AppState {
            settings: Arc::new(settings),
            catalogue: Arc::new(catalogue),
            bus: Bus::new(&replica.id, storage.db()),
            storage,
            live: rx,
            metrics,
            history_cache: Arc::default(),
            login_limiter: Arc::default(),
        };
        if leads {
            if state.settings.demo.accounts {
                create_demo_accounts(&state).await?;
            }
        } else {
            tracing::info!("another replica leads: it seeded the demo data and polls the sources");
        }
        let mut tasks = JoinSet::new();
        let router = match state.storage.db().clone() {
            Db::Sqlite(pool) => {
                crate::router::build(state.clone(), sessions(SqliteStore::new(pool), &mut tasks).await?)
            }
            Db::Postgres(pool) => {
                crate::router::build(state.clone(), sessions(PostgresStore::new(pool), &mut tasks).await?)
            }
        };
        replica.spawn(&mut tasks, candidate, first, start.poller(), tx, state.bus.clone());
        Ok(Application { listener, router, tasks, addr })
    }

    /// Serves until the process receives Ctrl-C.
    pub async fn run(self) -> anyhow::Result<()> {
        self.run_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    }

    /// Serves until `shutdown` completes; then the background work stops at
    /// once (a leader gives up its lock) and open connections are drained.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let mut tasks = self.tasks;
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(async move {
                shutdown.await;
                tasks.abort_all();
            })
            .await?;
        Ok(())
    }
}

/// Migrates a session store and deletes its expired sessions hourly.
async fn sessions<S>(store: S, tasks: &mut JoinSet<()>) -> anyhow::Result<S>
where
    S: SessionStore + ExpiredDeletion + Clone + MigrateSessions,
{
    store.migrate_sessions().await?;
    let expiry = store.clone();
    tasks.spawn(async move {
        if let Err(e) = expiry.continuously_delete_expired(Duration::from_secs(3_600)).await {
            tracing::warn!(error = %e, "session expiry stopped");
        }
    });
    Ok(store)
}

/// The two stores' `migrate` (an inherent method of each, not a trait).
trait MigrateSessions {
    async fn migrate_sessions(&self) -> sqlx::Result<()>;
}

impl MigrateSessions for SqliteStore {
    async fn migrate_sessions(&self) -> sqlx::Result<()> {
        self.migrate().await
    }
}

impl MigrateSessions for PostgresStore {
    async fn migrate_sessions(&self) -> sqlx::Result<()> {
        self.migrate().await
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
    let storage = Storage::connect(settings).await?;
    let info = UserInfo {
        username: username.into(),
        display_name: display_name.into(),
        organisation: organisation.into(),
        role: Role::Admin,
    };
    storage.upsert_account(&info, password, false, chrono::Utc::now().timestamp()).await
}
