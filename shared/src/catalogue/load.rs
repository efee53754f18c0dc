//! How the demo workload loads a pool: the mean demand, its daily, weekly
//! and deadline cycles, and how users hold back when the queue is long.
//! Only the simulator reads it; a real source reports its own load.

use serde::{Deserialize, Serialize};

/// A pool's demo load (`[systems.pools.load]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Load {
    /// Work users would submit, as a fraction of the pool's capacity, at the
    /// mean of the cycles and before anyone holds back (> 1: a standing queue).
    pub demand: f64,
    /// Relative swing of submissions over the day (peak mid-afternoon KST).
    #[serde(default)]
    pub daily_amplitude: f64,
    /// Submission rate on Saturdays and Sundays relative to weekdays.
    #[serde(default = "one")]
    pub weekend_factor: f64,
    /// Extra submissions on the day before a deadline (0.6 = +60 %),
    /// ramping up over `surge_days`.
    #[serde(default)]
    pub deadline_surge: f64,
    /// Days over which submissions ramp up before a deadline.
    #[serde(default = "fourteen")]
    pub surge_days: f64,
    /// Deadlines as `MM-DD` (KST), every year.
    #[serde(default)]
    pub deadlines: Vec<String>,
    /// Median wait of recently started jobs, hours, at which half of the
    /// would-be submissions are held back (users watch the status page).
    pub hold_back_hours: f64,
}

fn one() -> f64 {
    1.0
}

fn fourteen() -> f64 {
    14.0
}

impl Load {
    /// The first problem with these figures, if any.
    pub fn problem(&self) -> Option<&'static str> {
        let finite = [
            self.demand,
            self.daily_amplitude,
            self.weekend_factor,
            self.deadline_surge,
            self.surge_days,
            self.hold_back_hours,
        ]
        .iter()
        .all(|x| x.is_finite());
        if !(finite && self.demand > 0.0 && self.demand <= 2.0) {
            return Some("load.demand must be in (0, 2]");
        }
        if !(0.0..1.0).contains(&self.daily_amplitude) || !(0.0..=2.0).contains(&self.weekend_factor) {
            return Some("load.daily_amplitude must be in [0, 1) and load.weekend_factor in [0, 2]");
        }
        if self.deadline_surge < 0.0 || self.surge_days <= 0.0 || self.hold_back_hours <= 0.0 {
            return Some("load.deadline_surge must be ≥ 0, surge_days and hold_back_hours positive");
        }
        if self.deadline_dates().len() != self.deadlines.len() {
            return Some("load.deadlines must be MM-DD dates");
        }
        None
    }

    /// The deadlines as (month, day).
    pub fn deadline_dates(&self) -> Vec<(u32, u32)> {
        self.deadlines
            .iter()
            .filter_map(|d| {
                let (m, day) = d.split_once('-')?;
                let (m, day): (u32, u32) = (m.parse().ok()?, day.parse().ok()?);
                chrono::NaiveDate::from_ymd_opt(2024, m, day).map(|_| (m, day))
            })
            .collect()
    }
}
