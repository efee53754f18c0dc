//! The overall status banner: one sentence for the whole fleet, how long ago
//! the snapshot was taken (ticking), and the stale-data warning.

use kairr_shared::status::Status;
use leptos::prelude::*;

use crate::common::format::{ago, iso, kst_minute};
use crate::common::i18n::{tr, trf};
use crate::common::live::LiveStatus;
use crate::status::components::status_badge::status_icon;
use crate::status::labels;

/// Banner for `live`, re-evaluated every tick of `now` (browser ms).
#[component]
pub fn StatusBanner(
    /// The live summary and its freshness.
    live: LiveStatus,
    /// The browser clock, ticking every second.
    #[prop(into)]
    now: Signal<f64>,
) -> impl IntoView {
    let overall = Signal::derive(move || live.summary.with(|s| s.as_ref().map(|s| s.status)));
    let updated = Signal::derive(move || live.summary.with(|s| s.as_ref().map(|s| s.updated_at)));
    let stale = Signal::derive(move || live.is_stale(now.get()));
    view! {
        <div
            class=move || format!("banner status-{}", overall.get().map_or("loading", |s| s.as_str()))
            data-testid="overall-status"
            data-status=move || overall.get().map(|s| s.as_str())
        >
            {move || overall.get().map(status_icon)}
            <p class="banner-title">
                {move || overall.get().map_or_else(|| tr("overall.loading"), labels::overall)}
            </p>
            {move || {
                updated
                    .get()
                    .map(|at| {
                        let stamp = iso(at);
                        let (datetime, title) = (stamp.clone(), stamp.clone());
                        let age_s = ((now.get() - at.timestamp_millis() as f64) / 1000.0).floor() as i64;
                        view! {
                            <p class="updated-ago" data-testid="updated-ago" data-updated-at=stamp>
                                <time datetime=datetime title=title>{ago(age_s)}</time>
                            </p>
                        }
                    })
            }}
        </div>
        <Show when=move || stale.get()>
            <div class="stale-warning" role="alert" data-testid="stale-warning">
                {status_icon(Status::Degraded)}
                <span>
                    {move || {
                        let when = updated.get().map(kst_minute).unwrap_or_else(|| "—".to_owned());
                        if live.disconnected.get() {
                            trf("live.disconnected", &[("time", when)])
                        } else {
                            trf("live.stale", &[("time", when)])
                        }
                    }}
                </span>
            </div>
        </Show>
    }
}
