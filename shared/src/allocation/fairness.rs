//! Fairness figures of an allocation: Jain's index over sectors'
//! award-to-request ratios, the Gini coefficient of awards per organisation,
//! and each sector's dominant share across GPU models (DRF). Each metric has a
//! one-line definition in Korean and English for hover text.

mod tally;

use serde::{Deserialize, Serialize};

use crate::advisor::Sector;

pub use tally::Tally;

/// Jain's fairness index J = (Σx)² / (n·Σx²): 1 when all `xs` are equal,
/// k/n when k of n are equal and the rest 0, 1/n at worst. `None` for no
/// values or all zeros. Values are expected non-negative.
pub fn jain_index(xs: &[f64]) -> Option<f64> {
    let sum: f64 = xs.iter().sum();
    let squares: f64 = xs.iter().map(|x| x * x).sum();
    (squares > 0.0).then(|| sum * sum / (xs.len() as f64 * squares))
}

/// Gini coefficient G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2·n²·mean): 0 when all `xs` are
/// equal, (n−1)/n when one holds everything. `None` for no values or a zero
/// sum. Values are expected non-negative.
pub fn gini(xs: &[f64]) -> Option<f64> {
    let sum: f64 = xs.iter().sum();
    if xs.is_empty() || sum <= 0.0 {
        return None;
    }
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    // With xs ascending and ranks i = 1..=n: G = 2·Σ i·x_i / (n·Σx) − (n+1)/n.
    let ranked: f64 = sorted.iter().enumerate().map(|(i, x)| (i as f64 + 1.0) * x).sum();
    Some((2.0 * ranked / (n * sum) - (n + 1.0) / n).max(0.0))
}

/// A user's dominant share: its largest share `used[r] / capacity[r]` of any
/// resource r (resources with no capacity are skipped); 0 when it uses nothing.
pub fn dominant_share(used: &[f64], capacity: &[f64]) -> f64 {
    used.iter().zip(capacity).filter(|(_, c)| **c > 0.0).map(|(u, c)| u / c).fold(0.0, f64::max)
}

/// The fairness figures the committee sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FairnessMetric {
    JainSectors,
    GiniOrganisations,
    DominantShares,
}

impl FairnessMetric {
    /// Every metric.
    pub const ALL: &'static [FairnessMetric] =
        &[FairnessMetric::JainSectors, FairnessMetric::GiniOrganisations, FairnessMetric::DominantShares];

    /// Korean name.
    pub fn label_ko(self) -> &'static str {
        match self {
            FairnessMetric::JainSectors => "부문 간 Jain 지수",
            FairnessMetric::GiniOrganisations => "기관별 지니 계수",
            FairnessMetric::DominantShares => "지배 점유율(DRF)",
        }
    }

    /// English name.
    pub fn label_en(self) -> &'static str {
        match self {
            FairnessMetric::JainSectors => "Jain's index across sectors",
            FairnessMetric::GiniOrganisations => "Gini coefficient across organisations",
            FairnessMetric::DominantShares => "Dominant shares (DRF)",
        }
    }

    /// One-line definition in Korean (hover text).
    pub fn definition_ko(self) -> &'static str {
        match self {
            FairnessMetric::JainSectors => {
                "부문별 배분량÷신청량 비율 x에 대해 J = (Σx)²/(n·Σx²). 모두 같으면 1, n개 중 k개만 같게 받으면 k/n."
            }
            FairnessMetric::GiniOrganisations => {
                "기관별 배분 GPU-시간의 불평등: 0은 모두 같음, 1에 가까울수록 소수 기관에 집중."
            }
            FairnessMetric::DominantShares => {
                "부문이 GPU 모델별 용량에서 차지하는 비율 중 가장 큰 값(지배 점유율). DRF는 이 최솟값을 최대화합니다."
            }
        }
    }

    /// One-line definition in English (hover text).
    pub fn definition_en(self) -> &'static str {
        match self {
            FairnessMetric::JainSectors => {
                "J = (Σx)²/(n·Σx²) over each sector's awarded ÷ requested ratio x: 1 when all are equal, k/n when only k of n are."
            }
            FairnessMetric::GiniOrganisations => {
                "Inequality of awarded GPU-hours across organisations: 0 = all equal, towards 1 = concentrated in a few."
            }
            FairnessMetric::DominantShares => {
                "A sector's largest share of any GPU model's capacity (its dominant share); DRF maximises the smallest one."
            }
        }
    }
}

