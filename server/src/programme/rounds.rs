//! Reading rounds as a whole (to find the open one) and one request's
//! conflict-of-interest records.

use kairr_shared::allocation::{CoiRecord, Round};
use sqlx::Row;

use super::decode;
use crate::storage::Storage;

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
        let rows = sqlx::query("SELECT source, body FROM rounds ORDER BY id").fetch_all(self.pool()).await?;
        let rounds: Vec<Round> = decode(&rows)?;
        let mut out = Vec::with_capacity(rounds.len());
        for (row, round) in rows.iter().zip(rounds) {
            out.push(StoredRound { round, demo: row.try_get::<String, _>("source")? == "demo" });
        }
        Ok(out)
    }

    /// The conflict-of-interest records of request `id`, oldest first.
    pub async fn conflicts_of(&self, id: u64) -> anyhow::Result<Vec<CoiRecord>> {
        decode(
            &sqlx::query("SELECT body FROM conflicts WHERE request_id = ? ORDER BY id")
                .bind(i64::try_from(id)?)
                .fetch_all(self.pool())
                .await?,
        )
    }
}
