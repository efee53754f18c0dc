//! Roles and what each may do: the one authorization matrix, used by the
//! server on every endpoint and by the UI to show only what a user may use.

use serde::{Deserialize, Serialize};

/// A signed-in user's role. Anonymous visitors have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Submits and follows their own requests.
    Researcher,
    /// Posts and updates incidents and maintenance on the status page (and may apply, as a researcher).
    Operator,
    /// Scores requests assigned to them (never from their own organisation).
    Reviewer,
    /// Sees the overview, decides, exports.
    Committee,
    /// Everything, including rounds, accounts and the audit log.
    Admin,
}

impl Role {
    /// Every role, least privileged first.
    pub const ALL: [Role; 5] = [Role::Researcher, Role::Operator, Role::Reviewer, Role::Committee, Role::Admin];

    /// Stable snake_case name (database and API).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Researcher => "researcher",
            Role::Operator => "operator",
            Role::Reviewer => "reviewer",
            Role::Committee => "committee",
            Role::Admin => "admin",
        }
    }

    /// Parses [`Role::as_str`] (case and surrounding spaces ignored).
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Korean label.
    pub fn label_ko(self) -> &'static str {
        match self {
            Role::Researcher => "연구자",
            Role::Operator => "상태 운영자",
            Role::Reviewer => "심사위원",
            Role::Committee => "배분위원",
            Role::Admin => "관리자",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Role::Researcher => "researcher",
            Role::Operator => "status operator",
            Role::Reviewer => "reviewer",
            Role::Committee => "committee member",
            Role::Admin => "administrator",
        }
    }
}

/// Something a request may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Submit a request and see one's own requests and allocations.
    SubmitRequest,
    /// Score a request.
    Review,
    /// See every request, the committee overview and proposals.
    ViewCommittee,
    /// Decide on a request, adjust a proposal.
    Decide,
    /// Export requests, reviews and allocations as CSV.
    Export,
    /// Assign reviewers to requests and follow their progress.
    AssignReviewers,
    /// Manage rounds and accounts, read the audit log and conflicts of interest.
    Administer,
    /// Read one's notifications and set where and in which language one is told.
    OwnAccount,
    /// Post and update incidents and maintenance windows on the status page.
    OperateStatus,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 9] = [
        Action::SubmitRequest,
        Action::Review,
        Action::ViewCommittee,
        Action::Decide,
        Action::Export,
        Action::AssignReviewers,
        Action::Administer,
        Action::OwnAccount,
        Action::OperateStatus,
    ];

    /// The roles allowed to do it.
    pub fn allowed(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::SubmitRequest | Action::OwnAccount => &[Researcher, Operator, Reviewer, Committee, Admin],
            Action::Review => &[Reviewer, Committee, Admin],
            Action::ViewCommittee | Action::Decide | Action::Export | Action::AssignReviewers => &[Committee, Admin],
            Action::Administer => &[Admin],
            Action::OperateStatus => &[Operator, Admin],
        }
    }
}

/// May `role` (None = anonymous) do `action`?
pub fn can(role: Option<Role>, action: Action) -> bool {
    role.is_some_and(|r| action.allowed().contains(&r))
}

/// The signed-in user as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub username: String,
    pub display_name: String,
    /// The organisation's Korean name (as the directory had it).
    pub organisation: String,
    /// The organisation's directory id (`None`: an account from before the directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    pub role: Role,
}

impl UserInfo {
    /// The account's organisation, to compare with a request's.
    pub fn org(&self) -> crate::organisations::OrgRef<'_> {
        crate::organisations::OrgRef::new(self.organisation_id.as_deref(), &self.organisation)
    }
}

/// `GET /api/v1/auth/session`: who is signed in, and the CSRF token to send
/// in `X-CSRF-Token` with every state-changing request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub user: Option<UserInfo>,
    pub csrf_token: String,
    /// The institutional sign-in providers (OpenID Connect) besides local accounts.
    #[serde(default)]
    pub providers: Vec<crate::identity::SignInProvider>,
    /// After signing out of an institutional account: the provider's address
    /// that ends the session there too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_url: Option<String>,
    /// Whether this portal shows demo data (the demo programme or demo
    /// accounts are on): pages that show no round of their own label
    /// themselves by it.
    #[serde(default)]
    pub demo: bool,
    /// The catalogue's pools with the names people know them by: the pages
    /// name pools by these ([`SessionInfo::pool_name`]), as the records they
    /// show carry only pool ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<crate::catalogue::PoolName>,
}

impl SessionInfo {
    /// Pool `id`'s name in `loc` (the other language's when `loc`'s is
    /// missing); its id when the catalogue no longer has it.
    pub fn pool_name(&self, loc: crate::i18n::Locale, id: &str) -> String {
        match self.pools.iter().find(|p| p.id == id) {
            Some(p) => crate::display::labels::pool_name(loc, id, &p.name_ko, &p.name_en),
            None => id.to_owned(),
        }
    }
}

/// Where a user goes after signing in when no page asked for it: the
/// committee overview for those who may see it, the review list for
/// reviewers, their own requests for everyone else.
pub fn home_path(role: Role) -> &'static str {
    if role == Role::Operator {
        "/admin/status"
    } else if can(Some(role), Action::ViewCommittee) {
        "/committee"
    } else if can(Some(role), Action::Review) {
        "/reviews"
    } else {
        "/requests/mine"
    }
}

/// `POST /api/v1/auth/login` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A username that can be used: 3-32 characters of `a-z 0-9 . _ -`.
pub fn valid_username(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_visitors_may_do_nothing_that_needs_an_account() {
        for a in Action::ALL {
            assert!(!can(None, a), "{a:?}");
        }
    }

    #[test]
    fn the_matrix_grants_each_role_what_it_needs_and_no_more() {
        let cases = [
            (Role::Researcher, Action::SubmitRequest, true),
            (Role::Researcher, Action::Review, false),
            (Role::Researcher, Action::ViewCommittee, false),
            (Role::Reviewer, Action::Review, true),
            (Role::Reviewer, Action::Decide, false),
            (Role::Committee, Action::Decide, true),
            (Role::Committee, Action::Export, true),
            (Role::Committee, Action::Administer, false),
            (Role::Admin, Action::Administer, true),
        ];
        for (role, action, expected) in cases {
            assert_eq!(can(Some(role), action), expected, "{role:?} {action:?}");
        }
    }

    #[test]
    fn roles_round_trip_and_usernames_are_checked() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(valid_username("kim.researcher"));
        assert!(!valid_username("ab"));
        assert!(!valid_username("Kim"));
        assert!(!valid_username("kim researcher"));
    }
}
