//! Every request of the allocation programme app: the session and sign-in,
//! the public round, the committee's overview, proposal and request queue,
//! and researchers' requests. State-changing requests carry the session's
//! CSRF token in `X-CSRF-Token`. Components never call the network themselves.

use gloo_net::http::{Request as HttpRequest, RequestBuilder};
use kairr_shared::allocation::assignment::{Assignment, AutoAssigned, ConflictDeclaration, RoundReviewing};
use kairr_shared::allocation::usecase::{AdoptInput, Adopted, ProposalDraft};
use kairr_shared::allocation::usecase::{PeriodChange, StageChange};
use kairr_shared::allocation::{Adjustment, CoiRecord};
use kairr_shared::allocation::{
    Decision, DecisionRequest, OpenRound, Proposal, PublicRound, Request, RequestDetail, RequestInput, RequestPage,
    Review, ReviewAssignments, ReviewInput, RoundOverview,
};
use kairr_shared::allocation::{Round, RoundInput};
pub use kairr_shared::api::{AdjustBody, Adjusted, AdminRound, MyRequest, MyRequestDetail};
use kairr_shared::api::{Incident, Maintenance};
use kairr_shared::auth::{LoginRequest, SessionInfo};
use kairr_shared::notifications::{MarkRead, NotificationList, Preferences};
use kairr_shared::organisations::{Organisation, OrganisationInput};
use kairr_shared::people::{AcceptInvitation, Invitation, Person, PersonChange, PersonInput};
use kairr_shared::status_ops::{IncidentInput, IncidentUpdateInput, MaintenanceInput};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::common::api::{decode, get_json, FetchError};

/// Who is signed in, and the CSRF token.
pub const SESSION_URL: &str = "/api/v1/auth/session";
/// Sign in.
pub const LOGIN_URL: &str = "/api/v1/auth/login";
/// Sign out.
pub const LOGOUT_URL: &str = "/api/v1/auth/logout";
/// The anonymous transparency aggregates of a round.
pub const PUBLIC_URL: &str = "/api/v1/allocations/public";
/// The committee overview.
pub const OVERVIEW_URL: &str = "/api/v1/committee/overview";
/// The proposed allocation.
pub const PROPOSAL_URL: &str = "/api/v1/committee/proposal";
/// The CSV export of a round's requests (a download link).
pub const EXPORT_CSV_URL: &str = "/api/v1/committee/export/requests.csv";
/// The committee's exports: (file, path), each also `?excel=true` (with a BOM for Korean Excel).
pub const EXPORTS: [(&str, &str); 3] = [
    ("requests", EXPORT_CSV_URL),
    ("reviews", "/api/v1/committee/export/reviews.csv"),
    ("allocations", "/api/v1/committee/export/allocations.csv"),
];
/// The committee's request queue.
pub const QUEUE_URL: &str = "/api/v1/committee/requests";
/// Submitting a request.
pub const REQUESTS_URL: &str = "/api/v1/requests";
/// The signed-in researcher's requests.
pub const MINE_URL: &str = "/api/v1/requests/mine";
/// The round open for requests.
pub const OPEN_ROUND_URL: &str = "/api/v1/rounds/open";
/// What the signed-in reviewer may review.
pub const ASSIGNED_URL: &str = "/api/v1/reviews/assigned";
/// Proposal adjustments.
pub const ADJUST_URL: &str = "/api/v1/committee/proposal/adjust";
/// The rounds, for their administrators (`POST` creates one).
pub const ADMIN_ROUNDS_URL: &str = "/api/v1/admin/rounds";
/// The accounts, for their administrators (`POST` creates one).
pub const ADMIN_PEOPLE_URL: &str = "/api/v1/admin/people";
/// Setting one's password with a one-time link.
pub const INVITE_URL: &str = "/api/v1/auth/invite";
/// Every round that is not a draft (public).
pub const ROUNDS_URL: &str = "/api/v1/rounds";
/// Who reviews what in a round (`?round=`); `…/auto` fills the free places.
pub const ASSIGNMENTS_URL: &str = "/api/v1/committee/assignments";
/// The organisations directory (public).
pub const ORGANISATIONS_URL: &str = "/api/v1/organisations";
/// Where admins add organisations (`POST`) and change one (`PUT …/{id}`).
pub const ADMIN_ORGANISATIONS_URL: &str = "/api/v1/admin/organisations";
/// Header carrying the CSRF token.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// The queue's filters, sort and page, as query parameters (empty ones are left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueQuery {
    pub round: Option<String>,
    /// A sector's snake_case name.
    pub sector: String,
    /// A request state's snake_case name.
    pub state: String,
    /// Free text (title, organisation).
    pub q: String,
    /// `id`, `score` (best first), `amount` (largest first) or `organisation`.
    pub sort: String,
    pub page: u32,
    pub per_page: u32,
}

