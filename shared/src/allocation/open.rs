//! The round open for proposals today, as `GET /api/v1/rounds/open` answers:
//! which of the stored rounds accepts requests, with its pools (unit and
//! capacity), allocation period and policy.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::DataSource;

use super::round::Round;

/// The open round and where its record comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenRound {
    /// Dates, pools (unit and capacity), sector targets and policy (minimum score, organisation cap).
    pub round: Round,
    /// `demo` for the seeded demo round; absent for real rounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DataSource>,
}

/// The round open on KST day `today`: of those whose window contains it, the
/// one that opened last (ties: the greatest id). `None` when none is open.
pub fn open_round<'a>(rounds: impl IntoIterator<Item = &'a Round>, today: NaiveDate) -> Option<&'a Round> {
    rounds.into_iter().filter(|r| r.is_open_on(today)).max_by(|a, b| (a.opens, &a.id.0).cmp(&(b.opens, &b.id.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::demo::open_demo_round;
    use crate::catalogue::Catalogue;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_round_whose_window_contains_today_is_open() {
        let cat = Catalogue::embedded().unwrap();
        let round = open_demo_round(day("2026-11-21"), &cat).unwrap();
        assert_eq!(open_round([&round], day("2026-11-21")).map(|r| r.id.0.as_str()), Some("2026-2"));
        assert_eq!(open_round([&round], round.opens).map(|r| r.id.0.as_str()), Some("2026-2"));
        assert_eq!(open_round([&round], round.closes).map(|r| r.id.0.as_str()), Some("2026-2"));
        assert!(open_round([&round], round.closes.succ_opt().unwrap()).is_none());
        assert!(open_round([&round], round.opens.pred_opt().unwrap()).is_none());
        assert!(open_round([], day("2026-11-21")).is_none());
    }

    #[test]
    fn of_two_open_rounds_the_one_opened_last_is_chosen() {
        let cat = Catalogue::embedded().unwrap();
        let older = open_demo_round(day("2026-11-15"), &cat).unwrap();
        let mut newer = open_demo_round(day("2026-11-21"), &cat).unwrap();
        newer.id.0 = "2026-3".into();
        let today = day("2026-11-21");
        assert_eq!(open_round([&newer, &older], today).map(|r| r.id.0.as_str()), Some("2026-3"));
        assert_eq!(open_round([&older, &newer], today).map(|r| r.id.0.as_str()), Some("2026-3"));
    }
}
