//! Tests of the placement advisor: the helpers shared by the table-driven
//! cases, the property tests, validation and workflows.

mod cases;
mod props;
mod validation;
mod workflow;

use serde_json::{json, Value};

use super::*;
use crate::catalogue::Catalogue;

/// The embedded catalogue.
fn cat() -> Catalogue {
    Catalogue::embedded().unwrap()
}

/// A form: a university job unless `fields` say otherwise.
fn input(fields: Value) -> WorkloadInput {
    let mut base = json!({ "sector": "university" });
    if let (Some(b), Some(f)) = (base.as_object_mut(), fields.as_object()) {
        b.extend(f.clone());
    }
    serde_json::from_value(base).unwrap()
}

/// Parses `fields` (see [`input`]) against the embedded catalogue.
fn workload(fields: Value) -> Workload {
    input(fields).parse(&cat()).unwrap()
}

/// Live conditions: every pool empty and idle except the given median waits (hours).
fn waits(hours: &[(&str, f64)]) -> Conditions {
    let mut c = Conditions::unknown();
    for (_, p) in cat().pools() {
        let total = p.nodes_in_service * p.gpus_per_node;
        let wait = hours.iter().find(|(id, _)| *id == p.id).map(|(_, h)| {
            let s = (h * 3_600.0) as u64;
            WaitBand { p10_seconds: s / 2, p50_seconds: s, p90_seconds: s * 2, runs: 9, censored_runs: 0 }
        });
        c.pools.push(PoolConditions {
            pool_id: p.id.clone(),
            total_gpus: total,
            free_gpus: total,
            pending_jobs: 0,
            pending_gpus: 0,
            wait,
            never_starts: false,
        });
    }
    c
}
