//! "Export as allocation request" (a JSON draft the allocation programme
//! reads) and "Request this allocation", disabled until that programme opens.

use chrono::{DateTime, Utc};
use kairr_shared::advisor::export::AllocationDraft;
use kairr_shared::api::DataSource;
use leptos::prelude::*;

use crate::advisor::download::save_text;
use crate::advisor::engine::Engine;
use crate::advisor::state::Wizard;
use crate::format::date;
use crate::i18n::tr;
use crate::live::now_ms;

fn export(wizard: Wizard, engine: Engine, status: RwSignal<Option<String>>) {
    let Some(rec) = engine.recommendation.get_untracked() else { return };
    let source = engine.live.summary.with_untracked(|s| s.as_ref().map_or(DataSource::Demo, |s| s.source));
    let now = DateTime::<Utc>::from_timestamp_millis(now_ms() as i64).unwrap_or_default();
    let draft = AllocationDraft::new(wizard.input.get_untracked(), &rec, now, source);
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
                <button type="button" class="button secondary" disabled=true aria-describedby="request-note" data-testid="request">
                    {move || tr("advisor.request.button")}
                </button>
            </div>
            <p id="request-note" class="hint">{move || tr("advisor.request.note")}</p>
            <p role="status" class="export-status">{move || status.get()}</p>
        </section>
    }
}
