//! `/partitions`. The fields read here are the same in v0.0.36 to v0.0.38
//! (v0.0.36 lacks `state`, and spells `min_nodes_per_job` differently, neither read).

use serde::Deserialize;

use super::super::hostlist;
use super::super::model::{Parsed, Partition};
use super::super::SlurmError;
use super::{body, finite, read};

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    partitions: Vec<PartitionV36>,
}

#[derive(Deserialize)]
struct PartitionV36 {
    name: String,
    nodes: Option<String>,
    max_time_limit: Option<i64>,
    default_time_limit: Option<i64>,
    maximum_nodes_per_job: Option<i64>,
}

/// Reads a `/partitions` answer of any supported version.
pub fn parse_partitions(text: &str) -> Result<Parsed<Partition>, SlurmError> {
    read(text, "partitions", |_, text| {
        let mut budget = hostlist::Budget::default();
        body::<Answer>(text, "partitions")?
            .partitions
            .into_iter()
            .map(|p| {
                Ok(Partition {
                    nodes: hostlist::expand_within(p.nodes.as_deref().unwrap_or_default(), &mut budget)
                        .map_err(|source| SlurmError::HostList { what: "partitions", source })?,
                    name: p.name,
                    max_time_minutes: finite(p.max_time_limit),
                    default_time_minutes: finite(p.default_time_limit),
                    max_nodes_per_job: finite(p.maximum_nodes_per_job),
                })
            })
            .collect()
    })
}
