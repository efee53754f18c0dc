//! Storage of the allocation programme: rounds, requests, reviews,
//! conflicts of interest, decisions, allocations, daily usage and the
//! append-only audit log (`migrations/0003_allocation.sql`).

use kairr_shared::allocation::{
    Allocation, AuditEntry, CoiRecord, DailyUsage, Decision, DemoData, Request, Review, Round,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::storage::Storage;

mod live;
mod rounds;
mod usage;
pub use live::{AuditRecord, MyRequest};
pub use rounds::StoredRound;

/// Everything recorded about one round.
#[derive(Debug, Clone, Default)]
pub struct RoundRecords {
    pub round: Option<Round>,
    pub requests: Vec<Request>,
    pub reviews: Vec<Review>,
    pub decisions: Vec<Decision>,
    pub allocations: Vec<Allocation>,
    pub usage: Vec<DailyUsage>,
}

/// Rows per multi-row INSERT.
const CHUNK: usize = 400;

pub(crate) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

pub(crate) fn decode<T: DeserializeOwned>(rows: &[sqlx::sqlite::SqliteRow]) -> anyhow::Result<Vec<T>> {
    rows.iter().map(|r| Ok(serde_json::from_str(&r.try_get::<String, _>("body")?)?)).collect()
}

async fn insert_bodies<T>(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    head: &str,
    items: &[T],
    bind: impl Fn(&mut sqlx::query_builder::Separated<'_, '_, Sqlite, &'static str>, &T) + Copy,
) -> anyhow::Result<()> {
    for chunk in items.chunks(CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(head);
        q.push_values(chunk, |mut b, item| bind(&mut b, item));
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

impl Storage {
    /// Replaces the demo programme with `demo` (real records are untouched).
    pub async fn replace_demo_programme(&self, demo: &DemoData) -> anyhow::Result<()> {
        let mut tx = self.pool().begin().await?;
        for table in ["usage", "allocations", "decisions", "conflicts", "reviews", "requests", "rounds", "audit_log"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE source = 'demo'")).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO rounds (id, source, body) VALUES (?, 'demo', ?)")
            .bind(&demo.round.id.0)
            .bind(json(&demo.round))
            .execute(&mut *tx)
            .await?;
        insert_bodies(
            &mut tx,
            "INSERT INTO requests (id, round_id, applicant, organisation, sector, state, source, body) ",
            &demo.requests,
            |b, r: &Request| {
                b.push_bind(r.id.0 as i64)
                    .push_bind(r.round.0.clone())
                    .push_bind(r.applicant.clone())
                    .push_bind(r.organisation.clone())
                    .push_bind(r.sector.as_str())
                    .push_bind(json(&r.state).trim_matches('"').to_owned())
                    .push_bind("demo")
                    .push_bind(json(r));
            },
        )
        .await?;
        insert_bodies(
            &mut tx,
            "INSERT INTO reviews (request_id, reviewer, source, body) ",
            &demo.reviews,
            |b, r: &Review| {
                b.push_bind(r.request.0 as i64).push_bind(r.reviewer.clone()).push_bind("demo").push_bind(json(r));
            },
        )
        .await?;
        insert_bodies(
            &mut tx,
            "INSERT INTO conflicts (request_id, reviewer, source, body) ",
            &demo.conflicts,
            |b, c: &CoiRecord| {
                b.push_bind(c.request.0 as i64).push_bind(c.reviewer.clone()).push_bind("demo").push_bind(json(c));
            },
        )
        .await?;
        insert_bodies(
            &mut tx,
            "INSERT INTO decisions (request_id, source, body) ",
            &demo.decisions,
            |b, d: &Decision| {
                b.push_bind(d.request.0 as i64).push_bind("demo").push_bind(json(d));
            },
        )
        .await?;
        insert_bodies(
            &mut tx,
            "INSERT INTO allocations (id, request_id, round_id, account, source, body) ",
            &demo.allocations,
            |b, a: &Allocation| {
                b.push_bind(a.id.0 as i64)
                    .push_bind(a.request.0 as i64)
                    .push_bind(a.round.0.clone())
                    .push_bind(a.account_code())
                    .push_bind("demo")
                    .push_bind(json(a));
            },
        )
        .await?;
        insert_bodies(
            &mut tx,
            "INSERT INTO usage (allocation_id, day, gpu_hours, source) ",
            &demo.usage,
            |b, u: &DailyUsage| {
                b.push_bind(u.allocation.0 as i64)
                    .push_bind(u.day.to_string())
                    .push_bind(u.gpu_hours)
                    .push_bind("demo");
            },
        )
        .await?;
        insert_bodies(
            &mut tx,
            "INSERT INTO audit_log (at, actor, action, source, body) ",
            &demo.audit,
            |b, e: &AuditEntry| {
                b.push_bind(e.at.timestamp())
                    .push_bind(e.actor.clone())
                    .push_bind(json(&e.action).trim_matches('"').to_owned())
                    .push_bind("demo")
                    .push_bind(json(e));
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The id of the newest round that has requests (else the newest round).
    pub async fn latest_round_id(&self) -> anyhow::Result<Option<String>> {
        let row = sqlx::query(
            "SELECT id FROM rounds ORDER BY EXISTS (SELECT 1 FROM requests r WHERE r.round_id = rounds.id) DESC,              id DESC LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// The id of the newest round, if any (where new requests go by default).
    pub async fn newest_round_id(&self) -> anyhow::Result<Option<String>> {
        let row = sqlx::query("SELECT id FROM rounds ORDER BY id DESC LIMIT 1").fetch_optional(self.pool()).await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// Every record of round `id` (an empty `round` when it does not exist).
    pub async fn round_records(&self, id: &str) -> anyhow::Result<RoundRecords> {
        let p = self.pool();
        let round: Vec<Round> =
            decode(&sqlx::query("SELECT body FROM rounds WHERE id = ?").bind(id).fetch_all(p).await?)?;
        let Some(round) = round.into_iter().next() else {
            return Ok(RoundRecords::default());
        };
        let requests: Vec<Request> = decode(
            &sqlx::query("SELECT body FROM requests WHERE round_id = ? ORDER BY id").bind(id).fetch_all(p).await?,
        )?;
        let reviews = decode(
            &sqlx::query("SELECT v.body FROM reviews v JOIN requests r ON r.id = v.request_id WHERE r.round_id = ?")
                .bind(id)
                .fetch_all(p)
                .await?,
        )?;
        let decisions = decode(
            &sqlx::query("SELECT d.body FROM decisions d JOIN requests r ON r.id = d.request_id WHERE r.round_id = ?")
                .bind(id)
                .fetch_all(p)
                .await?,
        )?;
        let allocations: Vec<Allocation> = decode(
            &sqlx::query("SELECT body FROM allocations WHERE round_id = ? ORDER BY id").bind(id).fetch_all(p).await?,
        )?;
        let rows = sqlx::query(
            "SELECT u.allocation_id, u.day, u.gpu_hours FROM usage u JOIN allocations a ON a.id = u.allocation_id \
             WHERE a.round_id = ?",
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
        Ok(RoundRecords { round: Some(round), requests, reviews, decisions, allocations, usage })
    }
}
