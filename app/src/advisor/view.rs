//! The wizard as HTML, from the [`Model`] alone: the mode switch, presets,
//! the five steps, the ranked result, the what-if table and the export; or
//! the workflow's stage editor, placed pipeline and requests. Each part is
//! a region with a stable `id` ([`regions`]); the page puts only the
//! regions whose markup changed in place (`common::morph`), so typing in a
//! field rewrites the result, not the form.
//!
//! Controls carry what they change: `data-bind` (a workload field by its
//! API name, `s:<i>:<field>` a workflow stage's) and buttons `data-action`
//! (see `events.rs`).

mod controls;
mod export;
mod form;
mod result;
pub mod what_if;
mod workflow;

use maud::{html, Markup};

use super::model::Model;
use super::query::Mode;
use crate::common::api::FetchError;

/// The element the wizard renders into (after the page's introduction).
pub const ROOT_ID: &str = "wizard";

/// One region: its element's `id` and its markup (that element).
pub type Region = (&'static str, Markup);

/// Every region of the wizard in its current mode.
pub fn regions(m: &mut Model) -> Vec<Region> {
    let mut out = vec![("w-errors", load_errors(m)), ("w-mode", mode_switch(m))];
    match m.mode {
        Mode::Single => {
            out.push(("w-presets", form::presets(m)));
            out.push(("w-step-nav", form::step_nav(m)));
            out.extend(form::STEP_REGIONS.into_iter().zip(form::steps(m)));
            out.push(("w-step-buttons", form::step_buttons(m)));
            out.push(("w-dock", result::dock(m)));
            out.push(("w-error-summary", result::error_summary(m)));
            out.push(("w-result", result::result(m)));
            out.push(("w-what-if", what_if::panel(m)));
            out.push(("w-export", export::actions(m)));
        }
        Mode::Workflow => {
            out.push(("w-workflow-editor", workflow::editor(m)));
            out.push(("w-workflow-result", workflow::result(m)));
            out.push(("w-workflow-export", export::workflow(m)));
        }
    }
    out
}

/// The whole wizard: `regions` in the layout of `mode`.
pub fn page(m: &Model, regions: &[Region]) -> Markup {
    let part =
        |id: &str| regions.iter().find(|(r, _)| *r == id).map(|(_, markup)| markup.clone()).unwrap_or_else(|| html! {});
    let x = m.text;
    html! {
        div #(ROOT_ID) {
            (part("w-errors"))
            (part("w-mode"))
            @match m.mode {
                Mode::Single => div.advisor-layout {
                    form.advisor-form aria-labelledby="form-title" data-action="none" {
                        h3 #form-title .sr-only { (x.t("advisor.form.title")) }
                        (part("w-presets"))
                        (part("w-step-nav"))
                        div #w-steps { @for id in form::STEP_REGIONS { (part(id)) } }
                        (part("w-step-buttons"))
                        (part("w-dock"))
                    }
                    div.advisor-output {
                        (part("w-error-summary"))
                        (part("w-result"))
                        (part("w-what-if"))
                        (part("w-export"))
                    }
                },
                Mode::Workflow => div.advisor-layout {
                    div.advisor-form { (part("w-workflow-editor")) }
                    div.advisor-output {
                        (part("w-workflow-result"))
                        (part("w-workflow-export"))
                    }
                },
            }
        }
    }
}

/// The failed loads, each said in words (nothing when all came in).
fn load_errors(m: &Model) -> Markup {
    let x = m.text;
    let shown = |e: &Option<FetchError>, key: &str| {
        e.as_ref().map(|e| {
            html! {
                div.fetch-error role="alert" data-testid="fetch-error" {
                    p.fetch-error-title { (x.t(key)) }
                    p.fetch-error-detail { (e.detail_in(x.loc)) }
                }
            }
        })
    };
    html! {
        div #w-errors {
            @if let Some(e) = shown(&m.load_error, "advisor.error.load") { (e) }
            @if let Some(e) = shown(&m.live_error, "error.status") { (e) }
        }
    }
}

fn mode_switch(m: &Model) -> Markup {
    let x = m.text;
    let button = |mode: Mode, action: &str, testid: &str, key: &str| {
        html! {
            button.mode-button type="button" data-testid=(testid) data-action=(action)
                aria-pressed=(if m.mode == mode { "true" } else { "false" }) { (x.t(key)) }
        }
    };
    html! {
        div #w-mode .mode-switch role="group" aria-label=(x.t("advisor.mode.label")) {
            (button(Mode::Single, "mode-single", "mode-single", "advisor.mode.single"))
            (button(Mode::Workflow, "mode-workflow", "mode-workflow", "advisor.mode.workflow"))
        }
    }
}

#[cfg(test)]
mod tests {
    use kairr_shared::advisor::NumberText;
    use kairr_shared::catalogue::Catalogue;
    use kairr_shared::i18n::Locale;

    use super::*;
    use crate::advisor::labels::Text;

    fn model(loc: Locale) -> Model {
        let mut m = Model::new(Text { loc }, None);
        m.catalogue = Some(Catalogue::embedded().expect("the embedded catalogue"));
        m
    }

