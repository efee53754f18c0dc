//! Storage of the allocation programme: rounds, requests, reviews,
//! conflicts of interest, decisions, allocations, daily usage and the
//! append-only audit log (`migrations/0003_allocation.sql`).

use kairr_shared::allocation::assignment::Assignment;
use kairr_shared::allocation::{
    Allocation, AuditEntry, CoiRecord, DailyUsage, Decision, DemoData, Request, Review, Round,
};
use serde::Serialize;
use sqlx::{QueryBuilder, Row};

pub(crate) use crate::storage::decode;
use crate::storage::{with_db, Storage};

pub(crate) mod adopt;
mod assignments;
mod live;
mod rounds;
mod usage;
pub(crate) mod write;

pub use rounds::StoredRound;
pub use write::WriteError;

/// Everything recorded about one round.
#[derive(Debug, Clone, Default)]
pub struct RoundRecords {
    pub round: Option<Round>,
    pub requests: Vec<Request>,
    pub reviews: Vec<Review>,
    /// Reviewers' places (active and declined).
    pub assignments: Vec<Assignment>,
    /// Conflicts of interest, found or declared.
    pub conflicts: Vec<CoiRecord>,
    pub decisions: Vec<Decision>,
    pub allocations: Vec<Allocation>,
    pub usage: Vec<DailyUsage>,
}

/// Deletes the demo programme's rows in dependency order, except rows that
/// remaining (real) rows still reference.
const DELETE_DEMO: [&str; 9] = [
    "DELETE FROM usage WHERE source = 'demo'",
    "DELETE FROM allocations WHERE source = 'demo' \
     AND NOT EXISTS (SELECT 1 FROM usage u WHERE u.allocation_id = allocations.id)",
    "DELETE FROM decisions WHERE source = 'demo'",
    "DELETE FROM conflicts WHERE source = 'demo'",
    "DELETE FROM reviews WHERE source = 'demo'",
    "DELETE FROM requests WHERE source = 'demo' \
     AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.request_id = requests.id) \
     AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.request_id = requests.id) \
     AND NOT EXISTS (SELECT 1 FROM assignments s WHERE s.request_id = requests.id) \
     AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.request_id = requests.id) \
     AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.request_id = requests.id)",
    "DELETE FROM proposal_drafts WHERE round_id IN (SELECT id FROM rounds WHERE source = 'demo' \
     AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.round_id = rounds.id))",
    "DELETE FROM rounds WHERE source = 'demo' AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.round_id = rounds.id)",
    "DELETE FROM audit_log WHERE source = 'demo'",
];

/// Rows per multi-row INSERT.
pub(crate) const CHUNK: usize = 400;

pub(crate) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Inserts `items` (demo rows) in multi-row INSERTs of `CHUNK` rows, each row's values
/// pushed by `$bind` (a closure over the row's `Separated` builder and item).
macro_rules! insert_bodies {
    ($DB:ty, $tx:expr, $head:expr, $items:expr, $bind:expr $(,)?) => {
        for chunk in $items.chunks(CHUNK) {
            let mut q = QueryBuilder::<$DB>::new($head);
            q.push_values(chunk, $bind);
            // Demo rows kept because real rows point at them are not inserted again.
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *$tx).await?;
        }
    };
}

