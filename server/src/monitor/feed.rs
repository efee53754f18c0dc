//! One source as the monitor holds it (its last good answer and health), and
//! the task that polls it on its own schedule: timeout per poll, capped
//! exponential backoff with jitter while it fails. A failing or hanging
//! source never delays another: each has its own task.

use std::sync::Arc;
use std::time::Duration;

use kairr_shared::api::DataSource;
use kairr_shared::feeds::{FeedView, SourceHealth};
use rand_core::RngCore;
use tokio::sync::watch;

use crate::source::{Schedule, SourcePoll, StatusSource};

/// The last good answer of a source and its health.
#[derive(Debug, Clone, Default)]
pub struct FeedState {
    /// The latest answer that was good (kept while the source fails).
    pub last_good: Option<Arc<SourcePoll>>,
    /// Failures, last good time, last error.
    pub health: SourceHealth,
}

/// A source, its schedule and what it last said.
pub struct Feed {
    /// Name used in stale reasons and logs, e.g. `prometheus:kakao`.
    pub name: String,
    /// What kind of source it is.
    pub kind: DataSource,
    /// When it is polled.
    pub schedule: Schedule,
    /// Seconds without a good answer after which its systems are stale.
    pub stale_after: u32,
    /// `None` once its polling task has taken it.
    pub source: Option<Box<dyn StatusSource>>,
    /// Its last good answer and health, as the monitor last read them.
    pub state: FeedState,
}

impl Feed {
    /// A feed over `source`, stale after `stale_after` seconds (raised to
    /// cover two intervals and a timeout, so a slow schedule is not stale between polls).
    pub fn new(source: Box<dyn StatusSource>, schedule: Schedule, stale_after: u32) -> Feed {
        let floor = (schedule.interval * 2 + schedule.timeout).as_secs();
        Feed {
            name: source.name().to_owned(),
            kind: source.kind(),
            schedule,
            stale_after: stale_after.max(u32::try_from(floor).unwrap_or(u32::MAX)),
            source: Some(source),
            state: FeedState::default(),
        }
    }

    /// The feed as `kairr_shared::feeds` reads it, with `data` picked from its last answer.
    pub fn view<'a, T: ?Sized>(&'a self, data: impl FnOnce(&'a SourcePoll) -> Option<&'a T>) -> FeedView<'a, T> {
        FeedView {
            name: &self.name,
            kind: self.kind,
            data: self.state.last_good.as_deref().and_then(data),
            health: &self.state.health,
            stale_after_s: self.stale_after,
        }
    }

    /// Polls once now (while it still owns its source), recording the outcome.
    pub async fn poll_now(&mut self, now: i64) {
        if let Some(source) = self.source.as_mut() {
            let outcome = poll_once(source.as_mut(), self.schedule.timeout, now).await;
            record(&self.name, &mut self.state, outcome, now);
        }
    }
}

/// One poll cut off after `timeout`; the error is the reason shown to users.
async fn poll_once(source: &mut dyn StatusSource, timeout: Duration, now: i64) -> Result<SourcePoll, String> {
    match tokio::time::timeout(timeout, source.poll(now)).await {
        Ok(Ok(poll)) => Ok(poll),
        Ok(Err(e)) => Err(e.message),
        Err(_) => Err(format!("no answer within {} s", timeout.as_secs_f64())),
    }
}

fn record(name: &str, state: &mut FeedState, outcome: Result<SourcePoll, String>, now: i64) {
    match outcome {
        Ok(poll) => {
            if state.health.failures > 0 {
                tracing::info!(source = name, failures = state.health.failures, "source answers again");
            }
            state.health.succeeded(now);
            state.last_good = Some(Arc::new(poll));
        }
        Err(reason) => {
            if state.health.failures == 0 {
                tracing::warn!(source = name, error = %reason, "source failed; its systems are stale");
            } else {
                tracing::debug!(source = name, error = %reason, failures = state.health.failures, "source still failing");
            }
            state.health.failed(reason);
        }
    }
}

/// How long to wait before the next poll: the interval while healthy, the
/// backoff (with random jitter) while failing.
fn next_delay(schedule: &Schedule, health: &SourceHealth) -> Duration {
    if health.failures == 0 {
        return schedule.interval;
    }
    let jitter = f64::from(rand_core::OsRng.next_u32()) / (f64::from(u32::MAX) + 1.0);
    Duration::from_millis(schedule.backoff.delay_ms(health.failures, jitter))
}

/// Polls `source` forever on `schedule`, publishing each outcome on `tx`;
/// ends when every receiver is gone (the monitor stopped).
pub async fn run(mut source: Box<dyn StatusSource>, schedule: Schedule, tx: watch::Sender<FeedState>) {
    let name = source.name().to_owned();
    let mut state = tx.borrow().clone();
    loop {
        let delay = next_delay(&schedule, &state.health);
        tokio::select! {
            _ = tx.closed() => return,
            _ = tokio::time::sleep(delay) => {}
        }
        let now = chrono::Utc::now().timestamp();
        let outcome = poll_once(source.as_mut(), schedule.timeout, now).await;
        record(&name, &mut state, outcome, now);
        tx.send_replace(state.clone());
    }
}
