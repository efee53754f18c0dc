//! One pool (HPC partition or cloud pool): status, free GPUs, load, queue,
//! nodes, power and the start-now answer.

use kairr_shared::api::PoolStatus;
use kairr_shared::start_now::GpuCountError;
use leptos::prelude::*;

use crate::common::format::{duration, fixed, kilowatts, percent, thousands};
use crate::common::i18n::{current_locale, tr, trf};
use crate::status::components::start_answer::StartAnswerView;
use crate::status::components::status_badge::StatusBadge;

/// The card of one pool; re-renders when the pool's snapshot changes.
#[component]
pub fn PoolCard(
    /// The pool id (`data-pool-id`).
    id: String,
    /// The pool's live status (`None` once it disappears from the summary).
    #[prop(into)]
    pool: Signal<Option<PoolStatus>>,
    /// The system's PUE.
    #[prop(into)]
    pue: Signal<f64>,
    /// The parsed GPU input.
    #[prop(into)]
    gpus: Signal<Result<u32, GpuCountError>>,
) -> impl IntoView {
    let title_id = format!("pool-{id}-name");
    let labelledby = title_id.clone();
    view! {
        <article class="pool-card" data-testid="pool-card" data-pool-id=id aria-labelledby=labelledby>
            {move || pool.get().map(|p| pool_body(p, &title_id, pue.get(), gpus).into_any())}
        </article>
    }
}

fn pool_body(p: PoolStatus, title_id: &str, pue: f64, gpus: Signal<Result<u32, GpuCountError>>) -> impl IntoView {
    let name = current_locale().pick(&p.name_ko, &p.name_en).to_owned();
    let status = p.status;
    let n = |v: u32| thousands(u64::from(v));
    let free = p
        .gpus
        .iter()
        .map(|g| view! { <li>{trf("pool.free_gpus", &[("model", g.model.clone()), ("free", n(g.free)), ("total", n(g.total))])}</li> })
        .collect_view();
    let util_pct = percent(p.utilisation, 0);
    let wait = p.median_wait_seconds.map_or_else(|| "—".to_owned(), duration);
    let node_args = [
        ("up", n(p.nodes.up)),
        ("down", n(p.nodes.down)),
        ("drained", n(p.nodes.drained)),
        ("total", n(p.nodes.total)),
    ];
    let nodes = trf("pool.nodes_value", &node_args);
    let power_args = [("kw", kilowatts(p.power_kw)), ("pue", fixed(pue, 2))];
    let power = trf("pool.power_value", &power_args);
    let walltime = p.walltime_limit_hours.map(|h| {
        view! {
            <div class="metric" data-testid="walltime">
                <dt>{tr("pool.walltime")}</dt>
                <dd>{duration(u64::from(h) * 3600)}</dd>
            </div>
        }
    });
    view! {
        <div class="pool-head">
            <h4 id=title_id.to_owned()>{name}</h4>
            <StatusBadge status=status testid="pool-status"/>
        </div>
        <ul class="free-gpus" data-testid="free-gpus">{free}</ul>
        // The idle share, as the line above says (the utilisation is a figure below).
        <div class="free-bar" aria-hidden="true">
            <span style=format!("width:{}", percent(p.free_share(), 1))></span>
        </div>
        <dl class="metrics">
            <div class="metric" data-testid="utilisation">
                <dt>{tr("pool.utilisation")}</dt>
                <dd>{util_pct}</dd>
            </div>
            <div class="metric" data-testid="jobs">
                <dt>{tr("pool.jobs")}</dt>
                <dd>{trf("pool.jobs_value", &[("running", n(p.running_jobs)), ("pending", n(p.pending_jobs))])}</dd>
            </div>
            <div class="metric" data-testid="median-wait">
                <dt>{tr("pool.median_wait")}</dt>
                <dd>{wait}</dd>
            </div>
            <div class="metric" data-testid="nodes">
                <dt>{tr("pool.nodes")}</dt>
                <dd>{nodes}</dd>
            </div>
            <div class="metric" data-testid="power">
                <dt>{tr("pool.power")}</dt>
                <dd>{power}</dd>
            </div>
            {walltime}
        </dl>
        <StartAnswerView pool=p gpus=gpus/>
    }
}