impl Storage {
    /// Replaces the demo programme with `demo` (real records are untouched).
    /// A demo row that real records point at (the open demo round holding
    /// real requests, say) is kept, and the new demo rows skip it, so a
    /// restart after real activity never breaks a foreign key.
    pub async fn replace_demo_programme(&self, demo: &DemoData) -> anyhow::Result<()> {
        with_db!(self.db(), |p, DB| {
            let mut tx = p.begin().await?;
            for sql in DELETE_DEMO {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO rounds (id, source, stage, body) VALUES ($1, 'demo', $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(&demo.round.id.0)
            .bind(demo.round.stage.as_str())
            .bind(json(&demo.round))
            .execute(&mut *tx)
            .await?;
            insert_bodies!(
                DB,
                tx,
                "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) ",
                &demo.requests,
                |mut b, r: &Request| {
                    b.push_bind(r.id.0 as i64)
                        .push_bind(r.round.0.clone())
                        .push_bind(r.applicant.clone())
                        .push_bind(r.organisation.clone())
                        .push_bind(r.sector.as_str())
                        .push_bind(json(&r.state).trim_matches('"').to_owned())
                        .push_bind("demo")
                        .push_bind(json(r));
                },
            );
            insert_bodies!(
                DB,
                tx,
                "INSERT INTO reviews (request_id, reviewer, source, body) ",
                &demo.reviews,
                |mut b, r: &Review| {
                    b.push_bind(r.request.0 as i64).push_bind(r.reviewer.clone()).push_bind("demo").push_bind(json(r));
                },
            );
            insert_bodies!(
                DB,
                tx,
                "INSERT INTO conflicts (request_id, reviewer, source, body) ",
                &demo.conflicts,
                |mut b, c: &CoiRecord| {
                    b.push_bind(c.request.0 as i64).push_bind(c.reviewer.clone()).push_bind("demo").push_bind(json(c));
                },
            );
            insert_bodies!(
                DB,
                tx,
                "INSERT INTO decisions (request_id, source, body) ",
                &demo.decisions,
                |mut b, d: &Decision| {
                    b.push_bind(d.request.0 as i64).push_bind("demo").push_bind(json(d));
                },
            );
            insert_bodies!(
                DB,
                tx,
                "INSERT INTO allocations (id, request_id, round_id, account, source, body) ",
                &demo.allocations,
                |mut b, a: &Allocation| {
                    b.push_bind(a.id.0 as i64)
                        .push_bind(a.request.0 as i64)
                        .push_bind(a.round.0.clone())
                        .push_bind(a.account_code())
                        .push_bind("demo")
                        .push_bind(json(a));
                },
            );
            insert_bodies!(
                DB,
                tx,
                "INSERT INTO usage (allocation_id, day, gpu_hours, source) ",
                &demo.usage,
                |mut b, u: &DailyUsage| {
                    b.push_bind(u.allocation.0 as i64)
                        .push_bind(u.day.to_string())
                        .push_bind(u.gpu_hours)
                        .push_bind("demo");
                },
            );
            insert_bodies!(
                DB,
                tx,
                "INSERT INTO audit_log (at, actor, action, source, body, subject) ",
                &demo.audit,
                |mut b, e: &AuditEntry| {
                    b.push_bind(e.at.timestamp())
                        .push_bind(e.actor.clone())
                        .push_bind(json(&e.action).trim_matches('"').to_owned())
                        .push_bind("demo")
                        .push_bind(json(e))
                        .push_bind(e.subject.key());
                },
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes the demo programme (turned off): every demo row that no real row points at.
    pub async fn clear_demo_programme(&self) -> anyhow::Result<()> {
        with_db!(self.db(), |p| {
            let mut tx = p.begin().await?;
            for sql in DELETE_DEMO {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The id of the newest round that has requests (withdrawn ones not
    /// counted), else the newest round.
    pub async fn latest_round_id(&self) -> anyhow::Result<Option<String>> {
        const SQL: &str = "SELECT id FROM rounds ORDER BY EXISTS \
             (SELECT 1 FROM requests r WHERE r.round_id = rounds.id AND r.state <> 'withdrawn') DESC, id DESC LIMIT 1";
        Ok(with_db!(self.db(), |p| sqlx::query_scalar(SQL).fetch_optional(p).await?))
    }

    /// The id of the newest published round (the public page's default: a
    /// round's awards are public only once it is published).
    pub async fn public_round_id(&self) -> anyhow::Result<Option<String>> {
        const SQL: &str = "SELECT id FROM rounds WHERE stage = 'published' ORDER BY id DESC LIMIT 1";
        Ok(with_db!(self.db(), |p| sqlx::query_scalar(SQL).fetch_optional(p).await?))
    }

    /// Every published round, newest first (the public page's rounds).
    pub async fn published_rounds(&self) -> anyhow::Result<Vec<Round>> {
        const SQL: &str = "SELECT body FROM rounds WHERE stage = 'published' ORDER BY id DESC";
        with_db!(self.db(), |p| decode(&sqlx::query(SQL).fetch_all(p).await?))
    }

    /// The id of the newest round, if any (where new requests go by default).
    /// The round request `id` belongs to, if it exists.
    pub async fn round_of_request(&self, id: u64) -> anyhow::Result<Option<String>> {
        let Ok(id) = i64::try_from(id) else { return Ok(None) };
        const SQL: &str = "SELECT round_id FROM requests WHERE id = $1";
        Ok(with_db!(self.db(), |p| sqlx::query_scalar(SQL).bind(id).fetch_optional(p).await?))
    }

    pub async fn newest_round_id(&self) -> anyhow::Result<Option<String>> {
        const SQL: &str = "SELECT id FROM rounds ORDER BY id DESC LIMIT 1";
        Ok(with_db!(self.db(), |p| sqlx::query_scalar(SQL).fetch_optional(p).await?))
    }

    /// Every record of round `id` (an empty `round` when it does not exist).
    pub async fn round_records(&self, id: &str) -> anyhow::Result<RoundRecords> {
        with_db!(self.db(), |p| {
            let round: Vec<Round> =
                decode(&sqlx::query("SELECT body FROM rounds WHERE id = $1").bind(id).fetch_all(p).await?)?;
            let Some(round) = round.into_iter().next() else {
                return Ok(RoundRecords::default());
            };
            let requests: Vec<Request> = decode(
                &sqlx::query("SELECT body FROM requests WHERE round_id = $1 AND state <> 'withdrawn' ORDER BY id")
                    .bind(id)
                    .fetch_all(p)
                    .await?,
            )?;
            let reviews = decode(
                &sqlx::query(
                    "SELECT v.body FROM reviews v JOIN requests r ON r.id = v.request_id WHERE r.round_id = $1",
                )
                .bind(id)
                .fetch_all(p)
                .await?,
            )?;
            let assignments = decode(
                &sqlx::query("SELECT body FROM assignments WHERE round_id = $1 ORDER BY request_id, reviewer")
                    .bind(id)
                    .fetch_all(p)
                    .await?,
            )?;
            let conflicts = decode(
                &sqlx::query(
                    "SELECT c.body FROM conflicts c JOIN requests r ON r.id = c.request_id WHERE r.round_id = $1",
                )
                .bind(id)
                .fetch_all(p)
                .await?,
            )?;
            let decisions = decode(
                &sqlx::query(
                    "SELECT d.body FROM decisions d JOIN requests r ON r.id = d.request_id WHERE r.round_id = $1",
                )
                .bind(id)
                .fetch_all(p)
                .await?,
            )?;
            let allocations: Vec<Allocation> = decode(
                &sqlx::query("SELECT body FROM allocations WHERE round_id = $1 ORDER BY id")
                    .bind(id)
                    .fetch_all(p)
                    .await?,
            )?;
            let rows = sqlx::query(
                "SELECT u.allocation_id, u.day, u.gpu_hours FROM usage u JOIN allocations a ON a.id = u.allocation_id \
                 WHERE a.round_id = $1",
            )
            .bind(id)
            .fetch_all(p)
            .await?;
            let mut usage = Vec::with_capacity(rows.len());
            for r in &rows {
                let day: String = r.try_get("day")?;
                usage.push(DailyUsage {
                    allocation: kairr_shared::allocation::AllocationId(u64::try_from(
                        r.try_get::<i64, _>("allocation_id")?,
                    )?),
                    day: day.parse()?,
                    gpu_hours: r.try_get("gpu_hours")?,
                });
            }
            Ok(RoundRecords {
                round: Some(round),
                requests,
                reviews,
                assignments,
                conflicts,
                decisions,
                allocations,
                usage,
            })
        })
    }
}
