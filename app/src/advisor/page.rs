//! The placement wizard (`/advisor`): presets and the five-step form beside
//! the ranked result, the what-if panel and the export; or, in workflow
//! mode, the stage editor and the placed pipeline.

use leptos::prelude::*;

use crate::advisor::components::error_summary::ErrorSummary;
use crate::advisor::components::export::{ExportActions, WorkflowExport};
use crate::advisor::components::form::{StepButtons, StepNav, WizardSteps};
use crate::advisor::components::presets::PresetBar;
use crate::advisor::components::result::{ResultDock, ResultView};
use crate::advisor::components::what_if::WhatIfPanel;
use crate::advisor::components::workflow::{WorkflowEditor, WorkflowResult};
use crate::advisor::engine::use_engine;
use crate::advisor::query::Mode;
use crate::advisor::state::use_wizard;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::footer::Footer;
use crate::common::components::header::{Header, SitePage, SkipLink, MAIN_ID};
use crate::common::i18n::tr;

/// The wizard page.
#[component]
pub fn AdvisorPage() -> impl IntoView {
    let wizard = use_wizard();
    let engine = use_engine(wizard);
    let source = Signal::derive(move || engine.live.summary.with(|s| s.as_ref().map(|s| s.source)));
    let mode_button = move |mode: Mode, testid: &'static str, label: fn() -> String| {
        view! {
            <button
                type="button"
                class="mode-button"
                data-testid=testid
                aria-pressed=move || if wizard.mode.get() == mode { "true" } else { "false" }
                on:click=move |_| wizard.set_mode(mode)
            >
                {label}
            </button>
        }
    };
    view! {
        <SkipLink/>
        <Header source=source page=SitePage::Advisor/>
        <main id=MAIN_ID tabindex="-1" class="advisor-main">
            <div class="advisor-intro" data-testid="page-intro">
                <h2>{move || tr("advisor.title")}</h2>
                <p>{move || tr("advisor.intro")}</p>
            </div>
            <FetchErrorView error=engine.error message=Signal::derive(|| tr("advisor.error.load"))/>
            <FetchErrorView error=engine.live.error message=Signal::derive(|| tr("error.status"))/>
            <div class="mode-switch" role="group" aria-label=move || tr("advisor.mode.label")>
                {mode_button(Mode::Single, "mode-single", || tr("advisor.mode.single"))}
                {mode_button(Mode::Workflow, "mode-workflow", || tr("advisor.mode.workflow"))}
            </div>
            <Show
                when=move || wizard.mode.get() == Mode::Single
                fallback=move || view! {
                    <div class="advisor-layout">
                        <div class="advisor-form"><WorkflowEditor wizard=wizard engine=engine/></div>
                        <div class="advisor-output">
                            <WorkflowResult engine=engine/>
                            <WorkflowExport wizard=wizard engine=engine/>
                        </div>
                    </div>
                }
            >
                <div class="advisor-layout">
                    <form class="advisor-form" aria-labelledby="form-title" on:submit=|ev| ev.prevent_default()>
                        <h3 id="form-title" class="sr-only">{move || tr("advisor.form.title")}</h3>
                        <PresetBar wizard=wizard/>
                        <StepNav wizard=wizard engine=engine/>
                        <WizardSteps wizard=wizard engine=engine/>
                        <StepButtons wizard=wizard/>
                        <ResultDock engine=engine/>
                    </form>
                    <div class="advisor-output">
                        <ErrorSummary wizard=wizard engine=engine/>
                        <ResultView engine=engine/>
                        // Below the result, so shown once there is one: nothing is pushed down as it arrives.
                        <Show when=move || engine.catalogue.with(Option::is_some)>
                            <WhatIfPanel wizard=wizard engine=engine/>
                            <ExportActions wizard=wizard engine=engine/>
                        </Show>
                    </div>
                </div>
            </Show>
        </main>
        <Footer source=source/>
    }
}
