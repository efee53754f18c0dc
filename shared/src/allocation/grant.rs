//! An allocation: what an approved request holds (pool, servers and GPUs or
//! hours, start and end), made from the decision that awarded it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::account::account_code;
use super::decision::Decision;
use super::ids::{AllocationId, RequestId, RoundId};
use super::request::Request;
use super::round::{days_between, Round};
use super::unit::{PoolCapacity, PoolUnit};

/// Resources held by an awarded request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub id: AllocationId,
    pub request: RequestId,
    pub round: RoundId,
    /// Project account its holders run jobs under (Slurm `--account`), e.g.
    /// `r2026-1-0042`; see [`account_code`]. Empty in records made before accounts existed.
    #[serde(default)]
    pub account: String,
    pub pool: String,
    pub unit: PoolUnit,
    /// Amount awarded, in `unit` (servers, GPU-hours or node-hours).
    pub amount: u64,
    /// GPUs held (servers × GPUs per server); `None` for pools counted in hours.
    pub gpus: Option<u64>,
    /// First day (KST) the allocation may be used.
    pub start: NaiveDate,
    /// Last day (KST), inclusive.
    pub end: NaiveDate,
}

/// Why no allocation can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("decision on {decision} does not belong to request {request}")]
    WrongRequest { request: RequestId, decision: RequestId },
    #[error("request {0} was not awarded anything")]
    NotAwarded(RequestId),
    #[error("round does not offer pool {0}")]
    UnknownPool(String),
}

impl Allocation {
    /// The allocation `decision` awards `request` in `round`, over the
    /// request's period. Refused for rejections and mismatched records.
    pub fn from_decision(
        id: AllocationId,
        request: &Request,
        decision: &Decision,
        round: &Round,
    ) -> Result<Allocation, AllocationError> {
        if decision.request != request.id {
            return Err(AllocationError::WrongRequest { request: request.id, decision: decision.request });
        }
        if decision.amount == 0 || !decision.state().is_awarded() {
            return Err(AllocationError::NotAwarded(request.id));
        }
        let pool = round.pool(&request.pool).ok_or_else(|| AllocationError::UnknownPool(request.pool.clone()))?;
        Ok(Allocation {
            id,
            request: request.id,
            round: round.id.clone(),
            account: account_code(&round.id, request.id),
            pool: pool.pool.clone(),
            unit: pool.unit,
            amount: decision.amount,
            gpus: pool.gpus(decision.amount),
            start: request.period_start,
            end: request.period_end,
        })
    }

    /// Its project account code (derived from round and request when the record has none).
    pub fn account_code(&self) -> String {
        if self.account.is_empty() {
            account_code(&self.round, self.request)
        } else {
            self.account.clone()
        }
    }

    /// Days of the period (inclusive).
    pub fn days(&self) -> u32 {
        days_between(self.start, self.end)
    }

    /// Whether `day` is within the period.
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        (self.start..=self.end).contains(&day)
    }

    /// GPU-hours the allocation entitles its holder to over the whole period.
    pub fn gpu_hours(&self, pool: &PoolCapacity) -> f64 {
        pool.gpu_hours(self.amount, self.days())
    }

    /// GPU-hours available per day: servers around the clock, or hours spread evenly over the period.
    pub fn gpu_hours_per_day(&self, pool: &PoolCapacity) -> f64 {
        self.gpu_hours(pool) / f64::from(self.days().max(1))
    }

    /// The same allocation with a new amount (a committee change; audit it).
    pub fn resized(&self, amount: u64, pool: &PoolCapacity) -> Allocation {
        Allocation { amount, gpus: pool.gpus(amount), ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::decision::DecisionKind;
    use crate::allocation::request::tests::{request, round};

    fn decision(kind: DecisionKind, amount: u64) -> Decision {
        let at = crate::time::utc(0);
        Decision { request: RequestId(1), kind, amount, rationale: "r".into(), decided_by: "c".into(), at }
    }

    #[test]
    fn a_partial_approval_becomes_an_allocation_of_whole_servers() {
        let a = Allocation::from_decision(
            AllocationId(9),
            &request(1),
            &decision(DecisionKind::ApprovePartially, 3),
            &round(),
        )
        .unwrap();
        assert_eq!((a.amount, a.gpus, a.days()), (3, Some(24), 91));
        let pool = round().pools[0].clone();
        assert_eq!(a.gpu_hours_per_day(&pool), 24.0 * 24.0);
        assert_eq!(a.resized(2, &pool).gpus, Some(16));
    }

    #[test]
    fn a_rejection_or_someone_elses_decision_makes_no_allocation() {
        let round = round();
        let rejected =
            Allocation::from_decision(AllocationId(1), &request(1), &decision(DecisionKind::Reject, 0), &round);
        assert_eq!(rejected, Err(AllocationError::NotAwarded(RequestId(1))));
        let other =
            Allocation::from_decision(AllocationId(1), &request(2), &decision(DecisionKind::Approve, 4), &round);
        assert!(matches!(other, Err(AllocationError::WrongRequest { .. })));
    }
}
