//! [`Proposal::apply_adjustment`]: the committee changes one request's
//! amount; the pool capacity, the request's ask and the organisation cap are
//! checked, and the fairness figures move from running sums (no refilling).

use serde::{Deserialize, Serialize};

use crate::advisor::field_error::FieldErrors;
use crate::allocation::fairness::FairnessFigures;
use crate::allocation::form::Form;
use crate::allocation::ids::RequestId;
use crate::allocation::round::{OrgCap, Round};

use super::build::cap_on;
use super::{Proposal, ProposalLine};

/// A new amount for one request, in its pool's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustment {
    pub request: RequestId,
    pub amount: u64,
}

impl Adjustment {
    /// What the line editor checks before asking the server: a whole
    /// amount from 0 (drop) to the amount `requested` (the rule
    /// [`Proposal::apply_adjustment`] refuses as [`AdjustmentError::ExceedsRequest`]).
    pub fn amount_problems(value: Option<u64>, requested: u64) -> FieldErrors {
        let mut f = Form::default();
        f.whole("amount", value, 0, requested);
        f.errors
    }
}

/// The fairness figures before and after an adjustment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FairnessChange {
    pub before: FairnessFigures,
    pub after: FairnessFigures,
}

/// Why an adjustment is refused (the proposal is left unchanged).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdjustmentError {
    #[error("request {0} is not in the proposal")]
    UnknownRequest(RequestId),
    #[error("request {0} is excluded (unreviewed, below the minimum score or an unknown pool)")]
    Excluded(RequestId),
    #[error("request {0} is decided already")]
    Decided(RequestId),
    #[error("{amount} is more than the {requested} asked")]
    ExceedsRequest { requested: u64, amount: u64 },
    #[error("pool {pool} would hold {total} of its {capacity}")]
    ExceedsCapacity { pool: String, capacity: u64, total: u64 },
    #[error("{organisation} would hold {total}, over its cap of {cap}")]
    ExceedsOrgCap { organisation: String, cap: f64, total: f64 },
}

impl Proposal {
    /// Sets the amount of `adj.request` to `adj.amount` if the pool's capacity,
    /// the amount asked and the organisation cap allow it, and returns how the
    /// fairness figures moved. `round` must be the round it was proposed for.
    pub fn apply_adjustment(&mut self, round: &Round, adj: Adjustment) -> Result<FairnessChange, AdjustmentError> {
        let index = self
            .lines
            .binary_search_by_key(&adj.request, |l| l.request)
            .map_err(|_| AdjustmentError::UnknownRequest(adj.request))?;
        let line = &self.lines[index];
        if line.decided {
            return Err(AdjustmentError::Decided(adj.request));
        }
        if line.excluded.is_some() {
            return Err(AdjustmentError::Excluded(adj.request));
        }
        if adj.amount > line.requested {
            return Err(AdjustmentError::ExceedsRequest { requested: line.requested, amount: adj.amount });
        }
        let pool = round.pool(&line.pool).ok_or(AdjustmentError::Excluded(adj.request))?;
        let totals =
            self.pools.iter().position(|p| p.pool == line.pool).ok_or(AdjustmentError::Excluded(adj.request))?;
        let total = self.pools[totals].proposed - line.proposed + adj.amount;
        if total > pool.capacity {
            return Err(AdjustmentError::ExceedsCapacity { pool: pool.pool.clone(), capacity: pool.capacity, total });
        }
        if let Some(cap) = cap_on(round, pool) {
            let held = self.org_holding(round, line) - line.proposed as f64 + adj.amount as f64;
            if held > cap + 1e-9 {
                return Err(AdjustmentError::ExceedsOrgCap {
                    organisation: line.organisation.clone(),
                    cap,
                    total: held,
                });
            }
        }
        if self.tally.is_none() {
            self.refresh(round);
        }
        let before = self.fairness.clone();
        let line = &mut self.lines[index];
        let delta = (adj.amount as f64 - line.proposed as f64) * line.gpu_hours_per_unit;
        self.pools[totals].proposed = total;
        line.proposed = adj.amount;
        if let Some(tally) = self.tally.as_mut() {
            tally.award(line.sector, &line.org().key(), &pool.gpu_model, delta);
            self.fairness = tally.figures();
        }
        Ok(FairnessChange { before, after: self.fairness.clone() })
    }

    /// What `line`'s organisation holds under the cap's scope: its servers
    /// over all server pools, or its amount in `line`'s pool for a share cap.
    fn org_holding(&self, round: &Round, line: &ProposalLine) -> f64 {
        let servers_cap = matches!(round.policy.org_cap, Some(OrgCap::Servers(_)));
        let in_scope = |l: &ProposalLine| {
            if servers_cap {
                round.pool(&l.pool).is_some_and(|p| p.unit.is_whole_servers())
            } else {
                l.pool == line.pool
            }
        };
        self.lines.iter().filter(|l| l.org().key() == line.org().key() && in_scope(l)).map(|l| l.proposed as f64).sum()
    }
}
