//! Notifications (issue 10 §3): people are told what concerns them, in the
//! portal and by e-mail. Pure: [`of_plan`] derives the notices a use case's
//! writes imply (a submission received, a review place given, a decision
//! made), so the server stores them in the same transaction as the change
//! itself and no use case can forget one; [`due_notices`] finds the timed
//! ones (a review due, an allocation about to end); [`render`] is the text,
//! in Korean or English, for the notifications list and for the e-mail
//! alike.
//!
//! Each notice has a key unique per recipient (`decision:42`), so the same
//! event never makes two notices, however often it is derived.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::allocation::decision::DecisionKind;
use crate::allocation::usecase::Write;
use crate::allocation::{PoolUnit, RequestState};
use crate::display::format::thousands;
use crate::i18n::Locale;

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// To the applicant: their request arrived (with its receipt number).
    SubmissionReceived,
    /// To a reviewer: a request was assigned to them.
    ReviewAssigned,
    /// To a reviewer: the review window closes soon and their review is missing.
    ReviewDue,
    /// To the applicant: the committee decided (with the award).
    DecisionMade,
    /// To the applicant: their allocation ends soon.
    AllocationExpiring,
    /// To the applicant: their allocation was flagged idle.
    AllocationIdle,
    /// To the applicant and co-investigators: an admin changed the
    /// allocation's period (ended, shortened, extended or moved it).
    AllocationChanged,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 7] = [
        NoticeKind::SubmissionReceived,
        NoticeKind::ReviewAssigned,
        NoticeKind::ReviewDue,
        NoticeKind::DecisionMade,
        NoticeKind::AllocationExpiring,
        NoticeKind::AllocationIdle,
        NoticeKind::AllocationChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::SubmissionReceived => "submission_received",
            NoticeKind::ReviewAssigned => "review_assigned",
            NoticeKind::ReviewDue => "review_due",
            NoticeKind::DecisionMade => "decision_made",
            NoticeKind::AllocationExpiring => "allocation_expiring",
            NoticeKind::AllocationIdle => "allocation_idle",
            NoticeKind::AllocationChanged => "allocation_changed",
        }
    }
}

/// The facts a notice's text needs (only those of its kind are set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NoticeFacts {
    pub request: Option<u64>,
    pub round: Option<String>,
    pub title_ko: Option<String>,
    pub title_en: Option<String>,
    /// Pool id (the text shows its name).
    pub pool: Option<String>,
    pub decision: Option<DecisionKind>,
    pub amount: Option<u64>,
    pub unit: Option<PoolUnit>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// The review window's last day, or the allocation's.
    pub due: Option<NaiveDate>,
    /// Why it changed (an allocation's new period).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One notice for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    /// Username of who is told.
    pub recipient: String,
    pub kind: NoticeKind,
    /// Unique per recipient: the same event never makes two notices.
    pub key: String,
    pub facts: NoticeFacts,
    pub at: DateTime<Utc>,
}

fn titled(r: &crate::allocation::Request) -> NoticeFacts {
    NoticeFacts {
        request: Some(r.id.0),
        round: Some(r.round.0.clone()),
        title_ko: Some(r.title_ko.clone()),
        title_en: Some(r.title_en.clone()),
        pool: Some(r.pool.clone()),
        ..NoticeFacts::default()
    }
}

