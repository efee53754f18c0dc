//! The signed-in user as a Leptos context: the session is fetched once when
//! the programme app starts (which also creates the session cookie and gives
//! the CSRF token), replaced by the answers of sign-in and sign-out, and read
//! by the header and every page that needs a role.

use kairr_shared::api::{InitialSession, INITIAL_SESSION_ID};
use kairr_shared::auth::{can, Action, LoginRequest, SessionInfo, UserInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::programme::api;

/// The session context.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// The last answer of the session endpoint (`None` until the first arrives).
    pub info: RwSignal<Option<SessionInfo>>,
    /// The last failure to fetch the session.
    pub error: RwSignal<Option<FetchError>>,
}

/// What the current visitor may see on a page that needs `action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The session is still being fetched.
    Loading,
    /// Nobody is signed in.
    Anonymous,
    /// Signed in, but the role does not allow the action.
    NotPermitted(UserInfo),
    /// Signed in with a role that allows the action.
    Allowed(UserInfo),
}

impl Access {
    /// The access of `info` (None = not yet known) to `action`, by the shared role matrix.
    pub fn of(info: Option<&SessionInfo>, action: Action) -> Access {
        match info {
            None => Access::Loading,
            Some(SessionInfo { user: None, .. }) => Access::Anonymous,
            Some(SessionInfo { user: Some(u), .. }) if can(Some(u.role), action) => Access::Allowed(u.clone()),
            Some(SessionInfo { user: Some(u), .. }) => Access::NotPermitted(u.clone()),
        }
    }
}

/// Where a user goes after signing in: the committee overview for those who
/// may see it, the review list for reviewers, their own requests for everyone else.
pub fn home_after_login(user: &UserInfo) -> &'static str {
    kairr_shared::auth::home_path(user.role)
}

impl Session {
    /// The signed-in user, tracked.
    /// Whether the portal shows demo data (labelled until the session says otherwise).
    pub fn demo(self) -> bool {
        self.info.with(|i| i.as_ref().is_none_or(|i| i.demo))
    }

    pub fn user(self) -> Option<UserInfo> {
        self.info.with(|i| i.as_ref().and_then(|i| i.user.clone()))
    }

    /// The CSRF token of the session (empty before the session is known).
    pub fn csrf(self) -> String {
        self.info.with_untracked(|i| i.as_ref().map(|i| i.csrf_token.clone()).unwrap_or_default())
    }

    /// The access to `action`, tracked.
    pub fn access(self, action: Action) -> Access {
        self.info.with(|i| Access::of(i.as_ref(), action))
    }

    /// Fetches the session again.
    pub fn refresh(self) {
        spawn_local(async move {
            match api::fetch_session().await {
                Ok(info) => {
                    self.info.set(Some(info));
                    self.error.set(None);
                }
                Err(e) => {
                    leptos::logging::warn!("session: {}", e.detail());
                    self.error.set(Some(e));
                }
            }
        });
    }

    /// Signs in; on success the session is replaced. A refused CSRF token
    /// (403) is renewed once and the sign-in retried.
    pub async fn login(self, body: LoginRequest) -> Result<UserInfo, FetchError> {
        let mut result = api::login(&self.csrf(), &body).await;
        if matches!(result, Err(FetchError::Http { status: 403, .. })) {
            let fresh = api::fetch_session().await?;
            let token = fresh.csrf_token.clone();
            self.info.set(Some(fresh));
            result = api::login(&token, &body).await;
        }
        let info = result?;
        let user = info.user.clone();
        self.info.set(Some(info));
        user.ok_or_else(|| FetchError::Decode("signed in without a user".to_owned()))
    }

    /// Signs out; the session then has no user.
    /// Signs out. After an institutional sign-in, the answer is the
    /// provider's address that ends the session there too.
    pub async fn logout(self) -> Result<Option<String>, FetchError> {
        let info = api::logout(&self.csrf()).await?;
        let provider_logout = info.end_session_url.clone();
        self.info.set(Some(info));
        Ok(provider_logout.filter(|u| u.starts_with("https://") || u.starts_with("http://")))
    }
}

/// Provides the session context: the one the page's first view was
/// rendered for, else fetched. Also provides the first view's unread count
/// ([`FirstUnread`]) for the navigation until the notices are loaded.
pub fn provide_session() -> Session {
    let session = Session { info: RwSignal::new(None), error: RwSignal::new(None) };
    provide_context(session);
    match crate::common::first_view::take_initial_at::<InitialSession>(INITIAL_SESSION_ID) {
        Some(initial) => {
            let user = initial.session.user.as_ref().map(|u| u.username.clone());
            provide_context(FirstUnread(user.map(|u| (u, initial.unread))));
            session.info.set(Some(initial.session));
        }
        None => {
            provide_context(FirstUnread(None));
            session.refresh();
        }
    }
    session
}

/// The unread notices of the user the page was rendered for, as the first
/// view counted them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstUnread(pub Option<(String, u64)>);

/// The session from context (an empty, never-loaded one outside the app).
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or(Session { info: RwSignal::new(None), error: RwSignal::new(None) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kairr_shared::allocation::Role;

    fn info(role: Option<Role>) -> SessionInfo {
        let user = role.map(|role| UserInfo {
            username: "u".into(),
            display_name: "U".into(),
            organisation: "O".into(),
            organisation_id: None,
            role,
        });
        SessionInfo {
            user,
            csrf_token: "t".into(),
            providers: vec![],
            end_session_url: None,
            demo: true,
            pools: vec![],
        }
    }

    #[test]
    fn access_follows_the_shared_role_matrix() {
        assert_eq!(Access::of(None, Action::ViewCommittee), Access::Loading);
        assert_eq!(Access::of(Some(&info(None)), Action::ViewCommittee), Access::Anonymous);
        assert!(matches!(
            Access::of(Some(&info(Some(Role::Researcher))), Action::ViewCommittee),
            Access::NotPermitted(_)
        ));
        assert!(matches!(Access::of(Some(&info(Some(Role::Committee))), Action::ViewCommittee), Access::Allowed(_)));
        assert!(matches!(Access::of(Some(&info(Some(Role::Admin))), Action::ViewCommittee), Access::Allowed(_)));
    }

    #[test]
    fn committee_members_land_on_the_overview_and_researchers_on_their_requests() {
        let user = |role| info(Some(role)).user.unwrap();
        assert_eq!(home_after_login(&user(Role::Committee)), "/committee");
        assert_eq!(home_after_login(&user(Role::Admin)), "/committee");
        assert_eq!(home_after_login(&user(Role::Researcher)), "/requests/mine");
        assert_eq!(home_after_login(&user(Role::Reviewer)), "/reviews");
    }
}
