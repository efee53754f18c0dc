//! One request's page for the committee: the request and its advisor result,
//! reviews, conflicts of interest (admins), decision, allocation and usage.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use kairr_shared::allocation::{DetailInput, RequestDetail};
use kairr_shared::auth::{can, Action};
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::state::AppState;

use super::{records, RoundQuery};

/// A request with everything the committee needs to decide it.
#[utoipa::path(get, path = "/api/v1/committee/requests/{id}", tag = "allocation",
    params(("id" = u64, Path, description = "Request id")),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "The request's page", body = RequestDetail),
              (status = 400, description = "The id is not a number", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError),
              (status = 404, description = "No such request", body = kairr_shared::api::ApiError)))]
pub async fn get_request(
    State(state): State<AppState>,
    session: Session,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<RequestDetail>, AppError> {
    let user = require(&session, &state.storage, Action::ViewCommittee).await?;
    let Ok(Path(id)) = id else {
        return Err(AppError::BadParameter { field: "id", message: "a request id is a whole number".into() });
    };
    let Some(request) = state.storage.request(id).await? else {
        return Err(AppError::NotFound(format!("request {id}")));
    };
    let rec = records(&state, &RoundQuery { round: Some(request.round.0.clone()) }).await?;
    let Some(round) = rec.round.as_ref() else { return Err(AppError::NotFound("round".into())) };
    let admin = can(Some(user.role), Action::Administer);
    let conflicts = if admin { Some(state.storage.conflicts_of(id).await?) } else { None };
    let input = DetailInput {
        round,
        reviews: &rec.reviews,
        decisions: &rec.decisions,
        allocations: &rec.allocations,
        usage: &rec.usage,
        conflicts: conflicts.as_deref(),
    };
    let mut detail = RequestDetail::build(request, &input);
    if let (true, Some(a)) = (admin, &detail.allocation) {
        detail.period_changeable = state.storage.allocation_is_real(a.id).await?;
    }
    // A handful of accounts (the reviewers and the decider), each one indexed
    // look-up; the demo's fictional reviewers and committee have records but
    // no account, and their demo names.
    let mut names = std::collections::BTreeMap::new();
    for account in detail.named_accounts() {
        let name = match state.storage.account_by_username(account).await? {
            Some(a) => Some(a.info.display_name),
            None if state.settings.demo.programme => kairr_shared::allocation::demo::display_name(account),
            None => None,
        };
        if let Some(name) = name {
            names.insert(account.to_owned(), name);
        }
    }
    detail.names = names;
    Ok(Json(detail))
}
