//! What a pool's allocations hold at once, over the round's period, against
//! what the round offers: the committee timeline's y-axis and capacity line.
//!
//! A server pool's allocations hold whole servers for their period, so the
//! figure is servers and the offer is the servers offered. An hour pool's
//! allocations are budgets to spend within their period: each counts as its
//! hours spread evenly over its days (GPUs or nodes on average), and the
//! offer as the round's hours spread evenly over the round's period.

use chrono::NaiveDate;

use crate::advisor::Sector;
use crate::allocation::unit::PoolUnit;

use super::TimelineRow;

/// What the held figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldUnit {
    /// Whole servers held.
    Servers,
    /// GPUs on average (GPU-hours spread over the period).
    Gpus,
    /// Nodes on average (node-hours spread over the period).
    Nodes,
}

impl HeldUnit {
    /// The held unit of a pool counted in `unit`.
    pub fn of(unit: PoolUnit) -> HeldUnit {
        match unit {
            PoolUnit::Servers => HeldUnit::Servers,
            PoolUnit::GpuHours => HeldUnit::Gpus,
            PoolUnit::NodeHours => HeldUnit::Nodes,
        }
    }
}

/// The days `from..=to`, during which the same allocations hold the same amounts.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldStep {
    pub from: NaiveDate,
    /// The step's last day.
    pub to: NaiveDate,
    /// Held by allocations not flagged as idle, by sector in [`Sector::ALL`] order.
    pub sectors: Vec<f64>,
    /// Held by allocations flagged for reclaim.
    pub idle: f64,
}

impl HeldStep {
    /// Everything held during the step.
    pub fn total(&self) -> f64 {
        self.sectors.iter().sum::<f64>() + self.idle
    }
}

/// One pool's holdings over time.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldSeries {
    pub unit: HeldUnit,
    /// What the round offers at once, in `unit`.
    pub capacity: f64,
    /// The round's period, which the chart spans (with any allocation outside it).
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// From the earliest start to the latest end, one step per change; days
    /// nobody holds anything are left out.
    pub steps: Vec<HeldStep>,
}

impl HeldSeries {
    /// The most held on any day.
    pub fn peak(&self) -> f64 {
        self.steps.iter().map(HeldStep::total).fold(0.0, f64::max)
    }
}

/// Days from `from` to `to`, both counted (at least 1).
fn days(from: NaiveDate, to: NaiveDate) -> f64 {
    ((to - from).num_days() + 1).max(1) as f64
}

/// What `row` holds on each day of its period, in the held unit of `unit`.
fn at_once(unit: PoolUnit, row: &TimelineRow) -> f64 {
    match unit {
        PoolUnit::Servers => row.amount as f64,
        PoolUnit::GpuHours | PoolUnit::NodeHours => row.amount as f64 / (days(row.start, row.end) * 24.0),
    }
}

