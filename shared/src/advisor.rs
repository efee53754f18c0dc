//! The placement advisor: which national resource fits a workload, why, and
//! what it will take (run time, queue wait, GPU-hours, energy, cost).
//!
//! Flow: [`WorkloadInput::parse`] → [`Workload`]; live [`Conditions`] (from
//! the status snapshot, optionally with [`predict_wait`] bands) →
//! [`recommend`] → [`Recommendation`]. Multi-stage pipelines go through
//! [`plan_workflow`]. Every figure the rules use comes from the catalogue
//! (`fleet.toml`: `[price_policy]`, `[advisor]`, each pool's `placement`), so
//! a new pool needs data, not code.

pub mod backtest;
pub mod conditions;
pub mod constraints;
pub mod criteria;
pub mod criterion;
pub mod estimate;
pub mod export;
pub mod field_error;
pub mod kinds;
pub mod memory;
pub mod presets;
pub mod reason;
pub mod recommend;
pub mod wait;
pub mod what_if;
pub mod workflow;
pub mod workload;

pub use conditions::{Conditions, PoolConditions};
pub use constraints::ConstraintFailure;
pub use criteria::CriterionScore;
pub use criterion::{Constraint, Criterion, PlatformNeed};
pub use estimate::Estimates;
pub use field_error::{FieldError, FieldErrorCode, FieldErrors};
pub use kinds::{Compute, Container, Coupling, Method, Precision, Purpose, Region, Sector, StackNeed};
pub use reason::Reason;
pub use recommend::{recommend, Decider, Decision, PoolAssessment, Recommendation};
pub use wait::{easy_estimate, predict_wait, simulate_wait, WaitBand, WaitJob};
pub use workflow::{plan_workflow, plan_workflow_with, StageInput, StagePlan, WorkflowInput, WorkflowPlan};
pub use workload::{NumberText, Workload, WorkloadInput};

#[cfg(test)]
mod tests;
