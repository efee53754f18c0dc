//! The administration of people (issue 10 §1): admins create accounts,
//! change their name, organisation and role, disable them, and issue one-time
//! links to set a password (an invitation, or a reset). Pure use cases like
//! the programme's: each returns the rows to write and the audit entries, or
//! a refusal; the server runs each in one transaction.
//!
//! One role per person: the role matrix is cumulative ([`crate::auth::Action::allowed`]:
//! a committee member may also review and apply, an admin may do everything),
//! so a person needs only their highest role.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::allocation::audit::{AuditAction, AuditSubject};
use crate::allocation::form::Form;
use crate::allocation::usecase::{AuditRecord, Refusal};
use crate::auth::{valid_username, Role, UserInfo};
use crate::organisations::{Directory, Organisation};

/// How long an invitation or reset link stays usable.
pub const INVITATION_HOURS: i64 = 72;

/// A person as their administrators see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub username: String,
    pub display_name: String,
    /// The organisation's Korean name.
    pub organisation: String,
    /// The organisation's directory id (`None`: an account from before the directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    pub role: Role,
    /// Declared fields of expertise (reviewers: automatic assignment prefers a match).
    #[serde(default)]
    pub expertise: Vec<String>,
    /// May not sign in; their sessions end at once.
    pub disabled: bool,
    /// Created by the demo.
    pub demo: bool,
    /// Has set a password (an invited person has not yet) or signs in through a provider.
    pub active: bool,
    /// The identity provider the person signs in through (an institutional account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Their login on the schedulers' clusters (Slurm users of their projects'
    /// accounts), when it is not their portal username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_login: Option<String>,
}

impl Person {
    /// The login the schedulers know them by: the one set, else the portal username.
    pub fn login(&self) -> &str {
        self.cluster_login.as_deref().unwrap_or(&self.username)
    }
}

/// `POST /api/v1/admin/people`: a new account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PersonInput {
    /// 3-32 characters of `a-z 0-9 . _ -`.
    pub username: String,
    pub display_name: String,
    /// The organisation (a directory id, name or alias) requests and
    /// conflict-of-interest checks use.
    pub organisation: String,
    /// A [`Role`] name.
    pub role: String,
    /// Fields of expertise, at most 10 of at most 60 characters.
    pub expertise: Vec<String>,
}

/// `PATCH /api/v1/admin/people/{username}`: what changes (absent fields stay).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PersonChange {
    pub display_name: Option<String>,
    pub organisation: Option<String>,
    /// A [`Role`] name.
    pub role: Option<String>,
    pub disabled: Option<bool>,
    pub expertise: Option<Vec<String>>,
    /// Their cluster login (a POSIX user name: a lower-case letter or `_`,
    /// then up to 31 of `a-z 0-9 _ -`); empty: the portal username.
    pub cluster_login: Option<String>,
}

/// A one-time link to set a password, as the admin receives it to pass on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub person: Person,
    /// Path and query of the link (`/invite?token=…`), to prefix with the portal's address.
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// `POST /api/v1/auth/invite`: the token of the link and the new password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AcceptInvitation {
    pub token: String,
    pub password: String,
}

/// One row to write (people and the organisations directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonWrite {
    /// A new account without a password; a taken username is a 409.
    Insert(Person),
    /// The account changes if its role and disabled flag are still `expected`.
    Update { person: Person, expected: (Role, bool) },
    /// Replaces the person's unused links with one whose token hashes to `token_hash`.
    Invite { username: String, token_hash: String, expires_at: DateTime<Utc> },
    /// A new organisation of the directory; a taken id is a 409.
    InsertOrganisation(Organisation),
    /// The organisation changes if it is still `expected`; its members' accounts take its Korean name.
    UpdateOrganisation { organisation: Organisation, expected: Organisation },
    /// Links a provider's subject to the account (a first institutional sign-in); a linked subject is a 409.
    LinkIdentity(crate::identity::IdentityLink),
}

