//! Builds the application: storage (SQLite or PostgreSQL), catalogue, the
//! replica's role (the leader seeds the demo and runs the monitor, a follower
//! relays the leader's snapshots), sessions and router, bound to a listener
//! (port 0 in tests).

use std::future::Future;
use std::io::IsTerminal;
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
        demo_accounts_allowed(&settings)?;
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
        if leads {
            let seed = kairr_shared::organisations::seed(settings.demo.programme)?;
            let added = storage.seed_organisations(&seed).await?;
            tracing::info!(added, "organisations directory seeded");
        }
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
        let sign_in = Arc::new(crate::auth::SignIn::new(settings.sign_in.clone()).await?);
        let csrf = crate::auth::CsrfKey::load(&storage).await?;
        let oidc = Arc::new(crate::oidc::Oidc::load(&settings, &storage).await?);
        let first_view = Arc::new(crate::first_view::FirstView::load(&settings.static_dir));
        let histories_ready = Arc::new(std::sync::atomic::AtomicBool::new(!settings.warm_histories));
        let state = AppState {
            first_view,
            settings: Arc::new(settings),
            catalogue: Arc::new(catalogue),
            bus: Bus::new(&replica.id, storage.db()),
            storage,
            live: rx,
            metrics,
            history_cache: Arc::default(),
            uptime_cache: Arc::default(),
            histories_ready,
            public_cache: Arc::default(),
            placement_slots: Arc::new(tokio::sync::Semaphore::new(
                crate::handlers::placement::MAX_CONCURRENT_PLACEMENTS,
            )),
            sign_in,
            csrf,
            oidc,
        };
        if leads {
            if state.settings.demo.accounts {
                create_demo_accounts(&state).await?;
            } else {
                let disabled = state.storage.disable_demo_accounts().await?;
                if disabled > 0 {
                    tracing::info!(disabled, "demo accounts disabled (demo.accounts is off); their sessions end");
                }
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
        let mail = &state.settings.mail;
        let mailer = mail.as_ref().map(|m| crate::mail::Mailer::new(m, &state.settings.public_url())).transpose()?;
        let poll = Duration::from_secs(u64::from(mail.as_ref().map_or(5, |m| m.poll_seconds.max(1))));
        tasks.spawn(crate::mail::run(state.clone(), mailer, poll));
        tasks.spawn(crate::handlers::history::warm(state.clone()));
        if let Some(slurm) = state.settings.provisioning.slurm.clone() {
            slurm.check()?;
            tasks.spawn(crate::provision::run(state.clone(), replica.clone(), slurm));
        }
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
        // The peer address (`ConnectInfo`) limits sign-in attempts per client;
        // `serve` puts it on every request and times out unfinished request heads.
        let shutdown = async move {
            shutdown.await;
            tasks.abort_all();
        };
        crate::serve::serve(self.listener, self.router, shutdown, crate::serve::ServeOptions::default()).await?;
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
        // Turned off: the demo rounds are unpublished (real records keep the demo rows they point at).
        storage.clear_demo_programme().await?;
        return Ok(Vec::new());
    }
    let today = kairr_shared::time::kst_day(chrono::Utc::now().timestamp());
    let demo = demo_data(&FIRST_CALL_2026, settings.demo.seed, today, catalogue)?;
    storage.replace_demo_programme(&demo).await?;
    // The open demo round's dates follow today, unless real requests were
    // submitted to it: those were checked against its dates and must stay decidable.
    storage.insert_round_unless_used(&open_demo_round(today, catalogue)?, "demo").await?;
    tracing::info!(
        requests = demo.requests.len(),
        allocations = demo.allocations.len(),
        "demo allocation round loaded"
    );
    Ok(demo.sim_accounts())
}

/// The demo accounts: one per role, printed at start-up in demo mode only.
const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 5] = [
    ("demo.researcher", "김연구 (데모)", "부산대학교", Role::Researcher),
    ("demo.operator", "정운영 (데모)", "한국과학기술정보연구원(KISTI)", Role::Operator),
    ("demo.reviewer", "이심사 (데모)", "KAIST", Role::Reviewer),
    ("demo.committee", "박위원 (데모)", "정보통신산업진흥원", Role::Committee),
    ("demo.admin", "최관리 (데모)", "KAIRR 운영사무국", Role::Admin),
];

/// Refuses demo accounts where a real deployment runs (a listen address
/// other than loopback, or PostgreSQL) unless `demo.allow_accounts_anywhere`.
pub fn demo_accounts_allowed(settings: &Settings) -> anyhow::Result<()> {
    if !settings.demo.accounts || settings.demo.allow_accounts_anywhere {
        return Ok(());
    }
    let place = if !settings.listen.ip().is_loopback() {
        format!("listening on {}, which is not a loopback address", settings.listen)
    } else if settings.database.url.is_some() {
        "on PostgreSQL".to_owned()
    } else {
        return Ok(());
    };
    anyhow::bail!(
        "refusing to create demo accounts (demo.accounts = true) {place}: anyone could sign in with them. \
         Turn them off (KAIRR_DEMO__ACCOUNTS=false), or set demo.allow_accounts_anywhere = true \
         (KAIRR_DEMO__ALLOW_ACCOUNTS_ANYWHERE=true) if this really is a demonstration"
    )
}

