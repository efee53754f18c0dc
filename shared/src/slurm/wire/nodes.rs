//! `/nodes` and `sinfo --json`. v0.0.36 has no `state_flags` and no
//! `partitions`, and folds flags into its one `state` string (a mixed node is
//! `allocated`, a draining one keeps its base state, odd combinations are
//! `invalid`); v0.0.37 and v0.0.38 share one shape.

use serde::Deserialize;

use super::super::gres::{gpu_entries, GpuEntry};
use super::super::model::{Node, NodeBase, NodeFlags, NodeGpus, Parsed};
use super::super::{ApiVersion, SlurmError};
use super::{body, finite, read};

#[derive(Deserialize)]
struct Answer<N> {
    #[serde(default = "Vec::new")]
    nodes: Vec<N>,
}

#[derive(Deserialize)]
struct NodeV36 {
    name: String,
    state: Option<String>,
    reason: Option<String>,
    gres: Option<String>,
    gres_used: Option<String>,
    cpus: Option<i64>,
}

#[derive(Deserialize)]
struct NodeV37 {
    name: String,
    state: Option<String>,
    #[serde(default)]
    state_flags: Vec<String>,
    #[serde(default)]
    partitions: Vec<String>,
    reason: Option<String>,
    gres: Option<String>,
    gres_used: Option<String>,
    cpus: Option<i64>,
    alloc_cpus: Option<i64>,
}

/// Reads a `/nodes` answer (or `sinfo --json`) of any supported version.
pub fn parse_nodes(text: &str) -> Result<Parsed<Node>, SlurmError> {
    read(text, "nodes", |version, text| match version {
        ApiVersion::V0036 => Ok(body::<Answer<NodeV36>>(text, "nodes")?.nodes.into_iter().map(v36).collect()),
        ApiVersion::V0037 | ApiVersion::V0038 => {
            Ok(body::<Answer<NodeV37>>(text, "nodes")?.nodes.into_iter().map(v37).collect())
        }
    })
}

fn v36(n: NodeV36) -> Node {
    let base = NodeBase::parse(n.state.as_deref().unwrap_or("unknown"));
    let reason = n.reason.unwrap_or_default();
    // v0.0.36 loses the DRAIN flag. Slurm keeps a reason only on nodes that are
    // down, drained or failing, so a reason on a node that is otherwise up means drained.
    let up_like = matches!(base, NodeBase::Idle | NodeBase::Mixed | NodeBase::Allocated | NodeBase::Completing);
    let flags = NodeFlags { drain: up_like && !reason.trim().is_empty(), ..NodeFlags::default() };
    Node {
        name: n.name,
        partitions: Vec::new(),
        base,
        flags,
        cpus: finite(n.cpus).unwrap_or(0),
        alloc_cpus: None,
        gpus: gpus(n.gres.as_deref(), n.gres_used.as_deref()),
        reason,
    }
}

fn v37(n: NodeV37) -> Node {
    Node {
        name: n.name,
        partitions: n.partitions,
        base: NodeBase::parse(n.state.as_deref().unwrap_or("unknown")),
        flags: NodeFlags::parse(n.state_flags.iter().map(String::as_str)),
        cpus: finite(n.cpus).unwrap_or(0),
        alloc_cpus: finite(n.alloc_cpus),
        gpus: gpus(n.gres.as_deref(), n.gres_used.as_deref()),
        reason: n.reason.unwrap_or_default(),
    }
}

/// A node's GPUs by type: totals from `gres`, allocations from `gres_used`
/// (matched by type; with one type on the node, every used GPU is of it).
fn gpus(gres: Option<&str>, used: Option<&str>) -> Vec<NodeGpus> {
    let totals = gpu_entries(gres.unwrap_or_default());
    let used = gpu_entries(used.unwrap_or_default());
    let single = totals.len() == 1;
    totals
        .into_iter()
        .map(|GpuEntry { model, count }| {
            let u: u32 =
                used.iter().filter(|e| single || e.model == model).map(|e| e.count).fold(0, u32::saturating_add);
            NodeGpus { model, total: count, used: u.min(count) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_gpus_are_matched_to_their_type() {
        let g = gpus(Some("gpu:a100:4,gpu:h100:2"), Some("gpu:a100:1(IDX:0),gpu:h100:2(IDX:0-1)"));
        assert_eq!(g.iter().map(|x| (x.total, x.used)).collect::<Vec<_>>(), vec![(4, 1), (2, 2)]);
        let g = gpus(Some("gpu:4"), Some("gpu:2"));
        assert_eq!((g[0].model.clone(), g[0].total, g[0].used), (None, 4, 2));
        assert!(gpus(Some(""), Some("gpu:0")).is_empty(), "a node without GPUs reports gpu:0 as used");
    }
}
