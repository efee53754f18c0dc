//! The OpenAPI document's schemas describe what the server sends.
//!
//! OpenAPI components are keyed by name: two Rust types with the same name
//! (the placement advisor's `Decision` and the programme's `Decision`) used to
//! share one component, so the placement answers were described with the
//! committee decision's schema and every 200 of `POST /api/v1/placement`
//! failed Schemathesis' response_schema_conformance.
#![allow(clippy::expect_used)] // tests: failing fast is the point

use serde_json::Value;
use utoipa::OpenApi;

fn document() -> Value {
    serde_json::to_value(kairr_server::openapi::ApiDoc::openapi()).expect("the document serialises")
}

fn properties<'a>(doc: &'a Value, schema: &str) -> &'a serde_json::Map<String, Value> {
    doc["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no component schema {schema} with properties"))
}

#[test]
fn placement_and_programme_decisions_are_distinct_schemas() {
    let doc = document();
    let placement = properties(&doc, "PlacementDecision");
    assert!(placement.contains_key("decider") && placement.contains_key("versus"), "{placement:?}");
    let committee = properties(&doc, "Decision");
    assert!(committee.contains_key("decided_by") && committee.contains_key("rationale"), "{committee:?}");
    for (schema, field) in [("Recommendation", "deciding"), ("PoolAssessment", "lost_on")] {
        let text = properties(&doc, schema)[field].to_string();
        assert!(text.contains("#/components/schemas/PlacementDecision"), "{schema}.{field}: {text}");
    }
}

#[test]
fn every_reference_resolves() {
    fn walk<'a>(v: &'a Value, refs: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    refs.push(r);
                }
                map.values().for_each(|v| walk(v, refs));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, refs)),
            _ => {}
        }
    }
    let doc = document();
    let mut refs = Vec::new();
    walk(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(doc["components"]["schemas"].get(name).is_some(), "dangling $ref {r}");
    }
}

#[test]
fn a_pool_says_when_its_next_whole_pool_maintenance_starts() {
    let doc = document();
    let pool = &doc["components"]["schemas"]["PoolStatus"];
    let field = &pool["properties"]["maintenance_in_seconds"];
    assert!(field.is_object(), "PoolStatus.maintenance_in_seconds: {pool}");
    assert!(field["description"].as_str().is_some_and(|d| d.contains("maintenance")), "{field}");
    let required = pool["required"].as_array().expect("PoolStatus lists its required fields");
    assert!(!required.iter().any(|r| r == "maintenance_in_seconds"), "absent when none is scheduled: {required:?}");
}