impl QueueQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(r) = &self.round {
            out.push(("round", r.clone()));
        }
        for (name, value) in [("sector", &self.sector), ("state", &self.state), ("q", &self.q), ("sort", &self.sort)] {
            if !value.trim().is_empty() {
                out.push((name, value.trim().to_owned()));
            }
        }
        out.push(("page", self.page.max(1).to_string()));
        out.push(("per_page", self.per_page.max(1).to_string()));
        out
    }
}

/// `GET /api/v1/auth/session` (creates the session cookie).
pub async fn fetch_session() -> Result<SessionInfo, FetchError> {
    get_json(HttpRequest::get(SESSION_URL)).await
}

/// `POST /api/v1/auth/login`.
pub async fn login(csrf: &str, body: &LoginRequest) -> Result<SessionInfo, FetchError> {
    post_json(LOGIN_URL, csrf, Some(body)).await
}

/// `POST /api/v1/auth/logout`.
pub async fn logout(csrf: &str) -> Result<SessionInfo, FetchError> {
    post_json::<(), _>(LOGOUT_URL, csrf, None).await
}

fn round_query(builder: RequestBuilder, round: Option<&str>) -> RequestBuilder {
    match round {
        Some(r) => builder.query([("round", r)]),
        None => builder,
    }
}

/// `GET /api/v1/allocations/public?round=` (the newest round when `None`).
pub async fn fetch_public(round: Option<&str>) -> Result<PublicRound, FetchError> {
    get_json(round_query(HttpRequest::get(PUBLIC_URL), round)).await
}

/// `GET /api/v1/committee/overview?round=`.
pub async fn fetch_overview(round: Option<&str>) -> Result<RoundOverview, FetchError> {
    get_json(round_query(HttpRequest::get(OVERVIEW_URL), round)).await
}

/// `GET /api/v1/committee/proposal?round=`.
pub async fn fetch_proposal(round: Option<&str>) -> Result<Proposal, FetchError> {
    get_json(round_query(HttpRequest::get(PROPOSAL_URL), round)).await
}

/// `GET /api/v1/committee/requests?…`.
pub async fn fetch_queue(query: &QueueQuery) -> Result<RequestPage, FetchError> {
    get_json(HttpRequest::get(QUEUE_URL).query(query.params())).await
}

/// `POST /api/v1/requests?round=` (to the round `round`).
pub async fn submit_request(csrf: &str, round: &str, input: &RequestInput) -> Result<Request, FetchError> {
    let url = format!("{REQUESTS_URL}?round={}", String::from(js_sys::encode_uri_component(round)));
    post_json(&url, csrf, Some(input)).await
}

/// `GET /api/v1/rounds/open` (404: no round is open).
pub async fn fetch_open_round() -> Result<OpenRound, FetchError> {
    get_json(HttpRequest::get(OPEN_ROUND_URL)).await
}

/// `GET /api/v1/committee/requests/{id}`.
pub async fn fetch_request(id: u64) -> Result<RequestDetail, FetchError> {
    get_json(HttpRequest::get(&format!("{QUEUE_URL}/{id}"))).await
}

/// `POST /api/v1/committee/requests/{id}/decision`.
pub async fn decide(csrf: &str, id: u64, input: &DecisionRequest) -> Result<Decision, FetchError> {
    post_json(&format!("{QUEUE_URL}/{id}/decision"), csrf, Some(input)).await
}

/// `POST /api/v1/admin/allocations/{id}/period`.
pub async fn change_period(
    csrf: &str,
    id: u64,
    input: &PeriodChange,
) -> Result<kairr_shared::allocation::Allocation, FetchError> {
    post_json(&format!("/api/v1/admin/allocations/{id}/period"), csrf, Some(input)).await
}

/// `POST /api/v1/committee/proposal/adjust`.
pub async fn adjust(csrf: &str, body: &AdjustBody) -> Result<Adjusted, FetchError> {
    post_json(ADJUST_URL, csrf, Some(body)).await
}

