//! The wizard's state as signals, read from the URL at start and written back
//! (with `history.replaceState`, no reload) shortly after every change.

use std::time::Duration;

use kairr_shared::advisor::presets::{preset, virtuous_cycle, Preset};
use kairr_shared::advisor::{WorkflowInput, WorkloadInput};
use leptos::prelude::*;

use super::query::{self, Mode, UrlState, STEPS};
use super::timing;

/// The preset shown when the URL holds no form.
pub const DEFAULT_PRESET: &str = "fine_tune_70b";
/// Milliseconds the URL waits for typing to pause (browsers limit `replaceState` calls).
const URL_DEBOUNCE_MS: u64 = 250;

/// Every piece of wizard state; copying the URL copies all of it.
#[derive(Debug, Clone, Copy)]
pub struct Wizard {
    pub mode: RwSignal<Mode>,
    /// 1..=[`STEPS`].
    pub step: RwSignal<u8>,
    pub input: RwSignal<WorkloadInput>,
    pub workflow: RwSignal<WorkflowInput>,
    /// The preset the form still equals, for the pressed state of its button.
    pub preset: RwSignal<Option<&'static str>>,
    /// The page's language (read in event handlers, where context is not).
    pub locale: RwSignal<kairr_shared::i18n::Locale>,
}

impl Wizard {
    /// Applies `f` to the workload form (timed for the render measurement).
    pub fn edit(self, f: impl FnOnce(&mut WorkloadInput)) {
        timing::input_started();
        self.input.update(f);
        self.preset.set(None);
    }

    /// Starts the workflow over from the virtuous-cycle preset, its stages named in the page's language.
    pub fn reset_workflow(self) {
        self.edit_workflow(|w| *w = virtuous_cycle(self.locale.get_untracked()));
    }

    /// Applies `f` to the workflow form (timed).
    pub fn edit_workflow(self, f: impl FnOnce(&mut WorkflowInput)) {
        timing::input_started();
        self.workflow.update(f);
    }

    /// Fills the form from `p`.
    pub fn apply_preset(self, p: &'static Preset) {
        timing::input_started();
        self.input.set(p.input());
        self.preset.set(Some(p.id));
    }

    /// Shows step `n` (clamped to 1..=[`STEPS`]).
    pub fn go_to(self, n: u8) {
        self.step.set(n.clamp(1, STEPS));
    }

    /// Switches between one workload and a workflow (the workflow starts from
    /// the virtuous-cycle preset when empty).
    pub fn set_mode(self, mode: Mode) {
        if mode == Mode::Workflow && self.workflow.with_untracked(|w| w.stages.is_empty()) {
            self.workflow.set(virtuous_cycle(self.locale.get_untracked()));
        }
        self.mode.set(mode);
    }

    fn url_state(self) -> UrlState {
        UrlState {
            mode: self.mode.get(),
            step: self.step.get(),
            input: self.input.get(),
            workflow: self.workflow.get(),
        }
    }
}

/// Creates the wizard from the page's URL (the default preset when it holds no
/// form) and keeps the URL in step with it.
pub fn use_wizard() -> Wizard {
    let locale = crate::common::i18n::use_locale();
    let search = window().location().search().unwrap_or_default();
    let initial = query::decode(&search);
    let default_preset = preset(DEFAULT_PRESET);
    let mut state = initial.clone().unwrap_or_else(|| UrlState {
        step: 1,
        input: default_preset.map(Preset::input).unwrap_or_default(),
        ..UrlState::default()
    });
    if state.input == WorkloadInput::default() {
        state.input = default_preset.map(Preset::input).unwrap_or_default();
    }
    if state.mode == Mode::Workflow && state.workflow.stages.is_empty() {
        state.workflow = virtuous_cycle(locale.get_untracked());
    }
    let wizard = Wizard {
        mode: RwSignal::new(state.mode),
        step: RwSignal::new(state.step),
        input: RwSignal::new(state.input),
        workflow: RwSignal::new(state.workflow),
        preset: RwSignal::new(if initial.is_none() { default_preset.map(|p| p.id) } else { None }),
        locale,
    };
    sync_url(wizard);
    wizard
}

fn sync_url(wizard: Wizard) {
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let url = query::encode(&wizard.url_state());
        let mine = generation.get_value().wrapping_add(1);
        generation.set_value(mine);
        set_timeout(
            move || {
                if generation.try_get_value() == Some(mine) {
                    crate::common::address::replace_query(&url);
                }
            },
            Duration::from_millis(URL_DEBOUNCE_MS),
        );
    });
}
