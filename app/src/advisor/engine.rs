//! The placement engine run in the browser: the catalogue and queues are
//! fetched once (queues refreshed every minute), live conditions follow the
//! status stream, and every form change re-ranks the pools at once. Queue-wait
//! prediction (a backfill simulation, ~20 ms per pool) runs only when the job
//! it depends on changes (its nodes and walltime per pool), after a pause in
//! typing, and its bands are cached per job.

use std::collections::HashMap;

use gloo_timers::future::TimeoutFuture;
use kairr_shared::advisor::wait::job_for;
use kairr_shared::advisor::what_if::{evaluate, WhatIfOutcome};
use kairr_shared::advisor::{
    plan_workflow_with, predict_wait, recommend, Conditions, FieldErrors, Recommendation, WaitBand, WaitJob,
    WorkflowPlan, Workload,
};
use kairr_shared::api::QueuesResponse;
use kairr_shared::catalogue::Catalogue;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::query::Mode;
use super::state::Wizard;
use crate::common::api::{self, FetchError};
use crate::common::live::{use_live_status, use_refresh_tick, LiveStatus, REFRESH_SECONDS};

/// Pause after the last change before waits are simulated, ms.
pub const WAIT_DEBOUNCE_MS: u32 = 300;
/// Seed of the wait simulation (fixed: the same link gives the same band).
pub const WAIT_SEED: u64 = 2026;

/// A pool and the job it would queue (nodes, walltime seconds).
type JobKey = (String, u32, u64);
/// A cached band with the snapshot time (Unix seconds) it was simulated from.
type Cached = (i64, Option<WaitBand>);

/// Everything the result view reads.
#[derive(Debug, Clone, Copy)]
pub struct Engine {
    pub catalogue: RwSignal<Option<Catalogue>>,
    pub queues: RwSignal<Option<QueuesResponse>>,
    /// The first failure among catalogue and queue requests.
    pub error: RwSignal<Option<FetchError>>,
    pub live: LiveStatus,
    /// The parsed form (`None` until the catalogue is in).
    pub parsed: Memo<Option<Result<Workload, FieldErrors>>>,
    /// Field errors of the form (empty when it parses).
    pub errors: Memo<FieldErrors>,
    /// The ranking with live conditions and every cached wait band.
    pub recommendation: Memo<Option<Recommendation>>,
    /// The workload as entered and its variants, under the queue heuristic.
    pub what_ifs: Memo<Vec<WhatIfOutcome>>,
    /// The workflow plan (each stage with its simulated waits once they are in), or its stage errors.
    pub workflow: Memo<Option<Result<WorkflowPlan, FieldErrors>>>,
    /// True while wait bands for the current form are being simulated.
    pub waits_pending: RwSignal<bool>,
}

/// Starts the fetches and builds the reactive pipeline for `wizard`.
pub fn use_engine(wizard: Wizard) -> Engine {
    let catalogue = RwSignal::new(None::<Catalogue>);
    let queues = RwSignal::new(None::<QueuesResponse>);
    let error = RwSignal::new(None::<FetchError>);
    let live = use_live_status();
    load(catalogue, queues, error);

    let parsed = Memo::new(move |_| catalogue.with(|c| c.as_ref().map(|c| wizard.input.with(|i| i.parse(c)))));
    let errors = Memo::new(move |_| parsed.with(|p| p.as_ref().and_then(|r| r.clone().err()).unwrap_or_default()));
    let base = Memo::new(move |_| live.summary.with(|s| s.as_ref().map(Conditions::from_summary).unwrap_or_default()));
    // The jobs whose waits are simulated: the form's, or in workflow mode each stage's.
    let jobs = Memo::new(move |_| match wizard.mode.get() {
        Mode::Single => jobs_for(catalogue, queues, parsed),
        Mode::Workflow => stage_jobs(catalogue, queues, wizard),
    });
    let cache = StoredValue::new(HashMap::<JobKey, Cached>::new());
    let cache_rev = RwSignal::new(0u32);
    let waits_pending = RwSignal::new(false);
    schedule_waits(catalogue, queues, jobs, cache, cache_rev, waits_pending);

    let conditions = Memo::new(move |_| {
        cache_rev.track();
        let mut c = base.get();
        jobs.with(|js| {
            cache.with_value(|m| {
                for key in js {
                    if let Some((_, Some(band))) = m.get(key) {
                        c.set_wait(&key.0, *band);
                    }
                }
            })
        });
        c
    });
    let recommendation = Memo::new(move |_| {
        let w = parsed.with(|p| p.as_ref().and_then(|r| r.as_ref().ok().cloned()))?;
        catalogue.with(|c| c.as_ref().map(|c| conditions.with(|cond| recommend(c, &w, cond))))
    });
    let what_ifs = Memo::new(move |_| {
        let Some(Ok(w)) = parsed.get() else { return Vec::new() };
        let Some(rec) = recommendation.get() else { return Vec::new() };
        catalogue.with(|c| {
            let Some(c) = c else { return Vec::new() };
            wizard.input.with(|i| base.with(|b| evaluate(c, i, &w, &rec, b)))
        })
    });
    // Each stage ranked with its own simulated waits, as a single workload is.
    let workflow = Memo::new(move |_| {
        cache_rev.track();
        catalogue.with(|c| {
            let c = c.as_ref()?;
            let plan = wizard.workflow.with(|wf| {
                base.with(|b| {
                    queues.with(|q| {
                        cache.with_value(|m| {
                            plan_workflow_with(c, wf, |w| {
                                let mut cond = b.clone();
                                for key in keys_for(c, q.as_ref(), w) {
                                    if let Some((_, Some(band))) = m.get(&key) {
                                        cond.set_wait(&key.0, *band);
                                    }
                                }
                                cond
                            })
                        })
                    })
                })
            });
            Some(plan)
        })
    });
    Engine { catalogue, queues, error, live, parsed, errors, recommendation, what_ifs, workflow, waits_pending }
}

