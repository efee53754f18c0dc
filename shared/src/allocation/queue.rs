//! The committee's request queue: filters, sorting and pagination over a
//! round's requests with their mean review score and decision.

use serde::{Deserialize, Serialize};

use super::decision::Decision;
use super::grant::Allocation;
use super::request::Request;
use super::review::{mean_score, Review};
use super::round::Round;
use super::state::RequestState;
use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::advisor::Sector;

/// Largest page size.
pub const MAX_PER_PAGE: u32 = 200;

/// The list query as sent (`?sector=&state=&q=&sort=&page=&per_page=`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct RequestQuery {
    /// Round id (the newest round when absent).
    pub round: Option<String>,
    /// A sector name.
    pub sector: Option<String>,
    /// A request state name.
    pub state: Option<String>,
    /// Text searched in titles and organisations.
    pub q: Option<String>,
    /// `id` (default), `score` (best first), `amount` (largest first) or `organisation`.
    pub sort: Option<String>,
    /// Page number from 1.
    pub page: Option<u32>,
    /// Rows per page, 1..=200 (default 50).
    pub per_page: Option<u32>,
}

/// Sort order of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestSort {
    Id,
    Score,
    Amount,
    Organisation,
}

/// A parsed [`RequestQuery`].
#[derive(Debug, Clone, PartialEq)]
pub struct RequestFilter {
    pub sector: Option<Sector>,
    pub state: Option<RequestState>,
    pub q: Option<String>,
    pub sort: RequestSort,
    pub page: u32,
    pub per_page: u32,
}

impl RequestQuery {
    /// Parses the query, naming each invalid parameter.
    pub fn parse(&self) -> Result<RequestFilter, FieldErrors> {
        let mut errors = FieldErrors::default();
        let sector = self.sector.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
            let p = Sector::parse(s);
            if p.is_none() {
                errors.push(
                    "sector",
                    Code::UnknownValue,
                    format!("알 수 없는 부문: {s}"),
                    format!("unknown sector {s:?}"),
                );
            }
            p
        });
        let state = self.state.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
            let p = RequestState::ALL.iter().copied().find(|x| x.as_str() == s);
            if p.is_none() {
                errors.push(
                    "state",
                    Code::UnknownValue,
                    format!("알 수 없는 상태: {s}"),
                    format!("unknown state {s:?}"),
                );
            }
            p
        });
        let sort = match self.sort.as_deref().unwrap_or("id") {
            "id" | "" => RequestSort::Id,
            "score" => RequestSort::Score,
            "amount" => RequestSort::Amount,
            "organisation" => RequestSort::Organisation,
            other => {
                errors.push(
                    "sort",
                    Code::UnknownValue,
                    format!("알 수 없는 정렬: {other}"),
                    format!("unknown sort {other:?}"),
                );
                RequestSort::Id
            }
        };
        let per_page = self.per_page.unwrap_or(50);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            errors.push(
                "per_page",
                Code::OutOfRange,
                "1 이상 200 이하로 입력하세요.".into(),
                "Enter a number from 1 to 200.".into(),
            );
        }
        let page = self.page.unwrap_or(1);
        if page == 0 {
            errors.push("page", Code::OutOfRange, "1 이상이어야 합니다.".into(), "must be at least 1".into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_lowercase);
        Ok(RequestFilter { sector, state, q, sort, page, per_page })
    }
}

/// One row of the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestRow {
    pub request: Request,
    /// Mean rubric score over the reviews, 1..=5.
    pub mean_score: Option<f64>,
    pub decision: Option<Decision>,
}

/// One page of the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestPage {
    /// Rows matching the filter (all pages).
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
    pub items: Vec<RequestRow>,
}

