//! Operations endpoints and HTTP-level errors as real clients see them:
//! `/metrics` in OpenMetrics with bounded labels (checked by `promtool` when
//! installed), a stable Atom feed, and JSON `ApiError` bodies for 405, 414,
//! 431 and repeated query parameters.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing fast is the point

use crate::support;

use std::collections::BTreeMap;

async fn metrics_text(app: &support::TestApp, accept: &str) -> (String, String) {
    let res = app.client.get(format!("{}/metrics", app.base)).header("accept", accept).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
    (ct, res.text().await.unwrap())
}

#[tokio::test]
async fn metrics_are_openmetrics_with_bounded_labels() {
    let app = support::spawn().await;
    for method in ["FOO", "BAR123", "PROPFIND"] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let _ = app.client.request(m.clone(), format!("{}/api/v1/status", app.base)).send().await.unwrap();
        let _ = app.client.request(m, format!("{}/some/page", app.base)).send().await.unwrap();
    }
    let _ = app.client.get(format!("{}/api/v1/status", app.base)).send().await.unwrap();
    for path in ["/no/such/a", "/no/such/b", "/api/v1/nothing-1", "/api/v1/nothing-2"] {
        let _ = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
    }
    // Prometheus's own Accept header gets OpenMetrics.
    let prometheus_accept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;\
        version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    let (ct, om) = metrics_text(&app, prometheus_accept).await;
    assert_eq!(ct, "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assert!(om.trim_end().ends_with("# EOF"), "OpenMetrics ends with # EOF");
    assert!(om.contains("# TYPE kairr_http_requests counter"));
    // Anything else gets the classic text format, counters named with _total.
    let (ct, text) = metrics_text(&app, "*/*").await;
    assert_eq!(ct, "text/plain; version=0.0.4; charset=utf-8");
    assert!(!text.contains("# EOF"));
    assert!(text.contains("# TYPE kairr_http_requests_total counter"), "{text}");
    for bad in ["FOO", "BAR123", "PROPFIND", "/no/such", "nothing-1"] {
        assert!(!text.contains(bad), "{bad} must not become a label value");
    }
    let requests: Vec<&str> = text.lines().filter(|l| l.starts_with("kairr_http_requests_total")).collect();
    assert!(text.contains(r#"method="other""#), "unknown methods are `other`: {requests:#?}");
    assert!(text.contains(r#"route="/api/v1/status""#), "routes are templates");

    // `promtool check metrics` (Debian's prometheus package, which reads the classic format) accepts it.
    match std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Err(_) => eprintln!("promtool not installed: skipped (./kairr ensure_prometheus installs it)"),
        Ok(mut child) => {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(out.status.success(), "promtool check metrics: {said}");
        }
    }
}

#[tokio::test]
async fn the_atom_feed_is_stable_between_fetches() {
    let app = support::spawn().await;
    let fetch = || async {
        let res = app.client.get(format!("{}/feed.atom", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        res.text().await.unwrap()
    };
    let entries = |xml: &str| -> BTreeMap<String, String> {
        xml.split("<entry>")
            .skip(1)
            .map(|e| {
                let tag = |t: &str| {
                    let (open, close) = (format!("<{t}>"), format!("</{t}>"));
                    let from = e.find(&open).unwrap() + open.len();
                    e[from..from + e[from..].find(&close).unwrap()].to_owned()
                };
                (tag("id"), tag("updated"))
            })
            .collect()
    };
    let first = fetch().await;
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let second = fetch().await;
    let (a, b) = (entries(&first), entries(&second));
    assert!(!a.is_empty(), "the demo has incidents or maintenance in the feed");
    assert_eq!(a, b, "same ids, same updated dates");
    let feed_updated = |xml: &str| xml[xml.find("<updated>").unwrap()..].split('<').nth(1).unwrap().to_owned();
    assert_eq!(feed_updated(&first), feed_updated(&second), "the feed's updated is its newest entry's");
    assert_eq!(feed_updated(&first).trim_start_matches("updated>"), a.values().max().unwrap().as_str());
}

/// The status and `ApiError` body of a response.
async fn api_error(res: reqwest::Response) -> (u16, serde_json::Value) {
    let code = res.status().as_u16();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(ct.starts_with("application/json"), "{code}: content-type {ct:?}");
    let body: serde_json::Value = res.json().await.unwrap();
    for key in ["error", "message"] {
        assert!(body.get(key).is_some(), "{code}: no {key} in {body}");
    }
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    (code, body)
}

#[tokio::test]
async fn http_errors_are_json_api_errors() {
    let app = support::spawn().await;
    let c = &app.client;
    let base = &app.base;

    let res = c.delete(format!("{base}/api/v1/status")).send().await.unwrap();
    assert!(res.headers().get("allow").is_some(), "405 keeps Allow");
    let (code, body) = api_error(res).await;
    assert_eq!((code, body["error"].as_str()), (405, Some("method_not_allowed")));

    let long = "a".repeat(9 * 1024);
    let (code, body) = api_error(c.get(format!("{base}/api/v1/status?x={long}")).send().await.unwrap()).await;
    assert_eq!((code, body["error"].as_str()), (414, Some("uri_too_long")));

    let big = "b".repeat(8 * 1024);
    let mut req = c.get(format!("{base}/api/v1/status"));
    for i in 0..5 {
        req = req.header(format!("x-big-{i}"), big.as_str());
    }
    let (code, body) = api_error(req.send().await.unwrap()).await;
    assert_eq!((code, body["error"].as_str()), (431, Some("headers_too_large")));

    let res = c.get(format!("{base}/api/v1/status/history?system=kisti6&range=7d&range=90d")).send().await.unwrap();
    let (code, body) = api_error(res).await;
    assert_eq!(code, 400);
    assert_eq!(body["field"], "query");
    assert!(body["message"].as_str().unwrap().contains("range"), "names the parameter: {body}");

    // Still fine: a normal request, and the SSE stream (not under the request timeout).
    assert_eq!(c.get(format!("{base}/api/v1/status")).send().await.unwrap().status(), 200);
    let mut sse = c.get(format!("{base}/api/v1/events")).send().await.unwrap();
    assert_eq!(sse.status(), 200);
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), sse.chunk()).await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first.unwrap()).contains("event: status"));
}