fn load(
    catalogue: RwSignal<Option<Catalogue>>,
    queues: RwSignal<Option<QueuesResponse>>,
    error: RwSignal<Option<FetchError>>,
) {
    spawn_local(async move {
        match api::fetch_catalogue().await {
            Ok(c) => catalogue.set(Some(c)),
            Err(e) => error.set(Some(e)),
        }
    });
    let refresh = use_refresh_tick(REFRESH_SECONDS);
    Effect::new(move |_| {
        refresh.track();
        spawn_local(async move {
            match api::fetch_queues().await {
                Ok(q) => queues.set(Some(q)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
}

/// The job `w` would queue in each pool with a queue snapshot.
fn keys_for(c: &Catalogue, queues: Option<&QueuesResponse>, w: &Workload) -> Vec<JobKey> {
    queues
        .iter()
        .flat_map(|q| &q.queues)
        .filter_map(|s| job_for(c, w, &s.pool_id).map(|j| (s.pool_id.clone(), j.nodes, j.walltime_seconds)))
        .collect()
}

/// The job each pool with a queue snapshot would queue for the parsed form.
fn jobs_for(
    catalogue: RwSignal<Option<Catalogue>>,
    queues: RwSignal<Option<QueuesResponse>>,
    parsed: Memo<Option<Result<Workload, FieldErrors>>>,
) -> Vec<JobKey> {
    parsed.with(|p| {
        let Some(Ok(w)) = p else { return Vec::new() };
        catalogue.with(|c| c.as_ref().map_or_else(Vec::new, |c| queues.with(|q| keys_for(c, q.as_ref(), w))))
    })
}

/// The jobs of every workflow stage that parses, in each pool with a queue
/// snapshot (a stage's job does not depend on where its data are).
fn stage_jobs(
    catalogue: RwSignal<Option<Catalogue>>,
    queues: RwSignal<Option<QueuesResponse>>,
    wizard: Wizard,
) -> Vec<JobKey> {
    catalogue.with(|c| {
        let Some(c) = c else { return Vec::new() };
        wizard.workflow.with(|wf| {
            queues.with(|q| {
                let mut keys: Vec<JobKey> = Vec::new();
                for w in wf.stages.iter().filter_map(|st| st.workload.parse(c).ok()) {
                    for k in keys_for(c, q.as_ref(), &w) {
                        if !keys.contains(&k) {
                            keys.push(k);
                        }
                    }
                }
                keys
            })
        })
    })
}

/// Simulates the waits of jobs not in `cache` for the current queue snapshot,
/// after a pause in typing. Bands from an older snapshot stay in use until
/// replaced, so a refresh does not flicker. Bumps `cache_rev` when bands arrive.
fn schedule_waits(
    catalogue: RwSignal<Option<Catalogue>>,
    queues: RwSignal<Option<QueuesResponse>>,
    jobs: Memo<Vec<JobKey>>,
    cache: StoredValue<HashMap<JobKey, Cached>>,
    cache_rev: RwSignal<u32>,
    pending: RwSignal<bool>,
) {
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let at = queues.with(|q| q.as_ref().and_then(|q| q.queues.first()).map_or(0, |s| s.at.timestamp()));
        let missing: Vec<JobKey> = jobs.with(|js| {
            cache.with_value(|m| js.iter().filter(|k| m.get(*k).is_none_or(|c| c.0 != at)).cloned().collect())
        });
        let mine = generation.get_value().wrapping_add(1);
        generation.set_value(mine);
        if missing.is_empty() {
            pending.set(false);
            return;
        }
        pending.set(true);
        spawn_local(async move {
            TimeoutFuture::new(WAIT_DEBOUNCE_MS).await;
            for key in missing {
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                let band = catalogue.with_untracked(|c| {
                    let c = c.as_ref()?;
                    queues.with_untracked(|q| {
                        let snap = q.as_ref()?.queues.iter().find(|s| s.pool_id == key.0)?;
                        let job = WaitJob { nodes: key.1, walltime_seconds: key.2 };
                        predict_wait(snap, job, &c.advisor.wait, WAIT_SEED)
                    })
                });
                cache.update_value(|m| {
                    m.insert(key, (at, band));
                });
                // Yield between pools so input stays responsive.
                TimeoutFuture::new(0).await;
            }
            cache_rev.update(|r| *r = r.wrapping_add(1));
            pending.set(false);
        });
    });
}