/// The notices `writes` imply: a new request tells its applicant, a new
/// review place its reviewer, a decision the applicant and co-investigators
/// (with the award and the allocation's period when there is one), a
/// changed allocation period its holders (with the reason).
pub fn of_plan(writes: &[Write]) -> Vec<Notice> {
    let mut out = Vec::new();
    for w in writes {
        match w {
            Write::InsertRequest(r) => out.push(Notice {
                recipient: r.applicant.clone(),
                kind: NoticeKind::SubmissionReceived,
                key: format!("submitted:{}", r.id.0),
                facts: titled(r),
                at: r.submitted_at,
            }),
            Write::InsertAssignment(a) => out.push(Notice {
                recipient: a.reviewer.clone(),
                kind: NoticeKind::ReviewAssigned,
                key: format!("assigned:{}", a.request.0),
                facts: NoticeFacts {
                    request: Some(a.request.0),
                    round: Some(a.round.0.clone()),
                    ..NoticeFacts::default()
                },
                at: a.at,
            }),
            Write::UpdateRequest { request, expected: RequestState::UnderReview }
                if matches!(
                    request.state,
                    RequestState::Approved | RequestState::PartiallyApproved | RequestState::Rejected
                ) =>
            {
                let decision = writes.iter().find_map(|w| match w {
                    Write::InsertDecision(d) if d.request == request.id => Some(d),
                    _ => None,
                });
                let allocation = writes.iter().find_map(|w| match w {
                    Write::InsertAllocation(a) if a.request == request.id => Some(a),
                    _ => None,
                });
                let Some(decision) = decision else { continue };
                let facts = NoticeFacts {
                    decision: Some(decision.kind),
                    amount: Some(decision.amount),
                    unit: allocation.map(|a| a.unit),
                    start: allocation.map(|a| a.start),
                    end: allocation.map(|a| a.end),
                    ..titled(request)
                };
                // The applicant and every co-investigator hear of the decision.
                for recipient in std::iter::once(&request.applicant).chain(&request.co_investigators) {
                    out.push(Notice {
                        recipient: recipient.clone(),
                        kind: NoticeKind::DecisionMade,
                        key: format!("decision:{}", request.id.0),
                        facts: facts.clone(),
                        at: decision.at,
                    });
                }
            }
            Write::UpdateAllocation { allocation, previous, request, reason, at } => {
                let facts = NoticeFacts {
                    pool: Some(allocation.pool.clone()),
                    start: Some(allocation.start),
                    end: Some(allocation.end),
                    reason: Some(reason.clone()),
                    ..titled(request)
                };
                for recipient in std::iter::once(&request.applicant).chain(&request.co_investigators) {
                    out.push(Notice {
                        recipient: recipient.clone(),
                        kind: NoticeKind::AllocationChanged,
                        // One per change: the same period set twice is two changes.
                        key: format!("period:{}:{}:{}", allocation.id.0, previous.1, at.timestamp_millis()),
                        facts: facts.clone(),
                        at: *at,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// An open review place, as the timed check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPlace {
    pub reviewer: String,
    pub request: u64,
    pub round: String,
    /// The round's review window's last day.
    pub review_closes: NaiveDate,
}

/// An allocation, as the timed check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldAllocation {
    pub applicant: String,
    pub request: u64,
    pub pool: String,
    pub end: NaiveDate,
    /// Flagged idle by the committee's idle check.
    pub idle: bool,
}

/// Days before the review window closes that a missing review is recalled.
pub const REVIEW_DUE_DAYS: i64 = 3;
/// Days before an allocation ends that its holder is told.
pub const EXPIRING_DAYS: i64 = 14;

/// The timed notices on `today` (KST): reviews still missing
/// [`REVIEW_DUE_DAYS`] or fewer days before the window closes, allocations
/// ending within [`EXPIRING_DAYS`], allocations flagged idle. Their keys
/// make each one once (the idle notice once per allocation).
pub fn due_notices(
    places: &[OpenPlace],
    allocations: &[HeldAllocation],
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Vec<Notice> {
    let mut out = Vec::new();
    for p in places {
        let left = (p.review_closes - today).num_days();
        if (0..=REVIEW_DUE_DAYS).contains(&left) {
            out.push(Notice {
                recipient: p.reviewer.clone(),
                kind: NoticeKind::ReviewDue,
                key: format!("review-due:{}", p.request),
                facts: NoticeFacts {
                    request: Some(p.request),
                    round: Some(p.round.clone()),
                    due: Some(p.review_closes),
                    ..NoticeFacts::default()
                },
                at,
            });
        }
    }
    for a in allocations {
        let left = (a.end - today).num_days();
        let facts = NoticeFacts {
            request: Some(a.request),
            pool: Some(a.pool.clone()),
            due: Some(a.end),
            ..NoticeFacts::default()
        };
        if (0..=EXPIRING_DAYS).contains(&left) {
            out.push(Notice {
                recipient: a.applicant.clone(),
                kind: NoticeKind::AllocationExpiring,
                key: format!("expiring:{}", a.request),
                facts: facts.clone(),
                at,
            });
        }
        if a.idle && left >= 0 {
            out.push(Notice {
                recipient: a.applicant.clone(),
                kind: NoticeKind::AllocationIdle,
                key: format!("idle:{}", a.request),
                facts,
                at,
            });
        }
    }
    out
}

/// A notice's text in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rendered {
    pub subject: String,
    pub body: String,
    /// The portal's page about it (a path).
    pub link: String,
}

/// The text of `notice` in `locale`; `pool_name` names a pool id.
pub fn render(notice: &Notice, locale: Locale, pool_name: &dyn Fn(&str) -> String) -> Rendered {
    let f = &notice.facts;
    let ko = locale == Locale::Ko;
    let id = f.request.map(|r| format!("#{r}")).unwrap_or_default();
    let title = match locale {
        Locale::Ko => f.title_ko.clone(),
        Locale::En => f.title_en.clone(),
    }
    .filter(|t| !t.trim().is_empty())
    .map(|t| format!(" “{t}”"))
    .unwrap_or_default();
    let pool = f.pool.as_deref().map(pool_name).unwrap_or_default();
    // Not chrono's strftime: its parser would weigh on the app's wasm.
    let date = |d: Option<NaiveDate>| d.map(crate::display::format::date).unwrap_or_default();
    let amount = match (f.amount, f.unit) {
        (Some(n), Some(u)) => u.amount(locale, n),
        (Some(n), None) => thousands(n),
        _ => String::new(),
    };
    let request_link = f.request.map(|r| format!("/requests/{r}")).unwrap_or_else(|| "/requests/mine".into());
    let (subject, body, link) = match notice.kind {
        NoticeKind::SubmissionReceived => (
            pick(ko, format!("신청 {id} 접수 완료"), format!("Request {id} received")),
            pick(
                ko,
                format!("신청{title}이 접수되었습니다. 접수 번호는 {id}입니다. 심사 진행 상황은 포털의 ‘내 신청’에서 볼 수 있습니다."),
                format!("Your request{title} was received. Its receipt number is {id}. Follow its review under “My requests” in the portal."),
            ),
            request_link,
        ),
        NoticeKind::ReviewAssigned => (
            pick(ko, format!("심사 배정: 신청 {id}"), format!("Review assigned: request {id}")),
            pick(
                ko,
                format!("신청 {id}의 심사위원으로 배정되었습니다. 포털의 심사 목록에서 심사하거나 이해충돌을 신고할 수 있습니다."),
                format!("You were assigned to review request {id}. Review it, or declare a conflict of interest, from your review list in the portal."),
            ),
            "/reviews".to_owned(),
        ),
        NoticeKind::ReviewDue => (
            pick(ko, format!("심사 마감 임박: 신청 {id}"), format!("Review due: request {id}")),
            pick(
                ko,
                format!("신청 {id}의 심사 기한은 {}(KST)까지입니다. 아직 심사가 제출되지 않았습니다.", date(f.due)),
                format!("Your review of request {id} is due by {} (KST) and has not been submitted yet.", date(f.due)),
            ),
            "/reviews".to_owned(),
        ),
        NoticeKind::DecisionMade => {
            let period = match (f.start, f.end) {
                (Some(_), Some(_)) => format!(" ({} ~ {})", date(f.start), date(f.end)),
                _ => String::new(),
            };
            let (ko_text, en_text) = match f.decision {
                Some(DecisionKind::Approve) => (
                    format!("신청{title}이 선정되었습니다. 배분: {pool} {amount}{period}."),
                    format!("Your request{title} was approved: {amount} on {pool}{period}."),
                ),
                Some(DecisionKind::ApprovePartially) => (
                    format!("신청{title}이 일부 선정되었습니다. 배분: {pool} {amount}{period}."),
                    format!("Your request{title} was partly approved: {amount} on {pool}{period}."),
                ),
                _ => (
                    format!("신청{title}은 이번 차수에서 선정되지 않았습니다. 자세한 내용은 포털의 ‘내 신청’에서 볼 수 있습니다."),
                    format!("Your request{title} was not selected in this round. See “My requests” in the portal for details."),
                ),
            };
            (
                pick(ko, format!("신청 {id} 심사 결과"), format!("Decision on request {id}")),
                pick(ko, ko_text, en_text),
                request_link,
            )
        }
        NoticeKind::AllocationExpiring => (
            pick(ko, format!("배분 종료 예정: 신청 {id}"), format!("Allocation ending: request {id}")),
            pick(
                ko,
                format!("{pool} 배분이 {}(KST)에 끝납니다. 계속 사용하려면 다음 차수에 신청하세요.", date(f.due)),
                format!("Your allocation on {pool} ends on {} (KST). Apply in the next round to continue.", date(f.due)),
            ),
            request_link,
        ),
        NoticeKind::AllocationChanged => {
            let why = f.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            (
                pick(ko, format!("배분 기간 변경: 신청 {id}"), format!("Allocation period changed: request {id}")),
                pick(
                    ko,
                    format!("{pool} 배분 기간이 {} ~ {}(KST)로 바뀌었습니다{why}. 기간 밖에는 작업을 제출할 수 없습니다.", date(f.start), date(f.end)),
                    format!("Your allocation on {pool} now runs {} to {} (KST){why}. Jobs cannot be submitted outside it.", date(f.start), date(f.end)),
                ),
                request_link,
            )
        }
        NoticeKind::AllocationIdle => (
            pick(ko, format!("배분 미사용 알림: 신청 {id}"), format!("Allocation unused: request {id}")),
            pick(
                ko,
                format!("{pool} 배분의 사용량이 예상보다 적어 유휴로 표시되었습니다. 계속 쓰지 않으면 위원회가 회수할 수 있습니다."),
                format!("Your allocation on {pool} is used far less than expected and was flagged idle. The committee may reclaim it if it stays unused."),
            ),
            request_link,
        ),
    };
    Rendered { subject, body, link }
}

fn pick(ko: bool, k: String, e: String) -> String {
    if ko {
        k
    } else {
        e
    }
}

/// One notice of a person's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredNotice {
    pub id: i64,
    pub notice: Notice,
    pub read: bool,
}

/// `GET /api/v1/me/notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    /// Newest first, at most 100.
    pub items: Vec<StoredNotice>,
    pub unread: u64,
    /// Where e-mail goes (none: only in the portal).
    pub email: Option<String>,
    /// The language of e-mails (`ko` or `en`).
    pub locale: String,
}

/// `POST /api/v1/me/notifications/read`: which notices were read (none named: all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MarkRead {
    /// At most 100 ids; empty or absent: every notice.
    pub ids: Vec<i64>,
}

/// `PUT /api/v1/me/preferences`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Preferences {
    /// Where notices are e-mailed; empty: only in the portal.
    pub email: String,
    /// `ko` or `en`: the language of e-mails.
    pub locale: String,
}

impl Preferences {
    /// The address (none: notices stay in the portal) and the e-mails'
    /// language, or every field that is not valid, in words for the form.
    pub fn read(&self) -> Result<(Option<String>, Locale), crate::advisor::FieldErrors> {
        use crate::advisor::field_error::FieldErrorCode as Code;
        let mut errors = crate::advisor::FieldErrors::default();
        let email = self.email.trim();
        if !email.is_empty() && !valid_email(email) {
            refuse_email(&mut errors, "email");
        }
        let locale = Locale::from_tag(self.locale.trim());
        if locale.is_none() {
            errors.push(
                "locale",
                Code::UnknownValue,
                "한국어 또는 영어를 고르세요.".into(),
                "Choose Korean or English.".into(),
            );
        }
        match locale {
            Some(l) if errors.is_empty() => Ok(((!email.is_empty()).then(|| email.to_owned()), l)),
            _ => Err(errors),
        }
    }
}

/// Longest e-mail address kept.
pub const MAX_EMAIL_LEN: usize = 254;

/// True for an address e-mail can be sent to: one `@` between a non-empty
/// local part and a dotted domain, no spaces, control or bracket characters
/// (nothing that could add a header or a second recipient).
pub fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else { return false };
    address.len() <= MAX_EMAIL_LEN
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"' | '(' | ')'))
}

