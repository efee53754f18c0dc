//! [`RoundInput`]: the round form as the committee submits it, and its
//! parsing against the catalogue (pools exist, units fit the pool's kind).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::advisor::Sector;
use crate::allocation::form::Form;
use crate::allocation::ids::RoundId;
use crate::allocation::lifecycle::RoundStage;
use crate::allocation::unit::{PoolCapacity, PoolUnit};
use crate::catalogue::{Catalogue, SchedulerKind};

use super::{OrgCap, Round, RoundPolicy};

/// Largest capacity accepted for one pool, in its unit (guards against typos).
const MAX_CAPACITY: u64 = 1_000_000_000;

/// One pool's offer as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PoolCapacityInput {
    /// Catalogue pool id.
    pub pool: String,
    /// A [`PoolUnit`] name: `servers` or `gpu_hours` for cloud pools, `node_hours` for batch pools.
    pub unit: String,
    /// Capacity in `unit`.
    pub capacity: Option<u64>,
}

/// The round form. Dates are `YYYY-MM-DD` (KST days).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RoundInput {
    /// Slug such as `2026-1`.
    pub id: String,
    pub title_ko: String,
    pub title_en: String,
    pub opens: String,
    pub closes: String,
    /// Last day of the review window (not before `closes`).
    pub review_closes: String,
    pub period_start: String,
    pub period_end: String,
    pub pools: Vec<PoolCapacityInput>,
    /// Sector name → target share (0..=1).
    pub sector_targets: BTreeMap<String, f64>,
    /// Minimum mean review score, 1..=5 (default 3).
    pub min_score: Option<f64>,
    pub org_cap: Option<OrgCap>,
    /// 0..=1 (default 0).
    pub non_capital_preference: Option<f64>,
    /// Reviews needed before a decision, 1..=`reviewers_per_request` (default 2).
    pub min_reviews: Option<u32>,
    /// Reviewers assigned per request, 1..=10 (default 3).
    pub reviewers_per_request: Option<u32>,
}

/// Most reviewers one request may be assigned.
pub const MAX_REVIEWERS: u64 = 10;

impl RoundInput {
    /// The form of an existing round (to copy it into a new one, or to change it).
    pub fn from_round(r: &Round) -> RoundInput {
        RoundInput {
            id: r.id.0.clone(),
            title_ko: r.title_ko.clone(),
            title_en: r.title_en.clone(),
            opens: r.opens.to_string(),
            closes: r.closes.to_string(),
            review_closes: r.review_closes().to_string(),
            period_start: r.period_start.to_string(),
            period_end: r.period_end.to_string(),
            pools: r
                .pools
                .iter()
                .map(|p| PoolCapacityInput {
                    pool: p.pool.clone(),
                    unit: p.unit.as_str().to_owned(),
                    capacity: Some(p.capacity),
                })
                .collect(),
            sector_targets: r.sector_targets.iter().map(|(s, v)| (s.as_str().to_owned(), *v)).collect(),
            min_score: Some(r.policy.min_score),
            org_cap: r.policy.org_cap,
            non_capital_preference: Some(r.policy.non_capital_preference),
            min_reviews: Some(r.policy.min_reviews),
            reviewers_per_request: Some(r.policy.reviewers_per_request),
        }
    }

