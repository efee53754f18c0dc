//! `GET /api/v1/status/history?system=…&range=24h|7d|90d`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::Json;
use kairr_shared::api::{DailyUptime, DataSource, StatusHistory};
use kairr_shared::display::status_query::CHART_RANGES;
use kairr_shared::history::{daily_uptime_from_counts, overall_uptime, series_from_sums, HistoryRange, UPTIME_DAYS};
use serde::Deserialize;

use crate::error::AppError;
use crate::state::AppState;

/// Raw query parameters (validated in the handler, so errors name the field).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// System id, e.g. `kisti6`.
    pub system: Option<String>,
    /// `24h`, `7d` or `90d` (default `24h`).
    pub range: Option<String>,
}

/// Recorded uptime (90 KST days) and the load series of one system.
#[utoipa::path(get, path = "/api/v1/status/history", tag = "status", params(HistoryQuery),
    responses(
        (status = 200, description = "Uptime bars and load series", body = StatusHistory),
        (status = 400, description = "Missing system or unknown range", body = kairr_shared::api::ApiError),
        (status = 404, description = "Unknown system", body = kairr_shared::api::ApiError)))]
pub async fn get_history(
    State(state): State<AppState>,
    Query(q): Query<HistoryQuery>,
) -> Result<Json<Arc<StatusHistory>>, AppError> {
    let Some(system) = q.system.filter(|s| !s.is_empty()) else {
        return Err(AppError::BadParameter {
            field: "system",
            message: "system is required, e.g. system=kisti6".into(),
        });
    };
    let range: HistoryRange =
        q.range.as_deref().unwrap_or("24h").parse().map_err(|e: kairr_shared::history::RangeError| {
            AppError::BadParameter { field: "range", message: e.to_string() }
        })?;
    if state.catalogue.system(&system).is_none() {
        return Err(AppError::UnknownSystem(system.chars().take(64).collect()));
    }
    Ok(Json(load(state, system, range).await?))
}

/// The history of a known `system` over `range`: the API and the status
/// page's charts read the same one, kept per history and refreshed in the
/// background once older than a recording interval (at most a minute), so
/// a slow database delays no answer once the history has been read (see
/// [`crate::kept::Kept`]). The first read is shared by whoever asks for it
/// meanwhile.
pub async fn load(state: AppState, system: String, range: HistoryRange) -> Result<Arc<StatusHistory>, AppError> {
    let key = (system.clone(), range.as_str());
    let ttl = Duration::from_secs(u64::from(state.settings.record_interval_seconds.min(60)));
    let slot = match state.history_cache.lock() {
        Ok(mut cache) => cache.entry(key).or_default().clone(),
        // A poisoned map (a panic while it was held): read without sharing.
        Err(_) => crate::state::HistorySlot::default(),
    };
    slot.get(ttl, read(state, system, range)).await
}

/// How often [`warm`] goes over every history again: the oldest history a
/// visitor can be answered with when nobody asked for it meanwhile.
const KEEP_WARM: Duration = Duration::from_secs(300);
/// How long [`warm`] waits for one history's first read before going on.
const WARM_READ_LIMIT: Duration = Duration::from_secs(30);

/// Reads every system's history over every range, shortest first (the
/// day's is what the status page's first view draws), after the first
/// status snapshot of this process (the demo's replay or the sources' first
/// poll has then written what the histories show), so no visitor waits for
/// the database the first time; once the ranges the page draws
/// (`CHART_RANGES`) are read it says so (`/healthz`: `histories_ready`).
/// Again every [`KEEP_WARM`] (a history past its time to live is refreshed
/// behind the cache), so none is answered older than that. One read at a
/// time, so it never crowds the database. `warm_histories = false` skips
/// it (ready at once).
pub async fn warm(state: AppState) {
    if !state.settings.warm_histories {
        return;
    }
    let mut live = state.live.clone();
    if live.changed().await.is_err() {
        return;
    }
    let systems: Vec<String> = state.catalogue.systems.iter().map(|s| s.id.clone()).collect();
    loop {
        for range in HistoryRange::ALL {
            for system in &systems {
                let read = tokio::time::timeout(WARM_READ_LIMIT, load(state.clone(), system.clone(), range)).await;
                match read {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, system, range = range.as_str(), "cannot read a history ahead of its visitors")
                    }
                    Err(_) => tracing::warn!(
                        system,
                        range = range.as_str(),
                        "a history read ahead of its visitors took too long; left for later"
                    ),
                }
            }
            if CHART_RANGES.iter().all(|r| r.seconds() <= range.seconds()) {
                state.histories_ready.store(true, Ordering::Release);
            }
        }
        tokio::time::sleep(KEEP_WARM).await;
    }
}

/// Reads the history of `system` over `range` from the database: its
/// uptime days ([`uptime_days`], shared by its ranges) and its series,
/// which the database sums per bucket.
async fn read(state: AppState, system: String, range: HistoryRange) -> Result<Arc<StatusHistory>, AppError> {
    state.metrics.history_read();
    let now = chrono::Utc::now().timestamp();
    let uptime_days = uptime_days(state.clone(), system.clone()).await?;
    let sums = state.storage.system_series(&system, range, now).await?;
    let source =
        state.live.borrow().summary.systems.iter().find(|s| s.id == system).map_or(DataSource::Demo, |s| s.source);
    Ok(Arc::new(StatusHistory {
        system,
        range: range.as_str().to_owned(),
        source,
        uptime_fraction: overall_uptime(&uptime_days),
        uptime_days: uptime_days.as_ref().clone(),
        bucket_seconds: range.bucket_seconds(),
        series: series_from_sums(&sums),
    }))
}

/// The 90 KST days of `system`'s uptime bars, kept as its histories are
/// (one read of every sample of 90 days serves all its ranges).
async fn uptime_days(state: AppState, system: String) -> Result<Arc<Vec<DailyUptime>>, AppError> {
    let ttl = Duration::from_secs(u64::from(state.settings.record_interval_seconds.min(60)));
    let slot = match state.uptime_cache.lock() {
        Ok(mut cache) => cache.entry(system.clone()).or_default().clone(),
        Err(_) => Arc::default(),
    };
    let read = async move {
        let now = chrono::Utc::now().timestamp();
        let from = now - i64::from(UPTIME_DAYS + 1) * 86_400;
        let counts = state.storage.system_status_counts(&system, from).await?;
        let days = daily_uptime_from_counts(
            &counts,
            now,
            state.settings.record_interval_seconds,
            &state.catalogue.status_policy,
        );
        Ok::<_, AppError>(Arc::new(days))
    };
    slot.get(ttl, read).await
}
