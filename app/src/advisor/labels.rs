//! Wizard text built from engine values: pool and site names from the
//! catalogue, enum labels, hours, KRW, kWh, wait bands and what-if changes,
//! in the current language.

use kairr_shared::advisor::what_if::WhatIf;
use kairr_shared::advisor::WaitBand;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::i18n::Locale;

use crate::common::format::{duration, fixed, thousands};
use crate::common::i18n::{current_locale, tr, trf};

/// "System · pool" in the current language (the pool id when unknown).
pub fn pool_name(cat: Option<&Catalogue>, pool_id: &str) -> String {
    let loc = current_locale();
    cat.and_then(|c| c.pools().find(|(_, p)| p.id == pool_id))
        .map(|(s, p)| format!("{} · {}", loc.pick(&s.name_ko, &s.name_en), loc.pick(&p.name_ko, &p.name_en)))
        .unwrap_or_else(|| pool_id.to_owned())
}

/// The name of data site `site` (the system hosting it) in the current language.
pub fn site_name(cat: Option<&Catalogue>, site: &str) -> String {
    let loc = current_locale();
    cat.and_then(|c| c.pools().find(|(_, p)| p.placement.site == site))
        .map(|(s, _)| loc.pick(&s.name_ko, &s.name_en).to_owned())
        .unwrap_or_else(|| site.to_owned())
}

/// Picks an engine label pair in the current language.
pub fn pick(ko: &'static str, en: &'static str) -> String {
    current_locale().pick(ko, en).to_owned()
}

/// A label standing alone (a choice, a column): [`pick`], English capitalised
/// ("Fine-tuning", "University"); running text keeps the lower-case word.
pub fn label(ko: &'static str, en: &'static str) -> String {
    kairr_shared::display::format::label(current_locale(), ko, en)
}

/// Picks a Korean/English pair of owned strings in `loc`.
pub fn pick_owned(loc: Locale, ko: &str, en: &str) -> String {
    loc.pick(ko, en).to_owned()
}

/// Hours as "6시간 12분" / "6 h 12 min".
pub fn hours(h: f64) -> String {
    duration((h.max(0.0) * 3_600.0).round() as u64)
}

/// "1,234,567원" / "KRW 1,234,567".
pub fn krw(x: f64) -> String {
    trf("advisor.unit.krw", &[("n", thousands(x.max(0.0).round() as u64))])
}

/// "1,234 kWh".
pub fn kwh(x: f64) -> String {
    format!("{}\u{a0}kWh", fixed(x, 0))
}

/// GPU-hours with thousands separators.
pub fn gpu_hours(x: f64) -> String {
    trf("advisor.unit.gpu_hours", &[("n", fixed(x, 0))])
}

/// "중앙값 3시간 (p10 1시간 – p90 9시간)".
pub fn wait_band(b: &WaitBand) -> String {
    if b.p90_seconds == 0 {
        return tr("advisor.wait.none");
    }
    let h = |s: u64| duration(s);
    let args = [("p50", h(b.p50_seconds)), ("p10", h(b.p10_seconds)), ("p90", h(b.p90_seconds))];
    trf("advisor.wait.band", &args)
}

/// What a what-if row changes, in words.
pub fn what_if(cat: Option<&Catalogue>, change: Option<&WhatIf>, gpus: u32) -> String {
    match change {
        None => tr("advisor.whatif.as_entered"),
        Some(WhatIf::DoubleGpus) => trf("advisor.whatif.double_gpus", &[("n", thousands(u64::from(gpus)))]),
        Some(WhatIf::HalveGpus) => trf("advisor.whatif.halve_gpus", &[("n", thousands(u64::from(gpus)))]),
        Some(WhatIf::Checkpointing { on: true }) => tr("advisor.whatif.checkpointing_on"),
        Some(WhatIf::Checkpointing { on: false }) => tr("advisor.whatif.checkpointing_off"),
        Some(WhatIf::DataAt { site }) => trf("advisor.whatif.data_at", &[("site", site_name(cat, site))]),
    }
}

/// A reason in `loc` (only that language is formatted).
pub fn reason_text(loc: Locale, r: &kairr_shared::advisor::Reason) -> String {
    match loc {
        Locale::Ko => r.ko(),
        Locale::En => r.en(),
    }
}