fn proposal_url(what: &str, round: &str) -> String {
    format!("/api/v1/committee/proposal/{what}?round={}", String::from(js_sys::encode_uri_component(round)))
}

/// `GET /api/v1/committee/proposal/draft?round=`: the saved adjustments.
pub async fn fetch_draft(round: &str) -> Result<ProposalDraft, FetchError> {
    get_json(HttpRequest::get(&proposal_url("draft", round))).await
}

/// `PUT /api/v1/committee/proposal/draft?round=`: keeps the adjustments.
pub async fn save_draft(csrf: &str, round: &str, adjustments: Vec<Adjustment>) -> Result<ProposalDraft, FetchError> {
    let body = serde_json::json!({ "adjustments": adjustments });
    send_json(HttpRequest::put(&proposal_url("draft", round)), csrf, &body).await
}

/// `POST /api/v1/committee/proposal/adopt?round=`: one decision per undecided line.
pub async fn adopt(csrf: &str, round: &str, input: &AdoptInput) -> Result<Adopted, FetchError> {
    post_json(&proposal_url("adopt", round), csrf, Some(input)).await
}

/// `GET /api/v1/reviews/assigned`.
pub async fn fetch_assigned() -> Result<ReviewAssignments, FetchError> {
    get_json(HttpRequest::get(ASSIGNED_URL)).await
}

/// `POST /api/v1/requests/{id}/reviews` (409: conflict of interest, or already reviewed).
pub async fn submit_review(csrf: &str, id: u64, input: &ReviewInput) -> Result<Review, FetchError> {
    post_json(&format!("{REQUESTS_URL}/{id}/reviews"), csrf, Some(input)).await
}

/// `PUT /api/v1/requests/{id}/reviews/mine`: changes one's review while the window is open.
pub async fn edit_review(csrf: &str, id: u64, input: &ReviewInput) -> Result<Review, FetchError> {
    send_json(HttpRequest::put(&format!("{REQUESTS_URL}/{id}/reviews/mine")), csrf, input).await
}

/// `GET /api/v1/requests/mine`.
pub async fn fetch_mine() -> Result<Vec<MyRequest>, FetchError> {
    get_json(HttpRequest::get(MINE_URL)).await
}

/// `GET /api/v1/requests/{id}`: one's own request, its round and history.
pub async fn fetch_own_request(id: u64) -> Result<MyRequestDetail, FetchError> {
    get_json(HttpRequest::get(&format!("{REQUESTS_URL}/{id}"))).await
}

/// `PUT /api/v1/requests/{id}`: the applicant changes their request before the deadline.
pub async fn change_request(csrf: &str, id: u64, input: &RequestInput) -> Result<Request, FetchError> {
    send_json(HttpRequest::put(&format!("{REQUESTS_URL}/{id}")), csrf, input).await
}

/// `POST /api/v1/requests/{id}/withdraw`.
pub async fn withdraw_request(csrf: &str, id: u64) -> Result<Request, FetchError> {
    post_json::<(), _>(&format!("{REQUESTS_URL}/{id}/withdraw"), csrf, None).await
}

/// `GET /api/v1/admin/rounds`.
pub async fn fetch_admin_rounds() -> Result<Vec<AdminRound>, FetchError> {
    get_json(HttpRequest::get(ADMIN_ROUNDS_URL)).await
}

/// `POST /api/v1/admin/rounds`: a new round, a draft.
pub async fn create_round(csrf: &str, input: &RoundInput) -> Result<Round, FetchError> {
    post_json(ADMIN_ROUNDS_URL, csrf, Some(input)).await
}

/// `PUT /api/v1/admin/rounds/{id}`: changes a round that is not published.
pub async fn update_round(csrf: &str, id: &str, input: &RoundInput) -> Result<Round, FetchError> {
    let url = format!("{ADMIN_ROUNDS_URL}/{}", String::from(js_sys::encode_uri_component(id)));
    send_json(HttpRequest::put(&url), csrf, input).await
}

/// `POST /api/v1/admin/rounds/{id}/stage`.
pub async fn advance_round(csrf: &str, id: &str, change: &StageChange) -> Result<Round, FetchError> {
    let url = format!("{ADMIN_ROUNDS_URL}/{}/stage", String::from(js_sys::encode_uri_component(id)));
    post_json(&url, csrf, Some(change)).await
}