/// One sector's award-to-request ratio (the input of Jain's index).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectorRatio {
    pub sector: Sector,
    pub requested_gpu_hours: f64,
    pub awarded_gpu_hours: f64,
    /// awarded ÷ requested, 0..=1.
    pub ratio: f64,
}

/// One sector's dominant share across GPU models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectorDominantShare {
    pub sector: Sector,
    /// Largest awarded ÷ capacity GPU-hours over GPU models, 0..=1.
    pub share: f64,
    /// The GPU model of that share (`None` when nothing is awarded).
    pub gpu_model: Option<String>,
}

/// The fairness figures of one allocation (proposed or decided).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FairnessFigures {
    /// [`jain_index`] over the sectors that requested anything.
    pub jain_sectors: Option<f64>,
    /// [`gini`] of awarded GPU-hours over every organisation that requested (those awarded nothing count as 0).
    pub gini_organisations: Option<f64>,
    pub sector_ratios: Vec<SectorRatio>,
    pub dominant_shares: Vec<SectorDominantShare>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn jain_of_equal_shares_is_one() {
        for n in 1..10 {
            assert!(close(jain_index(&vec![0.37; n]), 1.0));
        }
    }

    #[test]
    fn jain_of_k_equal_winners_of_n_is_k_over_n() {
        for n in 1..12 {
            for k in 1..=n {
                let xs: Vec<f64> = (0..n).map(|i| if i < k { 2.5 } else { 0.0 }).collect();
                assert!(close(jain_index(&xs), k as f64 / n as f64), "k={k} n={n}");
            }
        }
        assert_eq!(jain_index(&[]), None);
        assert_eq!(jain_index(&[0.0, 0.0]), None);
    }

    #[test]
    fn gini_matches_hand_computed_cases() {
        // Equal: no inequality.
        assert!(close(gini(&[5.0, 5.0, 5.0, 5.0]), 0.0));
        // One of four holds everything: (n-1)/n = 3/4.
        assert!(close(gini(&[0.0, 0.0, 10.0, 0.0]), 0.75));
        // 1,2,3,4: Σ|xi-xj| over ordered pairs = 20; 2·n²·mean = 2·16·2.5 = 80 → 0.25.
        assert!(close(gini(&[4.0, 1.0, 3.0, 2.0]), 0.25));
        // 1,3: |1-3|·2 = 4; 2·4·2 = 16 → 0.25.
        assert!(close(gini(&[1.0, 3.0]), 0.25));
        // 0,0,1,1,1: pairs differing = 2·(2·3) = 12; 2·25·0.6 = 30 → 0.4.
        assert!(close(gini(&[0.0, 1.0, 0.0, 1.0, 1.0]), 0.4));
        assert_eq!(gini(&[]), None);
        assert_eq!(gini(&[0.0]), None);
    }

    #[test]
    fn the_dominant_share_is_the_largest_share_of_any_resource() {
        // DRF paper: A with 3 tasks of <1 CPU, 4 GB> on <9 CPU, 18 GB> → max(3/9, 12/18) = 2/3.
        assert!((dominant_share(&[3.0, 12.0], &[9.0, 18.0]) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(dominant_share(&[1.0, 1.0], &[0.0, 4.0]), 0.25);
    }

    #[test]
    fn every_metric_has_both_definitions() {
        for m in FairnessMetric::ALL {
            assert!(!m.definition_ko().is_empty() && !m.definition_en().is_empty());
            assert!(!m.label_ko().is_empty() && !m.label_en().is_empty());
        }
    }
}
