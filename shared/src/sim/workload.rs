//! Demo workload: job shapes, run times and arrivals that load a pool as
//! the catalogue's `load` says.
//!
//! HPC batch jobs range from one node to hundreds; users ask for one of a
//! few round walltimes (the limit most often) and their jobs end anywhere
//! below it: some fail at once, some run into the limit [S11]. Cloud jobs
//! are narrower and longer (training runs, services) and declare a duration
//! close to their run time. Arrivals follow the day, the week and AI
//! conference deadlines (a non-homogeneous Poisson process, drawn by
//! thinning), and users hold back when the queue is long.

use rand::{Rng, SeedableRng};

use crate::catalogue::{Load, Pool, SchedulerKind};

use super::scheduler::Job;

/// Relative frequency of job widths in nodes, HPC batch.
const BATCH_WIDTHS: [(u32, f64); 10] = [
    (1, 0.28),
    (2, 0.14),
    (4, 0.16),
    (8, 0.14),
    (16, 0.12),
    (32, 0.08),
    (64, 0.05),
    (128, 0.02),
    (256, 0.007),
    (512, 0.003),
];

/// Relative frequency of job widths in 8-GPU servers, GPU cloud.
const CLOUD_WIDTHS: [(u32, f64); 6] = [(1, 0.45), (2, 0.2), (4, 0.17), (8, 0.1), (16, 0.06), (32, 0.02)];

/// Walltimes batch users ask for, hours, below the limit [S11].
const ROUND_WALLTIMES_H: [i64; 10] = [1, 2, 3, 4, 6, 8, 12, 18, 24, 36];
/// Share of batch requests that ask for the limit itself [S11] (D).
const ASK_THE_LIMIT: f64 = 0.25;
/// Share of batch jobs that fail within minutes of starting [S14] (D).
const FAIL_EARLY: f64 = 0.1;
/// Share of batch jobs that run into their walltime [S11] (D).
const RUN_TO_LIMIT: f64 = 0.12;
/// Shortest demo job, seconds.
const MIN_RUNTIME_S: f64 = 600.0;
/// Longest cloud job (a week-long training run or service), seconds.
const CLOUD_MAX_RUNTIME_S: f64 = 7.0 * 86_400.0;
/// KST is UTC+9.
const KST_OFFSET_S: i64 = 9 * 3_600;
/// Hour of the day (KST) at which submissions peak.
const PEAK_HOUR_KST: f64 = 15.0;

/// Generates jobs for one pool.
#[derive(Debug, Clone)]
pub struct Workload {
    widths: Vec<(u32, f64)>,
    walltime_limit: Option<i64>,
    load: Load,
    deadlines: Vec<(u32, u32)>,
    /// Mean arrivals per second at the mean of the cycles, before users hold back.
    pub arrival_rate: f64,
    /// Arrivals per second at the busiest moment (the thinning envelope).
    peak_rate: f64,
}

impl Workload {
    /// The workload of `pool`, sized so that offered work ≈ `load.demand` × capacity.
    pub fn for_pool(pool: &Pool) -> Workload {
        let table: &[(u32, f64)] = match pool.scheduler {
            SchedulerKind::Batch => &BATCH_WIDTHS,
            SchedulerKind::Kubernetes => &CLOUD_WIDTHS,
        };
        let cap = pool.max_job_nodes.min(pool.nodes_in_service);
        let widths: Vec<(u32, f64)> = table.iter().copied().filter(|(w, _)| *w <= cap).collect();
        let walltime_limit = pool.walltime_limit_hours.map(|h| i64::from(h) * 3600);
        let total_weight: f64 = widths.iter().map(|(_, p)| p).sum();
        let mean_width = widths.iter().map(|(w, p)| f64::from(*w) * p).sum::<f64>() / total_weight.max(f64::EPSILON);
        let load = pool.load.clone();
        let mut w = Workload {
            widths,
            walltime_limit,
            deadlines: load.deadline_dates(),
            arrival_rate: 0.0,
            peak_rate: 0.0,
            load,
        };
        let offered_nodes = w.load.demand * f64::from(pool.nodes_in_service);
        w.arrival_rate = offered_nodes / (mean_width * w.mean_runtime()).max(f64::EPSILON);
        let l = &w.load;
        w.peak_rate = w.arrival_rate * (1.0 + l.daily_amplitude) * (1.0 + l.deadline_surge) / w.week_mean();
        w
    }

