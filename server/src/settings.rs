//! Typed settings, layered: defaults → optional TOML file → `KAIRR_…`
//! environment variables (`__` separates nested keys, e.g.
//! `KAIRR_DEMO__TICK_SECONDS`).

use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// A value that must never reach a log line.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The demo source's knobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoSettings {
    /// Seed of the simulation.
    pub seed: u64,
    /// Seconds between live snapshots (and SSE pushes).
    pub tick_seconds: u32,
    /// Days of history simulated at start-up so the uptime bars are full.
    pub presimulate_days: u32,
    /// Node failures, rack outages and drains.
    pub faults: bool,
    /// Create one demo account per role at start-up (printed to the log).
    pub accounts: bool,
    /// Password of the demo accounts; a random one per start when absent.
    pub accounts_password: Option<Secret>,
    /// Load the seeded demo allocation round (the first 2026 call) at start-up.
    pub programme: bool,
    /// Allow demo accounts on a non-loopback listen address or on
    /// PostgreSQL (where a real deployment runs). Off by default: the server
    /// then refuses to start with `accounts` on in those places.
    #[serde(default)]
    pub allow_accounts_anywhere: bool,
}

/// Sign-in limits and session lifetime (`[sign_in]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignInSettings {
    /// Sign-in attempts allowed per username within `window_seconds`,
    /// counted before the password is checked (a success clears them).
    pub max_attempts_per_username: u32,
    /// Sign-in attempts allowed per client address within `window_seconds`
    /// (IPv6 addresses by /64; a success gives its attempt back).
    pub max_attempts_per_address: u32,
    /// Length of the attempt window, seconds.
    pub window_seconds: u32,
    /// Seconds a session lasts after sign-in, however active it is.
    pub session_lifetime_seconds: u32,
    /// Password hashes checked at once (argon2 runs on blocking threads;
    /// more sign-ins wait their turn).
    pub concurrent_password_checks: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client; empty: the
    /// TCP peer is the client and the header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for SignInSettings {
    fn default() -> Self {
        SignInSettings {
            max_attempts_per_username: 5,
            max_attempts_per_address: 30,
            window_seconds: 15 * 60,
            session_lifetime_seconds: 12 * 3_600,
            concurrent_password_checks: 4,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Where the data lives when it is not the SQLite file, and how replicas share it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatabaseSettings {
    /// `postgres://user:password@host:port/db` (or `?host=/socket/dir`) selects
    /// PostgreSQL, which several replicas may share; absent: SQLite at
    /// `database_path`. Hidden in logs (it may hold a password).
    pub url: Option<Secret>,
    /// Most connections one replica opens (PostgreSQL), besides one for the
    /// leader lock and one listening for notifications.
    pub max_connections: u32,
    /// Seconds between a follower replica's attempts to become the one that
    /// polls the sources, and between the leader's checks that it still is.
    pub leader_retry_seconds: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings { url: None, max_connections: 10, leader_retry_seconds: 2 }
    }
}

/// How one catalogue system is fed (`[sources.<system>]`); a system without
/// an entry stays on the demo. `slurm` gives nodes and queue, `prometheus`
/// GPU telemetry; both together merge telemetry into Slurm's pools.
///
/// Its `Debug` form (what the start-up log shows) is redacted: see
/// [`redact_json`].
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemSources {
    /// The Slurm source's table, read by `source::slurm::SlurmConfig::for_system`.
    #[serde(default)]
    pub slurm: Option<serde_json::Value>,
    #[serde(default)]
    pub prometheus: Option<crate::source::prometheus::PrometheusConfig>,
}

impl fmt::Debug for SystemSources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Both shown as redacted JSON: the Slurm table is untyped, and a
        // typed config may gain a credential field that is not yet a `Secret`.
        let prometheus = self.prometheus.as_ref().map(|p| match serde_json::to_value(p) {
            Ok(v) => redact_json(&v),
            Err(_) => serde_json::Value::String("(not shown)".into()),
        });
        f.debug_struct("SystemSources")
            .field("slurm", &self.slurm.as_ref().map(redact_json))
            .field("prometheus", &prometheus)
            .finish()
    }
}

