//! Notifications (issue 10 §3) against a real SMTP server: aiosmtpd
//! (`scripts/smtp-sink.py`, from the venv `./kairr test` installs) on a free
//! loopback port. A submission tells its applicant in the portal and by
//! e-mail in their language; a mail server that is down delays the e-mail
//! and loses nothing; each e-mail arrives once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: failing fast is the point

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kairr_server::mail::{MailSecurity, MailSettings};

use kairr_server::storage::Db;

use crate::prom_rig::free_port;
use crate::support::{spawn_with, TestApp};

/// The outbox's rows: (status, attempts), in order.
async fn outbox(app: &TestApp) -> Vec<(String, i64)> {
    const SQL: &str = "SELECT status, attempts FROM outbox ORDER BY id";
    match app.db().await {
        Db::Sqlite(p) => sqlx::query_as(SQL).fetch_all(&p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(SQL).fetch_all(&p).await.unwrap(),
    }
}

/// The real SMTP server, killed when dropped.
pub(crate) struct Sink {
    child: Child,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub(crate) fn start_sink(port: u16, dir: &Path) -> Sink {
    let python = std::env::var("KAIRR_SMTP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("target/smtp-venv/bin/python"));
    assert!(
        python.exists(),
        "{} not found: `./kairr test` installs aiosmtpd there (or set KAIRR_SMTP_PYTHON)",
        python.display()
    );
    let child = Command::new(python)
        .arg(repo().join("scripts/smtp-sink.py"))
        .arg(port.to_string())
        .arg(dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("start the SMTP sink");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the SMTP sink did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    Sink { child }
}

/// The summaries of the e-mails received so far, in order.
pub(crate) fn received(dir: &Path) -> Vec<serde_json::Value> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect()
        })
        .unwrap_or_default();
    names.sort();
    names.iter().map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()).collect()
}