    /// Validates the form against `cat`; every invalid field is reported.
    pub fn parse(&self, cat: &Catalogue) -> Result<Round, FieldErrors> {
        let mut f = Form::default();
        let id = f.text("id", &self.id, 40);
        // The id names the round in addresses, in its projects' scheduler
        // accounts (`r<id>-0042`) and namespaces, so it is a code, not a title.
        let id = id.filter(|id| {
            // Lower case: Slurm folds account names to it, and namespaces are DNS labels.
            let ok = id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                f.fail(
                    "id",
                    Code::UnknownValue,
                    "회차 id에는 영문 소문자, 숫자, '-'만 쓸 수 있습니다(예: 2027-1).",
                    "A round id uses lower-case letters, digits and '-' only (e.g. 2027-1).",
                );
            }
            ok
        });
        let title_ko = f.text("title_ko", &self.title_ko, 200);
        let title_en = f.text("title_en", &self.title_en, 200);
        let opens = f.date("opens", &self.opens);
        let closes = f.date("closes", &self.closes);
        let review_closes = f.date("review_closes", &self.review_closes);
        let period_start = f.date("period_start", &self.period_start);
        let period_end = f.date("period_end", &self.period_end);
        if let (Some(o), Some(c)) = (opens, closes) {
            order(&mut f, "closes", o <= c);
        }
        if let (Some(c), Some(r)) = (closes, review_closes) {
            if r < c {
                f.fail(
                    "review_closes",
                    Code::Conflict,
                    "심사 마감일은 접수 마감일보다 앞설 수 없습니다.",
                    "The review window cannot close before submissions do.",
                );
            }
        }
        if let (Some(s), Some(e)) = (period_start, period_end) {
            order(&mut f, "period_end", s <= e);
        }
        let pools = self.pools(&mut f, cat);
        let sector_targets = self.targets(&mut f);
        let min_score = f.fraction("min_score", self.min_score.unwrap_or(3.0), 1.0, 5.0);
        let preference = f.fraction("non_capital_preference", self.non_capital_preference.unwrap_or(0.0), 0.0, 1.0);
        let reviewers = f.whole(
            "reviewers_per_request",
            Some(u64::from(self.reviewers_per_request.unwrap_or(3))),
            1,
            MAX_REVIEWERS,
        );
        let min_reviews = f.whole(
            "min_reviews",
            Some(u64::from(self.min_reviews.unwrap_or(2))),
            1,
            reviewers.unwrap_or(MAX_REVIEWERS),
        );
        if let Some(OrgCap::Share(s)) = self.org_cap {
            f.fraction("org_cap", s, 0.0, 1.0);
        }
        let round = (|| {
            Some(Round {
                id: RoundId(id?),
                title_ko: title_ko?,
                title_en: title_en?,
                opens: opens?,
                closes: closes?,
                review_closes: Some(review_closes?),
                stage: RoundStage::Draft,
                period_start: period_start?,
                period_end: period_end?,
                pools: pools?,
                sector_targets: sector_targets?,
                policy: RoundPolicy {
                    min_score: min_score?,
                    org_cap: self.org_cap,
                    non_capital_preference: preference?,
                    min_reviews: u32::try_from(min_reviews?).ok()?,
                    reviewers_per_request: u32::try_from(reviewers?).ok()?,
                },
            })
        })();
        f.finish(round)
    }

    fn pools(&self, f: &mut Form, cat: &Catalogue) -> Option<Vec<PoolCapacity>> {
        if self.pools.is_empty() {
            f.fail("pools", Code::Required, "자원 풀을 하나 이상 지정하세요.", "Offer at least one pool.");
            return None;
        }
        let mut out = Vec::new();
        for (i, p) in self.pools.iter().enumerate() {
            let field = format!("pools[{i}]");
            let Some((_, pool)) = cat.pools().find(|(_, c)| c.id == p.pool.trim()) else {
                f.fail(
                    &format!("{field}.pool"),
                    Code::UnknownValue,
                    "카탈로그에 없는 풀입니다.",
                    "Not a catalogue pool.",
                );
                continue;
            };
            if out.iter().any(|o: &PoolCapacity| o.pool == pool.id) {
                f.fail(&format!("{field}.pool"), Code::Conflict, "중복된 풀입니다.", "Pool listed twice.");
            }
            let names: Vec<&str> = PoolUnit::ALL.iter().map(|u| u.as_str()).collect();
            let unit = f.choice(&format!("{field}.unit"), &p.unit, PoolUnit::parse, &names);
            let capacity = f.whole(&format!("{field}.capacity"), p.capacity, 1, MAX_CAPACITY);
            let (Some(unit), Some(capacity)) = (unit, capacity) else { continue };
            let batch = pool.scheduler == SchedulerKind::Batch;
            if batch != (unit == PoolUnit::NodeHours) {
                let (ko, en) = if batch {
                    ("배치 풀은 노드-시간으로 배분합니다.", "Batch pools are allocated in node-hours.")
                } else {
                    (
                        "클라우드 풀은 서버 또는 GPU-시간으로 배분합니다.",
                        "Cloud pools are allocated in servers or GPU-hours.",
                    )
                };
                f.fail(&format!("{field}.unit"), Code::Conflict, ko, en);
                continue;
            }
            let (gpu_model, gpus_per_node) = (pool.gpu_model.clone(), pool.gpus_per_node);
            out.push(PoolCapacity { pool: pool.id.clone(), gpu_model, gpus_per_node, unit, capacity });
        }
        (out.len() == self.pools.len()).then_some(out)
    }

    fn targets(&self, f: &mut Form) -> Option<BTreeMap<Sector, f64>> {
        let mut out = BTreeMap::new();
        let names: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
        for (name, share) in &self.sector_targets {
            let field = format!("sector_targets.{name}");
            let sector = f.choice(&field, name, Sector::parse, &names);
            // A share (0–1) in the API; forms show it as a percentage, and so does the refusal.
            let share = if share.is_finite() && (0.0..=1.0).contains(share) {
                Some(*share)
            } else {
                f.fail(&field, Code::OutOfRange, "0% 이상 100% 이하로 입력하세요.", "Enter a share from 0% to 100%.");
                None
            };
            if let (Some(s), Some(v)) = (sector, share) {
                out.insert(s, v);
            }
        }
        if out.values().sum::<f64>() > 1.0 + 1e-9 {
            f.fail(
                "sector_targets",
                Code::OutOfRange,
                "부문별 목표의 합은 100% 이하여야 합니다.",
                "The sector targets must add up to 100% or less.",
            );
            return None;
        }
        (out.len() == self.sector_targets.len()).then_some(out)
    }
}

