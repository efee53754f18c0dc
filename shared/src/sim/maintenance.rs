//! Planned maintenance windows of the demo fleet: a fixed rhythm per system
//! (every `maintenance_every_days`, 10:00 KST), so any time range's windows
//! can be computed without running the simulation.

use crate::catalogue::{Pool, System};

/// One planned window on one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Index of the window in the system's rhythm (stable id).
    pub index: i64,
    /// Unix seconds.
    pub start: i64,
    pub end: i64,
    /// First node taken out, and how many (rotating blocks for partial windows).
    pub first_node: u32,
    pub nodes: u32,
    /// True when the whole pool goes down (batch systems stop scheduling before it).
    pub whole_pool: bool,
}

const DAY: i64 = 86_400;
/// 10:00 KST is 01:00 UTC.
const START_OF_DAY_UTC: i64 = 3_600;

fn period(system: &System) -> i64 {
    i64::from(system.maintenance_every_days.max(1)) * DAY
}

/// Systems are phased apart so their windows do not coincide.
fn phase(system: &System, system_index: usize) -> i64 {
    ((system_index as i64 * 5 + 2) * DAY) % period(system) + START_OF_DAY_UTC
}

/// Window number `index` of `pool`.
pub fn window(system: &System, system_index: usize, pool: &Pool, index: i64) -> Window {
    let start = phase(system, system_index) + index * period(system);
    let total = pool.nodes_in_service;
    let fraction = system.maintenance_fraction.clamp(0.0, 1.0);
    let nodes = ((f64::from(total) * fraction).round() as u32).clamp(1, total.max(1));
    let whole_pool = nodes >= total;
    let first_node = if whole_pool { 0 } else { ((index.rem_euclid(1_000) as u32) * nodes) % total };
    Window {
        index,
        start,
        end: start + i64::from(system.maintenance_hours) * 3_600,
        first_node,
        nodes: nodes.min(total),
        whole_pool,
    }
}

/// Windows of `pool` that overlap `[from, to)`, in order.
pub fn windows_between(system: &System, system_index: usize, pool: &Pool, from: i64, to: i64) -> Vec<Window> {
    let p = period(system);
    let ph = phase(system, system_index);
    let first = (from - ph - i64::from(system.maintenance_hours) * 3_600).div_euclid(p);
    (first..)
        .map(|k| window(system, system_index, pool, k))
        .skip_while(|w| w.end <= from)
        .take_while(|w| w.start < to)
        .collect()
}

/// The first window of `pool` that has not ended at `now`.
pub fn next_window(system: &System, system_index: usize, pool: &Pool, now: i64) -> Window {
    let k = (now - phase(system, system_index)).div_euclid(period(system));
    let w = window(system, system_index, pool, k);
    if w.end > now {
        w
    } else {
        window(system, system_index, pool, k + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    #[test]
    fn windows_follow_the_rhythm_and_cover_the_range() {
        let cat = Catalogue::embedded().unwrap();
        for (i, s) in cat.systems.iter().enumerate() {
            let p = &s.pools[0];
            let from = 1_790_000_000;
            let ws = windows_between(s, i, p, from, from + 90 * DAY);
            let expected = 90 / s.maintenance_every_days as usize;
            assert!(ws.len() >= expected && ws.len() <= expected + 1, "{}: {} windows", s.id, ws.len());
            for pair in ws.windows(2) {
                assert_eq!(pair[1].start - pair[0].start, i64::from(s.maintenance_every_days) * DAY);
            }
            for w in &ws {
                assert!(w.end > from && w.start < from + 90 * DAY);
                assert!(w.first_node + w.nodes <= p.nodes_in_service || !w.whole_pool);
            }
            let n = next_window(s, i, p, from);
            assert!(n.end > from);
            assert_eq!(n, ws[0]);
        }
    }

    #[test]
    fn kisti6_maintenance_takes_the_whole_system() {
        let cat = Catalogue::embedded().unwrap();
        let s = cat.system("kisti6").unwrap();
        let w = window(s, 0, &s.pools[0], 3);
        assert!(w.whole_pool);
        assert_eq!(w.nodes, 2124);
    }
}
