//! The unit a pool is allocated in, and a round's capacity of one pool with
//! the conversions to GPU-hours that cross-pool figures need.

use serde::{Deserialize, Serialize};

use crate::display::format::thousands;
use crate::i18n::Locale;

/// Hours in a day, for server- and node-holding conversions.
const HOURS_PER_DAY: f64 = 24.0;

/// How a pool's capacity and every amount asked or awarded in it are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PoolUnit {
    /// Whole 8-GPU servers held for the allocation's period (cloud pools; the first 2026 call's unit).
    Servers,
    /// GPU-hours to spend within the period (cloud pools).
    GpuHours,
    /// Node-hours to spend within the period (batch pools such as KISTI-6).
    NodeHours,
}

impl PoolUnit {
    /// Every unit.
    pub const ALL: &'static [PoolUnit] = &[PoolUnit::Servers, PoolUnit::GpuHours, PoolUnit::NodeHours];

    /// The snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            PoolUnit::Servers => "servers",
            PoolUnit::GpuHours => "gpu_hours",
            PoolUnit::NodeHours => "node_hours",
        }
    }

    /// Parses [`Self::as_str`] back (spaces and case ignored).
    pub fn parse(text: &str) -> Option<PoolUnit> {
        PoolUnit::ALL.iter().copied().find(|u| u.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Korean label.
    pub fn label_ko(self) -> &'static str {
        match self {
            PoolUnit::Servers => "서버(8 GPU)",
            PoolUnit::GpuHours => "GPU-시간",
            PoolUnit::NodeHours => "노드-시간",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            PoolUnit::Servers => "servers (8 GPUs)",
            PoolUnit::GpuHours => "GPU-hours",
            PoolUnit::NodeHours => "node-hours",
        }
    }

    /// `n` in this unit as running text, grouped and in the language's word
    /// order: "서버 58대" / "58 servers" ("1 server"), "1,200 GPU-시간" /
    /// "1,200 GPU-hours" ("1 GPU-hour"). (The unit's label, "서버(8 GPU)",
    /// names the unit in headings and fields.)
    pub fn amount(self, loc: Locale, n: u64) -> String {
        let figure = thousands(n);
        let one = n == 1;
        match (self, loc) {
            (PoolUnit::Servers, Locale::Ko) => format!("서버 {figure}대"),
            (PoolUnit::GpuHours, Locale::Ko) => format!("{figure} GPU-시간"),
            (PoolUnit::NodeHours, Locale::Ko) => format!("{figure} 노드-시간"),
            (PoolUnit::Servers, Locale::En) => format!("{figure} {}", if one { "server" } else { "servers" }),
            (PoolUnit::GpuHours, Locale::En) => format!("{figure} {}", if one { "GPU-hour" } else { "GPU-hours" }),
            (PoolUnit::NodeHours, Locale::En) => format!("{figure} {}", if one { "node-hour" } else { "node-hours" }),
        }
    }

    /// Whether amounts are indivisible servers (progressive filling must step by one server).
    pub fn is_whole_servers(self) -> bool {
        self == PoolUnit::Servers
    }
}

/// What a round offers in one catalogue pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolCapacity {
    /// Catalogue pool id, e.g. `nhn-b200`.
    pub pool: String,
    /// The pool's GPU model (catalogue key), the resource DRF shares are taken over.
    pub gpu_model: String,
    /// GPUs in one server or node of the pool.
    pub gpus_per_node: u32,
    pub unit: PoolUnit,
    /// Capacity offered in the round, in `unit` (servers, GPU-hours or node-hours).
    pub capacity: u64,
}

impl PoolCapacity {
    /// GPU-hours of `amount` (in `unit`) over a period of `days` days: servers
    /// are held around the clock (servers × GPUs per server × 24 × days);
    /// node-hours convert by GPUs per node; GPU-hours are already GPU-hours.
    pub fn gpu_hours(&self, amount: u64, days: u32) -> f64 {
        let amount = amount as f64;
        let gpn = f64::from(self.gpus_per_node);
        match self.unit {
            PoolUnit::Servers => amount * gpn * HOURS_PER_DAY * f64::from(days),
            PoolUnit::GpuHours => amount,
            PoolUnit::NodeHours => amount * gpn,
        }
    }

    /// GPUs held by `amount` servers; `None` for pools counted in hours.
    pub fn gpus(&self, amount: u64) -> Option<u64> {
        self.unit.is_whole_servers().then(|| amount * u64::from(self.gpus_per_node))
    }

    /// GPU-hours the capacity represents over `days` days.
    pub fn capacity_gpu_hours(&self, days: u32) -> f64 {
        self.gpu_hours(self.capacity, days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_reads_as_running_text_in_either_language() {
        assert_eq!(PoolUnit::Servers.amount(Locale::Ko, 58), "서버 58대");
        assert_eq!(PoolUnit::Servers.amount(Locale::En, 1), "1 server");
        assert_eq!(PoolUnit::Servers.amount(Locale::En, 58), "58 servers");
        assert_eq!(PoolUnit::GpuHours.amount(Locale::Ko, 1_200), "1,200 GPU-시간");
        assert_eq!(PoolUnit::GpuHours.amount(Locale::En, 1), "1 GPU-hour");
        assert_eq!(PoolUnit::NodeHours.amount(Locale::En, 4_587_840), "4,587,840 node-hours");
    }

    fn pool(unit: PoolUnit) -> PoolCapacity {
        PoolCapacity { pool: "p".into(), gpu_model: "B200".into(), gpus_per_node: 8, unit, capacity: 10 }
    }

    #[test]
    fn servers_are_held_around_the_clock_and_node_hours_scale_by_gpus_per_node() {
        assert_eq!(pool(PoolUnit::Servers).gpu_hours(2, 10), 2.0 * 8.0 * 24.0 * 10.0);
        assert_eq!(pool(PoolUnit::GpuHours).gpu_hours(500, 10), 500.0);
        assert_eq!(pool(PoolUnit::NodeHours).gpu_hours(100, 10), 800.0);
        assert_eq!(pool(PoolUnit::Servers).gpus(3), Some(24));
        assert_eq!(pool(PoolUnit::GpuHours).gpus(3), None);
    }

    #[test]
    fn unit_names_parse_back() {
        for u in PoolUnit::ALL {
            assert_eq!(PoolUnit::parse(&format!(" {} ", u.as_str().to_uppercase())), Some(*u));
        }
    }
}
