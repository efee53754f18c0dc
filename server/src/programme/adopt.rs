//! Storage of the proposal's adoption and its adjustment draft: the round's
//! requests, reviews and allocations read inside the round's write
//! transaction (its row locked on PostgreSQL), allocation ids reserved for
//! every undecided request, and the batch of decisions written at once.

use chrono::{DateTime, Utc};
use kairr_shared::allocation::usecase::{AdoptFacts, Plan, ProposalDraft, Refusal, Write};
use kairr_shared::allocation::{Allocation, AllocationId, Request, Review, Round};
use kairr_shared::auth::UserInfo;
use kairr_shared::catalogue::Catalogue;

use super::write::{
    apply_plan, db_id, insert_audit, read_one, reserve_sql, BeginWrite, WriteError, UPDATE_REQUEST, UPDATE_ROUND,
};
use super::{decode, json};
use crate::storage::{with_db, Storage};

/// What a proposal command reads of its round inside the transaction.
pub struct ProposalFacts<'a> {
    pub round: &'a Round,
    pub requests: &'a [Request],
    pub reviews: &'a [Review],
    pub allocations: &'a [Allocation],
    /// One reserved allocation id per undecided request (empty unless asked for).
    pub allocation_ids: &'a [AllocationId],
    /// The time, read under the round's lock.
    pub now: DateTime<Utc>,
}

impl<'a> ProposalFacts<'a> {
    /// The use case's facts: these records, with who asks and the catalogue.
    pub fn for_command(&self, decider: &'a UserInfo, catalogue: &'a Catalogue) -> AdoptFacts<'a> {
        AdoptFacts {
            round: self.round,
            requests: self.requests,
            reviews: self.reviews,
            allocations: self.allocations,
            allocation_ids: self.allocation_ids,
            decider,
            now: self.now,
            catalogue,
        }
    }
}

impl Storage {
    /// Runs a proposal command (saving a draft, adopting) on round `id` in
    /// one transaction; `reserve` asks for allocation ids.
    pub async fn on_proposal<T, F>(&self, id: &str, reserve: bool, use_case: F) -> Result<T, WriteError>
    where
        F: FnOnce(ProposalFacts<'_>) -> Result<Plan<T>, Refusal>,
    {
        with_db!(self.db(), |p| {
            let mut tx = p.begin_write(id).await?;
            let now = Utc::now();
            let round: Round = read_one!(tx, Round, "SELECT body FROM rounds WHERE id = $1", id)
                .ok_or(WriteError::NotFound("round"))?;
            let requests: Vec<Request> = decode(
                &sqlx::query("SELECT body FROM requests WHERE round_id = $1 AND state <> 'withdrawn' ORDER BY id")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?,
            )?;
            let reviews: Vec<Review> = decode(
                &sqlx::query(
                    "SELECT v.body FROM reviews v JOIN requests r ON r.id = v.request_id WHERE r.round_id = $1",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?,
            )?;
            let allocations: Vec<Allocation> = decode(
                &sqlx::query("SELECT body FROM allocations WHERE round_id = $1").bind(id).fetch_all(&mut *tx).await?,
            )?;
            let mut ids = Vec::new();
            if reserve {
                let open = requests.iter().filter(|r| r.state.is_open());
                for _ in open {
                    let aid: i64 = sqlx::query_scalar(&reserve_sql("allocations")).fetch_one(&mut *tx).await?;
                    ids.push(AllocationId(u64::try_from(aid).map_err(anyhow::Error::from)?));
                }
            }
            let plan = use_case(ProposalFacts {
                round: &round,
                requests: &requests,
                reviews: &reviews,
                allocations: &allocations,
                allocation_ids: &ids,
                now,
            })?;
            apply_plan!(tx, plan);
            tx.commit().await?;
            Ok(plan.outcome)
        })
    }

    /// The saved adjustments of round `id`'s proposal (empty when none).
    pub async fn proposal_draft(&self, id: &str) -> anyhow::Result<ProposalDraft> {
        let body: Option<String> =
            with_db!(self.db(), |p| sqlx::query_scalar("SELECT body FROM proposal_drafts WHERE round_id = $1")
                .bind(id)
                .fetch_optional(p)
                .await?);
        Ok(match body {
            Some(b) => serde_json::from_str(&b)?,
            None => ProposalDraft::default(),
        })
    }
}
