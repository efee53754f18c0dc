//! The names of the API's enums (statuses, kinds, sources, incident and
//! maintenance states) and the start-now answers in words, in a language.

use crate::api::{ApiError, DataSource, IncidentState, MaintenanceState, PoolStatus, SystemKind, SystemStatus};
use crate::i18n::{t, tfs, ts, Locale};
use crate::start_now::StartAnswer;
use crate::status::Status;

use super::format::{duration, thousands};

/// Short status label for badges ("정상", "점검 중", …).
pub fn status(loc: Locale, s: Status) -> String {
    match s {
        Status::Operational => ts(loc, "status.operational"),
        Status::Maintenance => ts(loc, "status.maintenance"),
        Status::Degraded => ts(loc, "status.degraded"),
        Status::PartialOutage => ts(loc, "status.partial_outage"),
        Status::MajorOutage => ts(loc, "status.major_outage"),
    }
}

/// The overall banner sentence ("모든 시스템 정상", …).
pub fn overall(loc: Locale, s: Status) -> String {
    match s {
        Status::Operational => ts(loc, "overall.operational"),
        Status::Maintenance => ts(loc, "overall.maintenance"),
        Status::Degraded => ts(loc, "overall.degraded"),
        Status::PartialOutage => ts(loc, "overall.partial_outage"),
        Status::MajorOutage => ts(loc, "overall.major_outage"),
    }
}

/// "HPC" / "클라우드".
pub fn kind(loc: Locale, k: SystemKind) -> String {
    match k {
        SystemKind::Hpc => ts(loc, "system.kind_hpc"),
        SystemKind::Cloud => ts(loc, "system.kind_cloud"),
    }
}

/// Where a system's figures come from: "데이터: 데모" / "Data: Slurm".
pub fn source(loc: Locale, s: DataSource) -> String {
    match s {
        DataSource::Demo => ts(loc, "system.source_demo"),
        DataSource::Slurm => ts(loc, "system.source_slurm"),
        DataSource::Prometheus => ts(loc, "system.source_prometheus"),
        DataSource::Operator => ts(loc, "system.source_operator"),
    }
}

/// "조사 중", "원인 파악", "모니터링", "해결".
pub fn incident_state(loc: Locale, s: IncidentState) -> String {
    match s {
        IncidentState::Investigating => ts(loc, "incident.state_investigating"),
        IncidentState::Identified => ts(loc, "incident.state_identified"),
        IncidentState::Monitoring => ts(loc, "incident.state_monitoring"),
        IncidentState::Resolved => ts(loc, "incident.state_resolved"),
    }
}

/// "진행 중" / "예정" / "완료".
pub fn maintenance_state(loc: Locale, s: MaintenanceState) -> String {
    match s {
        MaintenanceState::Scheduled => ts(loc, "maintenance.state_scheduled"),
        MaintenanceState::InProgress => ts(loc, "maintenance.state_in_progress"),
        MaintenanceState::Completed => ts(loc, "maintenance.state_completed"),
    }
}

/// The `data-answer` attribute value of a start-now answer.
pub fn answer_kind(a: &StartAnswer) -> &'static str {
    match a {
        StartAnswer::Now { .. } => "now",
        StartAnswer::IfShorterThan { .. } => "if_shorter_than",
        StartAnswer::BeforeMaintenance { .. } => "before_maintenance",
        StartAnswer::Waits { .. } => "waits",
        StartAnswer::TooLarge { .. } => "too_large",
        StartAnswer::Unavailable { .. } => "unavailable",
    }
}

/// The answer in words ("지금 바로 시작 가능", …).
pub fn answer_text(loc: Locale, a: &StartAnswer) -> String {
    let n = |v: u32| thousands(u64::from(v));
    match *a {
        StartAnswer::Now { .. } => ts(loc, "start.now"),
        StartAnswer::IfShorterThan { seconds, .. } => {
            let args = [("duration", duration(loc, seconds))];
            tfs(loc, "start.if_shorter_than", &args)
        }
        StartAnswer::BeforeMaintenance { seconds, .. } => {
            let args = [("duration", duration(loc, seconds))];
            tfs(loc, "start.before_maintenance", &args)
        }
        StartAnswer::Waits { free_gpus, pending_jobs, .. } => {
            let args = [("free", n(free_gpus)), ("pending", n(pending_jobs))];
            tfs(loc, "start.waits", &args)
        }
        StartAnswer::TooLarge { max_gpus, .. } => {
            let args = [("max", n(max_gpus))];
            tfs(loc, "start.too_large", &args)
        }
        StartAnswer::Unavailable { status: s } => {
            let args = [("status", status(loc, s))];
            tfs(loc, "start.unavailable", &args)
        }
    }
}

