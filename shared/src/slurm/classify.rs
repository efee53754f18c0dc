//! What a node's Slurm state means for the portal: up (idle, mixed,
//! allocated), down (down, failing, not responding, unknown), drained
//! (draining or drained by operators, or in a maintenance reservation), or
//! not in service at all (future nodes).

use serde::{Deserialize, Serialize};

use super::model::{Node, NodeBase};

/// A node's place in the portal's node counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeClass {
    /// Idle or running jobs: counts as up.
    Up,
    /// Down, failed, not responding, or in a state Slurm could not name.
    Down,
    /// Draining/drained, or in an active maintenance reservation.
    Drained,
    /// `future` nodes: configured but not in service; not counted.
    NotInService,
}

/// Classifies one node. Order matters: an operator's drain and a maintenance
/// reservation say more than "not responding" (sinfo prints `drained*`, `maint*`).
pub fn classify(node: &Node) -> NodeClass {
    let f = node.flags;
    if node.base == NodeBase::Future {
        return NodeClass::NotInService;
    }
    if f.drain || f.maintenance {
        return NodeClass::Drained;
    }
    if f.not_responding || f.fail {
        return NodeClass::Down;
    }
    match node.base {
        NodeBase::Idle | NodeBase::Mixed | NodeBase::Allocated | NodeBase::Completing => NodeClass::Up,
        _ => NodeClass::Down,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slurm::model::NodeFlags;

    fn node(base: &str, flags: &[&str]) -> Node {
        Node {
            name: "n".into(),
            partitions: vec![],
            base: NodeBase::parse(base),
            flags: NodeFlags::parse(flags.iter().copied()),
            cpus: 1,
            alloc_cpus: None,
            gpus: vec![],
            reason: String::new(),
        }
    }

    #[test]
    fn slurm_states_map_to_node_classes() {
        let cases: [(&str, &[&str], NodeClass); 13] = [
            ("idle", &[], NodeClass::Up),
            ("mixed", &[], NodeClass::Up),
            ("allocated", &[], NodeClass::Up),
            ("idle", &["POWERED_DOWN"], NodeClass::Up),
            ("idle", &["DRAIN"], NodeClass::Drained),
            ("mixed", &["DRAIN"], NodeClass::Drained),
            ("idle", &["MAINTENANCE", "RESERVED"], NodeClass::Drained),
            ("unknown", &["MAINTENANCE", "RESERVED", "NOT_RESPONDING"], NodeClass::Drained),
            ("down", &[], NodeClass::Down),
            ("unknown", &["NOT_RESPONDING"], NodeClass::Down),
            ("idle", &["NOT_RESPONDING"], NodeClass::Down),
            ("invalid", &[], NodeClass::Down),
            ("future", &[], NodeClass::NotInService),
        ];
        for (base, flags, want) in cases {
            assert_eq!(classify(&node(base, flags)), want, "{base} {flags:?}");
        }
    }
}
