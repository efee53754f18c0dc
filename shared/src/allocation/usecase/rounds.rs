//! The administration of rounds as use cases: create one (a draft), change
//! it within what its stage and its records allow, move it one stage on.
//! Like the other use cases, each returns the rows to write (a round update
//! expects the stage it saw) and the audit entries, or a refusal.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode, FieldErrors};
use crate::allocation::audit::{AuditAction, AuditSubject};
use crate::allocation::grant::Allocation;
use crate::allocation::lifecycle::RoundStage;
use crate::allocation::request::Request;
use crate::allocation::round::{Round, RoundInput};
use crate::auth::UserInfo;
use crate::catalogue::Catalogue;

use super::{AuditRecord, Plan, Refusal, Write};

/// `POST /api/v1/admin/rounds/{id}/stage`: the stage the admin saw and the one
/// they confirmed moving to (a round that moved meanwhile is a 409).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChange {
    pub from: RoundStage,
    pub to: RoundStage,
}

/// A round's records as read inside the transaction that changes it.
#[derive(Debug, Clone, Copy)]
pub struct RoundFacts<'a> {
    pub round: &'a Round,
    pub requests: &'a [Request],
    pub allocations: &'a [Allocation],
}

impl RoundFacts<'_> {
    /// Requests submitted or under review.
    pub fn undecided(&self) -> usize {
        self.requests.iter().filter(|r| r.state.is_open()).count()
    }

    /// What is awarded per pool, in each pool's unit.
    pub fn awarded(&self) -> BTreeMap<&str, u64> {
        let mut out = BTreeMap::new();
        for a in self.allocations {
            *out.entry(a.pool.as_str()).or_insert(0) += a.amount;
        }
        out
    }
}

/// Creates round `input` as a draft; `exists` says a round with its id is stored.
pub fn create_round(
    input: &RoundInput,
    cat: &Catalogue,
    exists: bool,
    admin: &UserInfo,
    now: DateTime<Utc>,
) -> Result<Plan<Round>, Refusal> {
    let round = input.parse(cat).map_err(Refusal::Invalid)?;
    if exists {
        return Err(Refusal::conflict("round_exists", Some("id"), format!("round {} exists", round.id.0)));
    }
    let audit = AuditRecord::new::<(), _>(
        &admin.username,
        AuditAction::RoundCreated,
        AuditSubject::Round(round.id.clone()),
        None,
        Some(&round),
        now,
    );
    Ok(Plan { writes: vec![Write::InsertRound(round.clone())], audit: vec![audit], outcome: round })
}

/// Changes the round to `input`, keeping its id and stage. A published round
/// is final; a pool that has requests stays offered in the same unit, and no
/// pool's capacity drops below what is already awarded in it.
pub fn update_round(
    facts: RoundFacts<'_>,
    input: &RoundInput,
    cat: &Catalogue,
    admin: &UserInfo,
    now: DateTime<Utc>,
) -> Result<Plan<Round>, Refusal> {
    let current = facts.round;
    if current.stage == RoundStage::Published {
        return Err(Refusal::conflict("round_published", None, format!("round {} is published", current.id.0)));
    }
    let mut f = FieldErrors::default();
    if input.id.trim() != current.id.0 {
        f.push(
            "id",
            FieldErrorCode::Conflict,
            "회차 식별자는 바꿀 수 없습니다.".to_owned(),
            "A round's id cannot change.".to_owned(),
        );
    }
    let mut round = match input.parse(cat) {
        Ok(r) => r,
        Err(mut e) => {
            e.extend(f);
            return Err(Refusal::Invalid(e));
        }
    };
    if !f.is_empty() {
        return Err(Refusal::Invalid(f));
    }
    round.stage = current.stage;
    let awarded = facts.awarded();
    for (pool, before) in current.pools.iter().map(|p| (p.pool.as_str(), p)) {
        let used = facts.requests.iter().any(|r| r.pool == pool);
        let offered = round.pools.iter().position(|p| p.pool == pool);
        match offered {
            None if used => {
                return Err(Refusal::conflict(
                    "pool_in_use",
                    Some("pools"),
                    format!("pool {pool} has requests and stays offered"),
                ))
            }
            Some(i) if used && round.pools[i].unit != before.unit => {
                return Err(Refusal::conflict(
                    "pool_in_use",
                    Some("pools"),
                    format!("pool {pool} has requests in {}; its unit stays", before.unit.as_str()),
                ))
            }
            _ => {}
        }
    }
    for (pool, amount) in awarded {
        let capacity = round.pool(pool).map_or(0, |p| p.capacity);
        if capacity < amount {
            return Err(Refusal::conflict(
                "capacity_below_awarded",
                Some("pools"),
                format!("pool {pool} has {amount} awarded; its capacity cannot be {capacity}"),
            ));
        }
    }
    let audit = AuditRecord::new(
        &admin.username,
        AuditAction::RoundChanged,
        AuditSubject::Round(round.id.clone()),
        Some(current),
        Some(&round),
        now,
    );
    Ok(Plan {
        writes: vec![Write::UpdateRound { round: round.clone(), expected: current.stage }],
        audit: vec![audit],
        outcome: round,
    })
}

