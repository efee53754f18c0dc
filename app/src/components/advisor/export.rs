//! "Export as allocation request" (a JSON draft the allocation programme
//! reads) and "Request this allocation": a link to the request form that
//! first leaves the same draft in `localStorage` for the form to pre-fill from.

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
use crate::programme::draft::DRAFT_STORAGE_KEY;

/// Path of the request form of the allocation programme.
pub const REQUEST_FORM_PATH: &str = "/requests/new";

fn draft(wizard: Wizard, engine: Engine) -> Option<(AllocationDraft, DateTime<Utc>)> {
    let rec = engine.recommendation.get_untracked()?;
    let source = engine.live.summary.with_untracked(|s| s.as_ref().map_or(DataSource::Demo, |s| s.source));
    let now = DateTime::<Utc>::from_timestamp_millis(now_ms() as i64).unwrap_or_default();
    Some((AllocationDraft::new(wizard.input.get_untracked(), &rec, now, source), now))
}

/// Leaves the draft for the request form (the link then navigates there).
fn hand_over(wizard: Wizard, engine: Engine) {
    let Some((draft, _)) = draft(wizard, engine) else { return };
    let stored = serde_json::to_string(&draft).map_err(|e| e.to_string()).and_then(|json| {
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
