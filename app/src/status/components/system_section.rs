//! One national system: its header (name, kind, operator, data source, status), a notice
//! while its source fails (last good data shown), its pool cards, the 90-day
//! uptime bars and the load chart.

use kairr_shared::api::{StatusSummary, SystemStatus};
use kairr_shared::history::HistoryRange;
use kairr_shared::start_now::GpuCountError;
use kairr_shared::status::Status;
use leptos::prelude::*;

use crate::common::components::fetch_error::FetchErrorView;
use crate::common::format::kst_minute;
use crate::common::i18n::{current_locale, tr, trf};
use crate::common::live::use_history;
use crate::status::components::load_chart::LoadChart;
use crate::status::components::pool_card::PoolCard;
use crate::status::components::status_badge::{status_icon, StatusBadge};
use crate::status::components::uptime_bars::UptimeBars;
use crate::status::labels;

/// The section of system `id`, fed by the shared `summary` and its own history.
#[component]
pub fn SystemSection(
    /// The system id (`data-system-id`).
    id: String,
    /// The live summary the system is read from.
    #[prop(into)]
    summary: Signal<Option<StatusSummary>>,
    /// The parsed GPU input.
    #[prop(into)]
    gpus: Signal<Result<u32, GpuCountError>>,
    /// Ticks that trigger a history refetch.
    #[prop(into)]
    refresh: Signal<u32>,
) -> impl IntoView {
    let system = {
        let id = id.clone();
        Memo::new(move |_| summary.with(|s| s.as_ref().and_then(|s| s.systems.iter().find(|x| x.id == id).cloned())))
    };
    let range = RwSignal::new(HistoryRange::Day);
    let history = use_history(id.clone(), range.into(), refresh);
    let name = Signal::derive(move || {
        system
            .with(|s| s.as_ref().map(|s| current_locale().pick(&s.name_ko, &s.name_en).to_owned()).unwrap_or_default())
    });
    let pue = Signal::derive(move || system.with(|s| s.as_ref().map_or(0.0, |s| s.pue)));
    let pool_ids = move || {
        system
            .with(|s| s.as_ref().map(|s| s.pools.iter().map(|p| p.id.clone()).collect::<Vec<_>>()).unwrap_or_default())
    };
    let title_id = format!("system-{id}-name");
    let labelledby = title_id.clone();
    let (section_id, bars_id) = (id.clone(), id.clone());
    view! {
        <section class="system" data-testid="system" data-system-id=section_id aria-labelledby=labelledby>
            {move || system.get().map(|s| system_head(&s, &title_id).into_any())}
            <div class="pool-grid">
                <For each=pool_ids key=|pid| pid.clone() let:pid>
                    {
                        let pool = {
                            let pid = pid.clone();
                            Memo::new(move |_| system.with(|s| s.as_ref().and_then(|s| s.pools.iter().find(|p| p.id == pid).cloned())))
                        };
                        view! { <PoolCard id=pid pool=pool pue=pue gpus=gpus/> }
                    }
                </For>
            </div>
            <FetchErrorView error=history.error message=Signal::derive(move || trf("error.history", &[("system", name.get())]))/>
            <div class="system-history">
                <UptimeBars system_id=bars_id history=history/>
                <LoadChart system_id=id system_name=name history=history range=range/>
            </div>
        </section>
    }
}

fn system_head(s: &SystemStatus, title_id: &str) -> impl IntoView {
    let loc = current_locale();
    let name = loc.pick(&s.name_ko, &s.name_en).to_owned();
    let args = [
        ("kind", labels::kind(s.kind)),
        ("operator", s.operator_in(loc).to_owned()),
        ("source", labels::source(s.source)),
    ];
    let meta = trf("system.meta", &args);
    view! {
        <div class="system-head">
            <div>
                <h3 id=title_id.to_owned()>{name}</h3>
                <p class="system-meta">
                    <span class="sr-only">{tr("system.meta_label")}</span>
                    {meta}
                </p>
            </div>
            <StatusBadge status=s.status testid="system-status"/>
        </div>
        {s.stale_reason.clone().map(|reason| {
            let when = s.last_good_at.map_or_else(|| "—".to_owned(), kst_minute);
            view! {
                <p class="stale-warning" role="status" data-testid="system-stale">
                    {status_icon(Status::Degraded)}
                    <span>{trf("system.stale", &[("time", when)])} " " <small>{reason}</small></span>
                </p>
            }
        })}
    }
}
