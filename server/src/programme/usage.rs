//! Storage of metered usage: the allocations the monitor maps accounts to,
//! and daily GPU-hours added to the `usage` table as the status source
//! reports them (accumulated per allocation and KST day).

use kairr_shared::allocation::{Allocation, DailyUsage};
use kairr_shared::api::DataSource;
use sqlx::{QueryBuilder, Sqlite};

use super::{decode, CHUNK};
use crate::storage::{source_str, Storage};

impl Storage {
    /// Every allocation (any round, demo or real): what usage can be attributed to.
    pub async fn metered_allocations(&self) -> anyhow::Result<Vec<Allocation>> {
        decode(&sqlx::query("SELECT body FROM allocations ORDER BY id").fetch_all(self.pool()).await?)
    }

    /// Adds `rows` to the daily usage (a row for an existing allocation and
    /// day grows), labelled with `source`.
    pub async fn add_usage(&self, rows: &[DailyUsage], source: DataSource) -> anyhow::Result<()> {
        let mut tx = self.pool().begin().await?;
        for chunk in rows.chunks(CHUNK) {
            let mut q: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO usage (allocation_id, day, gpu_hours, source) ");
            q.push_values(chunk, |mut b, u| {
                b.push_bind(u.allocation.0 as i64)
                    .push_bind(u.day.to_string())
                    .push_bind(u.gpu_hours)
                    .push_bind(source_str(source));
            });
            q.push(" ON CONFLICT (allocation_id, day) DO UPDATE SET gpu_hours = gpu_hours + excluded.gpu_hours");
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
