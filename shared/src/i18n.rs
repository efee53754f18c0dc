//! UI strings in Korean (default) and English, from `shared/locales/*.json`.
//!
//! Every user-visible string of the front end is a key here; the tests fail
//! when a key is missing in either language or when the app uses a key that
//! no locale defines.
//!
//! The placement wizard's strings (`advisor.*`) live in their own pair,
//! `locales/advisor/{ko,en}.json`, reached only through [`t_advisor`]: the
//! status page's wasm never references them, so they stay out of its size budget.
//! The allocation programme's strings (`programme.*`: the public allocations
//! page, sign-in, the committee overview and researchers' requests) are a third
//! pair, `locales/programme/{ko,en}.json`, reached only through [`t_programme`].

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const KO_JSON: &str = include_str!("../locales/ko.json");
const EN_JSON: &str = include_str!("../locales/en.json");
const ADVISOR_KO_JSON: &str = include_str!("../locales/advisor/ko.json");
const ADVISOR_EN_JSON: &str = include_str!("../locales/advisor/en.json");
const PROGRAMME_KO_JSON: &str = include_str!("../locales/programme/ko.json");
const PROGRAMME_EN_JSON: &str = include_str!("../locales/programme/en.json");
const STATUS_KO_JSON: &str = include_str!("../locales/status/ko.json");
const STATUS_EN_JSON: &str = include_str!("../locales/status/en.json");
const ADMIN_KO_JSON: &str = include_str!("../locales/admin/ko.json");
const ADMIN_EN_JSON: &str = include_str!("../locales/admin/en.json");

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Korean, the default.
    #[default]
    Ko,
    En,
}

impl Locale {
    /// BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }

    /// Parses a stored tag; anything unknown is `None`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        match tag {
            "ko" => Some(Locale::Ko),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The other language (for the toggle).
    pub fn other(self) -> Locale {
        match self {
            Locale::Ko => Locale::En,
            Locale::En => Locale::Ko,
        }
    }

    /// Picks the Korean or English variant of a pair of strings.
    pub fn pick<'a>(self, ko: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::Ko => ko,
            Locale::En => en,
        }
    }
}

/// An id and the name people know it by, in Korean and English: a sign-in
/// provider ([`crate::identity::SignInProvider`]), a catalogue pool
/// ([`crate::catalogue::PoolName`]). One type, so the apps decode both with
/// the same code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Named {
    /// A sign-in provider's id in its paths (`/api/v1/auth/oidc/{id}/start`),
    /// a pool's catalogue id (`kakao-b200`).
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
}

type Table = HashMap<String, String>;

fn table(locale: Locale) -> &'static Table {
    static KO: OnceLock<Table> = OnceLock::new();
    static EN: OnceLock<Table> = OnceLock::new();
    let (cell, text) = match locale {
        Locale::Ko => (&KO, KO_JSON),
        Locale::En => (&EN, EN_JSON),
    };
    // The files are part of the build and checked by the tests below; a broken
    // file shows keys instead of text rather than taking the page down.
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or_default())
}

fn advisor_table(locale: Locale) -> &'static Table {
    static KO: OnceLock<Table> = OnceLock::new();
    static EN: OnceLock<Table> = OnceLock::new();
    let (cell, text) = match locale {
        Locale::Ko => (&KO, ADVISOR_KO_JSON),
        Locale::En => (&EN, ADVISOR_EN_JSON),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or_default())
}

/// The placement wizard's text for `key` in `locale`, if that pair defines it.
pub fn t_advisor(locale: Locale, key: &str) -> Option<String> {
    advisor_table(locale).get(key).cloned()
}

fn programme_table(locale: Locale) -> &'static Table {
    static KO: OnceLock<Table> = OnceLock::new();
    static EN: OnceLock<Table> = OnceLock::new();
    let (cell, text) = match locale {
        Locale::Ko => (&KO, PROGRAMME_KO_JSON),
        Locale::En => (&EN, PROGRAMME_EN_JSON),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or_default())
}

/// The allocation programme's text for `key` in `locale`, if that pair defines it.
pub fn t_programme(locale: Locale, key: &str) -> Option<String> {
    programme_table(locale).get(key).cloned()
}

fn admin_table(locale: Locale) -> &'static Table {
    static KO: OnceLock<Table> = OnceLock::new();
    static EN: OnceLock<Table> = OnceLock::new();
    let (cell, text) = match locale {
        Locale::Ko => (&KO, ADMIN_KO_JSON),
        Locale::En => (&EN, ADMIN_EN_JSON),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or_default())
}

/// The administration's text for `key` in `locale` (its own `admin.*` pair,
/// then the programme's, whose frame it shares), if either defines it. A
/// pair of its own keeps the admins' strings out of the public programme's wasm.
pub fn t_admin(locale: Locale, key: &str) -> Option<String> {
    admin_table(locale).get(key).cloned().or_else(|| t_programme(locale, key))
}