/// `GET /api/v1/admin/provisioning`: every award's scheduler account and the last pass per cluster.
pub async fn fetch_provisioning() -> Result<kairr_shared::provisioning::ProvisioningReport, FetchError> {
    get_json(HttpRequest::get("/api/v1/admin/provisioning")).await
}

/// `POST /api/v1/admin/provisioning/run`: reconciles now.
pub async fn run_provisioning(csrf: &str) -> Result<kairr_shared::provisioning::ProvisioningRun, FetchError> {
    post_json("/api/v1/admin/provisioning/run", csrf, None::<&()>).await
}

/// `GET /api/v1/admin/people`.
pub async fn fetch_people() -> Result<Vec<Person>, FetchError> {
    get_json(HttpRequest::get(ADMIN_PEOPLE_URL)).await
}

/// `POST /api/v1/admin/people`: a new account and its invitation link.
pub async fn create_person(csrf: &str, input: &PersonInput) -> Result<Invitation, FetchError> {
    post_json(ADMIN_PEOPLE_URL, csrf, Some(input)).await
}

fn person_url(username: &str) -> String {
    format!("{ADMIN_PEOPLE_URL}/{}", String::from(js_sys::encode_uri_component(username)))
}

/// `PATCH /api/v1/admin/people/{username}`.
pub async fn change_person(csrf: &str, username: &str, change: &PersonChange) -> Result<Person, FetchError> {
    send_json(HttpRequest::patch(&person_url(username)), csrf, change).await
}

/// `POST /api/v1/admin/people/{username}/invite`: a new one-time link.
pub async fn invite_person(csrf: &str, username: &str) -> Result<Invitation, FetchError> {
    post_json::<(), _>(&format!("{}/invite", person_url(username)), csrf, None).await
}

/// `GET /api/v1/rounds`: every round that is not a draft, newest first.
pub async fn fetch_rounds() -> Result<Vec<kairr_shared::api::RoundListing>, FetchError> {
    get_json(HttpRequest::get(ROUNDS_URL)).await
}

/// `GET /api/v1/committee/assignments?round=`.
pub async fn fetch_assignments(round: &str) -> Result<RoundReviewing, FetchError> {
    get_json(round_query(HttpRequest::get(ASSIGNMENTS_URL), Some(round))).await
}

/// `POST /api/v1/committee/assignments/auto?round=`: fills every free place.
pub async fn auto_assign(csrf: &str, round: &str) -> Result<AutoAssigned, FetchError> {
    let url = format!("{ASSIGNMENTS_URL}/auto?round={}", String::from(js_sys::encode_uri_component(round)));
    post_json::<(), _>(&url, csrf, None).await
}

/// `POST /api/v1/committee/requests/{id}/assignments`: a place by hand.
pub async fn assign_reviewer(csrf: &str, request: u64, reviewer: &str) -> Result<Assignment, FetchError> {
    let body = serde_json::json!({ "reviewer": reviewer });
    post_json(&format!("/api/v1/committee/requests/{request}/assignments"), csrf, Some(&body)).await
}

/// `DELETE /api/v1/committee/requests/{id}/assignments/{reviewer}`.
pub async fn unassign_reviewer(csrf: &str, request: u64, reviewer: &str) -> Result<(), FetchError> {
    let url = format!(
        "/api/v1/committee/requests/{request}/assignments/{}",
        String::from(js_sys::encode_uri_component(reviewer))
    );
    let request = HttpRequest::delete(&url)
        .header("Accept", "application/json")
        .header(CSRF_HEADER, csrf)
        .build()
        .map_err(|e| FetchError::Network(e.to_string()))?;
    let response = request.send().await.map_err(|e| FetchError::Network(e.to_string()))?;
    if response.ok() {
        Ok(())
    } else {
        decode::<serde_json::Value>(response).await.map(|_| ())
    }
}

/// `POST /api/v1/requests/{id}/conflict`: the reviewer declares a conflict of interest.
pub async fn declare_conflict(csrf: &str, request: u64, body: &ConflictDeclaration) -> Result<CoiRecord, FetchError> {
    post_json(&format!("{REQUESTS_URL}/{request}/conflict"), csrf, Some(body)).await
}

/// `GET /api/v1/organisations`: the directory.
pub async fn fetch_organisations() -> Result<Vec<Organisation>, FetchError> {
    get_json(HttpRequest::get(ORGANISATIONS_URL)).await
}

