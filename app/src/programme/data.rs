//! Reactive data hooks of the programme pages (`use_x(arg) -> struct of
//! signals`): they call [`crate::programme::api`] and hold no rendering.

use kairr_shared::allocation::{InitialPublicRound, OpenRound, PublicRound, ReviewAssignments};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;

use crate::programme::api::{self, MyRequest};

/// Data loaded once, or the failure.
#[derive(Debug)]
pub struct Loaded<T: Send + Sync + 'static> {
    pub data: RwSignal<Option<T>>,
    pub error: RwSignal<Option<FetchError>>,
}

impl<T: Send + Sync + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Loaded<T> {}

impl<T: Send + Sync + 'static> Loaded<T> {
    fn new() -> Loaded<T> {
        Loaded { data: RwSignal::new(None), error: RwSignal::new(None) }
    }

    fn store(self, result: Result<T, FetchError>) {
        match result {
            Ok(v) => {
                self.data.set(Some(v));
                self.error.set(None);
            }
            Err(e) => self.error.set(Some(e)),
        }
    }

    /// True while neither data nor an error has arrived.
    pub fn loading(self) -> bool {
        self.data.with(Option::is_none) && self.error.with(Option::is_none)
    }

    /// True when the endpoint answered 404 (it does not exist on this server yet).
    pub fn missing(self) -> bool {
        self.error.with(|e| e.as_ref().and_then(api::http_status) == Some(404))
    }

    /// Marks the page as naming nothing ([`PageMissing`]) when this, the
    /// thing its address names, answers 404: the document title then says
    /// "not found" rather than naming a request that does not exist.
    pub fn names_the_page(self) -> Self {
        let page = PageMissing::use_context();
        Effect::new(move |_| {
            if self.missing() {
                page.0.set(true);
            }
        });
        self
    }
}

/// Whether what the page's address names does not exist (a request id no
/// request has): provided by the app's root, which titles the page from it.
#[derive(Debug, Clone, Copy)]
pub struct PageMissing(pub RwSignal<bool>);

impl PageMissing {
    /// Provides a fresh one (the app's root) and returns it.
    pub fn provide() -> PageMissing {
        let missing = PageMissing(RwSignal::new(false));
        provide_context(missing);
        missing
    }

    /// The page's, or a fresh one outside an app that provides it.
    pub fn use_context() -> PageMissing {
        use_context::<PageMissing>().unwrap_or_else(|| PageMissing(RwSignal::new(false)))
    }
}

/// The public page of `round` (the newest round with an award when `None`),
/// fetched again whenever `round` changes; the page the server embedded
/// (see [`crate::common::first_view`]) stands in for the first fetch when it is of that round.
pub fn use_public_round(round: Signal<Option<String>>) -> Loaded<PublicRound> {
    let loaded = Loaded::new();
    let mut initial = crate::common::first_view::take_initial::<InitialPublicRound>();
    if let Some(i) = initial.take_if(|i| round.with_untracked(|r| *r == i.requested)) {
        loaded.data.set(Some(i.page));
    }
    let skip_first = loaded.data.with_untracked(Option::is_some);
    Effect::new(move |ran: Option<()>| {
        let round = round.get();
        if ran.is_none() && skip_first {
            return;
        }
        spawn_local(async move { loaded.store(api::fetch_public(round.as_deref()).await) });
    });
    loaded
}

/// The signed-in researcher's requests.
pub fn use_my_requests() -> Loaded<Vec<MyRequest>> {
    let loaded = Loaded::new();
    spawn_local(async move { loaded.store(api::fetch_mine().await) });
    loaded
}

/// One's own request `id` (applicant or co-investigator); fetched again whenever `version` changes.
pub fn use_own_request(id: Signal<Option<u64>>, version: Signal<u32>) -> Loaded<api::MyRequestDetail> {
    let loaded = Loaded::new();
    Effect::new(move |_| {
        version.track();
        if let Some(id) = id.get() {
            spawn_local(async move { loaded.store(api::fetch_own_request(id).await) });
        }
    });
    loaded
}

/// The round open for requests (a 404 means none is open).
pub fn use_open_round() -> Loaded<OpenRound> {
    let loaded = Loaded::new();
    spawn_local(async move { loaded.store(api::fetch_open_round().await) });
    loaded
}

/// The signed-in reviewer's list; fetched again whenever `version` changes (after a review).
pub fn use_assigned(version: Signal<u32>) -> Loaded<ReviewAssignments> {
    let loaded = Loaded::new();
    Effect::new(move |_| {
        version.track();
        spawn_local(async move { loaded.store(api::fetch_assigned().await) });
    });
    loaded
}

