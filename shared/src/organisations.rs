//! The organisations directory (issue 10 §1): every organisation a person can
//! belong to, with its Korean and English names, aliases, sector and region.
//! Seeded from `data/organisations.json` and maintained by admins. A person's
//! organisation is a directory entry, and a request's is its applicant's, so
//! the conflict-of-interest checks and the organisation cap compare directory
//! ids instead of free text ("KAIST" and "한국과학기술원" are one organisation).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::FieldErrorCode as Code;
use crate::advisor::{Region, Sector};
use crate::allocation::audit::{AuditAction, AuditSubject};
use crate::allocation::form::Form;
use crate::allocation::usecase::{AuditRecord, Refusal};
use crate::auth::UserInfo;
use crate::people::{PeoplePlan, PersonWrite};

/// Korea's first-level divisions (시·도), by the codes the directory stores.
pub const PROVINCES: &[&str] = &[
    "seoul",
    "busan",
    "daegu",
    "incheon",
    "gwangju",
    "daejeon",
    "ulsan",
    "sejong",
    "gyeonggi",
    "gangwon",
    "chungbuk",
    "chungnam",
    "jeonbuk",
    "jeonnam",
    "gyeongbuk",
    "gyeongnam",
    "jeju",
];

/// The provinces of the capital region (수도권), as the allocation policy counts it.
const CAPITAL_REGION: &[&str] = &["seoul", "incheon", "gyeonggi"];

/// Most aliases one organisation has.
pub const MAX_ALIASES: usize = 20;

/// One organisation of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    /// Stable identifier: 2-40 characters of `a-z 0-9 -`, never changed.
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
    /// Other names people use (abbreviations, former names); matched like the names.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub sector: Sector,
    /// A [`PROVINCES`] code.
    pub province: String,
    /// Fictional, part of the demo data (seeded only with the demo).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

impl Organisation {
    /// Capital region or not, from the province.
    pub fn region(&self) -> Region {
        if CAPITAL_REGION.contains(&self.province.as_str()) {
            Region::Capital
        } else {
            Region::NonCapital
        }
    }

    /// Whether `name` is one of this organisation's names or aliases.
    pub fn is_called(&self, name: &str) -> bool {
        let k = name_key(name);
        !k.is_empty() && self.names().any(|n| name_key(n) == k)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        [self.name_ko.as_str(), self.name_en.as_str()].into_iter().chain(self.aliases.iter().map(String::as_str))
    }
}

/// `POST /api/v1/admin/organisations` and `PUT …/{id}`: an organisation as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrganisationInput {
    /// Only when creating (an id never changes).
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
    pub aliases: Vec<String>,
    /// A [`Sector`] name.
    pub sector: String,
    /// A [`PROVINCES`] code.
    pub province: String,
}

/// A name compared without case, spaces, dots and the `(주)`/`주식회사` company markers.
pub fn name_key(s: &str) -> String {
    s.replace("(주)", "")
        .replace("주식회사", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// An organisation as a request or a person names it: its directory id when
/// it has one, and the name shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgRef<'a> {
    pub id: Option<&'a str>,
    pub name: &'a str,
}

impl<'a> OrgRef<'a> {
    pub fn new(id: Option<&'a str>, name: &'a str) -> Self {
        OrgRef { id, name }
    }

    /// Whether two references denote one organisation: by id when both have
    /// one, else by name (records from before the directory).
    pub fn same(self, other: OrgRef<'_>) -> bool {
        match (self.id, other.id) {
            (Some(a), Some(b)) => a == b,
            _ => {
                let (a, b) = (name_key(self.name), name_key(other.name));
                !a.is_empty() && a == b
            }
        }
    }

    /// The key to group by (caps, fairness): the id, else the compared name.
    pub fn key(self) -> String {
        match self.id {
            Some(id) => format!("#{id}"),
            None => name_key(self.name),
        }
    }
}

/// The directory: look-ups over a list of organisations.
#[derive(Debug, Clone, Copy)]
pub struct Directory<'a>(pub &'a [Organisation]);

impl<'a> Directory<'a> {
    pub fn get(self, id: &str) -> Option<&'a Organisation> {
        self.0.iter().find(|o| o.id == id)
    }

    /// The organisation `text` names: an id, a name or an alias.
    pub fn resolve(self, text: &str) -> Option<&'a Organisation> {
        let t = text.trim();
        self.get(t).or_else(|| self.0.iter().find(|o| o.is_called(t)))
    }
}

/// Why the seed file cannot be read (a bug in the repository's data file; a test reads it).
#[derive(Debug, thiserror::Error)]
#[error("data/organisations.json: {0}")]
pub struct SeedError(String);