/// Words in a key that mark its value as a credential.
const SECRET_KEY_WORDS: [&str; 9] =
    ["token", "password", "passwd", "secret", "jwt", "credential", "apikey", "api_key", "private"];

/// True when a setting named `key` holds a credential.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEY_WORDS.iter().any(|w| key.contains(w))
}

/// `value` fit for a log: the value of every key named like a credential
/// (token, password, secret, JWT, …) becomes `***`, and every string that is
/// a URL loses its user-info (`user:pass@`) and credential query parameters.
pub fn redact_json(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let shown =
                        if is_secret_key(k) && !v.is_null() { Value::String("***".into()) } else { redact_json(v) };
                    (k.clone(), shown)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_json).collect()),
        Value::String(s) => Value::String(redact_url(s)),
        other => other.clone(),
    }
}

/// `text` with a URL's user-info and credential query parameters hidden;
/// other text unchanged.
pub fn redact_url(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_owned();
    };
    let (scheme, rest) = (&text[..scheme_end], &text[scheme_end + 3..]);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let host = match authority.rfind('@') {
        Some(at) => format!("***@{}", &authority[at + 1..]),
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let (query, fragment) = query.split_once('#').map_or((query, None), |(q, f)| (q, Some(f)));
            let query = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if is_secret_key(k) => format!("{k}=***"),
                    _ => pair.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("&");
            match fragment {
                Some(f) => format!("{path}?{query}#{f}"),
                None => format!("{path}?{query}"),
            }
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{host}{tail}")
}

/// Every setting of the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Address to listen on, `KAIRR_LISTEN`.
    pub listen: SocketAddr,
    /// The built front end (trunk's `dist/`).
    pub static_dir: PathBuf,
    /// SQLite database file; created with its folder when missing (unused
    /// when `database.url` names a PostgreSQL database).
    pub database_path: PathBuf,
    pub database: DatabaseSettings,
    /// Seconds between recorded status samples.
    pub record_interval_seconds: u32,
    /// Read every system's histories once after the first snapshot, so the
    /// first visitor asking for a range waits for no database (default true).
    #[serde(default = "warm_histories_default")]
    pub warm_histories: bool,
    /// Age in seconds after which the live snapshot counts as stale.
    pub stale_after_seconds: u32,
    /// A fleet catalogue to use instead of the embedded one.
    pub catalogue_path: Option<PathBuf>,
    /// Bearer token required by `/metrics` when set.
    pub metrics_token: Option<Secret>,
    pub log_format: LogFormat,
    /// Mark session cookies `Secure` (set when served over TLS).
    pub cookie_secure: bool,
    pub demo: DemoSettings,
    #[serde(default)]
    pub sign_in: SignInSettings,
    /// System id (catalogue) → its real sources; empty = the demo everywhere.
    #[serde(default)]
    pub sources: BTreeMap<String, SystemSources>,
    /// The portal's address as people reach it (`https://kairr.example.kr`):
    /// the OpenID Connect redirect address is made from it. Default:
    /// `http://` + `listen`.
    #[serde(default)]
    pub public_url: Option<String>,
    /// `[[oidc]]`: institutional sign-in providers (OpenID Connect), beside local accounts.
    #[serde(default)]
    pub oidc: Vec<OidcProviderSettings>,
    /// `[mail]`: the SMTP server notifications go through; unset: notices stay in the portal.
    #[serde(default)]
    pub mail: Option<crate::mail::MailSettings>,
    /// `[webhooks]`: where status-page webhooks may point.
    #[serde(default)]
    pub webhooks: WebhookSettings,
    /// `[provisioning]`: the schedulers awards become accounts in; unset: none.
    #[serde(default)]
    pub provisioning: crate::provision::ProvisioningSettings,
}

