//! The wizard's state and what the engine makes of it, with no DOM: the
//! form (one workload or a workflow), the step shown, the fetched catalogue,
//! queues and live summary, and the simulated queue waits. [`Model::derived`]
//! runs the shared engine (`kairr_shared::advisor`) on it, once per change
//! of what it reads (moving between steps re-ranks nothing).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kairr_shared::advisor::export::{workflow_drafts, AllocationDraft};

use kairr_shared::advisor::presets::{preset, virtuous_cycle, Preset, PRESETS};
use kairr_shared::advisor::wait::job_for;
use kairr_shared::advisor::what_if::{apply, evaluate, WhatIf, WhatIfOutcome};
use kairr_shared::advisor::{
    plan_workflow_with, recommend, Conditions, FieldErrors, Recommendation, WaitBand, WorkflowInput, WorkflowPlan,
    Workload, WorkloadInput,
};
use kairr_shared::api::{DataSource, QueuesResponse, StatusSummary};
use kairr_shared::catalogue::Catalogue;

use super::labels::Text;
use super::query::{Mode, UrlState, STEPS};
use crate::common::api::FetchError;

/// The preset shown when the address holds no form.
pub const DEFAULT_PRESET: &str = "fine_tune_70b";

/// A pool and the job it would queue there (nodes, walltime seconds).
pub type JobKey = (String, u32, u64);
/// A simulated band with the queue snapshot (Unix seconds) it came from.
pub type Cached = (i64, Option<WaitBand>);

/// What the engine makes of the model.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The parsed form (`None` until the catalogue is in).
    pub parsed: Option<Result<Workload, FieldErrors>>,
    /// The form's field errors (empty when it parses).
    pub errors: FieldErrors,
    /// The ranking with live conditions and every simulated wait.
    pub recommendation: Option<Recommendation>,
    /// The workload as entered and its variants, under the queue heuristic.
    pub what_ifs: Vec<WhatIfOutcome>,
    /// The workflow plan, or its stage errors (workflow mode).
    pub workflow: Option<Result<WorkflowPlan, FieldErrors>>,
    /// The jobs whose waits the ranking wants simulated.
    pub jobs: Vec<JobKey>,
}

/// Everything the wizard shows.
#[derive(Debug, Clone)]
pub struct Model {
    pub text: Text,
    pub mode: Mode,
    /// 1..=[`STEPS`].
    pub step: u8,
    pub input: WorkloadInput,
    pub workflow: WorkflowInput,
    /// The preset the form still equals (its button is pressed).
    pub preset: Option<&'static str>,
    pub catalogue: Option<Catalogue>,
    pub queues: Option<QueuesResponse>,
    pub summary: Option<StatusSummary>,
    /// The first failure among the catalogue and queue requests.
    pub load_error: Option<FetchError>,
    /// The live summary's last failure (cleared by the next snapshot).
    pub live_error: Option<FetchError>,
    /// Simulated waits by job.
    pub waits: HashMap<JobKey, Cached>,
    /// While the waits of the current jobs are being simulated.
    pub waits_pending: bool,
    /// What the last export said (saved, failed).
    pub export_status: Option<String>,
    /// The browser's clock at the last change (a draft's time).
    pub now: DateTime<Utc>,
    derived: Option<Derived>,
}

impl Model {
    /// The wizard as `state` (from the address; `None`: the default preset) describes it.
    pub fn new(text: Text, state: Option<UrlState>) -> Model {
        let default = preset(DEFAULT_PRESET);
        let from_address = state.is_some();
        let mut s = state.unwrap_or_else(|| UrlState { step: 1, ..UrlState::default() });
        if s.input == WorkloadInput::default() {
            s.input = default.map(Preset::input).unwrap_or_default();
        }
        if s.mode == Mode::Workflow && s.workflow.stages.is_empty() {
            s.workflow = virtuous_cycle(text.loc);
        }
        // A link (or a reload) of a preset's form shows that preset pressed.
        let pressed = if from_address { PRESETS.iter().find(|p| same_form(&p.input(), &s.input)) } else { default };
        Model {
            text,
            mode: s.mode,
            step: s.step.clamp(1, STEPS),
            input: s.input,
            workflow: s.workflow,
            preset: pressed.map(|p| p.id),
            catalogue: None,
            queues: None,
            summary: None,
            load_error: None,
            live_error: None,
            waits: HashMap::new(),
            waits_pending: false,
            export_status: None,
            now: DateTime::<Utc>::default(),
            derived: None,
        }
    }

    /// What the address keeps.
    pub fn url_state(&self) -> UrlState {
        UrlState { mode: self.mode, step: self.step, input: self.input.clone(), workflow: self.workflow.clone() }
    }

