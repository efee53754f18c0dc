//! An admin ends, shortens, extends or moves an allocation's period after
//! the decision (`POST /api/v1/admin/allocations/{id}/period`). The
//! schedulers follow the allocation record: the provisioning reconciler
//! closes or opens the account and sets its limits from the new period.
//!
//! What has happened is not rewritten: an allocation that has started keeps
//! its first day, a new last day is never before yesterday (KST; "end now"
//! is yesterday: the account is closed from today), a period not started
//! cannot be moved into the past, and the period stays inside the round's.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::allocation::audit::{AuditAction, AuditSubject};
use crate::allocation::form::Form;
use crate::allocation::grant::Allocation;
use crate::allocation::request::{check_period, Request};
use crate::allocation::round::Round;
use crate::auth::UserInfo;

use super::{AuditRecord, Plan, Refusal, Write};

/// Longest reason, in characters.
pub const MAX_PERIOD_REASON_CHARS: usize = 1_000;

/// The body of `POST /api/v1/admin/allocations/{id}/period`: the new first
/// and last day (`YYYY-MM-DD`, KST, inclusive) and why (audited, told to the
/// holders).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PeriodChange {
    pub period_start: String,
    pub period_end: String,
    pub reason: String,
}

impl PeriodChange {
    /// What [`change_period`] would refuse in this form for `allocation`, in
    /// a round whose allocation period is `round_period`, at `now`: the form
    /// checks it before sending.
    pub fn field_problems(
        &self,
        round_period: (NaiveDate, NaiveDate),
        allocation: &Allocation,
        now: DateTime<Utc>,
    ) -> FieldErrors {
        let mut f = Form::default();
        self.read(&mut f, round_period, allocation, now);
        f.errors
    }

    fn read(
        &self,
        f: &mut Form,
        round_period: (NaiveDate, NaiveDate),
        allocation: &Allocation,
        now: DateTime<Utc>,
    ) -> Option<(NaiveDate, NaiveDate, String)> {
        let today = crate::time::kst_day(now.timestamp());
        let yesterday = today.checked_sub_days(Days::new(1)).unwrap_or(today);
        let start = f.date("period_start", &self.period_start);
        let end = f.date("period_end", &self.period_end);
        if let (Some(s), Some(e)) = (start, end) {
            check_period(f, round_period, s, e);
            rules(f, allocation, s, e, today, yesterday);
        }
        let reason = f.text("reason", &self.reason, MAX_PERIOD_REASON_CHARS);
        Some((start?, end?, reason?))
    }
}

/// What the audit entry records before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PeriodRecord {
    start: NaiveDate,
    end: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// `actor` changes `allocation` (of `request`, in `round`) to the period of `input`.
pub fn change_period(
    round: &Round,
    request: &Request,
    allocation: &Allocation,
    actor: &UserInfo,
    input: &PeriodChange,
    now: DateTime<Utc>,
) -> Result<Plan<Allocation>, Refusal> {
    let mut f = Form::default();
    let read = input.read(&mut f, (round.period_start, round.period_end), allocation, now);
    let (start, end, reason) = f.finish(read).map_err(Refusal::Invalid)?;
    let changed = allocation.clone().over(start, end);
    let before = PeriodRecord { start: allocation.start, end: allocation.end, reason: None };
    let after = PeriodRecord { start, end, reason: Some(reason.clone()) };
    Ok(Plan {
        writes: vec![Write::UpdateAllocation {
            allocation: changed.clone(),
            previous: (allocation.start, allocation.end),
            request: Box::new(request.clone()),
            reason,
            at: now,
        }],
        audit: vec![AuditRecord::new(
            &actor.username,
            AuditAction::AllocationPeriodChanged,
            AuditSubject::Allocation(allocation.id),
            Some(&before),
            Some(&after),
            now,
        )],
        outcome: changed,
    })
}

