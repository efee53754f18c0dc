//! A notice's text, in Korean or English, for the notifications list and the e-mail alike.

use serde::{Deserialize, Serialize};

use super::*;

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
