//! The committee page's one state, with no DOM: who is looking (the
//! session), which round, and what the API answered. The page changes it
//! (`super::page`) and renders it (`super::view`).

use kairr_shared::allocation::usecase::Adopted;
use kairr_shared::allocation::{
    Adjustment, DecisionKind, PoolUnit, Proposal, ProposalLine, RequestDetail, RequestId, RequestPage, RoundOverview,
};
use kairr_shared::api::Adjusted;
use kairr_shared::api::DataSource;
use kairr_shared::auth::{can, Action, SessionInfo, UserInfo};
use kairr_shared::display::labels::api_error;
use kairr_shared::i18n::Locale;

use super::text::Text;
use crate::common::api::FetchError;
use crate::programme::api::QueueQuery;

/// What an answer is while it is awaited, arrived or refused. What arrived
/// stays shown while it is fetched again (a refresh never empties a panel).
#[derive(Debug, Clone)]
pub struct Load<T> {
    pub data: Option<T>,
    pub error: Option<FetchError>,
}

impl<T> Default for Load<T> {
    fn default() -> Self {
        Load { data: None, error: None }
    }
}

impl<T> Load<T> {
    /// Takes an answer: the data replaces the last (and clears a past
    /// failure); a failure is shown beside what is kept.
    pub fn store(&mut self, answer: Result<T, FetchError>) {
        match answer {
            Ok(v) => {
                self.data = Some(v);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Neither data nor an error yet.
    pub fn loading(&self) -> bool {
        self.data.is_none() && self.error.is_none()
    }
}

/// What the visitor may see on a page that needs an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The session is not known yet.
    Loading,
    /// Nobody is signed in.
    Anonymous,
    /// Signed in with a role that does not allow it.
    NotPermitted(UserInfo),
    /// Allowed.
    Allowed(UserInfo),
}

/// Which of the committee's pages this is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Page {
    /// `/committee`.
    #[default]
    Overview,
    /// `/committee/requests/{id}` (`None`: the address names no request id);
    /// `?amount=` (from a proposal line) pre-fills the decision.
    Request { id: Option<u64>, suggested: Option<u64> },
}

/// The decision form as typed (seeded from the request when it arrives).
#[derive(Debug, Clone)]
pub struct DecisionDraft {
    pub kind: DecisionKind,
    pub amount: String,
    pub start: String,
    pub end: String,
    pub rationale: String,
    pub override_reason: String,
    /// The form's own objections or the server's answer.
    pub error: Option<FetchError>,
    pub busy: bool,
    /// The request it was seeded from.
    pub seeded_for: Option<u64>,
}

impl Default for DecisionDraft {
    fn default() -> Self {
        DecisionDraft {
            kind: DecisionKind::Approve,
            amount: String::new(),
            start: String::new(),
            end: String::new(),
            rationale: String::new(),
            override_reason: String::new(),
            error: None,
            busy: false,
            seeded_for: None,
        }
    }
}

/// An admin's change of an allocation's period, as typed.
#[derive(Debug, Clone, Default)]
pub struct PeriodDraft {
    pub start: String,
    pub end: String,
    pub reason: String,
    pub error: Option<FetchError>,
    pub busy: bool,
    /// The allocation and period it was seeded from.
    pub seeded_for: Option<(u64, String, String)>,
}

/// The committee pages' state.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub text: Text,
    pub page: Page,
    /// The request of the request page, the forms on it, what was saved.
    pub detail: Load<RequestDetail>,
    pub decision: DecisionDraft,
    pub period: PeriodDraft,
    pub decision_saved: bool,
    pub period_saved: bool,
    /// Now (the review window's rule reads it), set at each render.
    pub now: chrono::DateTime<chrono::Utc>,
    pub session: Load<SessionInfo>,
    /// The round asked for (`?round=`); the newest with requests when `None`.
    pub round: Option<String>,
    pub overview: Load<RoundOverview>,
    pub proposal: Load<Proposal>,
    /// The queue's filters, sort and page, and its page as the server answered it.
    pub queue_query: QueueQuery,
    pub queue: Load<RequestPage>,
    /// The timeline's pool as picked (the first pool when none or another round's) and its table's page.
    pub timeline_pool: String,
    pub timeline_page: usize,
    /// The proposal's lines: the filter typed and the page.
    pub proposal_filter: String,
    pub proposal_page: usize,
    pub adjusting: Adjusting,
    pub adopting: Adopting,
}

/// One change the committee made to the proposal: the request, its amount before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct MadeChange {
    pub request: u64,
    pub from: u64,
    pub to: u64,
}

/// The committee's changes to the proposal (kept as the round's draft on the server).
#[derive(Debug, Clone, Default)]
pub struct Adjusting {
    /// The changes, in order.
    pub made: Vec<MadeChange>,
    /// The server's proposal after them, with how each moved the figures (none: no change).
    pub adjusted: Option<Adjusted>,
    /// The line being edited, the amount typed and the editor's own objection.
    pub editing: Option<ProposalLine>,
    pub amount: String,
    pub problem: Option<String>,
    /// The server's refusal or a failure.
    pub error: Option<FetchError>,
    /// The saved draft was asked for (once, when the proposal first arrives).
    pub draft_asked: bool,
}

impl Adjusting {
    /// The changes as the API takes them.
    pub fn adjustments(&self) -> Vec<Adjustment> {
        self.made.iter().map(|m| Adjustment { request: RequestId(m.request), amount: m.to }).collect()
    }