/// `[webhooks]`: by default only `https://` addresses outside loopback and
/// private networks (the portal must not be made to call its own network).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSettings {
    /// Allow plain `http://` (closed networks, tests).
    #[serde(default)]
    pub allow_http: bool,
    /// Allow loopback and private addresses (tests).
    #[serde(default)]
    pub allow_private: bool,
}

impl WebhookSettings {
    pub fn policy(self) -> kairr_shared::subscriptions::WebhookPolicy {
        kairr_shared::subscriptions::WebhookPolicy { allow_http: self.allow_http, allow_private: self.allow_private }
    }
}

/// One OpenID Connect provider (a research federation's proxy, a university's IdP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcProviderSettings {
    /// Short id in the portal's paths (`a-z 0-9 -`), e.g. `kafe`.
    pub id: String,
    /// The button's label, in Korean and English.
    pub name_ko: String,
    pub name_en: String,
    /// The issuer; its `/.well-known/openid-configuration` is read at start-up.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// Scopes besides `openid` (default `profile`, `email`).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// The claim (in the ID token or user info) naming the person's
    /// organisation, matched against the directory's ids, names and aliases;
    /// unset or unmatched: the account waits for an admin to confirm it.
    #[serde(default)]
    pub organisation_claim: Option<String>,
}

fn default_scopes() -> Vec<String> {
    vec!["profile".into(), "email".into()]
}

impl Settings {
    /// The portal's public address, without a trailing slash.
    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.listen)).trim_end_matches('/').to_owned()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            static_dir: PathBuf::from("dist"),
            database_path: PathBuf::from("data/kairr.sqlite"),
            database: DatabaseSettings::default(),
            record_interval_seconds: 60,
            warm_histories: true,
            stale_after_seconds: 30,
            catalogue_path: None,
            metrics_token: None,
            log_format: LogFormat::Text,
            cookie_secure: false,
            demo: DemoSettings {
                seed: 20_260_102,
                tick_seconds: 5,
                presimulate_days: 90,
                faults: true,
                accounts: true,
                accounts_password: None,
                programme: true,
                allow_accounts_anywhere: false,
            },
            sign_in: SignInSettings::default(),
            sources: BTreeMap::new(),
            public_url: None,
            oidc: Vec::new(),
            mail: None,
            webhooks: WebhookSettings::default(),
            provisioning: crate::provision::ProvisioningSettings::default(),
        }
    }
}