    /// Marks what the engine made of the model out of date.
    pub fn changed(&mut self) {
        self.derived = None;
    }

    /// Applies `f` to the workload form (the preset is no longer pressed).
    pub fn edit(&mut self, f: impl FnOnce(&mut WorkloadInput)) {
        f(&mut self.input);
        self.preset = None;
        self.export_status = None;
        self.changed();
    }

    /// Applies `f` to the workflow.
    pub fn edit_workflow(&mut self, f: impl FnOnce(&mut WorkflowInput)) {
        f(&mut self.workflow);
        self.export_status = None;
        self.changed();
    }

    /// Fills the form from preset `id` (unknown ids change nothing).
    pub fn apply_preset(&mut self, id: &str) {
        if let Some(p) = preset(id) {
            self.input = p.input();
            self.preset = Some(p.id);
            self.export_status = None;
            self.changed();
        }
    }

    /// Puts the what-if variant `change` into the form.
    pub fn apply_what_if(&mut self, change: &WhatIf) {
        let Some(Ok(w)) = self.derived().parsed.clone() else { return };
        self.edit(|i| *i = apply(i, &w, change));
    }

    /// Shows step `n` (clamped to 1..=[`STEPS`]).
    pub fn go_to(&mut self, n: u8) {
        self.step = n.clamp(1, STEPS);
    }

    /// One workload or a workflow (which starts from the virtuous-cycle preset when empty).
    pub fn set_mode(&mut self, mode: Mode) {
        if mode == Mode::Workflow && self.workflow.stages.is_empty() {
            self.workflow = virtuous_cycle(self.text.loc);
        }
        self.mode = mode;
        self.export_status = None;
        self.changed();
    }

    /// Starts the workflow over from the virtuous-cycle preset, named in the page's language.
    pub fn reset_workflow(&mut self) {
        let loc = self.text.loc;
        self.edit_workflow(|w| *w = virtuous_cycle(loc));
    }

    /// The source of the live figures (demo until the status says otherwise).
    pub fn source(&self) -> DataSource {
        self.summary.as_ref().map_or(DataSource::Demo, |s| s.source)
    }

    /// The queue snapshot's time (Unix seconds; 0 without one): a wait simulated from an older one is due again.
    pub fn queues_at(&self) -> i64 {
        self.queues.as_ref().and_then(|q| q.queues.first()).map_or(0, |s| s.at.timestamp())
    }

    /// The jobs whose waits are not simulated from the current queue snapshot.
    pub fn missing_waits(&mut self) -> Vec<JobKey> {
        let at = self.queues_at();
        let jobs = self.derived().jobs.clone();
        jobs.into_iter().filter(|k| self.waits.get(k).is_none_or(|c| c.0 != at)).collect()
    }

    /// Keeps simulated waits (the ranking follows).
    pub fn add_waits(&mut self, bands: Vec<(JobKey, Cached)>) {
        self.waits.extend(bands);
        self.changed();
    }

    /// The allocation request of the current result (none without a top pick).
    pub fn draft(&mut self) -> Option<AllocationDraft> {
        let rec = self.derived().recommendation.clone().filter(|r| r.top.is_some())?;
        Some(AllocationDraft::new(self.input.clone(), &rec, self.now, self.source()))
    }

    /// The workflow's requests, one per pool its stages use (none while it does not plan).
    pub fn workflow_drafts(&mut self) -> Vec<AllocationDraft> {
        let (now, source) = (self.now, self.source());
        match self.derived().workflow.clone() {
            Some(Ok(plan)) => workflow_drafts(&self.workflow, &plan, now, source),
            _ => Vec::new(),
        }
    }

    /// What the engine makes of the model (computed once per change).
    pub fn derived(&mut self) -> &Derived {
        if self.derived.is_none() {
            self.derived = Some(self.derive());
        }
        self.derived.get_or_insert_with(Derived::default)
    }