pub(crate) async fn wait_for_mail(dir: &Path, n: usize, within: Duration) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + within;
    loop {
        let got = received(dir);
        if got.len() >= n {
            return got;
        }
        assert!(Instant::now() < deadline, "{} of {n} e-mails within {within:?}", got.len());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn request_body(title_ko: &str, title_en: &str) -> serde_json::Value {
    let today = chrono::Utc::now().date_naive();
    serde_json::json!({
        "title_ko": title_ko, "title_en": title_en,
        "abstract": "알림 시험", "pi": "김연구", "organisation": "KAIST",
        "sector": "university", "region": "capital", "pool": "nhn-b200", "amount": 4,
        "period_start": (today + chrono::Days::new(60)).to_string(),
        "period_end": (today + chrono::Days::new(150)).to_string()
    })
}

pub(crate) async fn spawn_mailing(port: u16) -> TestApp {
    spawn_with(|s| {
        s.public_url = Some("https://kairr.test".into());
        s.mail = Some(MailSettings {
            smtp_host: "127.0.0.1".into(),
            smtp_port: Some(port),
            security: MailSecurity::None,
            from: "KAIRR <noreply@kairr.test>".into(),
            username: None,
            password: None,
            poll_seconds: 1,
        });
    })
    .await
}

#[tokio::test]
async fn a_submission_tells_the_applicant_in_the_portal_and_by_mail_and_a_mail_server_that_is_down_loses_nothing() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let sink = start_sink(port, dir.path());
    let app = spawn_mailing(port).await;
    let researcher = app.person("minji", "KAIST", "researcher").await;

    // Preferences: an address and Korean; a bad address names the field.
    let (code, err) =
        researcher.put("/api/v1/me/preferences", &serde_json::json!({"email": "minji@kaist", "locale": "ko"})).await;
    assert_eq!((code, err["field"].as_str()), (400, Some("email")), "{err}");
    assert!(
        err.to_string().contains("올바른 전자우편 주소를 입력하세요."),
        "the refusal in words the form shows: {err}"
    );
    let (code, prefs) = researcher
        .put("/api/v1/me/preferences", &serde_json::json!({"email": "minji@kaist.ac.kr", "locale": "ko"}))
        .await;
    assert_eq!(code, 200, "{prefs}");
    assert_eq!(prefs["email"], "minji@kaist.ac.kr");

    let (code, submitted) =
        researcher.post("/api/v1/requests", &request_body("기후 에뮬레이터", "Climate emulator")).await;
    assert_eq!(code, 200, "{submitted}");
    let id = submitted["id"].as_u64().unwrap();

    // In the portal at once (same transaction as the submission).
    let (code, list) = researcher.get("/api/v1/me/notifications").await;
    assert_eq!(code, 200, "{list}");
    assert_eq!(list["unread"], 1);
    assert_eq!(list["items"][0]["notice"]["kind"], "submission_received");
    assert_eq!(list["items"][0]["notice"]["facts"]["request"].as_u64(), Some(id));

    // By e-mail, in Korean, to the person's address.
    let mails = wait_for_mail(dir.path(), 1, Duration::from_secs(20)).await;
    let m = &mails[0];
    assert_eq!(m["rcpt_tos"], serde_json::json!(["minji@kaist.ac.kr"]));
    assert_eq!(m["subject"], format!("[KAIRR] 신청 #{id} 접수 완료"));
    let body = m["body"].as_str().unwrap();
    assert!(body.contains("“기후 에뮬레이터”") && body.contains(&format!("/requests/{id}")), "{body}");
    assert!(m["message_id"].as_str().unwrap().starts_with("<kairr-outbox-"), "{m}");

    // Read: the count drops.
    let (code, list) = researcher.post("/api/v1/me/notifications/read", &serde_json::json!({})).await;
    assert_eq!((code, list["unread"].as_u64()), (200, Some(0)), "{list}");

    // The mail server goes down; the next notice (now in English) waits in the outbox.
    drop(sink);
    let (code, _) = researcher
        .put("/api/v1/me/preferences", &serde_json::json!({"email": "minji@kaist.ac.kr", "locale": "en"}))
        .await;
    assert_eq!(code, 200);
    let (code, second) = researcher.post("/api/v1/requests", &request_body("두 번째 신청", "Second request")).await;
    assert_eq!(code, 200, "{second}");
    let second_id = second["id"].as_u64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = outbox(&app).await;
        if rows.len() == 2 && rows[1].0 == "pending" && rows[1].1 >= 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the failed delivery was not recorded: {rows:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(received(dir.path()).len(), 1, "nothing can arrive while the server is down");

    // Back up: the retry delivers it (the first retry is 30 s later), once.
    let _sink = start_sink(port, dir.path());
    let mails = wait_for_mail(dir.path(), 2, Duration::from_secs(90)).await;
    assert_eq!(mails[1]["subject"], format!("[KAIRR] Request #{second_id} received"));
    assert!(mails[1]["body"].as_str().unwrap().contains("“Second request”"), "{}", mails[1]);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(received(dir.path()).len(), 2, "each e-mail exactly once");
    let rows = outbox(&app).await;
    assert_eq!(rows[0], ("sent".to_owned(), 1));
    assert_eq!(rows[1].0, "sent");
    assert!(rows[1].1 >= 2, "delivered on a retry: {rows:?}");
}

#[tokio::test]
async fn notices_are_each_persons_own_and_need_a_session() {
    let app = spawn_with(|_| {}).await;
    let (code, _) = app.get_json("/api/v1/me/notifications").await;
    assert_eq!(code, 401);
    let researcher = app.caller("demo.researcher").await;
    let reviewer = app.caller("demo.reviewer").await;
    let (code, submitted) = researcher.post("/api/v1/requests", &request_body("내 신청", "Mine")).await;
    assert_eq!(code, 200, "{submitted}");
    let (_, mine) = researcher.get("/api/v1/me/notifications").await;
    let (_, theirs) = reviewer.get("/api/v1/me/notifications").await;
    let mine_ids: Vec<_> = mine["items"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect();
    assert!(!mine_ids.is_empty());
    // Another person's notice cannot be marked read by them.
    let (code, after) = reviewer.post("/api/v1/me/notifications/read", &serde_json::json!({"ids": mine_ids})).await;
    assert_eq!(code, 200);
    assert_eq!(after["unread"], theirs["unread"]);
    let (_, still) = researcher.get("/api/v1/me/notifications").await;
    assert_eq!(still["unread"], mine["unread"]);
    let (code, err) =
        reviewer.post("/api/v1/me/notifications/read", &serde_json::json!({"ids": (0..101).collect::<Vec<_>>()})).await;
    assert_eq!((code, err["field"].as_str()), (400, Some("ids")));
    let (code, err) = reviewer.put("/api/v1/me/preferences", &serde_json::json!({"email": "", "locale": "fr"})).await;
    assert_eq!((code, err["field"].as_str()), (400, Some("locale")));
}
