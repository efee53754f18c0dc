//! Storage of reviewer assignment: the round's records the assignment use
//! cases need (requests, enabled reviewers with their expertise, places,
//! reviews, conflicts), read inside the round's write transaction (its row
//! locked on PostgreSQL, so two committee members assigning at once queue),
//! and the same records read for the committee's view.

use kairr_shared::allocation::assignment::{AssignmentFacts, ReviewerProfile, RoundReviewing};
use kairr_shared::allocation::usecase::{Plan, Refusal};
use kairr_shared::allocation::{Request, Round};

use kairr_shared::allocation::usecase::Write;

use super::write::{apply_plan, db_id, insert_audit, read_one, BeginWrite, WriteError, UPDATE_REQUEST, UPDATE_ROUND};
use super::{decode, json};
use crate::storage::{with_db, Storage};

/// Every enabled reviewer, by username, read on `$conn`.
macro_rules! read_reviewers {
    ($conn:expr) => {{
        let rows: Vec<(String, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT username, display_name, organisation, organisation_id, expertise FROM users \
             WHERE role = 'reviewer' AND NOT disabled ORDER BY username",
        )
        .fetch_all($conn)
        .await?;
        rows.into_iter()
            .map(|(username, display_name, organisation, organisation_id, expertise)| ReviewerProfile {
                username,
                display_name,
                organisation,
                organisation_id,
                expertise: serde_json::from_str(&expertise).unwrap_or_default(),
            })
            .collect::<Vec<_>>()
    }};
}

/// The round's requests, places, reviews and conflicts, read on `$conn`.
macro_rules! read_round_reviewing {
    ($conn:expr, $id:expr) => {{
        let requests: Vec<Request> = decode(
            &sqlx::query("SELECT body FROM requests WHERE round_id = $1 AND state <> 'withdrawn' ORDER BY id")
                .bind($id)
                .fetch_all(&mut *$conn)
                .await?,
        )?;
        let assignments = decode(
            &sqlx::query("SELECT body FROM assignments WHERE round_id = $1 ORDER BY request_id, reviewer")
                .bind($id)
                .fetch_all(&mut *$conn)
                .await?,
        )?;
        let reviews = decode(
            &sqlx::query("SELECT v.body FROM reviews v JOIN requests r ON r.id = v.request_id WHERE r.round_id = $1")
                .bind($id)
                .fetch_all(&mut *$conn)
                .await?,
        )?;
        let conflicts = decode(
            &sqlx::query("SELECT c.body FROM conflicts c JOIN requests r ON r.id = c.request_id WHERE r.round_id = $1")
                .bind($id)
                .fetch_all(&mut *$conn)
                .await?,
        )?;
        (requests, assignments, reviews, conflicts)
    }};
}

impl Storage {
    /// Runs an assignment command on round `id` in one transaction.
    pub async fn on_assignments<T, F>(&self, id: &str, use_case: F) -> Result<T, WriteError>
    where
        F: FnOnce(AssignmentFacts<'_>) -> Result<Plan<T>, Refusal>,
    {
        with_db!(self.db(), |p| {
            let mut tx = p.begin_write(id).await?;
            let round: Round = read_one!(tx, Round, "SELECT body FROM rounds WHERE id = $1", id)
                .ok_or(WriteError::NotFound("round"))?;
            let reviewers = read_reviewers!(&mut *tx);
            let (requests, assignments, reviews, conflicts) = read_round_reviewing!(tx, id);
            let plan = use_case(AssignmentFacts {
                round: &round,
                requests: &requests,
                reviewers: &reviewers,
                assignments: &assignments,
                reviews: &reviews,
                conflicts: &conflicts,
            })?;
            apply_plan!(tx, plan);
            tx.commit().await?;
            Ok(plan.outcome)
        })
    }

    /// Who reviews what in round `id`, and how far they are (`None`: no such round).
    pub async fn round_reviewing(&self, id: &str) -> anyhow::Result<Option<RoundReviewing>> {
        with_db!(self.db(), |p| {
            let mut conn = p.acquire().await?;
            let rounds: Vec<Round> =
                decode(&sqlx::query("SELECT body FROM rounds WHERE id = $1").bind(id).fetch_all(&mut *conn).await?)?;
            let Some(round) = rounds.into_iter().next() else { return Ok(None) };
            let reviewers = read_reviewers!(&mut *conn);
            let (requests, assignments, reviews, conflicts) = read_round_reviewing!(conn, id);
            Ok(Some(RoundReviewing::build(AssignmentFacts {
                round: &round,
                requests: &requests,
                reviewers: &reviewers,
                assignments: &assignments,
                reviews: &reviews,
                conflicts: &conflicts,
            })))
        })
    }
}