/// What a use case decided.
#[derive(Debug, Clone, PartialEq)]
pub struct PeoplePlan<T> {
    pub outcome: T,
    pub writes: Vec<PersonWrite>,
    pub audit: Vec<AuditRecord>,
}

fn audit<B: Serialize, A: Serialize>(
    admin: &UserInfo,
    action: AuditAction,
    who: &str,
    before: Option<&B>,
    after: Option<&A>,
    now: DateTime<Utc>,
) -> AuditRecord {
    AuditRecord {
        actor: admin.username.clone(),
        action,
        subject: AuditSubject::Account(who.to_owned()),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: after.and_then(|a| serde_json::to_value(a).ok()),
        at: now,
    }
}

/// The directory entry `text` names (an id, name or alias); field `organisation`.
fn organisation<'d>(f: &mut Form, directory: &'d [Organisation], text: &str) -> Option<&'d Organisation> {
    f.text("organisation", text, 200)?;
    let found = Directory(directory).resolve(text);
    if found.is_none() {
        f.fail(
            "organisation",
            Code::UnknownValue,
            "기관 목록에 없는 기관입니다. 먼저 관리 > 기관에서 추가하세요.",
            "Not an organisation of the directory. Add it under Administration > Organisations first.",
        );
    }
    found
}

/// Most fields of expertise one person declares.
pub const MAX_EXPERTISE: usize = 10;