/// The holdings of a pool counted in `unit`, offering `capacity` over
/// `period`, from its allocations `rows` (any order).
pub fn held_series(
    unit: PoolUnit,
    capacity: u64,
    (period_start, period_end): (NaiveDate, NaiveDate),
    rows: &[&TimelineRow],
) -> HeldSeries {
    let capacity = match unit {
        PoolUnit::Servers => capacity as f64,
        PoolUnit::GpuHours | PoolUnit::NodeHours => capacity as f64 / (days(period_start, period_end) * 24.0),
    };
    // Every day on which what is held may change: a start, or the day after an end.
    let mut bounds: Vec<NaiveDate> = rows.iter().flat_map(|r| [Some(r.start), r.end.succ_opt()]).flatten().collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut steps = Vec::new();
    for pair in bounds.windows(2) {
        let (from, next) = (pair[0], pair[1]);
        let mut step =
            HeldStep { from, to: next.pred_opt().unwrap_or(from), sectors: vec![0.0; Sector::ALL.len()], idle: 0.0 };
        for r in rows.iter().filter(|r| r.start <= from && from <= r.end) {
            let held = at_once(unit, r);
            if r.idle {
                step.idle += held;
            } else if let Some(i) = Sector::ALL.iter().position(|s| *s == r.sector) {
                step.sectors[i] += held;
            }
        }
        if step.total() > 0.0 {
            steps.push(step);
        }
    }
    HeldSeries { unit: HeldUnit::of(unit), capacity, period_start, period_end, steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::ids::{AllocationId, RequestId};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn row(id: u64, sector: Sector, amount: u64, start: NaiveDate, end: NaiveDate, idle: bool) -> TimelineRow {
        TimelineRow {
            allocation: AllocationId(id),
            request: RequestId(id),
            organisation: format!("org {id}"),
            sector,
            title: format!("project {id}"),
            pool: "p".into(),
            unit: PoolUnit::Servers,
            amount,
            gpus: None,
            start,
            end,
            idle,
        }
    }

    #[test]
    fn servers_stack_by_sector_step_by_step_with_the_offer_as_it_is() {
        let rows = [
            row(1, Sector::University, 4, day(3, 1), day(5, 31), false),
            row(2, Sector::Sme, 2, day(4, 1), day(4, 30), false),
            row(3, Sector::University, 3, day(4, 15), day(6, 30), true),
        ];
        let refs: Vec<&TimelineRow> = rows.iter().collect();
        let s = held_series(PoolUnit::Servers, 10, (day(3, 1), day(12, 31)), &refs);
        assert_eq!((s.unit, s.capacity), (HeldUnit::Servers, 10.0));
        let u = Sector::ALL.iter().position(|x| *x == Sector::University).unwrap();
        let sme = Sector::ALL.iter().position(|x| *x == Sector::Sme).unwrap();
        let spans: Vec<(NaiveDate, NaiveDate, f64, f64, f64)> =
            s.steps.iter().map(|st| (st.from, st.to, st.sectors[u], st.sectors[sme], st.idle)).collect();
        assert_eq!(
            spans,
            vec![
                (day(3, 1), day(3, 31), 4.0, 0.0, 0.0),
                (day(4, 1), day(4, 14), 4.0, 2.0, 0.0),
                (day(4, 15), day(4, 30), 4.0, 2.0, 3.0),
                (day(5, 1), day(5, 31), 4.0, 0.0, 3.0),
                (day(6, 1), day(6, 30), 0.0, 0.0, 3.0),
            ]
        );
        assert_eq!(s.peak(), 9.0);
    }

    #[test]
    fn hours_are_spread_over_their_days_and_a_gap_is_left_out() {
        let mut a = row(1, Sector::Startup, 10 * 24 * 8, day(1, 1), day(1, 10), false);
        a.unit = PoolUnit::GpuHours;
        let mut b = row(2, Sector::Startup, 24 * 2, day(2, 1), day(2, 1), false);
        b.unit = PoolUnit::GpuHours;
        // 36,500 GPU-hours offered over a 365-day period is 36,500 / 8,760 GPUs at once.
        let s = held_series(PoolUnit::GpuHours, 36_500, (day(1, 1), day(12, 31)), &[&a, &b]);
        assert_eq!(s.unit, HeldUnit::Gpus);
        assert!((s.capacity - 36_500.0 / 8_760.0).abs() < 1e-9);
        let totals: Vec<(NaiveDate, NaiveDate, f64)> = s.steps.iter().map(|st| (st.from, st.to, st.total())).collect();
        assert_eq!(totals, vec![(day(1, 1), day(1, 10), 8.0), (day(2, 1), day(2, 1), 2.0)]);
    }

    #[test]
    fn no_allocations_hold_nothing() {
        let s = held_series(PoolUnit::NodeHours, 1_000, (day(1, 1), day(6, 30)), &[]);
        assert!(s.steps.is_empty());
        assert_eq!((s.unit, s.peak()), (HeldUnit::Nodes, 0.0));
    }
}
