//! The route table and the OpenAPI document agree: every documented
//! operation is answered by a route (not the API's "no such endpoint"
//! fallback, not 405), and every route registered in `router.rs` is
//! documented (only the document itself is exempt).
#![allow(clippy::unwrap_used)]

use crate::support;

use std::collections::BTreeSet;

/// `(method, path)` of every `.route(…)` in the router's source, with the
/// `/api` prefix the API routers are nested under.
fn registered_routes() -> BTreeSet<(String, String)> {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/router.rs")).unwrap();
    let flat: String = src.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = BTreeSet::new();
    for part in flat.split(".route(").skip(1) {
        let Some(rest) = part.trim_start().strip_prefix('"') else { continue };
        let Some((path, tail)) = rest.split_once('"') else { continue };
        let tail = tail.trim_start_matches([',', ' ']);
        let method = tail.split('(').next().unwrap_or_default().to_owned();
        let full =
            if path.starts_with("/v1/") || path == "/openapi.json" { format!("/api{path}") } else { path.into() };
        // Chained methods on one path: `get(a).post(b)`.
        for chained in ["get", "post", "put", "delete", "patch"] {
            if tail.contains(&format!(").{chained}(")) {
                out.insert((chained.to_owned(), full.clone()));
            }
        }
        out.insert((method, full));
    }
    out
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_operation_is_routed() {
    let app = support::spawn().await;
    let (_, doc) = app.get_json("/api/openapi.json").await;
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let registered = registered_routes();
    assert!(registered.len() >= 20, "the router's routes were not found: {registered:?}");
    let undocumented: Vec<_> =
        registered.iter().filter(|r| !documented.contains(*r) && r.1 != "/api/openapi.json").collect();
    assert!(undocumented.is_empty(), "routes missing from the OpenAPI document: {undocumented:?}");
    for (method, path) in &documented {
        let url = format!("{}{}", app.base, path.replace("{id}", "1"));
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let res = app.client.request(m, &url).json(&serde_json::json!({})).send().await.unwrap();
        let status = res.status().as_u16();
        // Only a 404's body is read (the event stream, say, never ends).
        let body = if status == 404 { res.text().await.unwrap_or_default() } else { String::new() };
        assert_ne!(status, 405, "{method} {path} is documented but not routed");
        assert!(
            !(status == 404 && body.contains("no such API endpoint")),
            "{method} {path} is documented but answered by the fallback"
        );
        assert!(registered.contains(&(method.clone(), path.clone())), "{method} {path} not in router.rs");
    }
}
