//! Reading rounds as a whole (to find the open one, to administer them) and
//! one request's conflict-of-interest records.

use kairr_shared::allocation::{Allocation, CoiRecord, Request, Round};
use kairr_shared::api::AdminRound;
use sqlx::Row;

use super::decode;
use crate::storage::{with_db, Storage};

/// A stored round and whether it is demo data.
#[derive(Debug, Clone)]
pub struct StoredRound {
    pub round: Round,
    /// True for the seeded demo rounds (`source = 'demo'`).
    pub demo: bool,
}

impl Storage {
    /// Every stored round, by id.
    pub async fn rounds(&self) -> anyhow::Result<Vec<StoredRound>> {
        const SQL: &str = "SELECT source, body FROM rounds ORDER BY id";
        with_db!(self.db(), |p| {
            let rows = sqlx::query(SQL).fetch_all(p).await?;
            let rounds: Vec<Round> = decode(&rows)?;
            let mut out = Vec::with_capacity(rounds.len());
            for (row, round) in rows.iter().zip(rounds) {
                out.push(StoredRound { round, demo: row.try_get::<String, _>("source")? == "demo" });
            }
            Ok(out)
        })
    }

    /// Every round with its requests and allocations, for its administrators.
    pub async fn admin_rounds(&self) -> anyhow::Result<Vec<AdminRound>> {
        let rounds = self.rounds().await?;
        let (requests, allocations): (Vec<Request>, Vec<Allocation>) = with_db!(self.db(), |p| {
            let requests = decode(
                &sqlx::query("SELECT body FROM requests WHERE state <> 'withdrawn' ORDER BY id").fetch_all(p).await?,
            )?;
            let allocations = decode(&sqlx::query("SELECT body FROM allocations ORDER BY id").fetch_all(p).await?)?;
            (requests, allocations)
        });
        Ok(rounds
            .into_iter()
            .rev()
            .map(|s| {
                let reqs: Vec<Request> = requests.iter().filter(|r| r.round == s.round.id).cloned().collect();
                let allocs: Vec<Allocation> = allocations.iter().filter(|a| a.round == s.round.id).cloned().collect();
                AdminRound::new(s.round, s.demo, &reqs, &allocs)
            })
            .collect())
    }

    /// The conflict-of-interest records of request `id`, oldest first.
    pub async fn conflicts_of(&self, id: u64) -> anyhow::Result<Vec<CoiRecord>> {
        const SQL: &str = "SELECT body FROM conflicts WHERE request_id = $1 ORDER BY id";
        let Ok(id) = i64::try_from(id) else { return Ok(Vec::new()) };
        with_db!(self.db(), |p| decode(&sqlx::query(SQL).bind(id).fetch_all(p).await?))
    }
}