/// `POST /api/v1/admin/organisations` (a new entry, `id` is `None`) or
/// `PUT /api/v1/admin/organisations/{id}` (a change).
pub async fn save_organisation(
    csrf: &str,
    id: Option<&str>,
    input: &OrganisationInput,
) -> Result<Organisation, FetchError> {
    let Some(id) = id else { return post_json(ADMIN_ORGANISATIONS_URL, csrf, Some(input)).await };
    let url = format!("{ADMIN_ORGANISATIONS_URL}/{}", String::from(js_sys::encode_uri_component(id)));
    send_json(HttpRequest::put(&url), csrf, input).await
}

/// `POST /api/v1/auth/invite`: sets the password with a link's token.
pub async fn accept_invitation(csrf: &str, body: &AcceptInvitation) -> Result<serde_json::Value, FetchError> {
    post_json(INVITE_URL, csrf, Some(body)).await
}

async fn post_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    csrf: &str,
    body: Option<&B>,
) -> Result<T, FetchError> {
    let builder = HttpRequest::post(url).header("Accept", "application/json").header(CSRF_HEADER, csrf);
    let request = match body {
        Some(b) => builder.json(b).map_err(|e| FetchError::Decode(e.to_string()))?,
        None => builder.build().map_err(|e| FetchError::Network(e.to_string()))?,
    };
    let response = request.send().await.map_err(|e| FetchError::Network(e.to_string()))?;
    decode(response).await
}

/// Sends `body` as JSON with the CSRF token (a `PUT` or `PATCH` builder).
async fn send_json<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    csrf: &str,
    body: &B,
) -> Result<T, FetchError> {
    let request = builder
        .header("Accept", "application/json")
        .header(CSRF_HEADER, csrf)
        .json(body)
        .map_err(|e| FetchError::Decode(e.to_string()))?;
    let response = request.send().await.map_err(|e| FetchError::Network(e.to_string()))?;
    decode(response).await
}

/// The HTTP status of a failed request, if the server answered.
pub fn http_status(error: &FetchError) -> Option<u16> {
    match error {
        FetchError::Http { status, .. } => Some(*status),
        _ => None,
    }
}

/// `GET /api/v1/me/notifications`.
pub async fn fetch_notifications() -> Result<NotificationList, FetchError> {
    get_json(HttpRequest::get("/api/v1/me/notifications")).await
}

/// `POST /api/v1/me/notifications/read` (no ids: all).
pub async fn mark_read(csrf: &str, body: &MarkRead) -> Result<NotificationList, FetchError> {
    post_json("/api/v1/me/notifications/read", csrf, Some(body)).await
}

/// `PUT /api/v1/me/preferences`.
pub async fn save_preferences(csrf: &str, body: &Preferences) -> Result<NotificationList, FetchError> {
    send_json(HttpRequest::put("/api/v1/me/preferences"), csrf, body).await
}

/// A system of the catalogue, as the operators' forms need it (the rest of the catalogue is ignored).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct SystemChoice {
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
    pub pools: Vec<PoolChoice>,
}

/// A pool of a [`SystemChoice`].
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct PoolChoice {
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
}

#[derive(serde::Deserialize)]
struct Systems {
    systems: Vec<SystemChoice>,
}

/// `GET /api/v1/catalogue`, reduced to systems and pools.
pub async fn fetch_system_choices() -> Result<Vec<SystemChoice>, FetchError> {
    get_json::<Systems>(HttpRequest::get(crate::common::api::CATALOGUE_URL)).await.map(|s| s.systems)
}

pub use crate::common::api::fetch_incidents;

/// `POST /api/v1/ops/incidents`.
pub async fn post_incident(csrf: &str, body: &IncidentInput) -> Result<Incident, FetchError> {
    post_json("/api/v1/ops/incidents", csrf, Some(body)).await
}

/// `POST /api/v1/ops/incidents/{id}/updates`.
pub async fn post_incident_update(csrf: &str, id: &str, body: &IncidentUpdateInput) -> Result<Incident, FetchError> {
    post_json(&format!("/api/v1/ops/incidents/{id}/updates"), csrf, Some(body)).await
}

/// `POST /api/v1/ops/maintenance`.
pub async fn post_maintenance(csrf: &str, body: &MaintenanceInput) -> Result<Maintenance, FetchError> {
    post_json("/api/v1/ops/maintenance", csrf, Some(body)).await
}