/// Settings that do not hold together.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("configuration: {0}")]
    Figment(#[from] Box<figment::Error>),
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Loads defaults, then `file` (if given, or `kairr.toml` if it exists),
    /// then the environment.
    pub fn load(file: Option<PathBuf>) -> Result<Settings, SettingsError> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) => fig = fig.merge(Toml::file_exact(path)),
            None => fig = fig.merge(Toml::file("kairr.toml")),
        }
        fig = fig.merge(Env::prefixed("KAIRR_").split("__"));
        let s: Settings = fig.extract().map_err(Box::new)?;
        s.validate()?;
        Ok(s)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        if self.record_interval_seconds == 0 || self.demo.tick_seconds == 0 || self.stale_after_seconds == 0 {
            return Err(SettingsError::Invalid(
                "record_interval_seconds, stale_after_seconds and demo.tick_seconds must be positive".into(),
            ));
        }
        if let Some(url) = &self.database.url {
            if !crate::storage::is_postgres_url(url.expose()) {
                return Err(SettingsError::Invalid(
                    "database.url must start with postgres:// or postgresql:// (for SQLite set database_path)".into(),
                ));
            }
        }
        if self.database.max_connections == 0 || self.database.leader_retry_seconds == 0 {
            return Err(SettingsError::Invalid(
                "database.max_connections and database.leader_retry_seconds must be positive".into(),
            ));
        }
        let si = &self.sign_in;
        if si.max_attempts_per_username == 0
            || si.max_attempts_per_address == 0
            || si.window_seconds == 0
            || si.session_lifetime_seconds == 0
            || si.concurrent_password_checks == 0
        {
            return Err(SettingsError::Invalid("every sign_in limit must be positive".into()));
        }
        if (!self.oidc.is_empty() || self.mail.is_some()) && self.public_url.is_none() {
            return Err(SettingsError::Invalid(
                "public_url is required with [[oidc]] or [mail]: sign-in redirects and e-mail links are made from it"
                    .into(),
            ));
        }
        if let Some(url) = &self.public_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(SettingsError::Invalid(format!("public_url must start with https:// or http://: {url:?}")));
            }
        }
        for (i, p) in self.oidc.iter().enumerate() {
            let ok_id = !p.id.is_empty()
                && p.id.len() <= 32
                && p.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok_id || self.oidc[..i].iter().any(|q| q.id == p.id) {
                return Err(SettingsError::Invalid(format!(
                    "oidc[{i}].id must be unique, 1-32 characters of a-z 0-9 -: {:?}",
                    p.id
                )));
            }
            if p.issuer.is_empty() || p.client_id.is_empty() {
                return Err(SettingsError::Invalid(format!("oidc.{}: issuer and client_id are required", p.id)));
            }
        }
        if self.demo.presimulate_days > 365 {
            return Err(SettingsError::Invalid("demo.presimulate_days must be at most 365".into()));
        }
        for (id, src) in &self.sources {
            if let Some(p) = &src.prometheus {
                let key = format!("sources.{id}.prometheus");
                if !(p.url.starts_with("http://") || p.url.starts_with("https://")) {
                    return Err(SettingsError::Invalid(format!("{key}.url must start with http:// or https://")));
                }
                if p.interval_seconds == 0 || p.timeout_seconds == 0 || p.backoff_max_seconds == 0 {
                    return Err(SettingsError::Invalid(format!(
                        "{key}: interval_seconds, timeout_seconds and backoff_max_seconds must be positive"
                    )));
                }
                if p.pools.is_empty() {
                    return Err(SettingsError::Invalid(format!("{key}.pools: name at least one pool")));
                }
            }
        }
        Ok(())
    }
}