/// Fields of expertise, trimmed, empty ones dropped, duplicates once; field `expertise`.
fn expertise(f: &mut Form, list: &[String]) -> Option<Vec<String>> {
    if list.len() > MAX_EXPERTISE * 4 {
        f.fail(
            "expertise",
            Code::OutOfRange,
            format!("{MAX_EXPERTISE}개까지입니다."),
            format!("At most {MAX_EXPERTISE}."),
        );
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for e in list.iter().filter(|e| !e.trim().is_empty()) {
        let e = f.optional_text("expertise", e, 60)?;
        if !out.iter().any(|o| o.to_lowercase() == e.to_lowercase()) {
            out.push(e);
        }
    }
    if out.len() > MAX_EXPERTISE {
        f.fail(
            "expertise",
            Code::OutOfRange,
            format!("{MAX_EXPERTISE}개까지입니다."),
            format!("At most {MAX_EXPERTISE}."),
        );
        return None;
    }
    Some(out)
}

/// Whether `login` is a portable POSIX user name, as `useradd` and Slurm take
/// it: a lower-case letter or `_`, then up to 31 of `a-z 0-9 _ -`.
pub fn valid_login(login: &str) -> bool {
    let mut chars = login.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && login.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// A cluster login as entered: empty is none (the portal username); field `cluster_login`.
fn cluster_login(f: &mut Form, text: &str) -> Option<Option<String>> {
    let t = text.trim();
    if t.is_empty() {
        return Some(None);
    }
    if !valid_login(t) {
        f.fail(
            "cluster_login",
            Code::UnknownValue,
            "클러스터 계정은 영문 소문자나 _로 시작하고, 영문 소문자·숫자·_·-로 32자 이내여야 합니다.",
            "A cluster login starts with a lower-case letter or _, then up to 31 of a-z, 0-9, _ and -.",
        );
        return None;
    }
    Some(Some(t.to_owned()))
}

fn role(f: &mut Form, value: &str) -> Option<Role> {
    let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    f.choice("role", value, Role::parse, &names)
}

/// Creates account `input` (no password yet: its invitation follows) when
/// `exists` says the username is free, in an organisation of `directory`; `token_hash` is the hash of the
/// invitation's token, which the caller drew at random.
pub fn create_person(
    input: &PersonInput,
    exists: bool,
    directory: &[Organisation],
    admin: &UserInfo,
    token_hash: String,
    now: DateTime<Utc>,
) -> Result<PeoplePlan<Person>, Refusal> {
    let mut f = Form::default();
    let username = input.username.trim().to_owned();
    if !valid_username(&username) {
        f.fail(
            "username",
            Code::UnknownValue,
            "아이디는 영문 소문자, 숫자, . _ - 로 3–32자입니다.",
            "A username is 3-32 characters of a-z, 0-9, . _ -.",
        );
    }
    let display_name = f.text("display_name", &input.display_name, 100);
    let organisation = organisation(&mut f, directory, &input.organisation);
    let role = role(&mut f, &input.role);
    let expertise = expertise(&mut f, &input.expertise);
    let person = (|| {
        Some(Person {
            username: username.clone(),
            display_name: display_name?,
            organisation: organisation?.name_ko.clone(),
            organisation_id: Some(organisation?.id.clone()),
            role: role?,
            expertise: expertise?,
            disabled: false,
            demo: false,
            active: false,
            provider: None,
            cluster_login: None,
        })
    })();
    let person = f.finish(person).map_err(Refusal::Invalid)?;
    if exists {
        return Err(Refusal::Conflict {
            code: "username_taken",
            field: Some("username"),
            message: format!("the username {username} is taken"),
        });
    }
    let expires_at = now + chrono::Duration::hours(INVITATION_HOURS);
    Ok(PeoplePlan {
        writes: vec![
            PersonWrite::Insert(person.clone()),
            PersonWrite::Invite { username: username.clone(), token_hash, expires_at },
        ],
        audit: vec![
            audit::<(), _>(admin, AuditAction::AccountCreated, &username, None, Some(&person), now),
            audit::<(), _>(
                admin,
                AuditAction::InvitationIssued,
                &username,
                None,
                Some(&serde_json::json!({ "expires_at": expires_at })),
                now,
            ),
        ],
        outcome: person,
    })
}

/// Changes `current` as `change` says. `active_admins` is how many enabled
/// admins there are (read in the same transaction): the last one can be
/// neither demoted nor disabled.
pub fn change_person(
    current: &Person,
    change: &PersonChange,
    directory: &[Organisation],
    active_admins: usize,
    admin: &UserInfo,
    now: DateTime<Utc>,
) -> Result<PeoplePlan<Person>, Refusal> {
    let mut f = Form::default();
    let mut next = current.clone();
    if let Some(n) = &change.display_name {
        next.display_name = f.text("display_name", n, 100).unwrap_or_default();
    }
    if let Some(o) = &change.organisation {
        if let Some(org) = organisation(&mut f, directory, o) {
            next.organisation = org.name_ko.clone();
            next.organisation_id = Some(org.id.clone());
        }
    }
    if let Some(r) = &change.role {
        next.role = role(&mut f, r).unwrap_or(current.role);
    }
    if let Some(d) = change.disabled {
        next.disabled = d;
    }
    if let Some(e) = &change.expertise {
        if let Some(e) = expertise(&mut f, e) {
            next.expertise = e;
        }
    }
    if let Some(l) = &change.cluster_login {
        if let Some(l) = cluster_login(&mut f, l) {
            next.cluster_login = l;
        }
    }
    f.finish(Some(())).map_err(Refusal::Invalid)?;
    let was_active_admin = current.role == Role::Admin && !current.disabled;
    let stays_active_admin = next.role == Role::Admin && !next.disabled;
    if was_active_admin && !stays_active_admin && active_admins <= 1 {
        return Err(Refusal::Conflict {
            code: "last_admin",
            field: Some(if next.disabled { "disabled" } else { "role" }),
            message: "the last active administrator can be neither demoted nor disabled".into(),
        });
    }
    Ok(PeoplePlan {
        writes: vec![PersonWrite::Update { person: next.clone(), expected: (current.role, current.disabled) }],
        audit: vec![audit(admin, AuditAction::AccountChanged, &current.username, Some(current), Some(&next), now)],
        outcome: next,
    })
}

/// A new one-time link for `person` (a reset, or a new invitation); earlier unused links stop working.
pub fn invite(
    person: &Person,
    admin: &UserInfo,
    token_hash: String,
    now: DateTime<Utc>,
) -> Result<PeoplePlan<DateTime<Utc>>, Refusal> {
    if person.disabled {
        return Err(Refusal::Conflict {
            code: "account_disabled",
            field: None,
            message: format!("{} is disabled; enable the account first", person.username),
        });
    }
    let expires_at = now + chrono::Duration::hours(INVITATION_HOURS);
    Ok(PeoplePlan {
        writes: vec![PersonWrite::Invite { username: person.username.clone(), token_hash, expires_at }],
        audit: vec![audit::<(), _>(
            admin,
            AuditAction::InvitationIssued,
            &person.username,
            None,
            Some(&serde_json::json!({ "expires_at": expires_at })),
            now,
        )],
        outcome: expires_at,
    })
}

/// Checks a new password: long enough, and not the username. Field `password`.
pub fn check_password(password: &str, username: &str, min_len: usize) -> Result<(), FieldErrors> {
    let mut f = FieldErrors::default();
    if password.chars().count() < min_len {
        f.push(
            "password",
            Code::OutOfRange,
            format!("비밀번호는 {min_len}자 이상이어야 합니다."),
            format!("A password has at least {min_len} characters."),
        );
    } else if password.chars().count() > 256 {
        f.push("password", Code::OutOfRange, "비밀번호는 256자 이하입니다.".into(), "At most 256 characters.".into());
    } else if password.to_lowercase().contains(&username.to_lowercase()) {
        f.push(
            "password",
            Code::Conflict,
            "비밀번호에 아이디를 넣을 수 없습니다.".into(),
            "A password cannot contain the username.".into(),
        );
    }
    if f.is_empty() {
        Ok(())
    } else {
        Err(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> UserInfo {
        UserInfo {
            username: "boss".into(),
            display_name: "관리자".into(),
            organisation: "KISTI".into(),
            organisation_id: Some("kisti".into()),
            role: Role::Admin,
        }
    }

    fn dir() -> Vec<Organisation> {
        crate::organisations::seed(false).unwrap()
    }

    fn at() -> DateTime<Utc> {
        crate::time::utc(1_767_000_000)
    }

    fn input() -> PersonInput {
        PersonInput {
            username: "kim.reviewer".into(),
            display_name: "김심사".into(),
            organisation: "부산대학교".into(),
            role: "reviewer".into(),
            expertise: vec!["기상".into(), " ".into(), "기상".into(), "Weather".into()],
        }
    }

    #[test]
    fn a_new_person_has_no_password_and_an_invitation_that_expires() {
        let plan = create_person(&input(), false, &dir(), &admin(), "h".into(), at()).unwrap();
        assert_eq!((plan.outcome.role, plan.outcome.active), (Role::Reviewer, false));
        // "부산대학교" is the directory's Pusan National University.
        assert_eq!(plan.outcome.organisation_id.as_deref(), Some("pnu"));
        assert_eq!(plan.outcome.expertise, ["기상", "Weather"], "trimmed, blanks dropped, once each");
        let PersonWrite::Invite { expires_at, .. } = &plan.writes[1] else { panic!() };
        assert_eq!(*expires_at - at(), chrono::Duration::hours(INVITATION_HOURS));
        let actions: Vec<AuditAction> = plan.audit.iter().map(|a| a.action).collect();
        assert_eq!(actions, [AuditAction::AccountCreated, AuditAction::InvitationIssued]);
        let err = create_person(&input(), true, &dir(), &admin(), "h".into(), at()).unwrap_err();
        assert!(matches!(err, Refusal::Conflict { code: "username_taken", .. }));
    }

    #[test]
    fn every_bad_field_of_a_new_person_is_named() {
        let bad = PersonInput {
            username: "No Spaces!".into(),
            display_name: " ".into(),
            organisation: String::new(),
            role: "king".into(),
            expertise: vec!["x".repeat(61)],
        };
        let Err(Refusal::Invalid(f)) = create_person(&bad, false, &dir(), &admin(), "h".into(), at()) else { panic!() };
        for field in ["username", "display_name", "organisation", "role", "expertise"] {
            assert!(f.get(field).is_some(), "{field}: {f}");
        }
        let unknown = PersonInput { organisation: "Hogwarts".into(), ..input() };
        let Err(Refusal::Invalid(f)) = create_person(&unknown, false, &dir(), &admin(), "h".into(), at()) else {
            panic!()
        };
        assert_eq!(f.get("organisation").map(|e| e.code), Some(Code::UnknownValue));
    }

    #[test]
    fn moving_a_person_takes_the_directory_entry_by_any_of_its_names() {
        let mut kim = create_person(&input(), false, &dir(), &admin(), "h".into(), at()).unwrap().outcome;
        kim.active = true;
        let change = PersonChange { organisation: Some("카이스트".into()), ..Default::default() };
        let moved = change_person(&kim, &change, &dir(), 2, &admin(), at()).unwrap().outcome;
        assert_eq!((moved.organisation.as_str(), moved.organisation_id.as_deref()), ("KAIST", Some("kaist")));
    }

    #[test]
    fn a_cluster_login_is_a_posix_user_name_and_empty_means_the_username() {
        let kim = create_person(&input(), false, &dir(), &admin(), "h".into(), at()).unwrap().outcome;
        assert_eq!(kim.login(), kim.username);
        let set = |l: &str| PersonChange { cluster_login: Some(l.into()), ..Default::default() };
        let mapped = change_person(&kim, &set(" kim_js-2 "), &dir(), 2, &admin(), at()).unwrap().outcome;
        assert_eq!((mapped.cluster_login.as_deref(), mapped.login()), (Some("kim_js-2"), "kim_js-2"));
        let cleared = change_person(&mapped, &set(""), &dir(), 2, &admin(), at()).unwrap().outcome;
        assert_eq!(cleared.cluster_login, None);
        for bad in ["Kim", "-kim", "9kim", "kim.js", "kim js", "김", &"k".repeat(33), "kim\u{0}"] {
            let Err(Refusal::Invalid(f)) = change_person(&kim, &set(bad), &dir(), 2, &admin(), at()) else {
                panic!("{bad:?} accepted")
            };
            assert!(f.get("cluster_login").is_some(), "{bad:?}: {f}");
        }
        assert!(valid_login("_svc") && valid_login(&"k".repeat(32)));
    }

    #[test]
    fn the_last_active_admin_can_be_neither_demoted_nor_disabled() {
        let boss = Person {
            username: "boss".into(),
            display_name: "B".into(),
            organisation: "KISTI".into(),
            organisation_id: None,
            role: Role::Admin,
            expertise: vec![],
            disabled: false,
            demo: false,
            active: true,
            provider: None,
            cluster_login: None,
        };
        let demote = PersonChange { role: Some("committee".into()), ..Default::default() };
        let disable = PersonChange { disabled: Some(true), ..Default::default() };
        for change in [&demote, &disable] {
            let err = change_person(&boss, change, &dir(), 1, &admin(), at()).unwrap_err();
            assert!(matches!(err, Refusal::Conflict { code: "last_admin", .. }), "{change:?}");
            assert!(change_person(&boss, change, &dir(), 2, &admin(), at()).is_ok());
        }
        // Renaming the last admin is fine; so is disabling someone else.
        let rename = PersonChange { display_name: Some("새 이름".into()), ..Default::default() };
        let plan = change_person(&boss, &rename, &dir(), 1, &admin(), at()).unwrap();
        assert_eq!(
            plan.writes,
            vec![PersonWrite::Update { person: plan.outcome.clone(), expected: (Role::Admin, false) }]
        );
    }

    #[test]
    fn a_password_is_long_and_not_the_username() {
        assert!(check_password("short", "kim", 12).is_err());
        assert!(check_password("kim.reviewer-2026!", "kim.reviewer", 12).is_err());
        assert!(check_password("correct horse battery", "kim.reviewer", 12).is_ok());
    }
}
