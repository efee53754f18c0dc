//! The demo's second round, open today, so researchers can submit requests
//! (the first call is closed and fully decided).

use chrono::{Days, NaiveDate};

use super::DemoError;
use crate::allocation::round::input::{PoolCapacityInput, RoundInput};
use crate::allocation::round::Round;
use crate::catalogue::{Catalogue, SchedulerKind};

/// Share of KISTI-6 reserved for AI (DOMAIN: 30 % of capacity).
const KISTI_AI_SHARE: f64 = 0.3;
/// Share of each cloud pool's servers offered in the round (D).
const CLOUD_SHARE: u32 = 4;

/// A round opened two weeks before `today`, closing in 30 days, reviewed in
/// the 14 days after, with an allocation period of 300 days starting 45 days
/// from today. Its stage is open.
pub fn open_demo_round(today: NaiveDate, cat: &Catalogue) -> Result<Round, DemoError> {
    let day = |d: NaiveDate| d.to_string();
    let (opens, closes) = (today - Days::new(14), today + Days::new(30));
    let (start, end) = (today + Days::new(45), today + Days::new(344));
    let pools = cat
        .pools()
        .map(|(_, p)| match p.scheduler {
            SchedulerKind::Batch => PoolCapacityInput {
                pool: p.id.clone(),
                unit: "node_hours".into(),
                capacity: Some((f64::from(p.nodes_in_service) * 24.0 * 300.0 * KISTI_AI_SHARE) as u64),
            },
            SchedulerKind::Kubernetes => PoolCapacityInput {
                pool: p.id.clone(),
                unit: "servers".into(),
                capacity: Some(u64::from((p.nodes_in_service / CLOUD_SHARE).max(1))),
            },
        })
        .collect();
    let input = RoundInput {
        id: "2026-2".into(),
        title_ko: "2026년 2차 국가 AI 컴퓨팅 자원 지원 사업 (데모)".into(),
        title_en: "2026 second call for national AI computing resources (demo)".into(),
        opens: day(opens),
        closes: day(closes),
        review_closes: day(closes + Days::new(14)),
        period_start: day(start),
        period_end: day(end),
        pools,
        sector_targets: [
            ("university", 0.45),
            ("government_institute", 0.15),
            ("sme", 0.15),
            ("startup", 0.15),
            ("large_company", 0.10),
        ]
        .into_iter()
        .map(|(s, v)| (s.to_owned(), v))
        .collect(),
        min_score: Some(3.0),
        org_cap: None,
        non_capital_preference: Some(0.2),
        min_reviews: Some(2),
        reviewers_per_request: Some(3),
    };
    let mut round = input.parse(cat).map_err(|e| DemoError::Invalid(e.to_string()))?;
    round.stage = crate::allocation::RoundStage::Open;
    Ok(round)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_round_is_open_today_and_offers_every_pool() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let cat = Catalogue::embedded().unwrap();
        let r = open_demo_round(today, &cat).unwrap();
        assert!(r.is_open_on(today));
        assert_eq!(r.pools.len(), cat.pools().count());
    }
}
