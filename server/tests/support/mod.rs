//! Starts a real server on port 0 with a fresh database (SQLite, or
//! PostgreSQL when `KAIRR_TEST_DATABASE_URL` is set: see `db.rs`) and a
//! temporary static folder.
#![allow(clippy::unwrap_used, clippy::field_reassign_with_default)] // test support: failing fast is the point
#![allow(dead_code)] // each test binary uses a different part of the support module

use std::path::PathBuf;

use kairr_server::settings::Settings;
use kairr_server::startup::Application;
use kairr_server::storage::Db;

pub mod award;
pub mod db;
pub mod sse;

/// A running server and what it owns.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
    pub static_dir: PathBuf,
    /// The settings it was started with (its database among them).
    pub settings: Settings,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Password of the demo accounts in tests.
pub const DEMO_PASSWORD: &str = "test-password-2026";

/// Settings for tests: temporary paths, two pre-simulated days, fast ticks.
pub fn test_settings(dir: &std::path::Path) -> Settings {
    let mut s = Settings::default();
    s.listen = "127.0.0.1:0".parse().unwrap();
    s.database_path = dir.join("kairr.sqlite");
    s.static_dir = dir.join("dist");
    s.demo.presimulate_days = 2;
    s.demo.tick_seconds = 1;
    s.demo.accounts_password = Some(serde_json::from_str(&format!("{DEMO_PASSWORD:?}")).unwrap());
    // Tests run the demo accounts on PostgreSQL too (refused there by default).
    s.demo.allow_accounts_anywhere = true;
    s
}

/// Spawns the app with `tweak` applied to the test settings (on a fresh database).
pub async fn spawn_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(dir.path());
    db::use_fresh_database(&mut settings).await;
    tweak(&mut settings);
    spawn_in(dir, settings).await
}

/// The built `index.html` the tests serve (what trunk writes, minus the scripts).
pub const INDEX_HTML: &str =
    "<!doctype html><html lang=\"ko\"><head><title>KAIRR</title></head><body><noscript>js</noscript></body></html>";

/// The transparency page's own app's `index.html` (`dist/allocations-app/`).
pub const ALLOCATIONS_INDEX_HTML: &str = "<!doctype html><html lang=\"ko\"><head><title>KAIRR</title><script type=\"module\" src=\"/allocations-app/kairr-allocations.js\"></script></head><body><noscript>js</noscript></body></html>";

/// Spawns the app with exactly `settings`, owning `dir`.
pub async fn spawn_in(dir: tempfile::TempDir, settings: Settings) -> TestApp {
    let static_dir = settings.static_dir.clone();
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(static_dir.join("index.html"), INDEX_HTML).unwrap();
    for (app, html) in [("programme", INDEX_HTML), ("allocations-app", ALLOCATIONS_INDEX_HTML)] {
        std::fs::create_dir_all(static_dir.join(app)).unwrap();
        std::fs::write(static_dir.join(app).join("index.html"), html).unwrap();
    }
    std::fs::write(static_dir.join("kairr-app-9f86d081884c7d65_bg.wasm"), vec![b'a'; 4096]).unwrap();
    // The build's precompressed sibling (the server sends it as it is).
    std::fs::write(static_dir.join("kairr-app-9f86d081884c7d65_bg.wasm.br"), b"precompressed brotli").unwrap();
    let app = Application::build(settings.clone()).await.unwrap();
    let base = format!("http://{}", app.addr);
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    TestApp { base, client, _dir: dir, static_dir, settings, shutdown: Some(shutdown) }
}

/// Spawns the app with the test settings.
pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

impl TestApp {
    /// A connection pool of its own to the app's database.
    pub async fn db(&self) -> Db {
        db::connect(&self.settings).await
    }

    /// Stops the app: it stops serving and its background work (polling,
    /// the leader lock) ends at once.
    pub fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// GET `path`, returning status and parsed JSON.
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap())
    }

    /// POST `body` as JSON to `path`, returning status and parsed JSON.
    pub async fn post(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let res = self.client.post(format!("{}{path}", self.base)).json(body).send().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    /// Fetches the session, returning its CSRF token.
    pub async fn csrf(&self) -> String {
        let (_, s) = self.get_json("/api/v1/auth/session").await;
        s["csrf_token"].as_str().unwrap().to_owned()
    }

    /// POST with the session's CSRF token.
    pub async fn post_csrf(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let token = self.csrf().await;
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", token)
            .json(body)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    /// Signs in as a demo account (`demo.researcher`, `demo.committee`, …).
    pub async fn login(&self, username: &str) {
        let (code, body) = self
            .post_csrf("/api/v1/auth/login", &serde_json::json!({"username": username, "password": DEMO_PASSWORD}))
            .await;
        assert_eq!(code, 200, "{body}");
    }

    /// A fresh client (own cookie jar) that tried to sign in as `username`
    /// with `password`, and the sign-in's status.
    pub async fn sign_in(&self, username: &str, password: &str) -> (reqwest::Client, u16) {
        let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let s: serde_json::Value =
            client.get(format!("{}/api/v1/auth/session", self.base)).send().await.unwrap().json().await.unwrap();
        let res = client
            .post(format!("{}/api/v1/auth/login", self.base))
            .header("x-csrf-token", s["csrf_token"].as_str().unwrap())
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (client, status)
    }

    /// A fresh client (own cookie jar) signed in as `username`.
    pub async fn client_as(&self, username: &str) -> reqwest::Client {
        let (client, status) = self.sign_in(username, DEMO_PASSWORD).await;
        assert_eq!(status, 200, "sign-in as {username}");
        client
    }
}

/// A signed-in client with its CSRF token: every call answers (status, JSON).
#[derive(Clone)]
pub struct Caller {
    pub client: reqwest::Client,
    pub token: String,
    pub base: String,
}

impl Caller {
    /// `method` `path` with `body` (JSON) and the CSRF token.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base)).header("x-csrf-token", &self.token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }
}

impl TestApp {
    /// A [`Caller`] signed in as the demo account `username`.
    pub async fn caller(&self, username: &str) -> Caller {
        self.caller_of(self.client_as(username).await).await
    }

    /// The [`Caller`] of a signed-in `client` (its session's CSRF token).
    pub async fn caller_of(&self, client: reqwest::Client) -> Caller {
        let s: serde_json::Value =
            client.get(format!("{}/api/v1/auth/session", self.base)).send().await.unwrap().json().await.unwrap();
        Caller { client, token: s["csrf_token"].as_str().unwrap().to_owned(), base: self.base.clone() }
    }
}

impl TestApp {
    /// A real (non-demo) account made as the centre makes one: an admin
    /// creates it, its invitation link sets `password`, then it signs in.
    pub async fn person(&self, username: &str, organisation: &str, role: &str) -> Caller {
        const PASSWORD: &str = "a long test password 2026";
        let admin = self.caller("demo.admin").await;
        let body = serde_json::json!({"username": username, "display_name": username, "organisation": organisation, "role": role});
        let (code, invited) = admin.post("/api/v1/admin/people", &body).await;
        assert_eq!(code, 200, "{invited}");
        let token = invited["link"].as_str().unwrap().split_once("token=").unwrap().1.to_owned();
        let (code, done) =
            self.post_csrf("/api/v1/auth/invite", &serde_json::json!({"token": token, "password": PASSWORD})).await;
        assert_eq!(code, 200, "{done}");
        let (client, status) = self.sign_in(username, PASSWORD).await;
        assert_eq!(status, 200, "sign-in as {username}");
        self.caller_of(client).await
    }
}
