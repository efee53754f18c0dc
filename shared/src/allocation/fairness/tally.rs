//! [`Tally`]: running sums (GPU-hours requested and awarded per sector,
//! awarded per organisation and per sector and GPU model) from which the
//! fairness figures are recomputed cheaply after each change.

use std::collections::BTreeMap;

use crate::advisor::Sector;
use crate::allocation::round::Round;

use super::{dominant_share, gini, jain_index, FairnessFigures, SectorDominantShare, SectorRatio};

/// Running sums of an allocation, in GPU-hours. Updating is O(log n); the
/// figures cost O(organisations · log organisations).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// GPU model → capacity over the round's period, GPU-hours.
    capacity: BTreeMap<String, f64>,
    /// Sector → (requested, awarded).
    sectors: BTreeMap<Sector, (f64, f64)>,
    /// Organisation → awarded.
    organisations: BTreeMap<String, f64>,
    /// (sector, GPU model) → awarded.
    by_model: BTreeMap<(Sector, String), f64>,
}

impl Tally {
    /// An empty tally with `round`'s capacity per GPU model (over its allocation period).
    pub fn new(round: &Round) -> Tally {
        let mut capacity = BTreeMap::new();
        for p in &round.pools {
            *capacity.entry(p.gpu_model.clone()).or_insert(0.0) += p.capacity_gpu_hours(round.period_days());
        }
        Tally { capacity, ..Tally::default() }
    }

    /// Counts a request of `gpu_hours` by `organisation` in `sector`.
    pub fn request(&mut self, sector: Sector, organisation: &str, gpu_hours: f64) {
        self.sectors.entry(sector).or_default().0 += gpu_hours;
        if !self.organisations.contains_key(organisation) {
            self.organisations.insert(organisation.to_string(), 0.0);
        }
    }

    /// Adds `delta` GPU-hours (negative to take back) awarded on `gpu_model`.
    pub fn award(&mut self, sector: Sector, organisation: &str, gpu_model: &str, delta: f64) {
        self.sectors.entry(sector).or_default().1 += delta;
        match self.organisations.get_mut(organisation) {
            Some(v) => *v += delta,
            None => {
                self.organisations.insert(organisation.to_string(), delta);
            }
        }
        match self.by_model.get_mut(&(sector, gpu_model.to_string())) {
            Some(v) => *v += delta,
            None => {
                self.by_model.insert((sector, gpu_model.to_string()), delta);
            }
        }
    }

    /// Awarded GPU-hours per sector.
    pub fn awarded_by_sector(&self) -> impl Iterator<Item = (Sector, f64)> + '_ {
        self.sectors.iter().map(|(s, (_, a))| (*s, *a))
    }

    /// The fairness figures of the current sums.
    pub fn figures(&self) -> FairnessFigures {
        let sector_ratios: Vec<SectorRatio> = self
            .sectors
            .iter()
            .filter(|(_, (r, _))| *r > 0.0)
            .map(|(s, (r, a))| SectorRatio { sector: *s, requested_gpu_hours: *r, awarded_gpu_hours: *a, ratio: a / r })
            .collect();
        let ratios: Vec<f64> = sector_ratios.iter().map(|r| r.ratio).collect();
        let awards: Vec<f64> = self.organisations.values().copied().collect();
        FairnessFigures {
            jain_sectors: jain_index(&ratios),
            gini_organisations: gini(&awards),
            sector_ratios,
            dominant_shares: self.dominant_shares(),
        }
    }

    fn dominant_shares(&self) -> Vec<SectorDominantShare> {
        let models: Vec<&String> = self.capacity.keys().collect();
        let caps: Vec<f64> = self.capacity.values().copied().collect();
        self.sectors
            .keys()
            .map(|sector| {
                let used: Vec<f64> = models
                    .iter()
                    .map(|m| self.by_model.get(&(*sector, (*m).clone())).copied().unwrap_or(0.0))
                    .collect();
                let share = dominant_share(&used, &caps);
                let top = used.iter().zip(&caps).zip(&models).filter(|((_, c), _)| **c > 0.0);
                let gpu_model = top
                    .filter(|((u, _), _)| **u > 0.0)
                    .max_by(|((u1, c1), _), ((u2, c2), _)| (*u1 / *c1).total_cmp(&(*u2 / *c2)))
                    .map(|(_, m)| (*m).clone());
                SectorDominantShare { sector: *sector, share, gpu_model }
            })
            .collect()
    }
}
