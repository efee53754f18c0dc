//! Institutional sign-in (issue 10 §2): what the portal does with an identity
//! an OpenID Connect provider vouched for. The server runs the code flow and
//! validates the ID token (issuer, audience, nonce, signature, expiry); this
//! module then decides, purely, which account signs in: the one linked to the
//! provider's subject, or a new researcher account created and linked on the
//! first sign-in, its organisation taken from a mapped claim when the
//! directory knows it, else left for an admin to confirm. Roles are granted
//! in the portal only: a provider never makes anyone a reviewer.

use chrono::{DateTime, Utc};

use crate::allocation::audit::{AuditAction, AuditSubject};
use crate::allocation::usecase::{AuditRecord, Refusal};
use crate::auth::{valid_username, Role};
use crate::organisations::{Directory, Organisation};
use crate::people::{PeoplePlan, Person, PersonWrite};

/// A sign-in provider as the sign-in page lists it: the id in its paths
/// (`/api/v1/auth/oidc/{id}/start`) and its names.
pub type SignInProvider = crate::i18n::Named;

/// What a validated ID token (and the provider's user info) says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The provider's id in the portal's settings.
    pub provider: String,
    /// `sub`: stable per provider.
    pub subject: String,
    /// `preferred_username`.
    pub preferred_username: Option<String>,
    pub email: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// The value of the claim the provider's settings map to an organisation.
    pub organisation: Option<String>,
}

/// Longest username made from a provider's claims, leaving room for a `-n` suffix.
const BASE_LEN: usize = 26;

/// The username a first sign-in starts from: the preferred username, else
/// the e-mail's local part, reduced to `a-z 0-9 . _ -`; `researcher` when
/// nothing usable is left. The server reads which usernames starting with it
/// are taken, and [`first_sign_in`] picks a free one.
pub fn username_base(identity: &Identity) -> String {
    let candidates =
        [identity.preferred_username.as_deref(), identity.email.as_deref().and_then(|e| e.split('@').next())];
    candidates
        .into_iter()
        .flatten()
        .map(reduce)
        .find(|b| valid_username(b) && !reserved(b))
        .unwrap_or_else(|| "researcher".to_owned())
}

/// Names no institutional account takes: the demo's accounts (`demo.…`,
/// re-created at every start) and the staff names of the demo programme.
fn reserved(name: &str) -> bool {
    const STAFF: [&str; 3] = ["admin", "root", "system"];
    name.starts_with("demo.") || STAFF.contains(&name)
}

fn reduce(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
            c
        } else if c.is_whitespace() || c == '+' {
            '-'
        } else {
            continue;
        };
        if out.len() < BASE_LEN {
            out.push(c);
        }
    }
    out.trim_matches(|c| matches!(c, '.' | '_' | '-')).to_owned()
}

/// The first of `base`, `base-2`, `base-3`, … that is not in `taken`.
pub fn free_username(base: &str, taken: &[String]) -> String {
    std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|u| !taken.iter().any(|t| t == u))
        .unwrap_or_else(|| base.to_owned())
}

/// The display name: the `name` claim, else the preferred username or e-mail, at most 100 characters.
fn display_name(identity: &Identity, username: &str) -> String {
    let name = [identity.name.as_deref(), identity.preferred_username.as_deref(), identity.email.as_deref()]
        .into_iter()
        .flatten()
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| username.to_owned());
    name.chars().filter(|c| !c.is_control()).take(100).collect()
}

/// One provider identity linked to an account (a row of `identities`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityLink {
    pub username: String,
    pub provider: String,
    pub subject: String,
}

/// The first sign-in of `identity`: a researcher account (without a
/// password) linked to the provider's subject. `taken` are the usernames
/// that start with [`username_base`]; its organisation is the directory
/// entry the mapped claim names (an id, name or alias), else none yet: the
/// account then waits for an admin to confirm its organisation before it can
/// submit a request.
pub fn first_sign_in(
    identity: &Identity,
    taken: &[String],
    directory: &[Organisation],
    now: DateTime<Utc>,
) -> Result<PeoplePlan<Person>, Refusal> {
    if identity.subject.trim().is_empty() || identity.provider.is_empty() {
        let mut errors = crate::advisor::field_error::FieldErrors::default();
        errors.push(
            "sub",
            crate::advisor::field_error::FieldErrorCode::Required,
            "공급자가 사용자 식별자(sub)를 보내지 않았습니다.".into(),
            "The provider sent no subject (sub).".into(),
        );
        return Err(Refusal::Invalid(errors));
    }
    let username = free_username(&username_base(identity), taken);
    let organisation = identity.organisation.as_deref().and_then(|o| Directory(directory).resolve(o));
    let person = Person {
        display_name: display_name(identity, &username),
        username: username.clone(),
        organisation: organisation.map(|o| o.name_ko.clone()).unwrap_or_default(),
        organisation_id: organisation.map(|o| o.id.clone()),
        role: Role::Researcher,
        expertise: Vec::new(),
        disabled: false,
        demo: false,
        active: true,
        provider: Some(identity.provider.clone()),
        cluster_login: None,
    };
    let link = IdentityLink {
        username: username.clone(),
        provider: identity.provider.clone(),
        subject: identity.subject.clone(),
    };
    let entry = |action, after: serde_json::Value| AuditRecord {
        actor: username.clone(),
        action,
        subject: AuditSubject::Account(username.clone()),
        before: None,
        after: Some(after),
        at: now,
    };
    Ok(PeoplePlan {
        writes: vec![PersonWrite::Insert(person.clone()), PersonWrite::LinkIdentity(link)],
        audit: vec![
            entry(AuditAction::AccountCreated, serde_json::to_value(&person).unwrap_or_default()),
            entry(
                AuditAction::IdentityLinked,
                serde_json::json!({
                    "provider": identity.provider,
                    "subject": identity.subject,
                    "organisation_claim": identity.organisation,
                }),
            ),
        ],
        outcome: person,
    })
}