async fn create_demo_accounts(state: &AppState) -> anyhow::Result<()> {
    let configured = state.settings.demo.accounts_password.as_ref().map(|p| p.expose().to_owned());
    let password = configured.clone().unwrap_or_else(random_password);
    let now = chrono::Utc::now().timestamp();
    let directory = state.storage.organisations().await?;
    for (username, name, org, role) in DEMO_ACCOUNTS {
        let entry = kairr_shared::organisations::Directory(&directory).resolve(org);
        let info = UserInfo {
            username: username.into(),
            display_name: name.into(),
            organisation: entry.map_or_else(|| org.to_owned(), |o| o.name_ko.clone()),
            organisation_id: entry.map(|o| o.id.clone()),
            role,
        };
        state.storage.upsert_account(&info, &password, true, now).await?;
    }
    let names = DEMO_ACCOUNTS.iter().map(|a| a.0).collect::<Vec<_>>().join(", ");
    println!("{}", demo_accounts_notice(&names, &password, configured.is_some(), std::io::stdout().is_terminal()));
    Ok(())
}

/// The start-up line about the demo accounts. A random password is shown
/// only on a terminal (a person trying the portal), never into a file or a
/// log collector; a configured one is never repeated.
pub fn demo_accounts_notice(names: &str, password: &str, configured: bool, terminal: bool) -> String {
    if configured {
        format!("Demo accounts (demo data only): {names} / password: the configured demo.accounts_password")
    } else if terminal {
        format!("Demo accounts (demo data only): {names} / password: {password}")
    } else {
        format!(
            "Demo accounts (demo data only): {names} / password: random, not shown because stdout is not a \
             terminal; set demo.accounts_password (KAIRR_DEMO__ACCOUNTS_PASSWORD) to choose one"
        )
    }
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
    // The directory may be empty if the server never started: seed its real entries.
    storage.seed_organisations(&kairr_shared::organisations::seed(false)?).await?;
    let directory = storage.organisations().await?;
    let Some(org) = kairr_shared::organisations::Directory(&directory).resolve(organisation) else {
        anyhow::bail!(
            "organisation {organisation:?} is not in the directory (an id, name or alias of shared/data/organisations.json \
             or one an admin added), e.g. kairr-office, kisti, kaist"
        );
    };
    let info = UserInfo {
        username: username.into(),
        display_name: display_name.into(),
        organisation: org.name_ko.clone(),
        organisation_id: Some(org.id.clone()),
        role: Role::Admin,
    };
    storage.upsert_account(&info, password, false, chrono::Utc::now().timestamp()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_accounts_are_refused_off_loopback_and_on_postgres_unless_allowed() {
        let mut s = Settings::default();
        assert!(demo_accounts_allowed(&s).is_ok(), "the default: loopback and SQLite");
        s.listen = "0.0.0.0:8080".parse().unwrap();
        let e = demo_accounts_allowed(&s).unwrap_err().to_string();
        assert!(e.contains("0.0.0.0:8080") && e.contains("demo.allow_accounts_anywhere"), "{e}");
        s.listen = "[::1]:8080".parse().unwrap();
        assert!(demo_accounts_allowed(&s).is_ok());
        s.database.url = Some(serde_json::from_str("\"postgres://k@db/k\"").unwrap());
        let e = demo_accounts_allowed(&s).unwrap_err().to_string();
        assert!(e.contains("PostgreSQL"), "{e}");
        s.demo.allow_accounts_anywhere = true;
        assert!(demo_accounts_allowed(&s).is_ok());
        s.demo.allow_accounts_anywhere = false;
        s.demo.accounts = false;
        assert!(demo_accounts_allowed(&s).is_ok(), "no demo accounts, nothing to refuse");
    }

    #[test]
    fn a_random_demo_password_is_shown_on_a_terminal_only() {
        let on_tty = demo_accounts_notice("demo.admin", "Secr3tPassw0rdXy", false, true);
        assert!(on_tty.contains("Secr3tPassw0rdXy"));
        let piped = demo_accounts_notice("demo.admin", "Secr3tPassw0rdXy", false, false);
        assert!(!piped.contains("Secr3tPassw0rdXy"), "{piped}");
        assert!(piped.contains("demo.accounts_password"), "{piped}");
        let configured = demo_accounts_notice("demo.admin", "Secr3tPassw0rdXy", true, true);
        assert!(!configured.contains("Secr3tPassw0rdXy"), "{configured}");
    }
}