fn status_table(locale: Locale) -> &'static Table {
    static KO: OnceLock<Table> = OnceLock::new();
    static EN: OnceLock<Table> = OnceLock::new();
    let (cell, text) = match locale {
        Locale::Ko => (&KO, STATUS_KO_JSON),
        Locale::En => (&EN, STATUS_EN_JSON),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or_default())
}

/// The status page's text for `key` in `locale` (systems, pools, uptime,
/// incidents, maintenance, start-now answers), if that pair defines it: a
/// pair of its own keeps them out of the other apps' wasm.
pub fn t_status(locale: Locale, key: &str) -> Option<String> {
    status_table(locale).get(key).cloned()
}

/// [`t_status`], else [`t`]: for the status words of [`crate::display`].
pub fn ts(locale: Locale, key: &str) -> String {
    t_status(locale, key).unwrap_or_else(|| t(locale, key))
}

/// Like [`ts`], replacing each `{name}` with its value.
pub fn tfs(locale: Locale, key: &str, args: &[(&str, String)]) -> String {
    fill(ts(locale, key), args)
}

/// A document title: the page's name, then the site's ("심사 현황 · KAIRR 자원 배분"),
/// so tabs, history and bookmarks tell the portal's pages apart. The server's
/// first views and the apps write titles through this one function.
pub fn page_title(page: &str, site: &str) -> String {
    format!("{page} · {site}")
}

/// The text for `key` in `locale`; the key itself when it is missing.
pub fn t(locale: Locale, key: &str) -> String {
    table(locale).get(key).cloned().unwrap_or_else(|| key.to_owned())
}

/// Like [`t`], replacing each `{name}` with its value.
pub fn tf(locale: Locale, key: &str, args: &[(&str, String)]) -> String {
    fill(t(locale, key), args)
}

/// The allocation programme's text for `key` (the shared text when its pair
/// does not define it), each `{name}` replaced with its value.
pub fn tf_programme(locale: Locale, key: &str, args: &[(&str, String)]) -> String {
    fill(t_programme(locale, key).unwrap_or_else(|| t(locale, key)), args)
}

/// `s` with each `{name}` replaced with its value, each `{name|one|other}`
/// with the word for its count (`one` when the value is 1), and each Korean particle
/// written as a pair after a placeholder (`을(를)`, `은(는)`, `이(가)`,
/// `와(과)`) settled by the word it follows.
#[inline(never)] // one copy in the apps' wasm, not one per caller
pub fn fill(mut s: String, args: &[(&str, String)]) -> String {
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
        // `{name|one|other}`: the word for the count (English plurals: "1 node", "2 nodes").
        let open = format!("{{{name}|");
        while let Some(at) = s.find(&open) {
            let Some(len) = s[at..].find('}') else { break };
            let inner = &s[at + open.len()..at + len];
            let (one, other) = inner.split_once('|').unwrap_or((inner, inner));
            let word = if value.trim() == "1" { one } else { other }.to_owned();
            s.replace_range(at..=at + len, &word);
        }
    }
    settle_particles(&s)
}

