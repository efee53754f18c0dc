//! Weighted progressive filling (Dominant Resource Fairness, Ghodsi et al.,
//! NSDI 2011): repeatedly give one step to the claimant with the lowest
//! weighted dominant share whose step still fits, until nothing fits. With
//! one resource per claimant this is weighted max-min fairness.
//!
//! Resources are either *shared* (they count towards dominant shares: a
//! pool's capacity, CPUs, memory) or *limits* (they only block: an
//! organisation's cap). Integral claimants take whole steps only (whole
//! servers), so the sum granted never exceeds a capacity.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Slack for floating-point comparisons of amounts.
const EPS: f64 = 1e-9;

/// A resource with a capacity, in its own unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resource {
    pub capacity: f64,
    /// Whether it counts towards dominant shares (`false` for limits such as organisation caps).
    pub shared: bool,
}

/// How much of a resource one unit of a claimant's demand consumes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Use {
    /// Index into [`FillProblem::resources`].
    pub resource: usize,
    pub per_unit: f64,
}

/// One claimant (a user in the paper, a request here).
#[derive(Debug, Clone, PartialEq)]
pub struct Claimant {
    /// Relative weight (> 0); the filling equalises dominant share ÷ weight.
    pub weight: f64,
    /// Most units it may get (its demand); `f64::INFINITY` for unbounded.
    pub max_units: f64,
    /// Units granted per step (1 for tasks or servers).
    pub step: f64,
    /// Whether only whole steps may be granted (tasks, servers); otherwise a last partial step fills what is left.
    pub integral: bool,
    pub uses: Vec<Use>,
}

/// Resources and the claimants competing for them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FillProblem {
    pub resources: Vec<Resource>,
    pub claimants: Vec<Claimant>,
}

/// Heap entry: lowest key first, then lowest index (deterministic ties).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    key: f64,
    index: usize,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        other.key.total_cmp(&self.key).then_with(|| other.index.cmp(&self.index))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Units granted to each claimant by weighted progressive filling. Cost:
/// O((steps granted + claimants) · log claimants).
pub fn progressive_fill(problem: &FillProblem) -> Vec<f64> {
    let mut remaining: Vec<f64> = problem.resources.iter().map(|r| r.capacity.max(0.0)).collect();
    let rates: Vec<f64> = problem.claimants.iter().map(|c| dominant_rate(problem, c)).collect();
    let mut granted = vec![0.0; problem.claimants.len()];
    let mut heap: BinaryHeap<Entry> = problem
        .claimants
        .iter()
        .enumerate()
        .filter(|(_, c)| c.weight > 0.0 && c.max_units > 0.0 && c.step > 0.0)
        .map(|(index, _)| Entry { key: 0.0, index })
        .collect();
    while let Some(Entry { index, .. }) = heap.pop() {
        let c = &problem.claimants[index];
        let grant = grant(c, granted[index], &remaining);
        if grant <= EPS {
            continue; // frozen: its next step does not fit
        }
        granted[index] += grant;
        for u in &c.uses {
            remaining[u.resource] = (remaining[u.resource] - u.per_unit * grant).max(0.0);
        }
        if granted[index] < c.max_units - EPS {
            heap.push(Entry { key: granted[index] * rates[index] / c.weight, index });
        }
    }
    granted
}

/// Dominant share added by one unit: the largest per-unit share of a shared resource.
fn dominant_rate(problem: &FillProblem, c: &Claimant) -> f64 {
    c.uses
        .iter()
        .filter_map(|u| problem.resources.get(u.resource).map(|r| (u, r)))
        .filter(|(_, r)| r.shared && r.capacity > 0.0)
        .map(|(u, r)| u.per_unit / r.capacity)
        .fold(0.0, f64::max)
}

/// What the claimant's next step can get given `remaining` capacities.
fn grant(c: &Claimant, so_far: f64, remaining: &[f64]) -> f64 {
    let want = c.step.min(c.max_units - so_far);
    let fit = c
        .uses
        .iter()
        .filter(|u| u.per_unit > 0.0)
        .map(|u| remaining.get(u.resource).map_or(0.0, |r| r / u.per_unit))
        .fold(f64::INFINITY, f64::min);
    if c.integral {
        if fit + EPS >= want {
            want
        } else {
            0.0
        }
    } else {
        want.min(fit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(capacity: f64) -> Resource {
        Resource { capacity, shared: true }
    }

    fn tasks(uses: &[(usize, f64)]) -> Claimant {
        let uses = uses.iter().map(|&(resource, per_unit)| Use { resource, per_unit }).collect();
        Claimant { weight: 1.0, max_units: f64::INFINITY, step: 1.0, integral: true, uses }
    }

    #[test]
    fn drf_on_the_nsdi_paper_example_gives_a_three_tasks_and_b_two() {
        // 9 CPUs, 18 GB; A needs <1 CPU, 4 GB> per task, B <3 CPU, 1 GB>.
        let problem = FillProblem {
            resources: vec![shared(9.0), shared(18.0)],
            claimants: vec![tasks(&[(0, 1.0), (1, 4.0)]), tasks(&[(0, 3.0), (1, 1.0)])],
        };
        let granted = progressive_fill(&problem);
        assert_eq!(granted, vec![3.0, 2.0]);
        let caps = [9.0, 18.0];
        let a = super::super::fairness::dominant_share(&[3.0, 12.0], &caps);
        let b = super::super::fairness::dominant_share(&[6.0, 2.0], &caps);
        assert!((a - 2.0 / 3.0).abs() < 1e-12 && (b - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn weights_split_one_resource_in_proportion_until_demand_is_met() {
        let mut heavy = tasks(&[(0, 1.0)]);
        heavy.weight = 2.0;
        let mut small = tasks(&[(0, 1.0)]);
        small.max_units = 5.0;
        let problem = FillProblem { resources: vec![shared(90.0)], claimants: vec![heavy, tasks(&[(0, 1.0)]), small] };
        // Max-min: small gets its 5; the other 85 split 2:1.
        let g = progressive_fill(&problem);
        assert_eq!(g[2], 5.0);
        assert!((g[0] - 2.0 * g[1]).abs() <= 2.0 && g.iter().sum::<f64>() == 90.0, "{g:?}");
    }

    #[test]
    fn a_limit_blocks_without_counting_as_a_share() {
        let mut a = tasks(&[(0, 1.0), (1, 1.0)]);
        a.max_units = 100.0;
        let problem = FillProblem {
            resources: vec![shared(10.0), Resource { capacity: 3.0, shared: false }],
            claimants: vec![a, tasks(&[(0, 1.0)])],
        };
        assert_eq!(progressive_fill(&problem), vec![3.0, 7.0]);
    }

    #[test]
    fn continuous_claimants_take_what_is_left() {
        let c = Claimant {
            weight: 1.0,
            max_units: 10.0,
            step: 4.0,
            integral: false,
            uses: vec![Use { resource: 0, per_unit: 1.0 }],
        };
        let problem = FillProblem { resources: vec![shared(7.5)], claimants: vec![c] };
        assert_eq!(progressive_fill(&problem), vec![7.5]);
    }
}
