//! Wizard text in the page's language ([`Text`]): its strings (the
//! `advisor.*` pair, then the shared one), and text built from engine
//! values: pool and site names from the catalogue, enum labels, hours, KRW,
//! kWh, wait bands and what-if changes.

use kairr_shared::advisor::what_if::WhatIf;
use kairr_shared::advisor::{Reason, WaitBand};
use kairr_shared::catalogue::Catalogue;
use kairr_shared::display::format::{duration, fixed, thousands};
use kairr_shared::i18n::{fill, t, t_advisor, Locale};

/// The wizard's words in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub loc: Locale,
}

impl Text {
    /// The string of `key` (the wizard's pair, then the shared one; the key itself when neither has it).
    pub fn t(self, key: &str) -> String {
        t_advisor(self.loc, key).unwrap_or_else(|| t(self.loc, key))
    }

    /// [`Text::t`] with each `{name}` filled.
    pub fn f(self, key: &str, args: &[(&str, String)]) -> String {
        fill(self.t(key), args)
    }

    /// An engine label pair in this language.
    pub fn pick(self, ko: &str, en: &str) -> String {
        self.loc.pick(ko, en).to_owned()
    }

    /// A label standing alone (a choice, a column): [`Text::pick`], English
    /// capitalised ("Fine-tuning"); running text keeps the lower-case word.
    pub fn label(self, ko: &'static str, en: &'static str) -> String {
        kairr_shared::display::format::label(self.loc, ko, en)
    }

    /// "System · pool" (the pool id when the catalogue does not know it).
    pub fn pool_name(self, cat: Option<&Catalogue>, pool_id: &str) -> String {
        cat.and_then(|c| c.pools().find(|(_, p)| p.id == pool_id))
            .map(|(s, p)| format!("{} · {}", self.pick(&s.name_ko, &s.name_en), self.pick(&p.name_ko, &p.name_en)))
            .unwrap_or_else(|| pool_id.to_owned())
    }

    /// The name of data site `site` (the system hosting it).
    pub fn site_name(self, cat: Option<&Catalogue>, site: &str) -> String {
        cat.and_then(|c| c.pools().find(|(_, p)| p.placement.site == site))
            .map(|(s, _)| self.pick(&s.name_ko, &s.name_en))
            .unwrap_or_else(|| site.to_owned())
    }

    /// Hours as "6시간 12분" / "6 h 12 min".
    pub fn hours(self, h: f64) -> String {
        duration(self.loc, (h.max(0.0) * 3_600.0).round() as u64)
    }

    /// "1,234,567원" / "KRW 1,234,567".
    pub fn krw(self, x: f64) -> String {
        self.f("advisor.unit.krw", &[("n", thousands(x.max(0.0).round() as u64))])
    }

    /// GPU-hours with thousands separators.
    pub fn gpu_hours(self, x: f64) -> String {
        self.f("advisor.unit.gpu_hours", &[("n", fixed(x, 0))])
    }

    /// "중앙값 3시간 (p10 1시간 – p90 9시간)".
    pub fn wait_band(self, b: &WaitBand) -> String {
        if b.p90_seconds == 0 {
            return self.t("advisor.wait.none");
        }
        let h = |s: u64| duration(self.loc, s);
        self.f("advisor.wait.band", &[("p50", h(b.p50_seconds)), ("p10", h(b.p10_seconds)), ("p90", h(b.p90_seconds))])
    }

    /// What a what-if row changes, in words.
    pub fn what_if(self, cat: Option<&Catalogue>, change: Option<&WhatIf>, gpus: u32) -> String {
        match change {
            None => self.t("advisor.whatif.as_entered"),
            Some(WhatIf::DoubleGpus) => self.f("advisor.whatif.double_gpus", &[("n", thousands(u64::from(gpus)))]),
            Some(WhatIf::HalveGpus) => self.f("advisor.whatif.halve_gpus", &[("n", thousands(u64::from(gpus)))]),
            Some(WhatIf::Checkpointing { on: true }) => self.t("advisor.whatif.checkpointing_on"),
            Some(WhatIf::Checkpointing { on: false }) => self.t("advisor.whatif.checkpointing_off"),
            Some(WhatIf::DataAt { site }) => self.f("advisor.whatif.data_at", &[("site", self.site_name(cat, site))]),
        }
    }

    /// An engine reason (only this language is formatted).
    pub fn reason(self, r: &Reason) -> String {
        match self.loc {
            Locale::Ko => r.ko(),
            Locale::En => r.en(),
        }
    }
}

/// "1,234 kWh".
pub fn kwh(x: f64) -> String {
    format!("{}\u{a0}kWh", fixed(x, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wizard_pair_comes_first_and_figures_keep_their_units() {
        let ko = Text { loc: Locale::Ko };
        let en = Text { loc: Locale::En };
        assert_ne!(ko.t("advisor.title"), "advisor.title");
        assert_ne!(ko.t("advisor.title"), en.t("advisor.title"));
        assert_eq!(ko.t("no.such.key"), "no.such.key");
        assert_eq!(kwh(1234.4), "1,234\u{a0}kWh");
        assert!(en.krw(1_234_567.0).contains("1,234,567"));
        assert_eq!(en.pool_name(None, "kakao-b200"), "kakao-b200");
    }
}