/// True when the account still needs an admin to confirm its organisation
/// (a first sign-in whose claim named no directory entry).
pub fn awaits_organisation(organisation_id: Option<&str>, organisation: &str) -> bool {
    organisation_id.is_none() && organisation.trim().is_empty()
}

/// Longest path kept to return to after sign-in.
pub const MAX_RETURN_PATH: usize = 512;

/// `path` if it is a path of this portal to return to after sign-in: it
/// starts with one `/` (so never another site: `//host`, `/\host`, a
/// scheme), has no backslash, whitespace or control character, is not an
/// API or sign-in path, and is at most [`MAX_RETURN_PATH`] bytes.
pub fn safe_return_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= MAX_RETURN_PATH
        && !path.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control())
        && !path.starts_with("/api/")
        && path != "/login"
        && !path.starts_with("/login?")
        && !path.starts_with("/login#");
    ok.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(preferred: Option<&str>, email: Option<&str>) -> Identity {
        Identity {
            provider: "kreonet".into(),
            subject: "abc-123".into(),
            preferred_username: preferred.map(Into::into),
            email: email.map(Into::into),
            ..Identity::default()
        }
    }

    fn directory() -> Vec<Organisation> {
        crate::organisations::seed(false).unwrap()
    }

    #[test]
    fn the_username_comes_from_the_preferred_username_then_the_email() {
        assert_eq!(username_base(&id(Some("Kim.Minji"), None)), "kim.minji");
        assert_eq!(username_base(&id(None, Some("minji+ai@kaist.ac.kr"))), "minji-ai");
        assert_eq!(username_base(&id(Some("김민지"), Some("mjk@snu.ac.kr"))), "mjk");
        assert_eq!(username_base(&id(Some("김민지"), None)), "researcher");
        assert_eq!(username_base(&id(Some("demo.admin"), Some("kim@x.kr"))), "kim", "demo names are reserved");
        assert_eq!(username_base(&id(Some("admin"), None)), "researcher");
        assert_eq!(username_base(&id(Some("ab"), Some("x@y"))), "researcher");
        let long = username_base(&id(Some(&"a".repeat(80)), None));
        assert_eq!(long.len(), BASE_LEN);
        assert!(valid_username(&free_username(&long, std::slice::from_ref(&long))));
    }

    #[test]
    fn a_taken_username_gets_the_first_free_suffix() {
        let taken = vec!["kim".to_owned(), "kim-2".to_owned(), "kim-4".to_owned()];
        assert_eq!(free_username("kim", &taken), "kim-3");
        assert_eq!(free_username("lee", &taken), "lee");
    }

    #[test]
    fn a_first_sign_in_creates_a_linked_researcher_in_the_claimed_organisation() {
        let dir = directory();
        let kaist = dir.iter().find(|o| o.id == "kaist").unwrap();
        let mut identity = id(Some("minji"), Some("minji@kaist.ac.kr"));
        identity.name = Some("  Kim   Minji ".into());
        identity.organisation = Some(kaist.name_en.clone());
        let now = Utc::now();
        let plan = first_sign_in(&identity, &["minji".to_owned()], &dir, now).unwrap();
        let p = &plan.outcome;
        assert_eq!(p.username, "minji-2");
        assert_eq!(p.display_name, "Kim Minji");
        assert_eq!(p.role, Role::Researcher);
        assert_eq!(p.organisation_id.as_deref(), Some("kaist"));
        assert_eq!(p.organisation, kaist.name_ko);
        assert!(!awaits_organisation(p.organisation_id.as_deref(), &p.organisation));
        assert_eq!(
            plan.writes[1],
            PersonWrite::LinkIdentity(IdentityLink {
                username: "minji-2".into(),
                provider: "kreonet".into(),
                subject: "abc-123".into()
            })
        );
        let actions: Vec<_> = plan.audit.iter().map(|a| a.action).collect();
        assert_eq!(actions, vec![AuditAction::AccountCreated, AuditAction::IdentityLinked]);
    }

    #[test]
    fn an_unknown_organisation_claim_leaves_the_account_awaiting_an_admin() {
        let mut identity = id(Some("lee"), None);
        identity.organisation = Some("Unheard-of Institute".into());
        let plan = first_sign_in(&identity, &[], &directory(), Utc::now()).unwrap();
        assert_eq!(plan.outcome.organisation_id, None);
        assert!(awaits_organisation(None, &plan.outcome.organisation));
        let plan = first_sign_in(&id(Some("lee"), None), &[], &directory(), Utc::now()).unwrap();
        assert!(awaits_organisation(plan.outcome.organisation_id.as_deref(), &plan.outcome.organisation));
    }

    #[test]
    fn an_identity_without_a_subject_is_refused() {
        let mut identity = id(Some("lee"), None);
        identity.subject = "  ".into();
        assert!(first_sign_in(&identity, &[], &directory(), Utc::now()).is_err());
    }

    #[test]
    fn only_paths_of_this_portal_are_returned_to() {
        for ok in ["/", "/requests/new?gpus=8&pool=kisti6-gh200", "/reviews#r-12", "/committee?round=2026-2"] {
            assert_eq!(safe_return_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "requests",
            "/a b",
            "/a\nb",
            "/api/v1/auth/logout",
            "/login",
            "/login?return_to=/x",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
        assert_eq!(safe_return_path(&format!("/{}", "a".repeat(MAX_RETURN_PATH))), None);
    }
}