    /// `made` with the edited line set to `amount`.
    pub fn with_amount(&self, line: &ProposalLine, amount: u64) -> Vec<MadeChange> {
        let mut made = self.made.clone();
        match made.iter_mut().find(|m| m.request == line.request.0) {
            Some(m) => m.to = amount,
            None => made.push(MadeChange { request: line.request.0, from: line.proposed, to: amount }),
        }
        made
    }
}

/// The adoption of the proposal as one decision per undecided request.
#[derive(Debug, Clone, Default)]
pub struct Adopting {
    pub rationale: String,
    /// An admin's reason to decide before the review window closes.
    pub reason: String,
    pub confirming: bool,
    pub busy: bool,
    pub result: Option<Adopted>,
    pub error: Option<FetchError>,
}

/// The server's message for `field` in `error` (from its per-field list, or
/// what a single-field answer's code means).
pub fn field_message(loc: Locale, error: Option<&FetchError>, field: &str) -> Option<String> {
    let Some(FetchError::Http { api: Some(api), .. }) = error else { return None };
    if let Some(f) = api.fields.iter().find(|f| f.field == field) {
        return Some(loc.pick(&f.message_ko, &f.message_en).to_owned());
    }
    (api.fields.is_empty() && api.field.as_deref() == Some(field)).then(|| api_error(loc, api))
}

impl Model {
    /// The visitor's access to the committee's pages, by the shared role matrix.
    pub fn access(&self) -> Access {
        match &self.session.data {
            None => Access::Loading,
            Some(SessionInfo { user: None, .. }) => Access::Anonymous,
            Some(SessionInfo { user: Some(u), .. }) if can(Some(u.role), Action::ViewCommittee) => {
                Access::Allowed(u.clone())
            }
            Some(SessionInfo { user: Some(u), .. }) => Access::NotPermitted(u.clone()),
        }
    }

    /// Whether what is shown is demo data (labelled until the overview says which round it is).
    pub fn demo(&self) -> bool {
        match &self.overview.data {
            Some(o) => o.source == Some(DataSource::Demo),
            None => self.session.data.as_ref().is_none_or(|s| s.demo),
        }
    }

    /// The proposal as shown: the server's, after the committee's changes.
    pub fn proposal_shown(&self) -> Option<&Proposal> {
        self.adjusting.adjusted.as_ref().map(|a| &a.proposal).or(self.proposal.data.as_ref())
    }

    /// Whether the visitor is an admin.
    pub fn admin(&self) -> bool {
        matches!(self.access(), Access::Allowed(u) if u.role == kairr_shared::auth::Role::Admin)
    }

    /// Each pool of the round with the unit of its amounts.
    pub fn units(&self) -> Vec<(String, PoolUnit)> {
        self.overview.data.iter().flat_map(|o| &o.pools).map(|p| (p.pool.clone(), p.unit)).collect()
    }

    /// The request arrived: the forms start from it (once per request or period, so what is typed stays).
    pub fn detail_arrived(&mut self, answer: Result<RequestDetail, FetchError>) {
        if let Ok(d) = &answer {
            let suggested = match self.page {
                Page::Request { suggested, .. } => suggested,
                Page::Overview => None,
            };
            if self.decision.seeded_for != Some(d.request.id.0) {
                let asked = d.request.amount;
                let start = suggested.unwrap_or(asked).min(asked);
                self.decision = DecisionDraft {
                    kind: DecisionKind::for_amount(start, asked),
                    amount: start.to_string(),
                    start: d.request.period_start.to_string(),
                    end: d.request.period_end.to_string(),
                    seeded_for: Some(d.request.id.0),
                    ..DecisionDraft::default()
                };
            }
            if let Some(a) = &d.allocation {
                let seed = Some((a.id.0, a.start.to_string(), a.end.to_string()));
                if self.period.seeded_for != seed {
                    self.period = PeriodDraft {
                        start: a.start.to_string(),
                        end: a.end.to_string(),
                        seeded_for: seed,
                        ..PeriodDraft::default()
                    };
                }
            }
        }
        self.detail.store(answer);
    }

    /// The session arrived: its pools name the pools from now on.
    pub fn session_arrived(&mut self, answer: Result<SessionInfo, FetchError>) {
        if let Ok(s) = &answer {
            self.text.pools.clone_from(&s.pools);
        }
        self.session.store(answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kairr_shared::auth::Role;

    fn session(role: Option<Role>) -> SessionInfo {
        SessionInfo {
            user: role.map(|role| UserInfo {
                username: "u".into(),
                display_name: "U".into(),
                organisation: "KISTI".into(),
                organisation_id: None,
                role,
            }),
            csrf_token: "t".into(),
            providers: vec![],
            end_session_url: None,
            demo: true,
            pools: vec![],
        }
    }

    #[test]
    fn the_committee_and_admins_may_look_others_are_told_and_nobody_is_asked_to_sign_in() {
        let mut m = Model::default();
        assert_eq!(m.access(), Access::Loading);
        m.session_arrived(Ok(session(None)));
        assert_eq!(m.access(), Access::Anonymous);
        for (role, allowed) in
            [(Role::Committee, true), (Role::Admin, true), (Role::Reviewer, false), (Role::Researcher, false)]
        {
            m.session_arrived(Ok(session(Some(role))));
            assert_eq!(matches!(m.access(), Access::Allowed(_)), allowed, "{role:?}");
        }
    }

    #[test]
    fn a_failed_refresh_keeps_what_was_shown() {
        let mut l = Load::default();
        assert!(l.loading());
        l.store(Ok(1));
        l.store(Err(FetchError::Stream("down".into())));
        assert_eq!(l.data, Some(1));
        assert!(l.error.is_some() && !l.loading());
        l.store(Ok(2));
        assert!(l.error.is_none());
    }
}
