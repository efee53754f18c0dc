//! The allocation programme (issue 4): calls and rounds, researchers'
//! requests, reviews with conflict-of-interest checks, committee decisions,
//! allocations and their daily usage, the append-only audit record, fairness
//! figures, the proposed allocation of a round, the committee overview and the
//! public transparency aggregates, plus a seeded demo round.
//!
//! Flow: [`RoundInput::parse`] → [`Round`]; [`RequestInput::parse`] →
//! [`Request`] (state [`RequestState::Submitted`]); [`ReviewInput::parse`] →
//! [`Review`] or a [`CoiRecord`]; [`propose`] → [`Proposal`] (adjusted with
//! [`Proposal::apply_adjustment`]); [`DecisionInput::parse`] → [`Decision`] →
//! [`Allocation::from_decision`]; [`DailyUsage`] rows → [`RoundOverview::build`]
//! for the committee and [`PublicRound::build`] for everyone.
//!
//! Amounts are always in the pool's [`PoolUnit`]: whole 8-GPU servers or
//! GPU-hours for cloud pools, node-hours for KISTI-6. Cross-pool figures
//! (fairness, shares) convert to GPU-hours over the request's period.
//! Nothing here reads a clock: every time is passed in.

pub mod account;
pub mod assigned;
pub mod assignment;
pub mod audit;
pub mod decision;
pub mod demo;
pub mod detail;
pub mod fairness;
pub mod fill;
pub(crate) mod form;
pub mod grant;
pub mod ids;
pub mod lifecycle;
pub mod open;
pub mod overview;
pub mod proposal;
pub mod public;
pub mod queue;
pub mod request;
pub mod review;
pub mod roles;
pub mod round;
pub mod state;
pub mod unit;
pub mod usage;
pub mod usecase;

pub use account::{account_code, AccountMap};
pub use assigned::{ReviewAssignments, ReviewItem, ReviewRecords};
pub use audit::{AuditAction, AuditEntry, AuditError, AuditLog, AuditSubject};
pub use decision::{Decision, DecisionError, DecisionInput, DecisionKind, DecisionRequest, PeriodInput};
pub use demo::{demo_data, open_demo_round, DemoData, DemoError, DemoSpec, FIRST_CALL_2026};
pub use detail::{DetailInput, RequestDetail};
pub use fairness::{gini, jain_index, FairnessFigures, FairnessMetric, SectorDominantShare, SectorRatio};
pub use fill::{progressive_fill, Claimant, FillProblem, Resource, Use};
pub use grant::{Allocation, AllocationError};
pub use ids::{AllocationId, RequestId, RoundId};
pub use lifecycle::RoundStage;
pub use open::{open_round, OpenRound};
pub use overview::{OverviewInput, PoolOverview, RoundOverview, ShareRow, TimelineRow};
pub use proposal::{
    propose, Adjustment, AdjustmentError, Candidate, Direction, Exclusion, FairnessChange, FigureMove, MovedFigure,
    PoolTotals, Proposal, ProposalConfig, ProposalLine,
};
pub use public::{AwardedProject, InitialPublicRound, PublicGroup, PublicPoolTotal, PublicRound, PublishedRound};
pub use queue::{capacity_left, request_page, RequestFilter, RequestPage, RequestQuery, RequestRow, RequestSort};
pub use request::history::{history, HistoryEvent, HistoryKind};
pub use request::{Request, RequestInput, Submission, MAX_CO_INVESTIGATORS};
pub use review::{mean_score, CoiRecord, Review, ReviewError, ReviewInput, Reviewer, Rubric, Score};
pub use roles::{DemoAccount, Role};
pub use round::{OrgCap, Round, RoundInput, RoundPolicy};
pub use state::{RequestState, TransitionError};
pub use unit::{PoolCapacity, PoolUnit};
pub use usage::{idle_check, DailyUsage, IdleCheck, IdlePolicy, Metering, PoolMetering, UsageSource};
