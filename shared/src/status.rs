//! Component status (Statuspage's five states) and the roll-up from node counts.

use serde::{Deserialize, Serialize};

use crate::catalogue::StatusPolicy;

/// The state of a system or pool, as Statuspage names component states.
///
/// Ordered by severity for roll-up: `Operational < Maintenance < Degraded <
/// PartialOutage < MajorOutage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Operational,
    Maintenance,
    Degraded,
    PartialOutage,
    MajorOutage,
}

impl Status {
    /// Every status, least severe first.
    pub const ALL: [Status; 5] =
        [Status::Operational, Status::Maintenance, Status::Degraded, Status::PartialOutage, Status::MajorOutage];

    /// Severity as stored in the database (0 = operational … 4 = major outage).
    pub fn severity(self) -> u8 {
        match self {
            Status::Operational => 0,
            Status::Maintenance => 1,
            Status::Degraded => 2,
            Status::PartialOutage => 3,
            Status::MajorOutage => 4,
        }
    }

    /// Inverse of [`Status::severity`]; `None` for an unknown number.
    pub fn from_severity(severity: u8) -> Option<Status> {
        Status::ALL.get(usize::from(severity)).copied()
    }

    /// The stable snake_case name used in the API and locale keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Operational => "operational",
            Status::Maintenance => "maintenance",
            Status::Degraded => "degraded",
            Status::PartialOutage => "partial_outage",
            Status::MajorOutage => "major_outage",
        }
    }

    /// True for the three outage levels (the ones that open incidents).
    pub fn is_incident(self) -> bool {
        self >= Status::Degraded
    }
}

/// Node counts of one pool at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeCounts {
    /// Nodes in service (built and handed to the national pool).
    pub total: u32,
    /// Nodes up: idle or running jobs.
    pub up: u32,
    /// Nodes down: failed, not responding.
    pub down: u32,
    /// Nodes drained by operators (maintenance, repair, admin).
    pub drained: u32,
}

/// Rolls a pool's node counts up into a status under `policy`.
///
/// Down nodes decide the outage level (as a fraction of nodes in service);
/// an active maintenance window shows as `Maintenance` unless the outage is
/// worse than degraded.
pub fn pool_status(nodes: NodeCounts, in_maintenance: bool, policy: &StatusPolicy) -> Status {
    let outage = if nodes.total == 0 {
        Status::MajorOutage
    } else {
        let down = f64::from(nodes.down) / f64::from(nodes.total);
        if down >= policy.major_outage_down_fraction {
            Status::MajorOutage
        } else if down >= policy.partial_outage_down_fraction {
            Status::PartialOutage
        } else if down >= policy.degraded_down_fraction {
            Status::Degraded
        } else {
            Status::Operational
        }
    };
    if in_maintenance && outage <= Status::Degraded {
        Status::Maintenance
    } else {
        outage
    }
}

/// A system's status is the worst of its pools' (operational when it has none).
pub fn rollup(pools: impl IntoIterator<Item = Status>) -> Status {
    pools.into_iter().max().unwrap_or(Status::Operational)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> StatusPolicy {
        StatusPolicy {
            degraded_down_fraction: 0.03,
            partial_outage_down_fraction: 0.10,
            major_outage_down_fraction: 0.50,
            partial_outage_downtime_weight: 0.3,
        }
    }

    fn counts(total: u32, down: u32) -> NodeCounts {
        NodeCounts { total, up: total - down, down, drained: 0 }
    }

    #[test]
    fn down_fraction_thresholds_map_to_statuses() {
        let cases = [
            (0, false, Status::Operational),
            (2, false, Status::Operational),
            (3, false, Status::Degraded),
            (10, false, Status::PartialOutage),
            (49, false, Status::PartialOutage),
            (50, false, Status::MajorOutage),
            (100, false, Status::MajorOutage),
            (0, true, Status::Maintenance),
            (5, true, Status::Maintenance),
            (20, true, Status::PartialOutage),
        ];
        for (down, maint, expected) in cases {
            assert_eq!(pool_status(counts(100, down), maint, &policy()), expected, "down={down} maint={maint}");
        }
    }

    #[test]
    fn a_pool_with_no_nodes_in_service_is_a_major_outage() {
        assert_eq!(pool_status(counts(0, 0), false, &policy()), Status::MajorOutage);
    }

    #[test]
    fn rollup_takes_the_worst_pool() {
        assert_eq!(rollup([Status::Operational, Status::Degraded, Status::Maintenance]), Status::Degraded);
        assert_eq!(rollup([]), Status::Operational);
    }

    #[test]
    fn severity_round_trips() {
        for s in Status::ALL {
            assert_eq!(Status::from_severity(s.severity()), Some(s));
        }
        assert_eq!(Status::from_severity(9), None);
    }
}