fn order(f: &mut Form, field: &str, ok: bool) {
    if !ok {
        f.fail(field, Code::Conflict, "시작일보다 앞설 수 없습니다.", "Cannot precede the start date.");
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::NaiveDate;

    pub(crate) fn input() -> RoundInput {
        RoundInput {
            id: "2026-1".into(),
            title_ko: "2026년 1차 AI 컴퓨팅 자원 지원".into(),
            title_en: "2026 first call for AI computing".into(),
            opens: "2025-12-22".into(),
            closes: "2026-01-28".into(),
            review_closes: "2026-02-10".into(),
            period_start: "2026-03-01".into(),
            period_end: "2026-08-31".into(),
            pools: vec![
                PoolCapacityInput { pool: "nhn-b200".into(), unit: "servers".into(), capacity: Some(300) },
                PoolCapacityInput { pool: "kisti6-gh200".into(), unit: "node_hours".into(), capacity: Some(100_000) },
            ],
            sector_targets: [("university".to_string(), 0.5)].into_iter().collect(),
            min_score: Some(3.0),
            org_cap: Some(OrgCap::Servers(40)),
            non_capital_preference: Some(0.2),
            min_reviews: Some(2),
            reviewers_per_request: Some(3),
        }
    }

    #[test]
    fn a_complete_form_parses_with_catalogue_figures() {
        let cat = Catalogue::embedded().unwrap();
        let round = input().parse(&cat).unwrap();
        assert_eq!(round.pool("nhn-b200").unwrap().gpus_per_node, 8);
        assert_eq!(round.pool("kisti6-gh200").unwrap().gpu_model, "GH200");
        assert_eq!(round.period_days(), 184);
        assert_eq!(round.target(Sector::University), Some(0.5));
        assert_eq!(round.stage, RoundStage::Draft, "a new round starts as a draft");
        assert_eq!(round.review_closes(), NaiveDate::from_ymd_opt(2026, 2, 10).unwrap());
        assert_eq!((round.policy.min_reviews, round.policy.reviewers_per_request), (2, 3));
    }

    #[test]
    fn a_round_id_is_a_code_fit_for_addresses_and_scheduler_accounts() {
        let cat = Catalogue::embedded().unwrap();
        for ok in ["2027-1", "2027-fall", "a1"] {
            assert!(RoundInput { id: ok.into(), ..input() }.parse(&cat).is_ok(), "{ok}");
        }
        for bad in ["2027 1", "2027-1차", "r=1", "a/b", "x,y", "A1", "2027_1", "2027.1"] {
            let err = RoundInput { id: bad.into(), ..input() }.parse(&cat).unwrap_err();
            assert!(err.get("id").is_some(), "{bad}: {err:?}");
        }
    }

    #[test]
    fn a_rounds_form_parses_back_to_the_same_round_as_a_draft() {
        let cat = Catalogue::embedded().unwrap();
        let mut round = input().parse(&cat).unwrap();
        round.stage = RoundStage::Published;
        let again = RoundInput::from_round(&round).parse(&cat).unwrap();
        assert_eq!(again, Round { stage: RoundStage::Draft, ..round });
    }

    #[test]
    fn the_review_window_follows_submissions_and_needs_no_more_reviews_than_reviewers() {
        let cat = Catalogue::embedded().unwrap();
        let mut bad = input();
        bad.review_closes = "2026-01-27".into();
        bad.min_reviews = Some(4);
        let errors = bad.parse(&cat).unwrap_err();
        assert!(errors.get("review_closes").is_some(), "{errors}");
        assert!(errors.get("min_reviews").is_some(), "{errors}");
        let mut none = input();
        none.reviewers_per_request = Some(0);
        assert!(none.parse(&cat).unwrap_err().get("reviewers_per_request").is_some());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let cat = Catalogue::embedded().unwrap();
        let mut bad = input();
        bad.closes = "2025-12-01".into();
        bad.pools[0].unit = "node_hours".into();
        bad.pools[1].pool = "nowhere".into();
        bad.sector_targets.insert("aliens".into(), 0.1);
        bad.min_score = Some(7.0);
        let errors = bad.parse(&cat).unwrap_err();
        for field in ["closes", "pools[0].unit", "pools[1].pool", "sector_targets.aliens", "min_score"] {
            assert!(errors.get(field).is_some(), "{field} not reported: {errors}");
        }
    }
}