/// Refuses `field` as an address [`valid_email`] turned down, in the words
/// every form that asks for an e-mail address uses.
pub fn refuse_email(errors: &mut crate::advisor::FieldErrors, field: &str) {
    errors.push(
        field,
        crate::advisor::field_error::FieldErrorCode::UnknownValue,
        "올바른 전자우편 주소를 입력하세요.".into(),
        "Enter a valid e-mail address.".into(),
    );
}

/// Seconds to wait before delivery attempt `attempts + 1` after `attempts`
/// failures: 30 s doubling, at most an hour.
pub fn retry_after_seconds(attempts: u32) -> i64 {
    30_i64.saturating_mul(1_i64 << attempts.min(7)).min(3_600)
}

/// Delivery attempts after which an e-mail is given up (about a day of retries).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 30;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::decision::Decision;
    use crate::allocation::ids::{AllocationId, RequestId, RoundId};
    use crate::allocation::Allocation;

    fn request(state: RequestState) -> crate::allocation::Request {
        let mut r: crate::allocation::Request = serde_json::from_value(serde_json::json!({
            "id": 42, "round": "2027-1", "applicant": "minji", "title_ko": "기후 모델", "title_en": "Climate model",
            "abstract": "", "pi": "Kim", "organisation": "KAIST", "sector": "university", "region": "non_capital",
            "pool": "kisti6-gh200", "amount": 1000, "period_start": "2027-03-01", "period_end": "2027-08-31",
            "state": "under_review", "submitted_at": "2027-01-10T01:00:00Z"
        }))
        .unwrap();
        r.state = state;
        r
    }

    fn decision(kind: DecisionKind, amount: u64) -> Decision {
        Decision {
            request: RequestId(42),
            kind,
            amount,
            rationale: String::new(),
            decided_by: "boss".into(),
            at: "2027-02-20T05:00:00Z".parse().unwrap(),
        }
    }

    fn allocation(amount: u64) -> Allocation {
        Allocation {
            id: AllocationId(7),
            request: RequestId(42),
            round: RoundId("2027-1".into()),
            account: "r2027-1-0042".into(),
            pool: "kisti6-gh200".into(),
            unit: PoolUnit::NodeHours,
            amount,
            gpus: None,
            start: "2027-03-01".parse().unwrap(),
            end: "2027-08-31".parse().unwrap(),
        }
    }

    fn name(_: &str) -> String {
        "KISTI-6 GH200".into()
    }

    #[test]
    fn a_submission_tells_its_applicant_with_the_receipt_number() {
        let r = request(RequestState::Submitted);
        let notices = of_plan(&[Write::InsertRequest(r)]);
        assert_eq!(notices.len(), 1);
        let n = &notices[0];
        assert_eq!(
            (n.recipient.as_str(), n.kind, n.key.as_str()),
            ("minji", NoticeKind::SubmissionReceived, "submitted:42")
        );
        let ko = render(n, Locale::Ko, &name);
        assert_eq!(ko.subject, "신청 #42 접수 완료");
        assert!(ko.body.contains("“기후 모델”") && ko.body.contains("#42"), "{}", ko.body);
        let en = render(n, Locale::En, &name);
        assert!(en.body.contains("“Climate model”"), "{}", en.body);
        assert_eq!(en.link, "/requests/42");
    }

    #[test]
    fn a_decision_tells_the_applicant_the_award_in_its_unit_and_period() {
        let writes = vec![
            Write::UpdateRequest {
                request: request(RequestState::PartiallyApproved),
                expected: RequestState::UnderReview,
            },
            Write::InsertDecision(decision(DecisionKind::ApprovePartially, 12_500)),
            Write::InsertAllocation(allocation(12_500)),
        ];
        let notices = of_plan(&writes);
        assert_eq!(notices.len(), 1);
        let ko = render(&notices[0], Locale::Ko, &name);
        assert!(ko.body.contains("일부 선정") && ko.body.contains("KISTI-6 GH200 12,500 노드-시간"), "{}", ko.body);
        assert!(ko.body.contains("2027-03-01 ~ 2027-08-31"), "{}", ko.body);
        let en = render(&notices[0], Locale::En, &name);
        assert!(en.body.contains("12,500 node-hours on KISTI-6 GH200"), "{}", en.body);
    }

    #[test]
    fn a_rejection_tells_the_applicant_without_an_award() {
        let writes = vec![
            Write::UpdateRequest { request: request(RequestState::Rejected), expected: RequestState::UnderReview },
            Write::InsertDecision(decision(DecisionKind::Reject, 0)),
        ];
        let n = of_plan(&writes);
        assert_eq!(n[0].key, "decision:42");
        assert!(render(&n[0], Locale::Ko, &name).body.contains("선정되지 않았습니다"));
    }

    #[test]
    fn other_writes_tell_nobody() {
        let r = request(RequestState::Active);
        assert!(of_plan(&[Write::UpdateRequest { request: r, expected: RequestState::Approved }]).is_empty());
    }

    #[test]
    fn timed_notices_come_in_their_window_only() {
        let at = Utc::now();
        let today: NaiveDate = "2027-02-10".parse().unwrap();
        let place = |closes: &str| OpenPlace {
            reviewer: "lee".into(),
            request: 42,
            round: "2027-1".into(),
            review_closes: closes.parse().unwrap(),
        };
        let due = due_notices(&[place("2027-02-13"), place("2027-02-14"), place("2027-02-09")], &[], today, at);
        assert_eq!(due.len(), 1, "3 days ahead only, not 4, not past");
        assert!(render(&due[0], Locale::Ko, &name).body.contains("2027-02-13"));
        let held = |end: &str, idle| HeldAllocation {
            applicant: "minji".into(),
            request: 42,
            pool: "kisti6-gh200".into(),
            end: end.parse().unwrap(),
            idle,
        };
        let kinds = |v: Vec<Notice>| v.into_iter().map(|n| n.kind).collect::<Vec<_>>();
        assert_eq!(
            kinds(due_notices(&[], &[held("2027-02-24", false)], today, at)),
            vec![NoticeKind::AllocationExpiring]
        );
        assert_eq!(kinds(due_notices(&[], &[held("2027-02-25", false)], today, at)), vec![]);
        assert_eq!(kinds(due_notices(&[], &[held("2027-06-30", true)], today, at)), vec![NoticeKind::AllocationIdle]);
        assert_eq!(kinds(due_notices(&[], &[held("2027-01-30", true)], today, at)), vec![], "ended");
    }

    #[test]
    fn only_plain_single_addresses_are_mailable() {
        for ok in ["minji@kaist.ac.kr", "a.b+c@example.co.kr"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "minji",
            "@kaist.ac.kr",
            "minji@kaist",
            "a@b@c.kr",
            "a b@c.kr",
            "a@c.kr\r\nBcc: x@y.z",
            "a@c.kr, b@d.kr",
            "<a@c.kr>",
            "a@.kr",
            "a@c.kr.",
        ] {
            assert!(!valid_email(bad), "{bad:?}");
        }
        assert!(!valid_email(&format!("{}@c.kr", "a".repeat(260))));
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_after_seconds(0), 30);
        assert_eq!(retry_after_seconds(1), 60);
        assert_eq!(retry_after_seconds(6), 1_920);
        assert_eq!(retry_after_seconds(7), 3_600);
        assert_eq!(retry_after_seconds(40), 3_600);
    }

    #[test]
    fn every_kind_renders_in_both_languages() {
        for kind in NoticeKind::ALL {
            let n = Notice {
                recipient: "x".into(),
                kind,
                key: "k".into(),
                facts: NoticeFacts { request: Some(1), ..NoticeFacts::default() },
                at: Utc::now(),
            };
            for l in [Locale::Ko, Locale::En] {
                let r = render(&n, l, &name);
                assert!(!r.subject.is_empty() && !r.body.is_empty() && r.link.starts_with('/'), "{kind:?} {l:?}");
            }
        }
    }

    #[test]
    fn preferences_are_refused_field_by_field_in_words() {
        let bad = Preferences { email: "not-an-address".into(), locale: "fr".into() };
        let e = bad.read().unwrap_err();
        assert_eq!(e.get("email").unwrap().message_ko, "올바른 전자우편 주소를 입력하세요.");
        assert_eq!(e.get("locale").unwrap().message_en, "Choose Korean or English.");
        let ok = Preferences { email: " a@example.kr ".into(), locale: "en".into() };
        assert_eq!(ok.read().unwrap(), (Some("a@example.kr".to_owned()), Locale::En));
        let none = Preferences { email: String::new(), locale: "ko".into() };
        assert_eq!(none.read().unwrap(), (None, Locale::Ko));
    }
}
