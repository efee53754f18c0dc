//! Names of the allocation domain's values in the current language, from the
//! ko/en labels `kairr_shared` defines (sectors, regions, units, states,
//! roles, fairness metrics), pools by the names the session gives them, and
//! amounts with their unit.

use kairr_shared::advisor::{Region, Sector};
use kairr_shared::allocation::{FairnessMetric, PoolUnit, RequestState, Role};

use leptos::prelude::*;

use crate::common::i18n::{current_locale, tr};

/// A label standing alone in the current language (English capitalised).
fn label(ko: &str, en: &str) -> String {
    kairr_shared::display::format::label(current_locale(), ko, en)
}

/// A sector's name.
pub fn sector(s: Sector) -> String {
    label(s.label_ko(), s.label_en())
}

/// A region's name.
pub fn region(r: Region) -> String {
    label(r.label_ko(), r.label_en())
}

/// A pool unit's name ("서버(8 GPU)" / "servers (8 GPUs)").
pub fn unit(u: PoolUnit) -> String {
    current_locale().pick(u.label_ko(), u.label_en()).to_owned()
}

/// Pool `id`'s name ("카카오클라우드 GPU · B200 정부 풀 (Kubeflow)"), as the
/// session names the catalogue's pools; its id when the catalogue no longer
/// has it (or before the session is known).
pub fn pool(id: &str) -> String {
    let loc = current_locale();
    crate::programme::session::use_session()
        .info
        .with(|i| i.as_ref().map_or_else(|| id.to_owned(), |i| i.pool_name(loc, id)))
}

/// "서버 12대" / "12 servers": an amount with its unit (`PoolUnit::amount`).
pub fn amount(n: u64, u: PoolUnit) -> String {
    u.amount(current_locale(), n)
}

/// A request state's name.
pub fn state(s: RequestState) -> String {
    label(s.label_ko(), s.label_en())
}

/// A role's name.
/// A round's lifecycle stage.
pub fn stage(s: kairr_shared::allocation::RoundStage) -> String {
    tr(&format!("programme.stage.{}", s.as_str()))
}

pub fn role(r: Role) -> String {
    label(r.label_ko(), r.label_en())
}

/// A fairness metric's name.
pub fn metric(m: FairnessMetric) -> String {
    current_locale().pick(m.label_ko(), m.label_en()).to_owned()
}

/// A fairness metric's one-line definition.
pub fn metric_definition(m: FairnessMetric) -> String {
    current_locale().pick(m.definition_ko(), m.definition_en()).to_owned()
}

/// A bilingual pair from the API (`label_ko`/`label_en`, `title_ko`/`title_en`),
/// falling back to the other language when one is empty.
pub fn pick(ko: &str, en: &str) -> String {
    let chosen = current_locale().pick(ko, en);
    if chosen.is_empty() {
        if ko.is_empty() { en } else { ko }.to_owned()
    } else {
        chosen.to_owned()
    }
}
