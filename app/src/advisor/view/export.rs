//! "Export as allocation request" (a JSON draft the allocation programme
//! reads) and "Request this allocation": a link to the request form that
//! first leaves the same draft for the form (`data-action="request"`); in
//! workflow mode one request per pool its stages use.

use kairr_shared::display::format::thousands;
use maud::{html, Markup};

use crate::advisor::model::Model;

/// Path of the request form of the allocation programme.
pub const REQUEST_FORM_PATH: &str = "/requests/new";

/// The two actions under the result (shown once the catalogue is in).
pub fn actions(m: &mut Model) -> Markup {
    let x = m.text;
    let no_result = m.derived().recommendation.as_ref().is_none_or(|r| r.top.is_none());
    html! {
        section #w-export .export aria-labelledby="export-title" hidden[m.catalogue.is_none()] {
            h3 #export-title { (x.t("advisor.export.title")) }
            div.export-buttons {
                button.button type="button" data-testid="export" data-action="export" disabled[no_result] { (x.t("advisor.export.button")) }
                @if no_result {
                    button.button.secondary type="button" disabled aria-describedby="request-note" data-testid="request" {
                        (x.t("advisor.request.button"))
                    }
                } @else {
                    a.button.secondary href=(REQUEST_FORM_PATH) rel="external" aria-describedby="request-note"
                        data-testid="request" data-action="request" { (x.t("advisor.request.button")) }
                }
            }
            p #request-note .hint { (x.t("advisor.request.note")) }
            p.export-status role="status" { @if let Some(s) = &m.export_status { (s) } }
        }
    }
}

/// A workflow's allocation requests: one per pool its stages use, each
/// handed to the request form on its own, or all saved as one JSON file.
pub fn workflow(m: &mut Model) -> Markup {
    let x = m.text;
    let drafts = m.workflow_drafts();
    let cat = m.catalogue.as_ref();
    html! {
        section #w-workflow-export .export aria-labelledby="workflow-export-title" data-testid="workflow-export" {
            h3 #workflow-export-title { (x.t("advisor.workflow.export_title")) }
            p.hint { (x.t("advisor.workflow.export_note")) }
            ul.workflow-requests {
                @for (i, d) in drafts.iter().enumerate() {
                    @let pool = d.recommended_pool.clone().unwrap_or_default();
                    @let id = format!("workflow-request-{i}");
                    li data-testid="workflow-request" data-pool-id=(pool) {
                        span id=(id) {
                            strong { (x.pool_name(cat, &pool)) } ": "
                            (x.f("advisor.workflow.request_line", &[
                                ("stages", d.stages.join(", ")),
                                ("gpus", thousands(u64::from(d.gpus))),
                                ("gpu_hours", thousands(d.gpu_hours.round() as u64)),
                            ]))
                        }
                        a.button.secondary href=(REQUEST_FORM_PATH) rel="external" aria-describedby=(id)
                            data-action={ "request-stage:" (pool) } { (x.t("advisor.request.button")) }
                    }
                }
            }
            div.export-buttons {
                button.button type="button" data-testid="workflow-export-json" data-action="export-workflow" disabled[drafts.is_empty()] {
                    (x.t("advisor.workflow.export_button"))
                }
            }
            p.export-status role="status" { @if let Some(s) = &m.export_status { (s) } }
        }
    }
}