/// Filters, sorts and pages `requests`.
pub fn request_page(
    requests: &[Request],
    reviews: &[Review],
    decisions: &[Decision],
    f: &RequestFilter,
) -> RequestPage {
    let matches = |r: &&Request| {
        f.sector.is_none_or(|s| r.sector == s)
            && f.state.is_none_or(|s| r.state == s)
            && f.q.as_deref().is_none_or(|q| {
                [&r.title_ko, &r.title_en, &r.organisation].iter().any(|t| t.to_lowercase().contains(q))
            })
    };
    let mut rows: Vec<RequestRow> = requests
        .iter()
        .filter(matches)
        .map(|r| RequestRow {
            request: r.clone(),
            mean_score: mean_score(r.id, reviews),
            decision: decisions.iter().find(|d| d.request == r.id).cloned(),
        })
        .collect();
    match f.sort {
        RequestSort::Id => rows.sort_by_key(|r| r.request.id),
        RequestSort::Score => rows.sort_by(|a, b| b.mean_score.unwrap_or(0.0).total_cmp(&a.mean_score.unwrap_or(0.0))),
        RequestSort::Amount => rows.sort_by_key(|r| std::cmp::Reverse(r.request.amount)),
        RequestSort::Organisation => rows.sort_by(|a, b| a.request.organisation.cmp(&b.request.organisation)),
    }
    let total = rows.len() as u32;
    let skip = (f.page.saturating_sub(1) as usize).saturating_mul(f.per_page as usize);
    let items = rows.into_iter().skip(skip).take(f.per_page as usize).collect();
    RequestPage { total, page: f.page, per_page: f.per_page, items }
}

/// Amount of `pool` (in its unit) not yet awarded in `round`.
pub fn capacity_left(round: &Round, allocations: &[Allocation], pool: &str) -> u64 {
    let capacity = round.pool(pool).map_or(0, |p| p.capacity);
    let awarded: u64 = allocations.iter().filter(|a| a.round == round.id && a.pool == pool).map(|a| a.amount).sum();
    capacity.saturating_sub(awarded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::demo::{demo_data, FIRST_CALL_2026};
    use crate::catalogue::Catalogue;

    fn demo() -> crate::allocation::DemoData {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        demo_data(&FIRST_CALL_2026, 7, today, &Catalogue::embedded().unwrap()).unwrap()
    }

    #[test]
    fn pages_cover_every_matching_request_once() {
        let d = demo();
        let f = RequestQuery { per_page: Some(200), ..RequestQuery::default() }.parse().unwrap();
        let mut seen = 0;
        for page in 1..=3 {
            let p = request_page(&d.requests, &d.reviews, &d.decisions, &RequestFilter { page, ..f.clone() });
            assert_eq!(p.total, 514);
            seen += p.items.len();
        }
        assert_eq!(seen, 514);
    }

    #[test]
    fn filters_and_score_sorting_hold() {
        let d = demo();
        let q = RequestQuery { sector: Some("startup".into()), sort: Some("score".into()), ..RequestQuery::default() };
        let p = request_page(&d.requests, &d.reviews, &d.decisions, &q.parse().unwrap());
        assert!(p.items.iter().all(|r| r.request.sector == Sector::Startup));
        let scores: Vec<f64> = p.items.iter().map(|r| r.mean_score.unwrap_or(0.0)).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first");
    }

    #[test]
    fn bad_parameters_are_named() {
        let q = RequestQuery {
            sector: Some("pirates".into()),
            state: Some("lost".into()),
            sort: Some("random".into()),
            per_page: Some(0),
            ..RequestQuery::default()
        };
        let errors = q.parse().unwrap_err();
        for f in ["sector", "state", "sort", "per_page"] {
            assert!(errors.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn capacity_left_subtracts_what_was_awarded() {
        let d = demo();
        for p in &d.round.pools {
            let awarded: u64 = d.allocations.iter().filter(|a| a.pool == p.pool).map(|a| a.amount).sum();
            assert_eq!(capacity_left(&d.round, &d.allocations, &p.pool), p.capacity.saturating_sub(awarded));
        }
    }
}