/// Every round for its administrators; fetched again whenever `version` changes (after a change).
pub fn use_admin_rounds(version: Signal<u32>) -> Loaded<Vec<api::AdminRound>> {
    let loaded = Loaded::new();
    Effect::new(move |_| {
        version.track();
        spawn_local(async move { loaded.store(api::fetch_admin_rounds().await) });
    });
    loaded
}

/// Provisioning of awards into the schedulers; fetched again whenever `version` changes.
pub fn use_provisioning(version: Signal<u32>) -> Loaded<kairr_shared::provisioning::ProvisioningReport> {
    let loaded = Loaded::new();
    Effect::new(move |_| {
        version.track();
        spawn_local(async move { loaded.store(api::fetch_provisioning().await) });
    });
    loaded
}

/// Every account for its administrators; fetched again whenever `version` changes (after a change).
pub fn use_people(version: Signal<u32>) -> Loaded<Vec<kairr_shared::people::Person>> {
    let loaded = Loaded::new();
    Effect::new(move |_| {
        version.track();
        spawn_local(async move { loaded.store(api::fetch_people().await) });
    });
    loaded
}

/// The organisations directory; fetched again whenever `version` changes (after a change).
pub fn use_organisations(version: Signal<u32>) -> Loaded<Vec<kairr_shared::organisations::Organisation>> {
    let loaded = Loaded::new();
    Effect::new(move |_| {
        version.track();
        spawn_local(async move { loaded.store(api::fetch_organisations().await) });
    });
    loaded
}

/// Every round that is not a draft, newest first (fetched once).
pub fn use_rounds() -> Loaded<Vec<kairr_shared::api::RoundListing>> {
    let loaded = Loaded::new();
    spawn_local(async move { loaded.store(api::fetch_rounds().await) });
    loaded
}

/// Who reviews what in `round`; fetched again whenever the round or `version` changes.
pub fn use_assignments(
    round: Signal<Option<String>>,
    version: Signal<u32>,
) -> Loaded<kairr_shared::allocation::assignment::RoundReviewing> {
    let loaded = Loaded::new();
    Effect::new(move |_| {
        version.track();
        if let Some(round) = round.get() {
            spawn_local(async move { loaded.store(api::fetch_assignments(&round).await) });
        }
    });
    loaded
}

/// The signed-in person's notices, shared by the navigation's unread count
/// and the notifications page: fetched whenever the signed-in user changes,
/// replaced by the answers of marking read and saving preferences.
#[derive(Debug, Clone, Copy)]
pub struct Notifications(
    pub Loaded<kairr_shared::notifications::NotificationList>,
    StoredValue<FirstUnread>,
    crate::programme::session::Session,
);

use crate::programme::session::FirstUnread;

/// Provides [`Notifications`] for the app (after the session).
pub fn provide_notifications() {
    let session = crate::programme::session::use_session();
    let loaded = Loaded::new();
    Effect::new(move |_| {
        let user = session.user().map(|u| u.username);
        loaded.data.set(None);
        if user.is_some() {
            spawn_local(async move { loaded.store(api::fetch_notifications().await) });
        }
    });
    let first = use_context::<FirstUnread>().unwrap_or(FirstUnread(None));
    provide_context(Notifications(loaded, StoredValue::new(first), session));
}

/// The app's [`Notifications`] (none outside an app that provides them).
pub fn use_notifications() -> Option<Notifications> {
    use_context::<Notifications>()
}

impl Notifications {
    /// Unread notices: until they are loaded, as the page's first view
    /// counted them for the same user (so the navigation does not change), else 0.
    pub fn unread(self) -> u64 {
        self.0.data.with(|d| d.as_ref().map(|l| l.unread)).unwrap_or_else(|| {
            let user = self.2.user().map(|u| u.username);
            self.1.with_value(|FirstUnread(first)| match (first, user) {
                (Some((who, n)), Some(user)) if *who == user => *n,
                _ => 0,
            })
        })
    }

    /// Fetches the list again (after a command that may have told the person something).
    pub fn refresh(self) {
        let loaded = self.0;
        spawn_local(async move { loaded.store(api::fetch_notifications().await) });
    }

    /// Stores the list a command answered with.
    pub fn replace(self, result: Result<kairr_shared::notifications::NotificationList, FetchError>) {
        self.0.store(result);
    }
}

/// What the status operators' page shows: the systems to choose from and
/// the incidents and maintenance as the public sees them; fetched again
/// whenever `version` changes (after a post).
pub fn use_status_ops(
    version: Signal<u32>,
) -> (Loaded<Vec<api::SystemChoice>>, Loaded<kairr_shared::api::IncidentsResponse>) {
    let systems = Loaded::new();
    spawn_local(async move { systems.store(api::fetch_system_choices().await) });
    let incidents = Loaded::new();
    Effect::new(move |_| {
        version.track();
        spawn_local(async move { incidents.store(api::fetch_incidents().await) });
    });
    (systems, incidents)
}