/// The directory's seed, `data/organisations.json`, checked like an admin's
/// input; `with_demo` adds the demo's fictional companies.
pub fn seed(with_demo: bool) -> Result<Vec<Organisation>, SeedError> {
    let all: Vec<Organisation> =
        serde_json::from_str(include_str!("../data/organisations.json")).map_err(|e| SeedError(e.to_string()))?;
    let mut out: Vec<Organisation> = Vec::new();
    for o in all.into_iter().filter(|o| with_demo || !o.demo) {
        let input = OrganisationInput::from(&o);
        let parsed = input.parse(&out, None).map_err(|e| SeedError(format!("{}: {e}", o.id)))?;
        out.push(Organisation { demo: o.demo, ..parsed });
    }
    Ok(out)
}

impl From<&Organisation> for OrganisationInput {
    fn from(o: &Organisation) -> Self {
        OrganisationInput {
            id: o.id.clone(),
            name_ko: o.name_ko.clone(),
            name_en: o.name_en.clone(),
            aliases: o.aliases.clone(),
            sector: o.sector.as_str().into(),
            province: o.province.clone(),
        }
    }
}

fn valid_id(id: &str) -> bool {
    (2..=40).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

impl OrganisationInput {
    /// Parses the form against the directory `others` (without the entry
    /// being edited, `editing`: its id is kept). No two organisations may
    /// share a name or alias: a name must say which organisation it is.
    pub fn parse(
        &self,
        others: &[Organisation],
        editing: Option<&str>,
    ) -> Result<Organisation, crate::advisor::field_error::FieldErrors> {
        let mut f = Form::default();
        let id = match editing {
            Some(id) => Some(id.to_owned()),
            None => {
                let id = self.id.trim().to_owned();
                if !valid_id(&id) {
                    f.fail(
                        "id",
                        Code::UnknownValue,
                        "식별자는 영문 소문자, 숫자, - 로 2–40자입니다.",
                        "An identifier is 2-40 characters of a-z, 0-9 and -.",
                    );
                    None
                } else if others.iter().any(|o| o.id == id) {
                    f.fail("id", Code::Conflict, "이미 있는 식별자입니다.", "This identifier is taken.");
                    None
                } else {
                    Some(id)
                }
            }
        };
        let name_ko = f.text("name_ko", &self.name_ko, 200);
        let name_en = f.text("name_en", &self.name_en, 200);
        let mut aliases: Vec<String> = Vec::new();
        if self.aliases.len() > MAX_ALIASES {
            f.fail(
                "aliases",
                Code::OutOfRange,
                format!("별칭은 {MAX_ALIASES}개까지입니다."),
                format!("At most {MAX_ALIASES} aliases."),
            );
        } else {
            for a in &self.aliases {
                if a.trim().is_empty() {
                    continue;
                }
                if let Some(a) = f.optional_text("aliases", a, 200) {
                    if !aliases.iter().any(|b| name_key(b) == name_key(&a)) {
                        aliases.push(a);
                    }
                }
            }
        }
        let sector_names: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
        let sector = f.choice("sector", &self.sector, Sector::parse, &sector_names);
        let province = f.choice(
            "province",
            &self.province,
            |p| PROVINCES.iter().find(|q| **q == p.trim()).map(|q| (*q).to_owned()),
            PROVINCES,
        );
        for (field, name) in [("name_ko", name_ko.as_deref()), ("name_en", name_en.as_deref())]
            .into_iter()
            .chain(aliases.iter().map(|a| ("aliases", Some(a.as_str()))))
        {
            let Some(name) = name else { continue };
            if let Some(taken) = others.iter().find(|o| Some(o.id.as_str()) != editing && o.is_called(name)) {
                f.fail(
                    field,
                    Code::Conflict,
                    crate::i18n::settle_particles(&format!("'{name}'은(는) 이미 {}의 이름입니다.", taken.name_ko)),
                    format!("'{name}' already names {}.", taken.name_en),
                );
            }
        }
        let org = (|| {
            Some(Organisation {
                id: id?,
                name_ko: name_ko?,
                name_en: name_en?,
                aliases,
                sector: sector?,
                province: province?,
                demo: false,
            })
        })();
        f.finish(org)
    }
}

fn audit(
    admin: &UserInfo,
    action: AuditAction,
    before: Option<&Organisation>,
    after: &Organisation,
    now: DateTime<Utc>,
) -> AuditRecord {
    AuditRecord {
        actor: admin.username.clone(),
        action,
        subject: AuditSubject::Organisation(after.id.clone()),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(after).ok(),
        at: now,
    }
}

/// Adds `input` to the directory `existing` (read in the same transaction).
pub fn create_organisation(
    input: &OrganisationInput,
    existing: &[Organisation],
    admin: &UserInfo,
    now: DateTime<Utc>,
) -> Result<PeoplePlan<Organisation>, Refusal> {
    let org = input.parse(existing, None).map_err(Refusal::Invalid)?;
    Ok(PeoplePlan {
        writes: vec![PersonWrite::InsertOrganisation(org.clone())],
        audit: vec![audit(admin, AuditAction::OrganisationCreated, None, &org, now)],
        outcome: org,
    })
}

/// Changes organisation `current` of the directory `existing` as `input`
/// says; its members' accounts show the new Korean name (requests keep the
/// name they were made under).
pub fn change_organisation(
    current: &Organisation,
    input: &OrganisationInput,
    existing: &[Organisation],
    admin: &UserInfo,
    now: DateTime<Utc>,
) -> Result<PeoplePlan<Organisation>, Refusal> {
    let parsed = input.parse(existing, Some(&current.id)).map_err(Refusal::Invalid)?;
    let next = Organisation { demo: current.demo, ..parsed };
    Ok(PeoplePlan {
        writes: vec![PersonWrite::UpdateOrganisation { organisation: next.clone(), expected: current.clone() }],
        audit: vec![audit(admin, AuditAction::OrganisationChanged, Some(current), &next, now)],
        outcome: next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn admin() -> UserInfo {
        UserInfo {
            username: "boss".into(),
            display_name: "관리자".into(),
            organisation: "KISTI".into(),
            organisation_id: Some("kisti".into()),
            role: Role::Admin,
        }
    }

    fn at() -> DateTime<Utc> {
        crate::time::utc(1_767_000_000)
    }

    #[test]
    fn the_seed_parses_and_its_names_are_unambiguous() {
        let real = seed(false).unwrap();
        let all = seed(true).unwrap();
        assert!(real.len() >= 30 && all.len() > real.len(), "{} / {}", real.len(), all.len());
        assert!(real.iter().all(|o| !o.demo));
        let dir = Directory(&all);
        for (text, id) in [
            ("KAIST", "kaist"),
            ("한국과학기술원", "kaist"),
            ("snu", "snu"),
            ("서울대", "snu"),
            ("(주)한빛AI", "hanbit-ai"),
            ("한빛 ai", "hanbit-ai"),
        ] {
            assert_eq!(dir.resolve(text).map(|o| o.id.as_str()), Some(id), "{text}");
        }
        assert_eq!(dir.resolve("한빛로보틱스"), None);
        assert_eq!(dir.get("kaist").map(|o| o.region()), Some(Region::NonCapital));
        assert_eq!(dir.get("snu").map(|o| o.region()), Some(Region::Capital));
    }

    #[test]
    fn references_compare_by_id_and_fall_back_to_the_name() {
        let kaist = OrgRef::new(Some("kaist"), "KAIST");
        assert!(kaist.same(OrgRef::new(Some("kaist"), "한국과학기술원")));
        assert!(!kaist.same(OrgRef::new(Some("postech"), "KAIST")));
        assert!(kaist.same(OrgRef::new(None, "kaist")), "a record from before the directory");
        assert!(OrgRef::new(None, "(주)한빛 AI").same(OrgRef::new(None, "주식회사 한빛ai")));
        assert!(!OrgRef::new(None, " ").same(OrgRef::new(None, "")));
        assert_eq!(kaist.key(), OrgRef::new(Some("kaist"), "other").key());
    }

    #[test]
    fn every_bad_field_is_named_and_names_stay_unique() {
        let dir = seed(false).unwrap();
        let bad = OrganisationInput {
            id: "Bad Id".into(),
            name_ko: " ".into(),
            name_en: "x".repeat(201),
            aliases: vec!["ok".into()],
            sector: "church".into(),
            province: "tokyo".into(),
        };
        let e = bad.parse(&dir, None).unwrap_err();
        for field in ["id", "name_ko", "name_en", "sector", "province"] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        let clash = OrganisationInput {
            id: "new-kaist".into(),
            name_ko: "새 기관".into(),
            name_en: "New".into(),
            aliases: vec!["한국과학기술원".into()],
            sector: "university".into(),
            province: "daejeon".into(),
        };
        assert!(clash.parse(&dir, None).unwrap_err().get("aliases").is_some());
        let taken = OrganisationInput { id: "kaist".into(), aliases: vec![], ..clash.clone() };
        assert!(taken.parse(&dir, None).unwrap_err().get("id").is_some());
        // Editing an organisation may keep its own names.
        let kaist = Directory(&dir).get("kaist").unwrap();
        let same = OrganisationInput::from(kaist);
        assert_eq!(same.parse(&dir, Some("kaist")).unwrap(), *kaist);
    }

    #[test]
    fn a_change_is_audited_with_before_and_after_and_keeps_the_id() {
        let dir = seed(false).unwrap();
        let mut input = OrganisationInput::from(Directory(&dir).get("kaist").unwrap());
        input.id = "ignored".into();
        input.aliases.push("카이스트".into());
        let kaist = Directory(&dir).get("kaist").unwrap();
        let plan = change_organisation(kaist, &input, &dir, &admin(), at()).unwrap();
        assert_eq!(plan.outcome.id, "kaist");
        assert!(plan.outcome.is_called("카이스트"));
        assert_eq!(plan.audit[0].action, AuditAction::OrganisationChanged);
        assert!(plan.audit[0].before.is_some());
        assert_eq!(
            plan.writes,
            vec![PersonWrite::UpdateOrganisation { organisation: plan.outcome.clone(), expected: kaist.clone() }]
        );
    }
}
