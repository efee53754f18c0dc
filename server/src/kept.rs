//! [`Kept`]: one value read from somewhere slow (the database), kept and
//! answered at once, refreshed in the background once it is older than its
//! time to live (stale-while-revalidate, with a single flight).
//!
//! Used for the status histories: during an outage thousands of people open
//! the status page at once, and the database is then often the slow part. A
//! history a minute old is worth far more to them than a page without its
//! uptime bars because a fresh read took longer than the page waits.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A value and when it was read; see the module's documentation.
pub struct Kept<T> {
    value: tokio::sync::Mutex<Option<(Instant, T)>>,
    /// A background refresh is under way (so a crowd starts one, not many).
    refreshing: AtomicBool,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Self { value: tokio::sync::Mutex::new(None), refreshing: AtomicBool::new(false) }
    }
}

impl<T: Clone + Send + 'static> Kept<T> {
    /// The kept value, reading it with `read` when there is none yet.
    ///
    /// - Younger than `ttl`: answered as it is; `read` is not run.
    /// - Older: answered as it is at once, and `read` runs in its own task
    ///   (unless a refresh is already under way) to replace it. A refresh
    ///   that fails keeps the old value; the next request past `ttl` tries
    ///   again. So a slow or failing database never holds an answer back
    ///   once there has been one.
    /// - None yet: the first caller runs `read` while holding the value's
    ///   lock, and callers arriving meanwhile wait for that one read rather
    ///   than each reading (the first answer must be read by someone). If
    ///   that caller is cancelled or its read fails, the next one reads.
    pub async fn get<E, F>(self: &Arc<Self>, ttl: Duration, read: F) -> Result<T, E>
    where
        E: std::fmt::Display + Send + 'static,
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        let mut kept = self.value.lock().await;
        match kept.as_ref() {
            Some((at, value)) if at.elapsed() < ttl => Ok(value.clone()),
            Some((_, value)) => {
                let value = value.clone();
                drop(kept);
                self.refresh(read);
                Ok(value)
            }
            None => {
                let value = read.await?;
                *kept = Some((Instant::now(), value.clone()));
                Ok(value)
            }
        }
    }

    /// Runs `read` in its own task and keeps what it reads, unless another
    /// refresh is under way.
    fn refresh<E, F>(self: &Arc<Self>, read: F)
    where
        E: std::fmt::Display + Send + 'static,
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let this = Arc::clone(self);
        tokio::spawn(async move {
            // Clears the flag however the task ends (a panic in `read` too),
            // so a later request can start another refresh.
            let _done = ClearOnDrop(&this.refreshing);
            match read.await {
                Ok(value) => *this.value.lock().await = Some((Instant::now(), value)),
                Err(e) => {
                    tracing::warn!(error = %e, "a kept value could not be refreshed; the last one is still answered")
                }
            }
        });
    }
}

/// Sets the flag back to false when dropped.
struct ClearOnDrop<'a>(&'a AtomicBool);

impl Drop for ClearOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    type Read = std::pin::Pin<Box<dyn Future<Output = Result<u32, String>> + Send>>;

    fn value(v: u32, reads: &Arc<AtomicUsize>) -> Read {
        let reads = Arc::clone(reads);
        Box::pin(async move {
            reads.fetch_add(1, Ordering::SeqCst);
            Ok(v)
        })
    }

    /// A database that never answers.
    fn never() -> Read {
        Box::pin(std::future::pending())
    }

    /// Bounds a call that must not wait for its read (a hang guard, not a timing).
    async fn at_once(f: impl Future<Output = Result<u32, String>>) -> u32 {
        match tokio::time::timeout(Duration::from_secs(20), f).await {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => panic!("read failed: {e}"),
            Err(_) => panic!("the answer waited for a read that never ends"),
        }
    }

    #[tokio::test]
    async fn a_fresh_value_is_answered_without_reading() {
        let kept = Arc::new(Kept::default());
        let reads = Arc::new(AtomicUsize::new(0));
        assert_eq!(at_once(kept.get(Duration::from_secs(3600), value(7, &reads))).await, 7);
        assert_eq!(at_once(kept.get(Duration::from_secs(3600), never())).await, 7);
        assert_eq!(reads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_stale_value_is_answered_at_once_while_the_database_is_slow() {
        let kept = Arc::new(Kept::default());
        let reads = Arc::new(AtomicUsize::new(0));
        assert_eq!(at_once(kept.get(Duration::ZERO, value(1, &reads))).await, 1);
        // Past its time to live and the database hangs: the last value still comes
        // back, for everyone, and only one refresh is started.
        for _ in 0..50 {
            assert_eq!(at_once(kept.get(Duration::ZERO, never())).await, 1);
        }
        assert!(kept.refreshing.load(Ordering::SeqCst), "one refresh is under way");
    }

    #[tokio::test]
    async fn a_refresh_replaces_the_value_and_a_failed_one_keeps_it() {
        let kept = Arc::new(Kept::default());
        let reads = Arc::new(AtomicUsize::new(0));
        assert_eq!(at_once(kept.get(Duration::ZERO, value(1, &reads))).await, 1);
        let failing: Read = Box::pin(async { Err("database down".to_owned()) });
        assert_eq!(at_once(kept.get(Duration::ZERO, failing)).await, 1);
        wait_until_idle(&kept).await;
        assert_eq!(at_once(kept.get(Duration::from_secs(3600), never())).await, 1, "a failed refresh keeps the value");
        assert_eq!(at_once(kept.get(Duration::ZERO, value(2, &reads))).await, 1, "answered before the refresh");
        wait_until_idle(&kept).await;
        assert_eq!(at_once(kept.get(Duration::from_secs(3600), never())).await, 2, "then the refreshed value");
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn the_first_read_is_shared_and_a_failed_one_is_retried() {
        let kept: Arc<Kept<u32>> = Arc::new(Kept::default());
        let failing: Read = Box::pin(async { Err("database down".to_owned()) });
        assert!(kept.get(Duration::from_secs(60), failing).await.is_err());
        let reads = Arc::new(AtomicUsize::new(0));
        let crowd: Vec<_> = (0..20)
            .map(|_| {
                let kept = Arc::clone(&kept);
                let read = value(5, &reads);
                tokio::spawn(async move { kept.get(Duration::from_secs(60), read).await })
            })
            .collect();
        for answer in crowd {
            assert_eq!(answer.await.ok().and_then(Result::ok), Some(5));
        }
        assert_eq!(reads.load(Ordering::SeqCst), 1, "one read for the crowd");
    }

    async fn wait_until_idle(kept: &Arc<Kept<u32>>) {
        for _ in 0..2000 {
            if !kept.refreshing.load(Ordering::SeqCst) {
                return;
            }
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        panic!("the refresh never finished");
    }
}
