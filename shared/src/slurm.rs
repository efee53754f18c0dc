//! Slurm, read as the portal needs it. Pure: the server fetches the JSON
//! (slurmrestd or `sinfo --json` / `squeue --json`) and passes the text and
//! the time in.
//!
//! Slurm's REST schema changes with every release, so each supported version
//! (`v0.0.36` to `v0.0.38`, what Slurm 22.05 serves; its command-line JSON is
//! v0.0.38) is read by its own serde types in `wire/` into one internal model
//! (`model.rs`), as are `scontrol`'s one-line records (`scontrol.rs`, for
//! partitions and reservations in command-line mode); an unknown version is an error naming it and the supported
//! ones. `view.rs` turns the model into the portal's API: a system's status,
//! its pools' queues for the wait prediction, maintenance windows and
//! per-account GPU use.

mod classify;
pub mod gres;
pub mod hostlist;
mod mapping;
mod model;
mod pool;
mod queue;
mod scontrol;
mod usage;
mod version;
mod view;
mod wire;

#[cfg(test)]
mod tests;

pub use classify::{classify, NodeClass};
pub use mapping::SlurmMapping;
pub use model::{Cluster, Job, JobState, Node, NodeBase, NodeFlags, NodeGpus, Parsed, Partition, Reservation};
pub use scontrol::{duration_minutes, parse_partitions_text, parse_reservations_text};
pub use usage::UsageIntegrator;
pub use version::ApiVersion;
pub use view::{view, SlurmView};
pub use wire::{parse_jobs, parse_nodes, parse_partitions, parse_reservations};

/// Why Slurm's answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlurmError {
    #[error("unsupported Slurm API version {found:?}; supported: {}", ApiVersion::supported_list())]
    UnsupportedVersion { found: String },
    #[error(
        "Slurm {what} answer has no meta.plugin.type (schema version); supported: {}",
        ApiVersion::supported_list()
    )]
    MissingVersion { what: &'static str },
    #[error("Slurm {what} answer is not valid JSON for its version: {message}")]
    Json { what: &'static str, message: String },
    #[error("Slurm reported an error for {what}: {message}")]
    Api { what: &'static str, message: String },
    #[error("Slurm API {version} has no {what}")]
    NotInVersion { what: &'static str, version: ApiVersion },
    #[error("Slurm {what} answer: {source}")]
    HostList { what: &'static str, source: hostlist::HostListError },
}

impl Cluster {
    /// Joins what was read. Nodes that do not list their partitions (v0.0.36)
    /// take them from the partitions' node lists.
    pub fn assemble(
        mut nodes: Vec<Node>,
        partitions: Vec<Partition>,
        jobs: Vec<Job>,
        reservations: Vec<Reservation>,
    ) -> Cluster {
        let mut of_node: std::collections::HashMap<&str, Vec<String>> = std::collections::HashMap::new();
        for p in &partitions {
            for n in &p.nodes {
                let names = of_node.entry(n.as_str()).or_default();
                if !names.contains(&p.name) {
                    names.push(p.name.clone());
                }
            }
        }
        for node in nodes.iter_mut().filter(|n| n.partitions.is_empty()) {
            node.partitions = of_node.get(node.name.as_str()).cloned().unwrap_or_default();
        }
        Cluster { nodes, partitions, jobs, reservations }
    }
}
