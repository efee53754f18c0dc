//! Daily usage of the demo allocations: most run busy (55–95 % of their
//! GPU-hours, varying by day), some went idle in the last fortnight, and a
//! few never really started, so the overview has reclaim candidates.

use chrono::{Days, NaiveDate};
use rand::Rng;

use crate::allocation::grant::Allocation;
use crate::allocation::round::Round;
use crate::allocation::usage::DailyUsage;

/// Share of allocations idle over their last 14 days.
const WENT_IDLE: f64 = 0.08;
/// Share of allocations barely used at all.
const NEVER_STARTED: f64 = 0.04;
/// Days before today an idle allocation stopped.
const IDLE_DAYS: u64 = 14;

/// Usage rows of every allocation from its start until yesterday (or its end).
pub(super) fn usage(
    round: &Round,
    allocations: &[Allocation],
    today: NaiveDate,
    rng: &mut impl Rng,
) -> Vec<DailyUsage> {
    let mut rows = Vec::new();
    let idle_from = today.checked_sub_days(Days::new(IDLE_DAYS)).unwrap_or(today);
    for a in allocations {
        let Some(pool) = round.pool(&a.pool) else { continue };
        let per_day = a.gpu_hours_per_day(pool);
        let profile = rng.gen_range(0.0..1.0);
        let level = rng.gen_range(0.55..0.95);
        let mut day = a.start;
        while day < today && day <= a.end {
            let busy = if profile < NEVER_STARTED {
                rng.gen_range(0.0..0.03)
            } else if profile < NEVER_STARTED + WENT_IDLE && day >= idle_from {
                rng.gen_range(0.0..0.02)
            } else {
                (level + rng.gen_range(-0.1..0.1f64)).clamp(0.0, 1.0)
            };
            rows.push(DailyUsage { allocation: a.id, day, gpu_hours: (per_day * busy * 10.0).round() / 10.0 });
            let Some(next) = day.checked_add_days(Days::new(1)) else { break };
            day = next;
        }
    }
    rows
}
