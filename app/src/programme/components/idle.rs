//! The evidence behind the idle flags: for each allocation flagged for
//! reclaim, what it used against what its award's pace expected over the
//! window, the last day it was used, and where the usage figures come from
//! (the scheduler's accounting, running jobs seen at each poll, or the demo).

use kairr_shared::allocation::{IdleCheck, TimelineRow, UsageSource};
use leptos::prelude::*;

use crate::common::components::dated::dated;
use crate::common::format::{date, fixed, percent};
use crate::common::i18n::{tr, trf};
use crate::programme::labels;

/// Flagged allocations shown at most (the rest are counted).
const SHOWN: usize = 20;

fn source(s: UsageSource) -> String {
    tr(match s {
        UsageSource::Accounting => "programme.idle.source_accounting",
        UsageSource::RunningJobs => "programme.idle.source_running",
        UsageSource::Demo => "programme.idle.source_demo",
    })
}

/// The flagged allocations' evidence; nothing when none is flagged.
#[component]
pub fn IdleEvidence(
    /// The overview's idle checks (flagged first).
    #[prop(into)]
    checks: Signal<Vec<IdleCheck>>,
    /// The overview's timeline (titles and organisations by allocation).
    #[prop(into)]
    rows: Signal<Vec<TimelineRow>>,
) -> impl IntoView {
    let body = move || {
        let checks = checks.get();
        let flagged: Vec<&IdleCheck> = checks.iter().filter(|c| c.flagged).collect();
        if flagged.is_empty() {
            return None;
        }
        let rows = rows.get();
        let items = flagged
            .iter()
            .take(SHOWN)
            .map(|c| {
                let title = rows
                    .iter()
                    .find(|r| r.allocation == c.allocation)
                    .map(|r| format!("{} · {}", r.title, r.organisation))
                    .unwrap_or_else(|| format!("#{}", c.allocation.0));
                let last = c.last_used.map_or_else(|| tr("programme.idle.never"), date);
                let evidence = trf(
                    "programme.idle.evidence",
                    &[
                        ("used", fixed(c.used_gpu_hours, 0)),
                        ("expected", fixed(c.entitled_gpu_hours, 0)),
                        ("pct", percent(c.usage_ratio, 0)),
                        ("last", last),
                        ("source", source(c.source)),
                    ],
                );
                view! { <li><strong>{title}</strong>" ("{labels::pool(&c.pool)}")"<br/><span class="muted">{dated(evidence)}</span></li> }
            })
            .collect_view();
        let more = (flagged.len() > SHOWN)
            .then(|| view! { <p class="muted">{trf("programme.idle.more", &[("n", (flagged.len() - SHOWN).to_string())])}</p> });
        Some(view! {
            <section class="panel" aria-labelledby="idle-title" data-testid="idle-evidence">
                <h3 id="idle-title">{tr("programme.idle.title")}</h3>
                <p class="muted">{tr("programme.idle.rule")}</p>
                <ul class="idle-list">{items}</ul>
                {more}
            </section>
        })
    };
    view! { {body} }
}
