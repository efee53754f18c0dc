//! Storage of metered usage: the allocations the monitor maps accounts to,
//! and daily GPU-hours added to the `usage` table as the status source
//! reports them (accumulated per allocation and KST day).

use kairr_shared::allocation::{Allocation, DailyUsage};
use kairr_shared::api::DataSource;
use sqlx::QueryBuilder;

use super::{decode, CHUNK};
use crate::storage::{source_str, with_db, Storage};

impl Storage {
    /// Every allocation (any round, demo or real): what usage can be attributed to.
    pub async fn metered_allocations(&self) -> anyhow::Result<Vec<Allocation>> {
        const SQL: &str = "SELECT body FROM allocations ORDER BY id";
        with_db!(self.db(), |p| decode(&sqlx::query(SQL).fetch_all(p).await?))
    }

    /// Adds `rows` to the daily usage (a row for an existing allocation and
    /// day grows), labelled with `source`. At most one row per allocation and
    /// day (PostgreSQL refuses to update a row twice in one statement).
    pub async fn add_usage(&self, rows: &[DailyUsage], source: DataSource) -> anyhow::Result<()> {
        with_db!(self.db(), |p, DB| {
            let mut tx = p.begin().await?;
            for chunk in rows.chunks(CHUNK) {
                let mut q = QueryBuilder::<DB>::new("INSERT INTO usage (allocation_id, day, gpu_hours, source) ");
                q.push_values(chunk, |mut b, u| {
                    b.push_bind(u.allocation.0 as i64)
                        .push_bind(u.day.to_string())
                        .push_bind(u.gpu_hours)
                        .push_bind(source_str(source));
                });
                q.push(
                    " ON CONFLICT (allocation_id, day) DO UPDATE SET gpu_hours = usage.gpu_hours + excluded.gpu_hours",
                );
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
