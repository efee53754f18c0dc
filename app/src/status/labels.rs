//! Translated names of the API's enums and of the start-now answers:
//! [`kairr_shared::display::labels`] in the current UI language.

use kairr_shared::api::{DataSource, IncidentState, MaintenanceState, SystemKind};
use kairr_shared::display::labels as l;
pub use kairr_shared::display::labels::{answer_gpus, answer_kind};
use kairr_shared::start_now::StartAnswer;
use kairr_shared::status::Status;

use crate::common::i18n::current_locale;

/// Short status label for badges ("정상", "점검 중", …).
pub fn status(s: Status) -> String {
    l::status(current_locale(), s)
}

/// The overall banner sentence ("모든 시스템 정상", …).
pub fn overall(s: Status) -> String {
    l::overall(current_locale(), s)
}

/// "HPC" / "클라우드".
pub fn kind(k: SystemKind) -> String {
    l::kind(current_locale(), k)
}

/// Where a system's figures come from: "데이터: 데모" / "Data: Slurm".
pub fn source(s: DataSource) -> String {
    l::source(current_locale(), s)
}

/// "조사 중", "원인 파악", "모니터링", "해결".
pub fn incident_state(s: IncidentState) -> String {
    l::incident_state(current_locale(), s)
}

/// "진행 중" / "예정" / "완료".
pub fn maintenance_state(s: MaintenanceState) -> String {
    l::maintenance_state(current_locale(), s)
}

/// The answer in words ("지금 바로 시작 가능", …).
pub fn answer_text(a: &StartAnswer) -> String {
    l::answer_text(current_locale(), a)
}