/// The rules that keep what has happened as it was.
fn rules(f: &mut Form, a: &Allocation, start: NaiveDate, end: NaiveDate, today: NaiveDate, yesterday: NaiveDate) {
    if start != a.start {
        if a.start <= today {
            f.fail(
                "period_start",
                Code::Conflict,
                format!("이미 시작된 배분({})의 시작일은 바꿀 수 없습니다.", a.start),
                format!("The allocation started on {}; its first day cannot change.", a.start),
            );
        } else if start < today {
            f.fail(
                "period_start",
                Code::OutOfRange,
                format!("오늘({today}) 이후여야 합니다."),
                format!("Cannot be before today ({today})."),
            );
        }
    }
    if end != a.end && end < yesterday {
        f.fail(
            "period_end",
            Code::OutOfRange,
            format!("어제({yesterday})보다 앞설 수 없습니다. 지금 끝내려면 어제 날짜를 넣으세요."),
            format!("Cannot be before yesterday ({yesterday}); to end it now, give yesterday."),
        );
    }
    if start == a.start && end == a.end {
        f.fail("period_end", Code::Conflict, "지금의 기간과 같습니다.", "This is the current period.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::ids::AllocationId;
    use crate::allocation::request::tests::{request, round};
    use crate::allocation::unit::PoolUnit;
    use crate::allocation::usecase::rounds::tests::admin;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Noon (KST) of `day`.
    fn on(day: &str) -> DateTime<Utc> {
        crate::time::utc(crate::time::kst_midnight(d(day)) + 12 * 3600)
    }

    fn allocation(start: &str, end: &str) -> Allocation {
        Allocation {
            id: AllocationId(5),
            request: request(1).id,
            round: round().id,
            account: "r2026-1-0001".into(),
            pool: "kisti6-gh200".into(),
            unit: PoolUnit::NodeHours,
            amount: 1_000,
            gpus: None,
            start: d(start),
            end: d(end),
        }
    }

    fn change(start: &str, end: &str, reason: &str) -> PeriodChange {
        PeriodChange { period_start: start.into(), period_end: end.into(), reason: reason.into() }
    }

    fn fields(r: Result<Plan<Allocation>, Refusal>) -> Vec<String> {
        match r {
            Err(Refusal::Invalid(f)) => f.0.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn ending_a_running_allocation_now_closes_it_from_today_writes_the_record_and_audits_why() {
        let (rd, rq, a) = (round(), request(1), allocation("2026-03-01", "2026-08-31"));
        let now = on("2026-05-10");
        let plan = change_period(&rd, &rq, &a, &admin(), &change("2026-03-01", "2026-05-09", "  프로젝트 종료 "), now)
            .unwrap();
        assert_eq!((plan.outcome.start, plan.outcome.end), (d("2026-03-01"), d("2026-05-09")));
        assert_eq!(plan.outcome.amount, 1_000, "the award is unchanged");
        match &plan.writes[..] {
            [Write::UpdateAllocation { allocation, previous, .. }] => {
                assert_eq!(allocation, &plan.outcome);
                assert_eq!(*previous, (d("2026-03-01"), d("2026-08-31")));
            }
            other => panic!("{other:?}"),
        }
        let audit = &plan.audit[0];
        assert_eq!(audit.action, AuditAction::AllocationPeriodChanged);
        assert_eq!(audit.subject, AuditSubject::Allocation(AllocationId(5)));
        assert_eq!(audit.before.as_ref().unwrap()["end"], "2026-08-31");
        assert_eq!(audit.after.as_ref().unwrap()["end"], "2026-05-09");
        assert_eq!(audit.after.as_ref().unwrap()["reason"], "프로젝트 종료");
        // The holders hear of it, with the new period and the reason.
        let mut rq = rq;
        rq.co_investigators = vec!["jisoo".into()];
        let plan =
            change_period(&rd, &rq, &a, &admin(), &change("2026-03-01", "2026-05-09", "프로젝트 종료"), now).unwrap();
        let notices = crate::notifications::of_plan(&plan.writes);
        let to: Vec<&str> = notices.iter().map(|n| n.recipient.as_str()).collect();
        assert_eq!(to, [rq.applicant.as_str(), "jisoo"]);
        let text = crate::notifications::render(&notices[0], crate::i18n::Locale::En, &|p| p.to_owned());
        assert!(text.body.contains("2026-05-09") && text.body.contains("프로젝트 종료"), "{}", text.body);
    }

    #[test]
    fn a_started_allocation_keeps_its_first_day_and_the_past_is_not_rewritten() {
        let (rd, rq, a) = (round(), request(1), allocation("2026-03-01", "2026-08-31"));
        let now = on("2026-05-10");
        let r = change_period(&rd, &rq, &a, &admin(), &change("2026-04-01", "2026-08-31", "x"), now);
        assert_eq!(fields(r), ["period_start"]);
        let r = change_period(&rd, &rq, &a, &admin(), &change("2026-03-01", "2026-05-08", "x"), now);
        assert_eq!(fields(r), ["period_end"], "two days ago is the past");
        // Extending stays inside the round's period (2026-03-01..2026-08-31 in the fixture).
        let r = change_period(&rd, &rq, &a, &admin(), &change("2026-03-01", &rd.period_end.to_string(), "x"), now);
        assert_eq!(fields(r), ["period_end"], "the same period is no change");
        let after = rd.period_end.checked_add_days(Days::new(1)).unwrap().to_string();
        let r = change_period(&rd, &rq, &a, &admin(), &change("2026-03-01", &after, "x"), now);
        assert_eq!(fields(r), ["period_end"]);
    }

    #[test]
    fn a_period_not_started_moves_but_not_into_the_past_and_every_field_is_checked_at_once() {
        let (rd, rq, a) = (round(), request(1), allocation("2026-06-01", "2026-08-31"));
        let now = on("2026-05-10");
        let plan =
            change_period(&rd, &rq, &a, &admin(), &change("2026-05-11", "2026-07-31", "조기 시작"), now).unwrap();
        assert_eq!((plan.outcome.start, plan.outcome.end), (d("2026-05-11"), d("2026-07-31")));
        let r = change_period(&rd, &rq, &a, &admin(), &change("2026-05-09", "2026-07-31", "x"), now);
        assert_eq!(fields(r), ["period_start"]);
        let r = change_period(&rd, &rq, &a, &admin(), &change("2026-07-01", "2026-06-30", "x"), now);
        assert_eq!(fields(r), ["period_end"]);
        let r = change_period(&rd, &rq, &a, &admin(), &change("soon", "", " \u{0}"), now);
        assert_eq!(fields(r), ["period_start", "period_end", "reason"]);
    }

    #[test]
    fn the_forms_own_check_finds_what_the_change_refuses() {
        let (rd, rq, a) = (round(), request(1), allocation("2026-03-01", "2026-08-31"));
        let now = on("2026-05-10");
        let within = (rd.period_start, rd.period_end);
        for bad in [
            change("2026-04-01", "2026-08-31", "x"),
            change("2026-03-01", "2026-05-08", ""),
            change("2026-03-01", "2026-08-31", "x"),
            change("soon", "", " \u{0}"),
        ] {
            let Err(Refusal::Invalid(e)) = change_period(&rd, &rq, &a, &admin(), &bad, now) else { panic!("{bad:?}") };
            assert_eq!(bad.field_problems(within, &a, now), e, "{bad:?}");
        }
        assert!(change("2026-03-01", "2026-05-09", "종료").field_problems(within, &a, now).is_empty());
    }
}