    fn region(m: &mut Model, id: &str) -> String {
        regions(m).into_iter().find(|(r, _)| *r == id).map(|(_, markup)| markup.into_string()).unwrap_or_default()
    }

    #[test]
    fn every_region_is_one_element_with_its_id_and_the_page_holds_them_all() {
        for mode in [Mode::Single, Mode::Workflow] {
            let mut m = model(Locale::Ko);
            m.set_mode(mode);
            let parts = regions(&mut m);
            let page = page(&m, &parts).into_string();
            for (id, markup) in &parts {
                let html = markup.clone().into_string();
                assert!(html.starts_with('<') && html.contains(&format!("id=\"{id}\"")), "{id}: {html:.80}");
                assert_eq!(page.matches(&format!("id=\"{id}\"")).count(), 1, "{id} once in the page");
            }
        }
    }

    #[test]
    fn the_result_names_the_top_pool_and_the_form_its_values() {
        let mut m = model(Locale::En);
        let result = region(&mut m, "w-result");
        let top = m.derived().recommendation.as_ref().and_then(|r| r.top.clone()).expect("a top pick");
        assert!(result.contains(&format!("data-testid=\"top-pick\" data-pool-id=\"{top}\"")), "{result:.300}");
        assert!(result.contains("data-estimate=\"allocation\""));
        let steps: String = form::STEP_REGIONS.iter().map(|id| region(&mut m, id)).collect();
        assert!(steps.contains("id=\"f-gpus\""));
        assert!(region(&mut m, "w-step-3").contains("value=\"8\""), "the preset's GPU count is in its input");
        assert_eq!(steps.matches("<fieldset class=\"step\"").count(), 5);
        assert_eq!(steps.matches(" hidden>").count(), 4, "only the current step is shown");
    }

    #[test]
    fn an_invalid_field_is_marked_listed_and_leaves_no_result() {
        let mut m = model(Locale::Ko);
        m.edit(|i| i.gpus = Some(NumberText::Text("0".into())));
        let steps = region(&mut m, "w-step-3");
        assert!(steps.contains("aria-invalid=\"true\" aria-describedby=\"f-gpus-help f-gpus-error\""));
        assert!(steps.contains("id=\"f-gpus-error\""));
        let summary = region(&mut m, "w-error-summary");
        assert!(summary.contains("data-action=\"fix:3:gpus\""), "{summary}");
        assert!(summary.contains("GPU"), "the field is named by its label: {summary}");
        assert!(region(&mut m, "w-result").contains("data-testid=\"no-result\""));
        assert!(region(&mut m, "w-export").contains("disabled"), "no export without a result");
        let nav = region(&mut m, "w-step-nav");
        assert_eq!(nav.matches("class=\"step-errors\"").count(), 1, "the step with the error says so");
    }

    /// Keys built from field names (`advisor.f.{field}`) are not found by the
    /// key scan in `kairr_shared::i18n`: every region, in both languages and
    /// modes, on every step and with every field in error, shows no key.
    #[test]
    fn no_region_shows_a_key_in_place_of_its_words() {
        for loc in [Locale::Ko, Locale::En] {
            for mode in [Mode::Single, Mode::Workflow] {
                let mut m = model(loc);
                m.set_mode(mode);
                m.edit(|i| i.gpus = Some(NumberText::Text("x".into())));
                m.edit_workflow(|w| {
                    if let Some(s) = w.stages.first_mut() {
                        s.workload.gpus = Some(NumberText::Text("x".into()));
                    }
                });
                let html: String = regions(&mut m).into_iter().map(|(_, r)| r.into_string()).collect();
                for leak in [">advisor.", "\"advisor.", ">common.", ">error."] {
                    assert!(
                        !html.contains(leak),
                        "{loc:?} {mode:?}: a key shown ({leak}): {}",
                        &html[html.find(leak).unwrap_or(0)..][..80.min(html.len())]
                    );
                }
            }
        }
    }

    #[test]
    fn text_is_escaped_and_in_the_page_language() {
        let mut m = model(Locale::En);
        m.edit(|i| i.gpus = Some(NumberText::Text("<b>8".into())));
        let steps = region(&mut m, "w-step-3");
        assert!(steps.contains("value=\"&lt;b&gt;8\"") && !steps.contains("<b>8"));
        let mut ko = model(Locale::Ko);
        assert_ne!(region(&mut ko, "w-presets"), region(&mut model(Locale::En), "w-presets"));
    }

    #[test]
    fn the_workflow_lists_its_stages_and_one_request_per_pool() {
        let mut m = model(Locale::Ko);
        m.set_mode(Mode::Workflow);
        let stages = m.workflow.stages.len();
        assert_eq!(region(&mut m, "w-workflow-editor").matches("data-testid=\"stage-editor\"").count(), stages);
        assert_eq!(region(&mut m, "w-workflow-result").matches("data-testid=\"stage-row\"").count(), stages);
        let requests = region(&mut m, "w-workflow-export").matches("data-testid=\"workflow-request\"").count();
        assert_eq!(requests, m.workflow_drafts().len());
        assert!(requests >= 1);
    }
}