/// Moves the round one stage on, as `change` confirms: it must still be in
/// `change.from`, `change.to` must be the next stage, and a round is decided
/// only when none of its requests waits for a decision.
pub fn advance_round(
    facts: RoundFacts<'_>,
    change: StageChange,
    admin: &UserInfo,
    now: DateTime<Utc>,
) -> Result<Plan<Round>, Refusal> {
    let current = facts.round;
    if change.from != current.stage {
        return Err(Refusal::conflict(
            "stage_changed",
            Some("from"),
            format!("round {} is {} now, not {}", current.id.0, current.stage.as_str(), change.from.as_str()),
        ));
    }
    if current.stage.next() != Some(change.to) {
        return Err(Refusal::conflict(
            "stage_order",
            Some("to"),
            format!("a round moves from {} to the next stage only", current.stage.as_str()),
        ));
    }
    let undecided = facts.undecided();
    if change.to == RoundStage::Decided && undecided > 0 {
        return Err(Refusal::conflict(
            "undecided_requests",
            Some("to"),
            format!("{undecided} requests of round {} are not decided", current.id.0),
        ));
    }
    let mut round = current.clone();
    round.stage = change.to;
    let audit = AuditRecord::new(
        &admin.username,
        AuditAction::RoundStageChanged,
        AuditSubject::Round(round.id.clone()),
        Some(&serde_json::json!({ "stage": current.stage })),
        Some(&serde_json::json!({ "stage": round.stage })),
        now,
    );
    Ok(Plan {
        writes: vec![Write::UpdateRound { round: round.clone(), expected: current.stage }],
        audit: vec![audit],
        outcome: round,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::allocation::ids::AllocationId;
    use crate::allocation::request::tests::request;
    use crate::allocation::round::input::tests::input;
    use crate::allocation::RequestState;
    use crate::auth::Role;

    /// An admin of the centre (KISTI), for the use cases' tests.
    pub(in crate::allocation::usecase) fn admin() -> UserInfo {
        UserInfo {
            username: "admin".into(),
            display_name: "관리자".into(),
            organisation: "KISTI".into(),
            organisation_id: None,
            role: Role::Admin,
        }
    }

    fn at() -> DateTime<Utc> {
        crate::time::utc(1_767_000_000)
    }

    fn facts<'a>(round: &'a Round, requests: &'a [Request], allocations: &'a [Allocation]) -> RoundFacts<'a> {
        RoundFacts { round, requests, allocations }
    }

    #[test]
    fn a_new_round_is_an_audited_draft_and_an_id_is_used_once() {
        let cat = Catalogue::embedded().unwrap();
        let plan = create_round(&input(), &cat, false, &admin(), at()).unwrap();
        assert_eq!(plan.outcome.stage, RoundStage::Draft);
        assert_eq!(plan.writes, vec![Write::InsertRound(plan.outcome.clone())]);
        assert_eq!(plan.audit[0].action, AuditAction::RoundCreated);
        let err = create_round(&input(), &cat, true, &admin(), at()).unwrap_err();
        assert!(matches!(err, Refusal::Conflict { code: "round_exists", field: Some("id"), .. }));
    }

    #[test]
    fn a_round_moves_one_confirmed_stage_at_a_time() {
        let cat = Catalogue::embedded().unwrap();
        let mut round = input().parse(&cat).unwrap();
        for to in [RoundStage::Open, RoundStage::UnderReview, RoundStage::Decided, RoundStage::Published] {
            let from = round.stage;
            // Skipping a stage, or confirming a stage the round has left, is refused.
            if let Some(after) = to.next() {
                let err = advance_round(facts(&round, &[], &[]), StageChange { from, to: after }, &admin(), at());
                assert!(matches!(err, Err(Refusal::Conflict { code: "stage_order", .. })), "{from:?} → {after:?}");
            }
            let err = advance_round(facts(&round, &[], &[]), StageChange { from: to, to }, &admin(), at());
            assert!(matches!(err, Err(Refusal::Conflict { code: "stage_changed", .. })));
            let plan = advance_round(facts(&round, &[], &[]), StageChange { from, to }, &admin(), at()).unwrap();
            assert_eq!(plan.writes, vec![Write::UpdateRound { round: plan.outcome.clone(), expected: from }]);
            assert_eq!(plan.audit[0].action, AuditAction::RoundStageChanged);
            assert_eq!(plan.audit[0].after.as_ref().unwrap()["stage"], to.as_str());
            round = plan.outcome;
        }
        assert_eq!(round.stage, RoundStage::Published);
    }

    #[test]
    fn a_round_is_decided_only_when_every_request_is() {
        let cat = Catalogue::embedded().unwrap();
        let mut round = input().parse(&cat).unwrap();
        round.stage = RoundStage::UnderReview;
        let mut pending = request(1);
        pending.round = round.id.clone();
        let change = StageChange { from: RoundStage::UnderReview, to: RoundStage::Decided };
        let err = advance_round(facts(&round, &[pending.clone()], &[]), change, &admin(), at()).unwrap_err();
        assert!(matches!(err, Refusal::Conflict { code: "undecided_requests", .. }), "{err:?}");
        pending.state = RequestState::Rejected;
        assert!(advance_round(facts(&round, &[pending], &[]), change, &admin(), at()).is_ok());
    }

    #[test]
    fn changes_keep_pools_in_use_and_never_drop_capacity_below_awards() {
        let cat = Catalogue::embedded().unwrap();
        let mut round = input().parse(&cat).unwrap();
        round.stage = RoundStage::UnderReview;
        let req = request(1); // asks nhn-b200
        let award = Allocation::from_decision(
            AllocationId(1),
            &req,
            &crate::allocation::Decision {
                request: req.id,
                kind: crate::allocation::DecisionKind::Approve,
                amount: 40,
                rationale: "우수".into(),
                decided_by: "c".into(),
                at: at(),
            },
            &round,
        )
        .unwrap();
        let (reqs, allocs) = (vec![req], vec![award]);
        // More capacity and a new title: fine, and the stage is kept.
        let mut more = input();
        more.pools[0].capacity = Some(400);
        more.title_en = "2026 first call (extended)".into();
        let plan = update_round(facts(&round, &reqs, &allocs), &more, &cat, &admin(), at()).unwrap();
        assert_eq!(
            (plan.outcome.stage, plan.outcome.pool("nhn-b200").unwrap().capacity),
            (RoundStage::UnderReview, 400)
        );
        assert_eq!(plan.audit[0].action, AuditAction::RoundChanged);
        // Below what is awarded: refused.
        let mut less = input();
        less.pools[0].capacity = Some(39);
        let err = update_round(facts(&round, &reqs, &allocs), &less, &cat, &admin(), at()).unwrap_err();
        assert!(matches!(err, Refusal::Conflict { code: "capacity_below_awarded", .. }), "{err:?}");
        // Dropping a pool that has requests: refused.
        let mut dropped = input();
        dropped.pools.remove(0);
        let err = update_round(facts(&round, &reqs, &[]), &dropped, &cat, &admin(), at()).unwrap_err();
        assert!(matches!(err, Refusal::Conflict { code: "pool_in_use", .. }), "{err:?}");
        // Another id: refused as a field error.
        let mut renamed = input();
        renamed.id = "2027-1".into();
        let Err(Refusal::Invalid(f)) = update_round(facts(&round, &reqs, &[]), &renamed, &cat, &admin(), at()) else {
            panic!()
        };
        assert!(f.get("id").is_some());
        // A published round is final.
        round.stage = RoundStage::Published;
        let err = update_round(facts(&round, &reqs, &allocs), &more, &cat, &admin(), at()).unwrap_err();
        assert!(matches!(err, Refusal::Conflict { code: "round_published", .. }));
    }
}
