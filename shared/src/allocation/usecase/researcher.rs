//! A researcher's own request: submit it, change it or withdraw it while the
//! round takes submissions (the last day included, KST).

use chrono::{DateTime, Utc};

use crate::allocation::audit::{AuditAction, AuditSubject};
use crate::allocation::ids::RequestId;
use crate::allocation::request::{Request, RequestInput, Submission};
use crate::allocation::round::Round;
use crate::allocation::state::RequestState;
use crate::auth::UserInfo;
use crate::organisations::Organisation;

use super::{AuditRecord, Plan, Refusal, RequestRecords, Write, MAX_REQUESTS_PER_APPLICANT};

/// What the storage knows about the applicant, read inside the transaction.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplicantFacts<'a> {
    /// The account's directory entry, when it has one.
    pub organisation: Option<&'a Organisation>,
    /// How many requests the applicant already has in the round (withdrawn ones too).
    pub requests_in_round: usize,
    /// Which of the co-investigators named are active accounts.
    pub accounts: &'a [String],
}

/// Submits `input` to `round` as `applicant`, with the id the storage reserved.
pub fn submit(
    round: &Round,
    applicant: &UserInfo,
    facts: ApplicantFacts<'_>,
    input: &RequestInput,
    id: RequestId,
    now: DateTime<Utc>,
) -> Result<Plan<Request>, Refusal> {
    if !round.stage.accepts_requests() {
        return Err(Refusal::conflict(
            "round_not_open",
            Some("round"),
            format!("round {} is {}, not open for requests", round.id.0, round.stage.as_str()),
        ));
    }
    if facts.requests_in_round >= MAX_REQUESTS_PER_APPLICANT {
        return Err(Refusal::conflict(
            "request_quota",
            Some("round"),
            format!("at most {MAX_REQUESTS_PER_APPLICANT} requests per applicant in a round"),
        ));
    }
    if facts.organisation.is_none() && crate::identity::awaits_organisation(None, &applicant.organisation) {
        return Err(Refusal::conflict(
            "organisation_unconfirmed",
            Some("organisation"),
            "your account's organisation awaits an administrator's confirmation".to_owned(),
        ));
    }
    // A request's organisation is its applicant's (the account's directory entry), never what
    // the form says: conflict-of-interest checks, the organisation cap and the sector targets
    // depend on it. An account from before the directory keeps its name and the form's sector.
    let input = match facts.organisation {
        Some(org) => RequestInput {
            organisation: org.name_ko.clone(),
            sector: org.sector.as_str().into(),
            region: org.region().as_str().into(),
            ..input.clone()
        },
        None => RequestInput { organisation: applicant.organisation.clone(), ..input.clone() },
    };
    let sub = Submission { id, applicant: applicant.username.clone(), at: now, accounts: facts.accounts.to_vec() };
    let mut request = input.parse(round, sub).map_err(Refusal::Invalid)?;
    request.organisation_id = facts.organisation.map(|o| o.id.clone());
    let audit = AuditRecord::new::<(), _>(
        &applicant.username,
        AuditAction::RequestSubmitted,
        AuditSubject::Request(request.id),
        None,
        Some(&request),
        now,
    );
    Ok(Plan { writes: vec![Write::InsertRequest(request.clone())], audit: vec![audit], outcome: request })
}

/// The applicant may still change or withdraw `request`: it is theirs, not
/// yet under review, and the round still takes submissions today.
fn still_open(round: &Round, request: &Request, user: &UserInfo, now: DateTime<Utc>) -> Result<(), Refusal> {
    if request.applicant != user.username {
        return Err(Refusal::conflict(
            "not_applicant",
            None,
            "only the applicant may change or withdraw the request".to_owned(),
        ));
    }
    if request.state != RequestState::Submitted {
        return Err(Refusal::conflict(
            "request_not_editable",
            None,
            format!("the request is {}: it can no longer be changed", request.state.as_str()),
        ));
    }
    let today = crate::time::kst_day(now.timestamp());
    if !round.stage.accepts_requests() || !round.is_open_on(today) {
        return Err(Refusal::conflict(
            "submission_closed",
            Some("round"),
            format!("round {}'s submission window has closed ({} KST)", round.id.0, round.closes),
        ));
    }
    Ok(())
}

/// Whether `user` may still change or withdraw `request` at `now`.
pub fn may_change(round: &Round, request: &Request, user: &UserInfo, now: DateTime<Utc>) -> bool {
    still_open(round, request, user, now).is_ok()
}

/// The applicant changes `request` to `input` before the submission deadline.
/// The organisation stays the one it was submitted with; so do its id and
/// submission time. Unchanged input writes nothing.
pub fn edit_request(
    round: &Round,
    request: &Request,
    user: &UserInfo,
    accounts: &[String],
    input: &RequestInput,
    now: DateTime<Utc>,
) -> Result<Plan<Request>, Refusal> {
    still_open(round, request, user, now)?;
    let input = RequestInput {
        organisation: request.organisation.clone(),
        sector: request.sector.as_str().into(),
        region: request.region.as_str().into(),
        ..input.clone()
    };
    let sub = Submission { id: request.id, applicant: request.applicant.clone(), at: now, accounts: accounts.to_vec() };
    let mut edited = input.parse(round, sub).map_err(Refusal::Invalid)?;
    edited.organisation_id.clone_from(&request.organisation_id);
    edited.submitted_at = request.submitted_at;
    if edited == *request {
        return Ok(Plan { outcome: edited, writes: Vec::new(), audit: Vec::new() });
    }
    let audit = AuditRecord::new(
        &user.username,
        AuditAction::RequestEdited,
        AuditSubject::Request(request.id),
        Some(request),
        Some(&edited),
        now,
    );
    Ok(Plan {
        writes: vec![Write::UpdateRequest { request: edited.clone(), expected: RequestState::Submitted }],
        audit: vec![audit],
        outcome: edited,
    })
}

/// The applicant withdraws `request` before the submission deadline: it
/// leaves the round (kept for the record) and its reviewers' places are freed.
pub fn withdraw_request(
    round: &Round,
    request: &Request,
    records: &RequestRecords,
    user: &UserInfo,
    now: DateTime<Utc>,
) -> Result<Plan<Request>, Refusal> {
    still_open(round, request, user, now)?;
    let mut withdrawn = request.clone();
    withdrawn
        .transition(RequestState::Withdrawn)
        .map_err(|e| Refusal::conflict("request_not_editable", None, e.to_string()))?;
    let mut writes = vec![Write::UpdateRequest { request: withdrawn.clone(), expected: RequestState::Submitted }];
    writes.extend(
        records
            .assignments
            .iter()
            .filter(|a| a.active())
            .map(|a| Write::DeleteAssignment { request: a.request, reviewer: a.reviewer.clone() }),
    );
    let audit = AuditRecord::new(
        &user.username,
        AuditAction::RequestWithdrawn,
        AuditSubject::Request(request.id),
        Some(request),
        Some(&withdrawn),
        now,
    );
    Ok(Plan { writes, audit: vec![audit], outcome: withdrawn })
}