/// `warm_histories`' default: on.
fn warm_histories_default() -> bool {
    true
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error
mod tests {
    use super::*;

    #[test]
    fn secrets_are_hidden_in_debug_output() {
        let s = Settings { metrics_token: Some(Secret("hunter2".into())), ..Settings::default() };
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"));
        assert!(shown.contains("Secret(***)"));
    }

    #[test]
    fn no_credential_of_the_settings_reaches_their_logged_form() {
        let mut s = Settings {
            metrics_token: Some(Secret("metrics-tok-77".into())),
            database: DatabaseSettings {
                url: Some(Secret("postgres://kairr:db-pass-55@db.internal/kairr".into())),
                ..DatabaseSettings::default()
            },
            ..Settings::default()
        };
        s.demo.accounts_password = Some(Secret("demo-pass-66".into()));
        let slurm = serde_json::json!({
            "url": "https://slurm-user:slurm-pass-11@slurm.internal:6820/",
            "token": "slurm-jwt-22",
            "auth": {"user_token": "slurm-jwt-33", "X-SLURM-USER-TOKEN": "slurm-jwt-44"},
            "partitions": ["gpu"],
        });
        let prometheus: crate::source::prometheus::PrometheusConfig = serde_json::from_value(serde_json::json!({
            "url": "https://prom-user:prom-pass-88@prom.internal:9090/?access_token=prom-q-99&x=1",
            "bearer_token": "prom-bearer-00",
            "pools": {"kakao-b200": {"selector": "job=\"dcgm\""}},
        }))
        .unwrap();
        s.sources.insert("kakao".into(), SystemSources { slurm: Some(slurm), prometheus: Some(prometheus) });
        let shown = format!("{s:?}");
        for secret in [
            "metrics-tok-77",
            "db-pass-55",
            "demo-pass-66",
            "slurm-pass-11",
            "slurm-user",
            "slurm-jwt-22",
            "slurm-jwt-33",
            "slurm-jwt-44",
            "prom-pass-88",
            "prom-user",
            "prom-q-99",
            "prom-bearer-00",
        ] {
            assert!(!shown.contains(secret), "{secret} is in the logged settings: {shown}");
        }
        // What is not secret stays readable.
        for kept in ["slurm.internal:6820", "prom.internal:9090", "gpu", "x=1"] {
            assert!(shown.contains(kept), "{kept} is missing: {shown}");
        }
    }

    #[test]
    fn urls_lose_their_user_info_only() {
        assert_eq!(redact_url("http://a:b@h:1/p?q=1#f"), "http://***@h:1/p?q=1#f");
        assert_eq!(redact_url("http://h/p?token=t&x=2"), "http://h/p?token=***&x=2");
        assert_eq!(redact_url("not a url"), "not a url");
        assert_eq!(redact_url("http://h@x/"), "http://***@x/");
    }

    #[test]
    fn environment_overrides_file_and_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("kairr.toml", "record_interval_seconds = 30\n[demo]\ntick_seconds = 2\n")?;
            jail.set_env("KAIRR_LISTEN", "127.0.0.1:9999");
            jail.set_env("KAIRR_DEMO__TICK_SECONDS", "3");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(s.listen.port(), 9999);
            assert_eq!(s.record_interval_seconds, 30);
            assert_eq!(s.demo.tick_seconds, 3);
            assert_eq!(s.demo.presimulate_days, 90);
            Ok(())
        });
    }

    #[test]
    fn a_postgres_url_comes_from_the_environment_and_other_schemes_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("KAIRR_DATABASE__URL", "postgres://kairr:pw@db.example/kairr");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(s.database.url.as_ref().map(Secret::expose), Some("postgres://kairr:pw@db.example/kairr"));
            assert!(!format!("{s:?}").contains("pw@"), "the URL is hidden in logs");
            jail.set_env("KAIRR_DATABASE__URL", "mysql://kairr@db.example/kairr");
            let err = Settings::load(None).map(|_| ()).unwrap_err().to_string();
            assert!(err.contains("database.url"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn a_sources_table_selects_prometheus_per_system_from_file_and_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "kairr.toml",
                r#"
[sources.kakao.prometheus]
url = "http://prom.kakao.internal:9090"
bearer_token = "s3cret-token"
[sources.kakao.prometheus.pools.kakao-b200]
selector = 'job="dcgm",cluster="gov-b200"'
"#,
            )?;
            jail.set_env("KAIRR_SOURCES__KAKAO__PROMETHEUS__INTERVAL_SECONDS", "7");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            let p = s.sources["kakao"].prometheus.as_ref().unwrap();
            assert_eq!(
                (p.url.as_str(), p.interval_seconds, p.timeout_seconds),
                ("http://prom.kakao.internal:9090", 7, 5)
            );
            let q = &p.pools["kakao-b200"];
            assert_eq!(q.selector, r#"job="dcgm",cluster="gov-b200""#);
            assert_eq!(q.up, kairr_shared::telemetry::DEFAULT_UP_QUERY);
            assert!(s.sources["kakao"].slurm.is_none());
            assert!(!format!("{s:?}").contains("s3cret-token"));
            Ok(())
        });
    }

    #[test]
    fn a_prometheus_source_without_a_usable_url_is_rejected() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("kairr.toml", "[sources.naver.prometheus]\nurl = \"prom:9090\"\npools.naver-h200 = {}\n")?;
            let e = Settings::load(None).unwrap_err().to_string();
            assert!(e.contains("sources.naver.prometheus.url"), "{e}");
            Ok(())
        });
    }

    #[test]
    fn a_zero_interval_is_rejected() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("KAIRR_RECORD_INTERVAL_SECONDS", "0");
            assert!(Settings::load(None).is_err());
            Ok(())
        });
    }
}
