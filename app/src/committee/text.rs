//! The committee's words in one language ([`Text`]): the programme's strings
//! (then the shared ones), the allocation domain's labels, pools by the
//! names the session gives them, amounts with their unit. No Leptos: the
//! committee's pages render HTML from their model (`super::view`).

use kairr_shared::advisor::{Region, Sector};
use kairr_shared::allocation::{FairnessMetric, PoolUnit, RequestState, Role, RoundStage};
use kairr_shared::i18n::{fill, t, t_programme, Locale, Named};

/// The committee's words in one language, with the catalogue's pool names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    pub loc: Locale,
    /// The pools by id with their names (`SessionInfo.pools`).
    pub pools: Vec<Named>,
}

impl Text {
    /// The string of `key` (the programme's pair, then the shared one; the key itself when neither has it).
    pub fn t(&self, key: &str) -> String {
        t_programme(self.loc, key).unwrap_or_else(|| t(self.loc, key))
    }

    /// [`Text::t`] with each `{name}` filled.
    pub fn f(&self, key: &str, args: &[(&str, String)]) -> String {
        fill(self.t(key), args)
    }

    /// A label standing alone (English capitalised).
    fn label(&self, ko: &str, en: &str) -> String {
        kairr_shared::display::format::label(self.loc, ko, en)
    }

    /// A bilingual pair from the API, the other language when this one is empty.
    pub fn pick(&self, ko: &str, en: &str) -> String {
        let chosen = self.loc.pick(ko, en);
        if chosen.is_empty() {
            if ko.is_empty() { en } else { ko }.to_owned()
        } else {
            chosen.to_owned()
        }
    }

    pub fn sector(&self, s: Sector) -> String {
        self.label(s.label_ko(), s.label_en())
    }

    pub fn region(&self, r: Region) -> String {
        self.label(r.label_ko(), r.label_en())
    }

    pub fn role(&self, r: Role) -> String {
        self.label(r.label_ko(), r.label_en())
    }

    pub fn state(&self, s: RequestState) -> String {
        self.label(s.label_ko(), s.label_en())
    }

    /// A round's lifecycle stage.
    pub fn stage(&self, s: RoundStage) -> String {
        self.t(&format!("programme.stage.{}", s.as_str()))
    }

    /// A pool unit's name ("서버(8 GPU)" / "servers (8 GPUs)").
    pub fn unit(&self, u: PoolUnit) -> String {
        self.loc.pick(u.label_ko(), u.label_en()).to_owned()
    }

    /// "서버 12대" / "12 servers".
    pub fn amount(&self, n: u64, u: PoolUnit) -> String {
        u.amount(self.loc, n)
    }

    /// Pool `id`'s name as the catalogue names it; its id when unknown.
    pub fn pool(&self, id: &str) -> String {
        match self.pools.iter().find(|p| p.id == id) {
            Some(p) => kairr_shared::display::labels::pool_name(self.loc, id, &p.name_ko, &p.name_en),
            None => id.to_owned(),
        }
    }

    pub fn metric(&self, m: FairnessMetric) -> String {
        self.loc.pick(m.label_ko(), m.label_en()).to_owned()
    }

    pub fn metric_definition(&self, m: FairnessMetric) -> String {
        self.loc.pick(m.definition_ko(), m.definition_en()).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_come_from_the_programme_then_the_shared_pair_in_the_chosen_language() {
        let ko = Text { loc: Locale::Ko, pools: vec![] };
        let en = Text { loc: Locale::En, ..ko.clone() };
        assert_ne!(ko.t("programme.pools.title"), "programme.pools.title");
        assert_ne!(ko.t("programme.pools.title"), en.t("programme.pools.title"));
        assert_ne!(en.t("common.loading"), "common.loading", "the shared pair");
        assert_eq!(en.pick("", "B"), "B");
        assert_eq!(en.pick("가", ""), "가", "the other language when one is empty");
        assert_eq!(en.pool("unknown-pool"), "unknown-pool");
    }
}
