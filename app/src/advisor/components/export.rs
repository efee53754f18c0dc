//! "Export as allocation request" (a JSON draft the allocation programme
//! reads) and "Request this allocation": a link to the request form that
//! first leaves the same draft in `localStorage` for the form to pre-fill from.

use chrono::{DateTime, Utc};
use kairr_shared::advisor::export::{workflow_drafts, AllocationDraft};
use kairr_shared::api::DataSource;
use leptos::prelude::*;

use crate::advisor::download::save_text;
use crate::advisor::engine::Engine;
use crate::advisor::labels::pool_name;
use crate::advisor::state::Wizard;
use crate::common::format::{date, thousands};
use crate::common::handover::DRAFT_STORAGE_KEY;
use crate::common::i18n::{tr, trf};
use crate::common::live::now_utc;

/// Path of the request form of the allocation programme.
pub const REQUEST_FORM_PATH: &str = "/requests/new";

fn draft(wizard: Wizard, engine: Engine) -> Option<(AllocationDraft, DateTime<Utc>)> {
    let rec = engine.recommendation.get_untracked()?;
    let now = now_utc();
    Some((AllocationDraft::new(wizard.input.get_untracked(), &rec, now, live_source(engine)), now))
}

/// Leaves the draft for the request form (the link then navigates there).
fn hand_over(wizard: Wizard, engine: Engine) {
    if let Some((draft, _)) = draft(wizard, engine) {
        store_draft(&draft);
    }
}

/// Leaves `draft` in `localStorage` for the request form to pre-fill from.
fn store_draft(draft: &AllocationDraft) {
    let stored = serde_json::to_string(draft).map_err(|e| e.to_string()).and_then(|json| {
        let storage = window().local_storage().ok().flatten().ok_or("localStorage unavailable")?;
        storage.set_item(DRAFT_STORAGE_KEY, &json).map_err(|e| format!("{e:?}"))
    });
    if let Err(e) = stored {
        leptos::logging::warn!("cannot hand the draft to the request form: {e}");
    }
}

fn export(wizard: Wizard, engine: Engine, status: RwSignal<Option<String>>) {
    let Some((draft, now)) = draft(wizard, engine) else { return };
    let saved = serde_json::to_string_pretty(&draft).map_err(|e| e.to_string()).and_then(|json| {
        let name = format!("kairr-allocation-draft-{}.json", date(now.date_naive()));
        save_text(&name, "application/json", &json).map_err(|e| format!("{e:?}"))
    });
    match saved {
        Ok(()) => status.set(Some(tr("advisor.export.done"))),
        Err(e) => {
            leptos::logging::error!("export failed: {e}");
            status.set(Some(tr("advisor.export.failed")));
        }
    }
}

/// The two actions under the result.
#[component]
pub fn ExportActions(wizard: Wizard, engine: Engine) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    let no_result = move || engine.recommendation.with(|r| r.as_ref().is_none_or(|r| r.top.is_none()));
    view! {
        <section class="export" aria-labelledby="export-title">
            <h3 id="export-title">{move || tr("advisor.export.title")}</h3>
            <div class="export-buttons">
                <button
                    type="button"
                    class="button"
                    data-testid="export"
                    disabled=no_result
                    on:click=move |_| export(wizard, engine, status)
                >
                    {move || tr("advisor.export.button")}
                </button>
                <Show
                    when=move || !no_result()
                    fallback=|| view! {
                        <button type="button" class="button secondary" disabled=true aria-describedby="request-note" data-testid="request">
                            {move || tr("advisor.request.button")}
                        </button>
                    }
                >
                    <a class="button secondary" href=REQUEST_FORM_PATH rel="external" aria-describedby="request-note"
                        data-testid="request" on:click=move |_| hand_over(wizard, engine)>
                        {move || tr("advisor.request.button")}
                    </a>
                </Show>
            </div>
            <p id="request-note" class="hint">{move || tr("advisor.request.note")}</p>
            <p role="status" class="export-status">{move || status.get()}</p>
        </section>
    }
}

/// The source of the live figures (demo until the status says otherwise).
fn live_source(engine: Engine) -> DataSource {
    engine.live.summary.with_untracked(|s| s.as_ref().map_or(DataSource::Demo, |s| s.source))
}

/// A workflow's allocation requests: one per pool its stages use, each
/// handed to the request form on its own, or all saved as one JSON file.
#[component]
pub fn WorkflowExport(wizard: Wizard, engine: Engine) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    let drafts = Memo::new(move |_| {
        engine.workflow.with(|plan| match plan {
            Some(Ok(plan)) => {
                let now = now_utc();
                wizard.workflow.with(|w| workflow_drafts(w, plan, now, live_source(engine)))
            }
            _ => Vec::new(),
        })
    });
    let save_all = move |_| {
        let all = drafts.get_untracked();
        let today = now_utc().date_naive();
        let saved = serde_json::to_string_pretty(&all).map_err(|e| e.to_string()).and_then(|json| {
            let name = format!("kairr-workflow-requests-{}.json", date(today));
            save_text(&name, "application/json", &json).map_err(|e| format!("{e:?}"))
        });
        status.set(Some(tr(if saved.is_ok() { "advisor.export.done" } else { "advisor.export.failed" })));
    };
    let lines = move || {
        engine.catalogue.with(|cat| {
            drafts
                .get()
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    let pool = d.recommended_pool.clone().unwrap_or_default();
                    let id = format!("workflow-request-{i}");
                    let name = pool_name(cat.as_ref(), &pool);
                    let line = trf(
                        "advisor.workflow.request_line",
                        &[
                            ("stages", d.stages.join(", ")),
                            ("gpus", thousands(u64::from(d.gpus))),
                            ("gpu_hours", thousands(d.gpu_hours.round() as u64)),
                        ],
                    );
                    view! {
                        <li data-testid="workflow-request" data-pool-id=pool>
                            <span id=id.clone()><strong>{name}</strong>": "{line}</span>
                            <a class="button secondary" href=REQUEST_FORM_PATH rel="external" aria-describedby=id
                                on:click=move |_| store_draft(&d)>
                                {tr("advisor.request.button")}
                            </a>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="export" aria-labelledby="workflow-export-title" data-testid="workflow-export">
            <h3 id="workflow-export-title">{move || tr("advisor.workflow.export_title")}</h3>
            <p class="hint">{move || tr("advisor.workflow.export_note")}</p>
            <ul class="workflow-requests">{lines}</ul>
            <div class="export-buttons">
                <button type="button" class="button" data-testid="workflow-export-json"
                    disabled=move || drafts.with(Vec::is_empty) on:click=save_all>
                    {move || tr("advisor.workflow.export_button")}
                </button>
            </div>
            <p role="status" class="export-status">{move || status.get()}</p>
        </section>
    }
}
