//! Reactive data hooks of the programme pages (`use_x(arg) -> struct of
//! signals`): they call [`crate::programme::api`] and hold no rendering.

use futures_util::future::join;
use futures_util::{FutureExt, StreamExt};
use gloo_net::eventsource::futures::{EventSource, EventSourceSubscription};
use gloo_timers::future::TimeoutFuture;
use kairr_shared::allocation::{
    InitialPublicRound, OpenRound, Proposal, PublicRound, RequestDetail, ReviewAssignments, RoundOverview,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use kairr_shared::allocation::RequestPage;

use crate::programme::api::{self, MyRequest, QueueQuery};
use crate::programme::timing;

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

/// The committee's overview and proposal of the newest round, fetched together
/// (render timing starts when both have arrived).
#[derive(Debug, Clone, Copy)]
pub struct CommitteeData {
    pub overview: Loaded<RoundOverview>,
    pub proposal: Loaded<Proposal>,
}

/// Fetches the committee data of `round` (the newest round with requests
/// when `None`), and again whenever `round` changes or `changes` ticks
/// (another member's decision, a new review or request): what is shown stays
/// until the new answer replaces it.
pub fn use_committee_data(changes: Signal<u32>, round: Signal<Option<String>>) -> CommitteeData {
    let data = CommitteeData { overview: Loaded::new(), proposal: Loaded::new() };
    let latest = Latest::default();
    Effect::new(move |ran: Option<()>| {
        changes.track();
        let round = round.get();
        let first = ran.is_none();
        let mine = latest.next();
        spawn_local(async move {
            let r = round.as_deref();
            let (overview, proposal) = join(api::fetch_overview(r), api::fetch_proposal(r)).await;
            if !latest.is(mine) {
                return;
            }
            if first && overview.is_ok() {
                timing::data_arrived();
            }
            data.overview.store(overview);
            data.proposal.store(proposal);
        });
    });
    data
}

/// Numbers the fetches of one hook so that only the newest answer is
/// stored: a slow older answer arriving last never overwrites a newer one,
/// and an answer arriving after the page was left (the counter disposed with
/// it, say after a client-side navigation) is dropped rather than read.
#[derive(Debug, Clone, Copy)]
struct Latest(StoredValue<u32>);

impl Default for Latest {
    fn default() -> Self {
        Latest(StoredValue::new(0))
    }
}

impl Latest {
    fn next(self) -> u32 {
        self.0
            .try_update_value(|n| {
                *n = n.wrapping_add(1);
                *n
            })
            .unwrap_or_default()
    }

    fn is(self, n: u32) -> bool {
        self.0.try_get_value() == Some(n)
    }
}

/// Ticks once for every burst of `programme` events on `/api/v1/events`
/// (the server says only which round changed and how; the pages re-fetch).
/// The stream is reopened with a pause when the browser gives up on it.
pub fn use_programme_changes() -> Signal<u32> {
    let tick = RwSignal::new(0u32);
    crate::common::live::spawn_owned(follow_programme(tick));
    tick.into()
}

/// First and longest pause before reopening a closed event stream (the
/// server asks for 30 s when it has too many live clients), and the window a
/// burst of changes is gathered in, in ms.
const REOPEN_MS: (u32, u32) = (2_000, 30_000);
const BURST_MS: u32 = 400;

async fn follow_programme(tick: RwSignal<u32>) {
    let bump = move || tick.update(|n| *n = n.wrapping_add(1));
    let mut pause = REOPEN_MS.0;
    let mut reopened = false;
    loop {
        if let Ok((_source, mut events)) = programme_events() {
            // Changes made while the stream was down were never announced: re-fetch once.
            if reopened {
                bump();
            }
            while let Some(Ok((_, message))) = events.next().await {
                pause = REOPEN_MS.0;
                if crate::common::api::decode_programme_event(&message).is_err() {
                    continue;
                }
                // One re-fetch for the whole burst (a committee deciding many requests).
                TimeoutFuture::new(BURST_MS).await;
                while let Some(Some(_)) = events.next().now_or_never() {}
                bump();
            }
        }
        reopened = true;
        TimeoutFuture::new(pause).await;
        pause = (pause * 2).min(REOPEN_MS.1);
    }
}

fn programme_events() -> Result<(EventSource, EventSourceSubscription), FetchError> {
    crate::common::api::subscribe_programme()
}

/// The round the committee looks at (`?round=`; `None`: the newest with
/// requests), as context for the components below the page.
#[derive(Debug, Clone, Copy)]
pub struct SelectedRound(pub Signal<Option<String>>);

/// The programme's changes as context, for components below the page that re-fetch on them.
#[derive(Debug, Clone, Copy)]
pub struct ProgrammeChanges(pub Signal<u32>);

/// The committee's request queue for `query`, fetched again when it changes
/// and when the programme's changes (from context, if any) tick.
pub fn use_queue(query: Signal<QueueQuery>) -> Loaded<RequestPage> {
    let loaded = Loaded::new();
    let changes = use_context::<ProgrammeChanges>();
    let latest = Latest::default();
    Effect::new(move |_| {
        let q = query.get();
        if let Some(ProgrammeChanges(c)) = changes {
            c.track();
        }
        let mine = latest.next();
        spawn_local(async move {
            let answer = api::fetch_queue(&q).await;
            if latest.is(mine) {
                loaded.store(answer);
            }
        });
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

/// One request's committee page; fetched again whenever `version` changes (after a decision).
pub fn use_request_detail(id: Signal<Option<u64>>, version: Signal<u32>) -> Loaded<RequestDetail> {
    let loaded = Loaded::new();
    Effect::new(move |_| {
        version.track();
        if let Some(id) = id.get() {
            spawn_local(async move { loaded.store(api::fetch_request(id).await) });
        }
    });
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