    fn derive(&self) -> Derived {
        let Some(cat) = self.catalogue.as_ref() else { return Derived::default() };
        let base = self.summary.as_ref().map(Conditions::from_summary).unwrap_or_default();
        let queues = self.queues.as_ref();
        match self.mode {
            Mode::Single => {
                let parsed = self.input.parse(cat);
                let errors = parsed.as_ref().err().cloned().unwrap_or_default();
                let Ok(w) = parsed.as_ref() else {
                    return Derived { parsed: Some(parsed), errors, ..Derived::default() };
                };
                let jobs = keys_for(cat, queues, w);
                let mut cond = base.clone();
                self.put_waits(&mut cond, &jobs);
                let rec = recommend(cat, w, &cond);
                let what_ifs = evaluate(cat, &self.input, w, &rec, &base);
                Derived { errors, recommendation: Some(rec), what_ifs, jobs, parsed: Some(parsed), workflow: None }
            }
            Mode::Workflow => {
                let mut jobs: Vec<JobKey> = Vec::new();
                for w in self.workflow.stages.iter().filter_map(|st| st.workload.parse(cat).ok()) {
                    for k in keys_for(cat, queues, &w) {
                        if !jobs.contains(&k) {
                            jobs.push(k);
                        }
                    }
                }
                let plan = plan_workflow_with(cat, &self.workflow, |w| {
                    let mut cond = base.clone();
                    self.put_waits(&mut cond, &keys_for(cat, queues, w));
                    cond
                });
                Derived { workflow: Some(plan), jobs, ..Derived::default() }
            }
        }
    }

    /// Sets the simulated wait of each of `jobs` that has one.
    fn put_waits(&self, cond: &mut Conditions, jobs: &[JobKey]) {
        for key in jobs {
            if let Some((_, Some(band))) = self.waits.get(key) {
                cond.set_wait(&key.0, *band);
            }
        }
    }
}

/// Whether two forms say the same (numbers compared as the address writes them: `8` and `8.0` are one).
fn same_form(a: &WorkloadInput, b: &WorkloadInput) -> bool {
    let written = |i: &WorkloadInput| super::query::encode(&UrlState { input: i.clone(), ..UrlState::default() });
    written(a) == written(b)
}

/// The job `w` would queue in each pool with a queue snapshot.
fn keys_for(c: &Catalogue, queues: Option<&QueuesResponse>, w: &Workload) -> Vec<JobKey> {
    queues
        .iter()
        .flat_map(|q| &q.queues)
        .filter_map(|s| job_for(c, w, &s.pool_id).map(|j| (s.pool_id.clone(), j.nodes, j.walltime_seconds)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kairr_shared::advisor::NumberText;
    use kairr_shared::i18n::Locale;

    fn model() -> Model {
        let mut m = Model::new(Text { loc: Locale::Ko }, None);
        m.catalogue = Some(kairr_shared::catalogue::Catalogue::embedded().expect("the embedded catalogue"));
        m
    }

    #[test]
    fn without_an_address_the_default_preset_is_ranked() {
        let mut m = model();
        assert_eq!(m.preset, Some(DEFAULT_PRESET));
        let d = m.derived();
        assert!(d.errors.is_empty());
        assert!(d.recommendation.as_ref().is_some_and(|r| r.top.is_some()));
        assert!(d.what_ifs.len() > 1);
    }

    #[test]
    fn an_edit_ranks_again_and_releases_the_preset_but_a_step_does_not() {
        let mut m = model();
        let before = m.derived().recommendation.clone();
        m.go_to(3);
        assert_eq!(m.derived().recommendation, before, "moving between steps ranks nothing anew");
        m.edit(|i| i.gpus = Some(NumberText::Text("0".into())));
        assert_eq!(m.preset, None);
        assert!(m.derived().errors.get("gpus").is_some(), "0 GPUs is an error at its field");
        assert!(m.derived().recommendation.is_none());
        m.apply_preset("cfd_mpi_256");
        assert_eq!(m.preset, Some("cfd_mpi_256"));
        assert!(m.derived().errors.is_empty());
    }

    #[test]
    fn a_link_to_a_presets_form_shows_that_preset_pressed() {
        let cfd = preset("cfd_mpi_256").expect("a preset");
        // As the address gives it back: numbers as text.
        let written = super::super::query::encode(&UrlState { step: 2, input: cfd.input(), ..UrlState::default() });
        let state = super::super::query::decode(&written).expect("the address reads back");
        assert_ne!(state.input, cfd.input(), "the address gives numbers back as text");
        let m = Model::new(Text { loc: Locale::En }, Some(state.clone()));
        assert_eq!(m.preset, Some("cfd_mpi_256"));
        let mut edited = state;
        edited.input.gpus = Some(NumberText::Text("3".into()));
        assert_eq!(Model::new(Text { loc: Locale::En }, Some(edited)).preset, None);
    }

    #[test]
    fn the_workflow_starts_from_the_virtuous_cycle_and_is_planned() {
        let mut m = model();
        m.set_mode(Mode::Workflow);
        assert!(m.workflow.stages.len() >= 2);
        assert!(matches!(m.derived().workflow, Some(Ok(_))));
        m.go_to(9);
        assert_eq!(m.step, STEPS);
    }
}
