//! The append-only audit record: every decision and every change of an
//! allocation, with who did it, to what, the before and after JSON, and when.
//! [`AuditLog`] only appends (no edit, no removal) and numbers entries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{AllocationId, RequestId, RoundId};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    RoundCreated,
    RoundChanged,
    /// A round moved to its next lifecycle stage.
    RoundStageChanged,
    /// An admin decided before the review window closed (with the reason).
    ReviewWindowOverridden,
    RequestSubmitted,
    /// The applicant changed their request before the submission deadline.
    RequestEdited,
    /// The applicant withdrew their request before the submission deadline.
    RequestWithdrawn,
    RequestStateChanged,
    ReviewSubmitted,
    /// A reviewer changed their review while the review window was open.
    ReviewChanged,
    ConflictOfInterestRecorded,
    /// A reviewer was given a place on a request (by hand or automatically).
    ReviewerAssigned,
    /// A reviewer's place on a request was taken away.
    ReviewerUnassigned,
    DecisionRecorded,
    /// The committee adopted the round's proposal as a batch (each decision has its own entry too).
    ProposalAdopted,
    AllocationCreated,
    AllocationChanged,
    AllocationReclaimed,
    /// Someone signed in (the subject is their account).
    SignIn,
    /// A sign-in was refused (wrong password, unknown or invalid username,
    /// disabled account, or the attempt limit first reached).
    SignInFailed,
    /// A committee member downloaded a CSV export of a round.
    CsvExported,
    /// An admin created an account (it signs in once its invitation is used).
    AccountCreated,
    /// An admin changed an account's name, organisation, role or disabled it.
    AccountChanged,
    /// An admin issued a one-time link to set the password (invitation or reset).
    InvitationIssued,
    /// Someone set their password with an invitation link.
    InvitationUsed,
    /// A first sign-in through an identity provider linked its subject to the new account.
    IdentityLinked,
    /// A status operator posted an incident by hand.
    IncidentPosted,
    /// A status operator added a timed update to their incident (or resolved it).
    IncidentUpdated,
    /// A status operator announced a maintenance window.
    MaintenancePosted,
    /// An admin added an organisation to the directory.
    OrganisationCreated,
    /// An admin changed an organisation's names, aliases, sector or province.
    OrganisationChanged,
    /// The provisioning reconciler created an allocation's scheduler account,
    /// added a user to it or set its limits (the change is the entry's `after`).
    SchedulerAccountChanged,
    /// An admin ended, shortened, extended or moved an allocation's period
    /// (`before`/`after`: first and last day; `after` also the reason).
    AllocationPeriodChanged,
}

/// What it happened to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum AuditSubject {
    Round(RoundId),
    Request(RequestId),
    Allocation(AllocationId),
    /// A person's account, by username.
    Account(String),
    /// An organisation of the directory, by id.
    Organisation(String),
    /// An incident of the status page, by id.
    Incident(String),
    /// A maintenance window of the status page, by id.
    Maintenance(String),
}

impl AuditSubject {
    /// `kind:id`, e.g. `request:12`: how the log indexes its entries by subject.
    pub fn key(&self) -> String {
        match self {
            AuditSubject::Round(id) => format!("round:{}", id.0),
            AuditSubject::Request(id) => format!("request:{}", id.0),
            AuditSubject::Allocation(id) => format!("allocation:{}", id.0),
            AuditSubject::Account(name) => format!("account:{name}"),
            AuditSubject::Organisation(id) => format!("organisation:{id}"),
            AuditSubject::Incident(id) => format!("incident:{id}"),
            AuditSubject::Maintenance(id) => format!("maintenance:{id}"),
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Position in the log, from 1, without gaps.
    pub seq: u64,
    /// Username of who acted (`system` for automatic changes).
    pub actor: String,
    pub action: AuditAction,
    pub subject: AuditSubject,
    /// The record before the change (`None` when created).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    /// The record after the change (`None` when removed).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    pub at: DateTime<Utc>,
}

/// Why an entry cannot be appended.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// Entries must be appended in time order.
    #[error("audit entry at {at} is earlier than the last one at {last}")]
    OutOfOrder { at: DateTime<Utc>, last: DateTime<Utc> },
    #[error("record does not serialise to JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// An append-only, time-ordered list of [`AuditEntry`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AuditLog {
    entries: Vec<AuditEntry>,
}

impl AuditLog {
    /// An empty log.
    pub fn new() -> AuditLog {
        AuditLog::default()
    }

    /// Appends `action` by `actor` on `subject` at `at`, recording `before`
    /// and `after` as JSON; returns the entry with its sequence number.
    pub fn append<B: Serialize, A: Serialize>(
        &mut self,
        actor: &str,
        action: AuditAction,
        subject: AuditSubject,
        change: (Option<&B>, Option<&A>),
        at: DateTime<Utc>,
    ) -> Result<&AuditEntry, AuditError> {
        if let Some(last) = self.entries.last().filter(|l| l.at > at) {
            return Err(AuditError::OutOfOrder { at, last: last.at });
        }
        let before = change.0.map(serde_json::to_value).transpose()?;
        let after = change.1.map(serde_json::to_value).transpose()?;
        let seq = self.entries.len() as u64 + 1;
        self.entries.push(AuditEntry { seq, actor: actor.to_string(), action, subject, before, after, at });
        Ok(&self.entries[self.entries.len() - 1])
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    /// Moves the entries out (to store them).
    pub fn into_entries(self) -> Vec<AuditEntry> {
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_numbered_in_order_and_keep_before_and_after() {
        let mut log = AuditLog::new();
        let subject = AuditSubject::Allocation(AllocationId(3));
        log.append::<u64, u64>(
            "c1",
            AuditAction::AllocationCreated,
            subject.clone(),
            (None, Some(&4)),
            crate::time::utc(10),
        )
        .unwrap();
        let e = log
            .append("c2", AuditAction::AllocationChanged, subject, (Some(&4u64), Some(&2u64)), crate::time::utc(20))
            .unwrap();
        assert_eq!((e.seq, e.before.clone(), e.after.clone()), (2, Some(4.into()), Some(2.into())));
        assert_eq!(log.entries().len(), 2);
    }

    #[test]
    fn an_entry_older_than_the_last_is_refused() {
        let mut log = AuditLog::new();
        let s = AuditSubject::Request(RequestId(1));
        log.append::<(), ()>("a", AuditAction::RequestSubmitted, s.clone(), (None, None), crate::time::utc(20))
            .unwrap();
        let late = log.append::<(), ()>("a", AuditAction::DecisionRecorded, s, (None, None), crate::time::utc(10));
        assert!(matches!(late, Err(AuditError::OutOfOrder { .. })));
    }

    #[test]
    fn the_subject_serialises_with_its_kind() {
        let json = serde_json::to_string(&AuditSubject::Request(RequestId(5))).unwrap();
        assert_eq!(json, r#"{"kind":"request","id":5}"#);
    }
}