/// GPUs the answer is about (the request rounded up to whole nodes).
pub fn answer_gpus(a: &StartAnswer) -> Option<u32> {
    match *a {
        StartAnswer::Now { gpus }
        | StartAnswer::IfShorterThan { gpus, .. }
        | StartAnswer::BeforeMaintenance { gpus, .. }
        | StartAnswer::Waits { gpus, .. }
        | StartAnswer::TooLarge { gpus, .. } => Some(gpus),
        StartAnswer::Unavailable { .. } => None,
    }
}

/// What an API error says to a person: its field errors' messages in `loc`
/// when it has them, else the translation of its stable code
/// (`error.code.<code>`); the server's own (English) sentence only for a
/// code this build does not know.
pub fn api_error(loc: Locale, e: &ApiError) -> String {
    if !e.fields.is_empty() {
        return e.fields.iter().map(|f| loc.pick(&f.message_ko, &f.message_en)).collect::<Vec<_>>().join(" ");
    }
    let key = format!("error.code.{}", e.error);
    let text = t(loc, &key);
    if text == key {
        e.message.clone()
    } else {
        text
    }
}

/// One line of the status page's component list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolLine {
    /// "카카오클라우드 GPU · B200 정부 풀 (Kubeflow)".
    pub name: String,
    /// "B200 536 / 2,040 유휴", every GPU model of the pool.
    pub free: String,
}

/// The component-list line of pool `p` of system `sys` in `loc`.
pub fn pool_line(loc: Locale, sys: &SystemStatus, p: &PoolStatus) -> PoolLine {
    let name = format!("{} · {}", loc.pick(&sys.name_ko, &sys.name_en), loc.pick(&p.name_ko, &p.name_en));
    let free = p
        .gpus
        .iter()
        .map(|g| {
            let args = [
                ("model", g.model.clone()),
                ("free", thousands(u64::from(g.free))),
                ("total", thousands(u64::from(g.total))),
            ];
            tfs(loc, "pool.free_gpus", &args)
        })
        .collect::<Vec<_>>()
        .join(", ");
    PoolLine { name, free }
}

/// A pool's name in `loc` from its names in Korean and English: the other
/// language's when this one is empty, the id when it has none (a pool the
/// catalogue no longer has).
pub fn pool_name(loc: Locale, id: &str, name_ko: &str, name_en: &str) -> String {
    match loc.pick(name_ko, name_en) {
        "" if name_ko.is_empty() && name_en.is_empty() => id,
        "" if name_ko.is_empty() => name_en,
        "" => name_ko,
        chosen => chosen,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_is_named_in_the_language_asked_and_by_its_id_without_names() {
        let (ko, en) = ("NHN클라우드 GPU · B200 정부 풀", "NHN Cloud GPU · B200 government pool");
        assert_eq!(pool_name(Locale::Ko, "nhn-b200", ko, en), ko);
        assert_eq!(pool_name(Locale::En, "nhn-b200", ko, en), en);
        assert_eq!(pool_name(Locale::Ko, "old-h100", "", ""), "old-h100", "no names: the id");
        assert_eq!(pool_name(Locale::En, "p", "풀", ""), "풀", "no English name: the Korean one");
        assert_eq!(pool_name(Locale::Ko, "p", "", "Pool"), "Pool", "no Korean name: the English one");
    }

    #[test]
    fn an_answer_bounded_by_a_maintenance_names_it_and_not_backfill() {
        let a = StartAnswer::BeforeMaintenance { gpus: 8, seconds: 3 * 3_600 + 20 * 60 };
        assert_eq!(answer_kind(&a), "before_maintenance");
        assert_eq!(answer_gpus(&a), Some(8));
        assert_eq!(answer_text(Locale::Ko, &a), "점검(3시간\u{a0}20분 후 시작) 전에 끝나는 작업이면 지금 시작");
        assert_eq!(
            answer_text(Locale::En, &a),
            "Starts now if it ends before the maintenance in 3\u{a0}h\u{a0}20\u{a0}min"
        );
    }
}
