//! The status history (issue 11 §4): completed maintenance is listed with
//! the past incidents, and every incident and maintenance window has a
//! permalink, as JSON (`/api/v1/incidents/{id}`, `/api/v1/maintenance/{id}`)
//! and as a page that needs no app (`/incidents/{id}`, `/maintenance/{id}`),
//! which the Atom feed links to.
#![allow(clippy::unwrap_used)] // test code that fails fast

use serde_json::json;

use crate::support::spawn;

async fn page(app: &crate::support::TestApp, path: &str) -> (u16, String, String) {
    let res = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
    let code = res.status().as_u16();
    let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (code, kind, res.text().await.unwrap())
}

#[tokio::test]
async fn completed_maintenance_of_the_last_ninety_days_is_history_newest_first() {
    let app = spawn().await;
    let (code, body) = app.get_json("/api/v1/incidents").await;
    assert_eq!(code, 200);
    let now = chrono::Utc::now();
    let past = body["past_maintenance"].as_array().unwrap();
    // The demo fleet's planned windows recur every few weeks: 90 days hold several.
    assert!(past.len() >= 2, "{past:?}");
    let ends: Vec<chrono::DateTime<chrono::Utc>> =
        past.iter().map(|m| m["ends_at"].as_str().unwrap().parse().unwrap()).collect();
    for (m, end) in past.iter().zip(&ends) {
        assert_eq!(m["state"], "completed", "{m}");
        assert!(*end <= now, "{m} has not ended");
        assert!(now - *end <= chrono::Duration::days(90) + chrono::Duration::minutes(5), "{m} is older than 90 days");
    }
    assert!(ends.windows(2).all(|w| w[0] >= w[1]), "most recently ended first: {ends:?}");
    // Upcoming and running windows stay in `maintenance`, and only there.
    let upcoming: Vec<&str> =
        body["maintenance"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert!(past.iter().all(|m| !upcoming.contains(&m["id"].as_str().unwrap())));
}

#[tokio::test]
async fn every_incident_and_window_has_a_json_permalink_and_unknown_ids_are_json_404s() {
    let app = spawn().await;
    let operator = app.caller("demo.operator").await;
    let (_, catalogue) = app.get_json("/api/v1/catalogue").await;
    let system = catalogue["systems"][0]["id"].as_str().unwrap().to_owned();
    let (code, posted) = operator
        .post(
            "/api/v1/ops/incidents",
            &json!({"system": system, "pool": "", "impact": "degraded",
                "title_ko": "로그인 노드 응답 지연", "title_en": "Login node slow",
                "body_ko": "로그인 노드가 느립니다.", "body_en": "The login node is slow."}),
        )
        .await;
    assert_eq!(code, 200, "{posted}");
    let id = posted["id"].as_str().unwrap();
    let (code, one) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(code, 200, "{one}");
    assert_eq!(one, posted, "the permalink gives the incident as it was recorded");

    let (_, list) = app.get_json("/api/v1/incidents").await;
    let window = list["past_maintenance"][0].clone();
    let wid = window["id"].as_str().unwrap();
    let (code, one) = app.get_json(&format!("/api/v1/maintenance/{wid}")).await;
    assert_eq!(code, 200, "{one}");
    assert_eq!(one, window);
    let upcoming = list["maintenance"][0].clone();
    let (_, one) = app.get_json(&format!("/api/v1/maintenance/{}", upcoming["id"].as_str().unwrap())).await;
    assert_eq!(one["state"], upcoming["state"], "the state is as of now");

    for path in ["/api/v1/incidents/no-such-incident", "/api/v1/maintenance/no-such-window"] {
        let (code, err) = app.get_json(path).await;
        assert_eq!((code, err["error"].as_str()), (404, Some("not_found")), "{path}: {err}");
    }
}

#[tokio::test]
async fn the_permalink_pages_show_the_record_in_either_language_without_the_app() {
    let app = spawn().await;
    let operator = app.caller("demo.operator").await;
    let (_, catalogue) = app.get_json("/api/v1/catalogue").await;
    let system = catalogue["systems"][0]["id"].as_str().unwrap().to_owned();
    let system_ko = catalogue["systems"][0]["name_ko"].as_str().unwrap().to_owned();
    let (_, posted) = operator
        .post(
            "/api/v1/ops/incidents",
            &json!({"system": system, "pool": "", "impact": "partial_outage",
                "title_ko": "스토리지 <지연>", "title_en": "Storage <latency>",
                "body_ko": "원인을 조사하고 있습니다.", "body_en": "We are investigating."}),
        )
        .await;
    let id = posted["id"].as_str().unwrap().to_owned();
    let update = json!({"state": "resolved", "body_ko": "복구했습니다.", "body_en": "Recovered."});
    let (code, _) = operator.post(&format!("/api/v1/ops/incidents/{id}/updates"), &update).await;
    assert_eq!(code, 200);

    let (code, kind, html) = page(&app, &format!("/incidents/{id}")).await;
    assert_eq!(code, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(html.contains("<html lang=\"ko\""), "Korean by default");
    assert!(html.contains("스토리지 &lt;지연&gt;"), "the title, escaped: {html}");
    assert!(!html.contains("<지연>"));
    assert!(html.contains(&system_ko), "the system's name");
    // Both updates, newest first, and how long it lasted.
    let (resolved, investigating) =
        (html.find("복구했습니다.").unwrap(), html.find("원인을 조사하고 있습니다.").unwrap());
    assert!(resolved < investigating, "newest update first");
    assert!(html.contains("data-testid=\"incident-duration\""));
    assert!(html.contains(&format!("href=\"/api/v1/incidents/{id}\"")), "links its JSON");
    assert!(html.contains(&format!("href=\"/incidents/{id}?lang=en\"")), "the language link stays on the page");

    let res = app.client.get(format!("{}/incidents/{id}?lang=en", app.base)).send().await.unwrap();
    let cookie = res.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(cookie.starts_with("kairr_locale=en;") && cookie.contains("Path=/"), "the choice is remembered: {cookie}");
    let (code, _, en) = page(&app, &format!("/incidents/{id}?lang=en")).await;
    assert_eq!(code, 200);
    let (_, _, status) = page(&app, "/").await;
    assert!(status.contains("<html lang=\"en\""), "the next page is in the language chosen");
    assert!(en.contains("<html lang=\"en\"") && en.contains("Storage &lt;latency&gt;") && en.contains("Recovered."));

    let (_, list) = app.get_json("/api/v1/incidents").await;
    let window = &list["past_maintenance"][0];
    // (Back to Korean with the page's own link, which the next pages keep.)
    let (code, _, html) = page(&app, &format!("/maintenance/{}?lang=ko", window["id"].as_str().unwrap())).await;
    assert_eq!(code, 200);
    assert!(html.contains(window["title_ko"].as_str().unwrap()));
    assert!(html.contains("data-state=\"completed\""));

    // An unknown id is a page that says so, with the status code to match; what it echoes is escaped.
    let (code, kind, html) = page(&app, "/incidents/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(code, 404);
    assert!(kind.starts_with("text/html"));
    assert!(html.contains("장애 기록을 찾을 수 없습니다"));
    assert!(!html.contains("<script>alert(1)"), "{html}");
    let (code, _, html) = page(&app, "/maintenance/nope?lang=en").await;
    assert_eq!(code, 404);
    assert!(html.contains("Maintenance window not found"));
}

#[tokio::test]
async fn a_signed_in_visitor_sees_their_own_entries_on_the_servers_pages_not_the_sign_in_link() {
    let app = spawn().await;
    let (_, list) = app.get_json("/api/v1/incidents").await;
    let window = list["maintenance"][0]["id"].as_str().unwrap().to_owned();
    // The status page too: rendered once for everyone, the visitor's entries put in place of the link.
    let pages = [format!("/maintenance/{window}"), "/subscribe".to_owned(), "/no-such-page".to_owned(), "/".to_owned()];
    for path in &pages {
        let (_, _, anonymous) = page(&app, path).await;
        assert!(anonymous.contains("data-testid=\"nav-sign-in\""), "{path}: the sign-in link for a visitor");
        assert!(!anonymous.contains("data-testid=\"account\""), "{path}");
    }
    // A page that shows who is signed in (and, for a webhook, its secret once) is kept by no cache.
    let res = app.client.get(format!("{}/subscribe", app.base)).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store", "the page's own rule, not the static files'");
    let committee = app.client_as("demo.committee").await;
    for path in &pages {
        let html = committee.get(format!("{}{path}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains("data-testid=\"nav-sign-in\""), "{path}: no sign-in link once signed in");
        assert!(html.contains("data-testid=\"account\""), "{path}: who is signed in");
        assert!(
            html.contains("href=\"/committee\" rel=\"external\" data-testid=\"nav-home\""),
            "{path}: their home page"
        );
        assert!(!html.contains("data-testid=\"sign-out\""), "{path}: no button a page without the app cannot run");
    }
    // What the status page's script fetches to refresh it keeps them too.
    let live = committee.get(format!("{}/", app.base)).header("x-kairr-part", "live").send().await.unwrap();
    let live = live.text().await.unwrap();
    assert!(live.contains("data-testid=\"account\"") && !live.contains("data-testid=\"nav-sign-in\""));
    let (_, _, anonymous) = page(&app, "/").await;
    assert!(
        anonymous.contains("data-testid=\"nav-sign-in\""),
        "the next anonymous visitor gets the sign-in link again"
    );
}

#[tokio::test]
async fn the_feed_links_each_entry_to_its_permalink() {
    for public_url in [None, Some("https://status.kairr.example/")] {
        let app = crate::support::spawn_with(|s| s.public_url = public_url.map(str::to_owned)).await;
        let operator = app.caller("demo.operator").await;
        let (_, catalogue) = app.get_json("/api/v1/catalogue").await;
        let system = catalogue["systems"][0]["id"].as_str().unwrap().to_owned();
        let (_, posted) = operator
            .post(
                "/api/v1/ops/incidents",
                &json!({"system": system, "pool": "", "impact": "degraded",
                    "title_ko": "피드 확인", "title_en": "Feed check", "body_ko": "확인 중", "body_en": "Checking"}),
            )
            .await;
        let id = posted["id"].as_str().unwrap();
        let feed = app.client.get(format!("{}/feed.atom", app.base)).send().await.unwrap().text().await.unwrap();
        // On the configured public address, else relative to the feed.
        let base = public_url.map_or("", |u| u.trim_end_matches('/'));
        let link = format!("href=\"{base}/incidents/{id}\"");
        assert!(feed.contains(&link), "{link} in {feed}");
        assert!(feed.contains(&format!("href=\"{base}/maintenance/")), "maintenance entries link theirs");
        assert!(!feed.contains("href=\"/\""), "no entry links only the front page");
    }
}

/// `kairr_history_reads_total` from the server's metrics.
async fn history_reads(app: &crate::support::TestApp) -> u64 {
    let text = app.client.get(format!("{}/metrics", app.base)).send().await.unwrap().text().await.unwrap();
    let line = text.lines().find(|l| l.starts_with("kairr_history_reads_total")).unwrap_or_else(|| panic!("{text}"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_crowd_asking_for_one_history_costs_one_database_read() {
    // No warm-up: the crowd meets a history nobody has read yet.
    let app = crate::support::spawn_with(|s| s.warm_histories = false).await;
    let (_, catalogue) = app.get_json("/api/v1/catalogue").await;
    let system = catalogue["systems"][1]["id"].as_str().unwrap().to_owned();
    // The week's history of this system has not been read yet (the status page reads the day's).
    let before = history_reads(&app).await;
    let url = format!("{}/api/v1/status/history?system={system}&range=7d", app.base);
    let answers = futures_util::future::join_all((0..24).map(|_| {
        let (client, url) = (app.client.clone(), url.clone());
        async move {
            let res = client.get(url).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    }))
    .await;
    assert!(answers.iter().all(|(code, _)| *code == 200), "{:?}", answers.iter().map(|a| a.0).collect::<Vec<_>>());
    assert!(answers.windows(2).all(|w| w[0].1 == w[1].1), "every caller gets the same history");
    assert_eq!(history_reads(&app).await - before, 1, "24 concurrent requests, one read of the database");
}

#[tokio::test]
async fn every_history_is_read_once_after_start_so_no_first_visitor_waits_for_the_database() {
    let app = spawn().await;
    let (_, catalogue) = app.get_json("/api/v1/catalogue").await;
    let systems: Vec<String> =
        catalogue["systems"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
    let every = u64::try_from(systems.len() * 3).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
    while history_reads(&app).await < every {
        assert!(
            std::time::Instant::now() < deadline,
            "the warm-up read {} of {every} histories",
            history_reads(&app).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let (code, health) = app.get_json("/healthz").await;
    assert_eq!((code, &health["histories_ready"]), (200, &serde_json::Value::Bool(true)), "{health}");
    let before = history_reads(&app).await;
    for system in &systems {
        for range in ["24h", "7d", "90d"] {
            let (code, history) = app.get_json(&format!("/api/v1/status/history?system={system}&range={range}")).await;
            assert_eq!(code, 200);
            assert_eq!(history["range"], range);
        }
    }
    assert_eq!(history_reads(&app).await, before, "every range of every system answered from what the warm-up read");
}

/// The load chart's buckets are summed by the database (both dialects) by
/// the rule the shared code states: each sample time once with its pools
/// combined, a time without GPUs in service counting as 0 utilisation,
/// only times after the range's start up to `now`, empty buckets left out.
#[tokio::test]
async fn the_database_sums_the_load_series_by_the_shared_rule() {
    use kairr_shared::history::{bucket_sums, series_from_sums, HistoryRange, SystemSample};
    use kairr_shared::status::Status;

    use crate::support::db::{execute, Arg};

    let app = spawn().await;
    let db = app.db().await;
    let now: i64 = 1_800_000_000; // a whole hour
                                  // (pool, ts, gpus total, allocated, running, pending)
    let rows: [(&str, i64, i64, i64, i64, i64); 7] = [
        ("probe-a", now - 3000, 40, 10, 3, 1),
        ("probe-b", now - 3000, 60, 30, 1, 0),
        ("probe-a", now - 2900, 100, 60, 6, 2),
        ("probe-a", now - 600, 0, 0, 0, 5),
        ("probe-a", now, 10, 10, 1, 1),
        // Outside the week: before its start, and after `now`.
        ("probe-a", now - 7 * 86_400, 10, 5, 1, 1),
        ("probe-a", now + 60, 10, 5, 1, 1),
    ];
    let sql = "INSERT INTO pool_samples (pool_id, system_id, ts, severity, nodes_total, nodes_up, nodes_down, \
               nodes_drained, gpus_total, gpus_allocated, running_jobs, pending_jobs, median_wait_s, power_kw, source) \
               VALUES ($1, 'probe', $2, 0, 1, 1, 0, 0, $3, $4, $5, $6, NULL, 1.0, 'demo')";
    for (pool, ts, total, allocated, running, pending) in rows {
        let args =
            [Arg::Text(pool), Arg::Int(ts), Arg::Int(total), Arg::Int(allocated), Arg::Int(running), Arg::Int(pending)];
        execute(&db, sql, &args).await.unwrap();
    }
    let storage = kairr_server::storage::Storage::connect(&app.settings).await.unwrap();
    let summed = storage.system_series("probe", HistoryRange::Week, now).await.unwrap();

    // The same samples, their pools combined per time, through the shared rule.
    let sample = |ts, total, allocated, running, pending| SystemSample {
        ts,
        status: Status::Operational,
        gpus_allocated: allocated,
        gpus_total: total,
        running_jobs: running,
        pending_jobs: pending,
    };
    let combined = [
        sample(now - 3000, 100, 40, 4, 1),
        sample(now - 2900, 100, 60, 6, 2),
        sample(now - 600, 0, 0, 0, 5),
        sample(now, 10, 10, 1, 1),
        sample(now - 7 * 86_400, 10, 5, 1, 1),
        sample(now + 60, 10, 5, 1, 1),
    ];
    let expected = bucket_sums(&combined, HistoryRange::Week, now);
    assert_eq!(summed.len(), 2, "{summed:?}");
    assert_eq!(summed.iter().map(|b| (b.start, b.samples)).collect::<Vec<_>>(), [(now - 3600, 3), (now, 1)]);
    for (got, want) in summed.iter().zip(&expected) {
        assert_eq!((got.start, got.samples), (want.start, want.samples));
        for (g, w) in [
            (got.utilisation, want.utilisation),
            (got.running_jobs, want.running_jobs),
            (got.pending_jobs, want.pending_jobs),
        ] {
            assert!((g - w).abs() < 1e-9, "{got:?} against {want:?}");
        }
    }
    // The hour before `now`: utilisation (0.4 + 0.6 + 0) / 3, running 10 / 3, pending 8 / 3.
    let points = series_from_sums(&summed);
    assert!((points[0].utilisation - 1.0 / 3.0).abs() < 1e-9, "{points:?}");
    assert!((points[0].pending_jobs - 8.0 / 3.0).abs() < 1e-9, "{points:?}");
    assert!((points[1].utilisation - 1.0).abs() < 1e-9, "{points:?}");
}