    /// Mean run time of the job shapes, seconds: a fixed-seed sample, so
    /// the arrival rate follows whatever the run-time model is.
    fn mean_runtime(&self) -> f64 {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x5eed);
        const DRAWS: u32 = 8_192;
        (0..DRAWS).map(|_| self.times(&mut rng).0 as f64).sum::<f64>() / f64::from(DRAWS)
    }

    /// Mean of the day-and-week factor over a week (weekdays weigh 1).
    fn week_mean(&self) -> f64 {
        (5.0 + 2.0 * self.load.weekend_factor) / 7.0
    }

    /// Submission rate at `now` relative to the mean (day, week, deadlines).
    pub fn cycle(&self, now: i64) -> f64 {
        let local = now + KST_OFFSET_S;
        let hour = local.rem_euclid(86_400) as f64 / 3_600.0;
        let day = 1.0 + self.load.daily_amplitude * ((hour - PEAK_HOUR_KST) / 24.0 * std::f64::consts::TAU).cos();
        // 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays.
        let weekday = (local.div_euclid(86_400) + 3).rem_euclid(7);
        let week = if weekday >= 5 { self.load.weekend_factor } else { 1.0 };
        day * week / self.week_mean() * (1.0 + self.surge(local))
    }

    /// Extra demand before a deadline: rises linearly to `deadline_surge` on its eve.
    fn surge(&self, local: i64) -> f64 {
        let (Some(today), true) = (chrono::DateTime::from_timestamp(local, 0), self.load.deadline_surge > 0.0) else {
            return 0.0;
        };
        let today = today.date_naive();
        let days_to = |(m, d): (u32, u32)| {
            use chrono::Datelike;
            [today.year(), today.year() + 1]
                .into_iter()
                .filter_map(|y| chrono::NaiveDate::from_ymd_opt(y, m, d))
                .map(|date| (date - today).num_days())
                .find(|n| *n >= 0)
        };
        let nearest = self.deadlines.iter().filter_map(|md| days_to(*md)).min();
        match nearest {
            Some(n) if (n as f64) < self.load.surge_days => {
                self.load.deadline_surge * (1.0 - n as f64 / self.load.surge_days)
            }
            _ => 0.0,
        }
    }

    /// Chance that a would-be submission at `now` is made when jobs have
    /// lately waited `wait_hours` (the median the status page shows): the
    /// cycle under the thinning envelope, times users holding back as
    /// waits grow.
    pub fn submit_chance(&self, now: i64, wait_hours: f64) -> f64 {
        let held = 1.0 / (1.0 + (wait_hours.max(0.0) / self.load.hold_back_hours).powi(2));
        (self.arrival_rate * self.cycle(now) / self.peak_rate.max(f64::EPSILON)).min(1.0) * held
    }

    /// Σ over job widths `w ≤ nodes` of (share of the workload's busy
    /// node-seconds in jobs `w` wide) × `w`, in nodes: what an account that
    /// takes width-`w` jobs with a chance proportional to `w` draws from
    /// (run times do not depend on width).
    pub fn width_weighted_share_up_to(&self, nodes: u32) -> f64 {
        let total: f64 = self.widths.iter().map(|(w, p)| f64::from(*w) * p).sum();
        let narrow: f64 =
            self.widths.iter().filter(|(w, _)| *w <= nodes).map(|(w, p)| f64::from(*w) * f64::from(*w) * p).sum();
        if total > 0.0 {
            narrow / total
        } else {
            0.0
        }
    }

    /// Seconds until the next would-be arrival at the envelope's rate
    /// (exponential gaps); [`Workload::submit_chance`] thins them.
    pub fn next_gap(&self, rng: &mut impl Rng) -> i64 {
        let u: f64 = rng.gen_range(f64::EPSILON..1.0);
        ((-u.ln() / self.peak_rate.max(f64::EPSILON)).ceil() as i64).max(1)
    }

    /// A new job submitted at `now`.
    pub fn job(&self, id: u64, now: i64, rng: &mut impl Rng) -> Job {
        let total: f64 = self.widths.iter().map(|(_, p)| p).sum();
        let mut pick = rng.gen_range(0.0..total.max(f64::EPSILON));
        let mut nodes = self.widths.first().map_or(1, |(w, _)| *w);
        for (w, p) in &self.widths {
            if pick < *p {
                nodes = *w;
                break;
            }
            pick -= p;
        }
        let (runtime, walltime) = self.times(rng);
        Job { id, nodes, submit: now, runtime, walltime }
    }

    /// (actual run time, requested walltime or declared duration), seconds.
    fn times(&self, rng: &mut impl Rng) -> (i64, i64) {
        match self.walltime_limit {
            Some(limit) => {
                let walltime = if rng.gen_bool(ASK_THE_LIMIT) {
                    limit
                } else {
                    // Log-uniform intent, rounded up to the next round value.
                    let wish = MIN_RUNTIME_S * (limit as f64 / MIN_RUNTIME_S).powf(rng.gen_range(0.0..1.0));
                    ROUND_WALLTIMES_H.iter().map(|h| h * 3_600).find(|w| *w as f64 >= wish).unwrap_or(limit).min(limit)
                };
                let roll: f64 = rng.gen_range(0.0..1.0);
                let ratio = if roll < FAIL_EARLY {
                    rng.gen_range(0.0..0.03)
                } else if roll < FAIL_EARLY + RUN_TO_LIMIT {
                    1.0
                } else {
                    rng.gen_range(0.03..1.0)
                };
                (((walltime as f64 * ratio) as i64).max(60), walltime)
            }
            // Cloud jobs declare an expected duration for the gang scheduler.
            None => {
                let runtime =
                    (MIN_RUNTIME_S * (CLOUD_MAX_RUNTIME_S / MIN_RUNTIME_S).powf(rng.gen_range(0.0..1.0))) as i64;
                (runtime.max(60), ((runtime as f64 * rng.gen_range(1.0..1.5)) as i64).max(60))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use rand::SeedableRng;

    #[test]
    fn jobs_respect_the_pool_limits() {
        let cat = Catalogue::embedded().unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for (_, pool) in cat.pools() {
            let w = Workload::for_pool(pool);
            assert!(w.arrival_rate > 0.0);
            for i in 0..2_000 {
                let j = w.job(i, 0, &mut rng);
                assert!(j.nodes >= 1 && j.nodes <= pool.max_job_nodes, "{}: {} nodes", pool.id, j.nodes);
                assert!(j.runtime >= 60 && j.walltime >= 60);
                if let Some(h) = pool.walltime_limit_hours {
                    assert!(j.walltime <= i64::from(h) * 3600, "walltime over the limit");
                    assert!(j.runtime <= j.walltime, "batch runtimes fit their walltime");
                }
            }
        }
    }
}