/// The particle pairs of Korean text settled by the syllable before each:
/// one with a final consonant (받침) takes the first form (`책을`), one
/// without the second (`회차를`). Digits and Latin letters are read as
/// Koreans read them (`1` 일, `3` 삼; `L` 엘, `M` 엠, `N` 엔, `R` 알).
#[inline(never)]
pub fn settle_particles(s: &str) -> String {
    const PAIRS: [(&str, &str, &str); 4] =
        [("을(를)", "을", "를"), ("은(는)", "은", "는"), ("이(가)", "이", "가"), ("와(과)", "과", "와")];
    if !PAIRS.iter().any(|(pair, _, _)| s.contains(pair)) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'scan: while !rest.is_empty() {
        for (pair, with_final, without) in PAIRS {
            if let Some(tail) = rest.strip_prefix(pair) {
                // Past closing quotes and brackets: `'KAIST'은(는)` reads KAIST.
                let closed = out
                    .chars()
                    .rev()
                    .find(|c| !matches!(c, '\'' | '"' | '’' | '”' | ')' | ']' | '»' | '」' | '』'))
                    .filter(|c| !c.is_whitespace())
                    .map(has_final_consonant);
                out.push_str(match closed {
                    Some(true) => with_final,
                    Some(false) => without,
                    None => pair,
                });
                rest = tail;
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// Whether `c`, read aloud in Korean, ends in a consonant (받침).
fn has_final_consonant(c: char) -> bool {
    match c {
        '가'..='힣' => (u32::from(c) - 0xAC00) % 28 != 0,
        '0' | '1' | '3' | '6' | '7' | '8' => true, // 영 일 삼 육 칠 팔
        'l' | 'm' | 'n' | 'r' | 'L' | 'M' | 'N' | 'R' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(text: &str) -> BTreeSet<String> {
        let t: Table = serde_json::from_str(text).expect("locale file is a flat JSON object of strings");
        t.into_keys().collect()
    }

    #[test]
    fn korean_particles_follow_the_word_before_them() {
        let f = |text: &str, v: &str| fill(text.to_owned(), &[("x", v.to_owned())]);
        assert_eq!(f("{x}을(를) 바꾸었습니다.", "회차"), "회차를 바꾸었습니다.");
        assert_eq!(f("{x}을(를) 저장했습니다.", "부산대학교"), "부산대학교를 저장했습니다.");
        assert_eq!(f("{x}을(를) 저장했습니다.", "한국과학기술원"), "한국과학기술원을 저장했습니다.");
        assert_eq!(f("회차 {x}을(를)", "2026-1"), "회차 2026-1을", "1 is read 일");
        assert_eq!(f("회차 {x}을(를)", "2026-2"), "회차 2026-2를", "2 is read 이");
        assert_eq!(f("{x}은(는) 조건을", "KISTI-6"), "KISTI-6은 조건을");
        assert_eq!(f("{x}은(는) 조건을", "NHN B200"), "NHN B200은 조건을");
        assert_eq!(f("{x}와(과) 동점", "KAIST"), "KAIST와 동점");
        assert_eq!(f("{x}와(과) 동점", "네이버 클라우드 H200"), "네이버 클라우드 H200과 동점");
        assert_eq!(f("{x}이(가) 끝났습니다", "점검"), "점검이 끝났습니다");
        assert_eq!(fill("을(를) 앞에 말이 없으면 그대로".to_owned(), &[]), "을(를) 앞에 말이 없으면 그대로");
        assert_eq!(f("'{x}'은(는) 이미", "카이스트"), "'카이스트'는 이미");
        assert_eq!(f("«{x}»을(를)", "기후 모델"), "«기후 모델»을");
        let nodes = |n: &str| fill("{n} {n|node|nodes}".to_owned(), &[("n", n.to_owned())]);
        assert_eq!(
            (nodes("1"), nodes("2"), nodes("1,024"), nodes("0")),
            ("1 node".into(), "2 nodes".into(), "1,024 nodes".into(), "0 nodes".into())
        );
        assert_eq!(
            fill("{g} {g|GPU|GPUs} ({n} {n|node|nodes})".to_owned(), &[("g", "8".into()), ("n", "1".into())]),
            "8 GPUs (1 node)"
        );
        assert_eq!(fill("Saved {x}.".to_owned(), &[("x", "KAIST".into())]), "Saved KAIST.");
    }

    #[test]
    fn both_locales_define_the_same_keys() {
        for (ko, en) in [
            (KO_JSON, EN_JSON),
            (ADVISOR_KO_JSON, ADVISOR_EN_JSON),
            (PROGRAMME_KO_JSON, PROGRAMME_EN_JSON),
            (ADMIN_KO_JSON, ADMIN_EN_JSON),
            (STATUS_KO_JSON, STATUS_EN_JSON),
        ] {
            let ko = keys(ko);
            let en = keys(en);
            let only_ko: Vec<_> = ko.difference(&en).collect();
            let only_en: Vec<_> = en.difference(&ko).collect();
            assert!(only_ko.is_empty() && only_en.is_empty(), "missing in en: {only_ko:?}; missing in ko: {only_en:?}");
        }
    }

    #[test]
    fn the_wizard_pair_holds_exactly_the_advisor_keys() {
        assert!(keys(ADVISOR_KO_JSON).iter().all(|k| k.starts_with("advisor.")));
        assert!(!keys(KO_JSON).iter().any(|k| k.starts_with("advisor.")));
        assert_eq!(t_advisor(Locale::En, "advisor.title").as_deref(), Some("Placement advisor"));
    }

    #[test]
    fn the_programme_pair_holds_exactly_the_programme_keys() {
        assert!(keys(PROGRAMME_KO_JSON).iter().all(|k| k.starts_with("programme.")));
        assert!(!keys(KO_JSON).iter().any(|k| k.starts_with("programme.")));
        assert!(!keys(ADVISOR_KO_JSON).iter().any(|k| k.starts_with("programme.")));
        assert_eq!(t_programme(Locale::En, "programme.login.title").as_deref(), Some("Sign in"));
        assert_eq!(t_programme(Locale::Ko, "advisor.title"), None);
    }

    #[test]
    fn the_status_pair_is_apart_from_the_common_strings() {
        let status = keys(STATUS_KO_JSON);
        for other in [KO_JSON, ADVISOR_KO_JSON, PROGRAMME_KO_JSON, ADMIN_KO_JSON] {
            assert!(keys(other).is_disjoint(&status));
        }
        assert_eq!(ts(Locale::En, "status.operational"), "Operational");
        assert_eq!(ts(Locale::Ko, "nav.status"), t(Locale::Ko, "nav.status"), "falls back to the common strings");
        assert_eq!(t(Locale::En, "status.operational"), "status.operational", "not in the common pair");
    }

    #[test]
    fn the_admin_pair_holds_exactly_the_admin_keys_and_falls_back_to_the_programme() {
        assert!(keys(ADMIN_KO_JSON).iter().all(|k| k.starts_with("admin.")));
        for other in [KO_JSON, ADVISOR_KO_JSON, PROGRAMME_KO_JSON] {
            assert!(!keys(other).iter().any(|k| k.starts_with("admin.")));
        }
        assert_eq!(t_admin(Locale::En, "admin.people.title").as_deref(), Some("People"));
        assert_eq!(t_admin(Locale::En, "programme.login.title").as_deref(), Some("Sign in"));
        assert_eq!(t_programme(Locale::En, "admin.people.title"), None);
    }

    #[test]
    fn no_locale_string_is_empty() {
        let files = [
            ("ko", KO_JSON),
            ("en", EN_JSON),
            ("advisor/ko", ADVISOR_KO_JSON),
            ("advisor/en", ADVISOR_EN_JSON),
            ("programme/ko", PROGRAMME_KO_JSON),
            ("programme/en", PROGRAMME_EN_JSON),
            ("admin/ko", ADMIN_KO_JSON),
            ("admin/en", ADMIN_EN_JSON),
            ("status/ko", STATUS_KO_JSON),
            ("status/en", STATUS_EN_JSON),
        ];
        for (name, text) in files {
            let t: Table = serde_json::from_str(text).unwrap();
            let empty: Vec<_> = t.iter().filter(|(_, v)| v.trim().is_empty()).map(|(k, _)| k).collect();
            assert!(empty.is_empty(), "{name}: empty strings for {empty:?}");
        }
    }

    /// Scans the front end's sources for `t(…, "key")`/`tf(…, "key", …)`/`tr("key")` calls.
    #[test]
    fn every_key_the_app_uses_is_defined() {
        let mut defined = keys(KO_JSON);
        defined.extend(keys(ADVISOR_KO_JSON));
        defined.extend(keys(PROGRAMME_KO_JSON));
        defined.extend(keys(ADMIN_KO_JSON));
        defined.extend(keys(STATUS_KO_JSON));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
        let mut missing = Vec::new();
        let mut used = 0;
        for path in rust_files(&root) {
            let src = std::fs::read_to_string(&path).unwrap();
            for key in used_keys(&src) {
                used += 1;
                if !defined.contains(&key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
        if root.exists() {
            assert!(used > 0, "the scan found no keys at all: the pattern is out of date");
        }
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(rust_files(&p));
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
        out
    }

    /// Keys are string literals of the form `"section.name"` passed to `tr(`,
    /// `t(` or `tf(`: the first literal after the opening parenthesis.
    fn used_keys(src: &str) -> Vec<String> {
        let mut out = Vec::new();
        for pat in ["tr(\"", "t(loc, \"", "tf(loc, \"", "trf(\""] {
            let mut rest = src;
            while let Some(i) = rest.find(pat) {
                rest = &rest[i + pat.len()..];
                if let Some(end) = rest.find('"') {
                    out.push(rest[..end].to_owned());
                }
            }
        }
        out
    }

    #[test]
    fn every_api_error_code_reads_in_both_languages() {
        for (name, text) in [("ko", KO_JSON), ("en", EN_JSON)] {
            let defined = keys(text);
            let missing: Vec<_> =
                crate::api::API_ERROR_CODES.iter().filter(|c| !defined.contains(&format!("error.code.{c}"))).collect();
            assert!(missing.is_empty(), "{name}.json lacks error.code.* for {missing:?}");
        }
        let e = crate::api::ApiError {
            error: "over_capacity".into(),
            field: Some("amount".into()),
            message: "amount 4020 exceeds the 40 left".into(),
            fields: Vec::new(),
        };
        let ko = crate::display::labels::api_error(Locale::Ko, &e);
        assert!(ko.contains("용량"), "{ko}");
        let unknown = crate::api::ApiError { error: "from_a_newer_server".into(), ..e };
        assert_eq!(crate::display::labels::api_error(Locale::Ko, &unknown), unknown.message);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(tf(Locale::En, "test.placeholder", &[("n", "3".into())]), "3 GPUs");
        assert_eq!(tf(Locale::En, "test.placeholder", &[("n", "1".into())]), "1 GPU");
        assert_eq!(tf(Locale::Ko, "test.placeholder", &[("n", "3".into())]), "GPU 3개");
        assert_eq!(t(Locale::En, "no.such.key"), "no.such.key");
    }
}
