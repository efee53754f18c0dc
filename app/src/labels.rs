//! Translated names of the API's enums (statuses, kinds, incident states,
//! maintenance states) and of the start-now answers.

use kairr_shared::api::{DataSource, IncidentState, MaintenanceState, SystemKind};
use kairr_shared::start_now::StartAnswer;
use kairr_shared::status::Status;

use crate::format::{duration, thousands};
use crate::i18n::{tr, trf};

/// Short status label for badges ("정상", "점검 중", …).
pub fn status(s: Status) -> String {
    match s {
        Status::Operational => tr("status.operational"),
        Status::Maintenance => tr("status.maintenance"),
        Status::Degraded => tr("status.degraded"),
        Status::PartialOutage => tr("status.partial_outage"),
        Status::MajorOutage => tr("status.major_outage"),
    }
}

/// The overall banner sentence ("모든 시스템 정상", …).
pub fn overall(s: Status) -> String {
    match s {
        Status::Operational => tr("overall.operational"),
        Status::Maintenance => tr("overall.maintenance"),
        Status::Degraded => tr("overall.degraded"),
        Status::PartialOutage => tr("overall.partial_outage"),
        Status::MajorOutage => tr("overall.major_outage"),
    }
}

/// "HPC" / "클라우드".
pub fn kind(k: SystemKind) -> String {
    match k {
        SystemKind::Hpc => tr("system.kind_hpc"),
        SystemKind::Cloud => tr("system.kind_cloud"),
    }
}

/// Where a system's figures come from: "데이터: 데모" / "Data: Slurm".
pub fn source(s: DataSource) -> String {
    match s {
        DataSource::Demo => tr("system.source_demo"),
        DataSource::Slurm => tr("system.source_slurm"),
        DataSource::Prometheus => tr("system.source_prometheus"),
    }
}

/// "조사 중", "원인 파악", "모니터링", "해결".
pub fn incident_state(s: IncidentState) -> String {
    match s {
        IncidentState::Investigating => tr("incident.state_investigating"),
        IncidentState::Identified => tr("incident.state_identified"),
        IncidentState::Monitoring => tr("incident.state_monitoring"),
        IncidentState::Resolved => tr("incident.state_resolved"),
    }
}

/// "진행 중" / "예정" / "완료".
pub fn maintenance_state(s: MaintenanceState) -> String {
    match s {
        MaintenanceState::Scheduled => tr("maintenance.state_scheduled"),
        MaintenanceState::InProgress => tr("maintenance.state_in_progress"),
        MaintenanceState::Completed => tr("maintenance.state_completed"),
    }
}

/// The `data-answer` attribute value of a start-now answer.
pub fn answer_kind(a: &StartAnswer) -> &'static str {
    match a {
        StartAnswer::Now { .. } => "now",
        StartAnswer::IfShorterThan { .. } => "if_shorter_than",
        StartAnswer::Waits { .. } => "waits",
        StartAnswer::TooLarge { .. } => "too_large",
        StartAnswer::Unavailable { .. } => "unavailable",
    }
}

/// The answer in words ("지금 바로 시작 가능", …).
pub fn answer_text(a: &StartAnswer) -> String {
    let n = |v: u32| thousands(u64::from(v));
    match *a {
        StartAnswer::Now { .. } => tr("start.now"),
        StartAnswer::IfShorterThan { seconds, .. } => {
            let args = [("duration", duration(seconds))];
            trf("start.if_shorter_than", &args)
        }
        StartAnswer::Waits { free_gpus, pending_jobs, .. } => {
            let args = [("free", n(free_gpus)), ("pending", n(pending_jobs))];
            trf("start.waits", &args)
        }
        StartAnswer::TooLarge { max_gpus, .. } => {
            let args = [("max", n(max_gpus))];
            trf("start.too_large", &args)
        }
        StartAnswer::Unavailable { status: s } => {
            let args = [("status", status(s))];
            trf("start.unavailable", &args)
        }
    }
}

/// GPUs the answer is about (the request rounded up to whole nodes).
pub fn answer_gpus(a: &StartAnswer) -> Option<u32> {
    match *a {
        StartAnswer::Now { gpus }
        | StartAnswer::IfShorterThan { gpus, .. }
        | StartAnswer::Waits { gpus, .. }
        | StartAnswer::TooLarge { gpus, .. } => Some(gpus),
        StartAnswer::Unavailable { .. } => None,
    }
}
