//! Reviews: the four-criterion rubric (1–5 each), the reviewer's comment, and
//! the conflict-of-interest rule: a reviewer from the applicant's organisation
//! cannot review the request, and the refusal is kept as a [`CoiRecord`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};

use super::form::Form;
use super::ids::RequestId;
use super::request::Request;
use super::state::RequestState;

/// One rubric score, 1..=5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl Score {
    /// Lowest score.
    pub const MIN: u8 = 1;
    /// Highest score.
    pub const MAX: u8 = 5;

    /// The score, if `value` is 1..=5.
    pub fn new(value: u8) -> Option<Score> {
        (Score::MIN..=Score::MAX).contains(&value).then_some(Score(value))
    }

    /// The score as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = String;
    fn try_from(value: u8) -> Result<Score, String> {
        Score::new(value).ok_or_else(|| format!("score {value} is not 1..=5"))
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

/// The review criteria of the national call, each 1..=5, weighted equally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rubric {
    pub technical_merit: Score,
    /// Social and economic impact.
    pub impact: Score,
    /// Contribution to the AI ecosystem.
    pub ecosystem: Score,
    pub team_readiness: Score,
}

impl Rubric {
    /// Mean of the four criteria, 1.0..=5.0.
    pub fn mean(&self) -> f64 {
        let sum: u32 = [self.technical_merit, self.impact, self.ecosystem, self.team_readiness]
            .iter()
            .map(|s| u32::from(s.get()))
            .sum();
        f64::from(sum) / 4.0
    }
}

/// The review form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReviewInput {
    pub technical_merit: Option<u8>,
    pub impact: Option<u8>,
    pub ecosystem: Option<u8>,
    pub team_readiness: Option<u8>,
    /// Required, at most 4,000 characters.
    pub comment: String,
}

/// The signed-in reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reviewer {
    pub username: String,
    pub organisation: String,
    /// The organisation's directory id, when the account has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
}

impl Reviewer {
    /// The reviewer an account is.
    pub fn of(user: &crate::auth::UserInfo) -> Reviewer {
        Reviewer {
            username: user.username.clone(),
            organisation: user.organisation.clone(),
            organisation_id: user.organisation_id.clone(),
        }
    }

    pub fn org(&self) -> crate::organisations::OrgRef<'_> {
        crate::organisations::OrgRef::new(self.organisation_id.as_deref(), &self.organisation)
    }
}

/// A review of one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub request: RequestId,
    pub reviewer: String,
    pub reviewer_organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer_organisation_id: Option<String>,
    pub rubric: Rubric,
    pub comment: String,
    pub at: DateTime<Utc>,
}

/// A refused review because the reviewer belongs to the applicant's organisation, or is the applicant
/// (visible to admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoiRecord {
    pub request: RequestId,
    pub reviewer: String,
    /// The applicant's organisation (the one the reviewer shares, unless declared).
    pub organisation: String,
    /// The reviewer declared the conflict themselves, with this reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    pub at: DateTime<Utc>,
}

/// Why a review is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReviewError {
    #[error("conflict of interest: {} belongs to {}", .0.reviewer, .0.organisation)]
    ConflictOfInterest(CoiRecord),
    #[error("request is {}, not open for review", .0.as_str())]
    NotOpenForReview(RequestState),
    #[error(transparent)]
    Invalid(#[from] FieldErrors),
}

impl ReviewInput {
    /// Parses a review of `request` by `reviewer` at `at`. The conflict of
    /// interest is checked first: it is refused whatever the form holds.
    pub fn parse(&self, request: &Request, reviewer: &Reviewer, at: DateTime<Utc>) -> Result<Review, ReviewError> {
        // Reviewing one's own request is a conflict whatever organisation it names.
        if request.applicant == reviewer.username || request.org().same(reviewer.org()) {
            return Err(ReviewError::ConflictOfInterest(CoiRecord {
                request: request.id,
                reviewer: reviewer.username.clone(),
                organisation: request.organisation.clone(),
                declared: None,
                at,
            }));
        }
        if !request.state.is_open() {
            return Err(ReviewError::NotOpenForReview(request.state));
        }
        let mut f = Form::default();
        let (rubric, comment) = self.read_fields(&mut f);
        let review = (|| {
            Some(Review {
                request: request.id,
                reviewer: reviewer.username.clone(),
                reviewer_organisation: reviewer.organisation.clone(),
                reviewer_organisation_id: reviewer.organisation_id.clone(),
                rubric: rubric?,
                comment: comment?,
                at,
            })
        })();
        Ok(f.finish(review)?)
    }

    /// What [`ReviewInput::parse`] would refuse in the form itself (scores
    /// and comment), without the request and the reviewer: the review form
    /// runs it before sending, and the server, running the same rules, finds
    /// nothing new there.
    pub fn field_problems(&self) -> FieldErrors {
        let mut f = Form::default();
        self.read_fields(&mut f);
        f.errors
    }

    fn read_fields(&self, f: &mut Form) -> (Option<Rubric>, Option<String>) {
        let mut score = |field: &str, v: Option<u8>| {
            let s = v.and_then(Score::new);
            if s.is_none() {
                f.fail(field, Code::OutOfRange, "1~5점 중 하나를 고르세요.", "Choose a score from 1 to 5.");
            }
            s
        };
        let scores = [
            score("technical_merit", self.technical_merit),
            score("impact", self.impact),
            score("ecosystem", self.ecosystem),
            score("team_readiness", self.team_readiness),
        ];
        let rubric = match scores {
            [Some(technical_merit), Some(impact), Some(ecosystem), Some(team_readiness)] => {
                Some(Rubric { technical_merit, impact, ecosystem, team_readiness })
            }
            _ => None,
        };
        let comment = f.text("comment", &self.comment, 4_000);
        (rubric, comment)
    }
}

/// Mean rubric score of the reviews of `request` (1.0..=5.0); `None` when it has none.
pub fn mean_score<'a>(request: RequestId, reviews: impl IntoIterator<Item = &'a Review>) -> Option<f64> {
    let (sum, n) = reviews
        .into_iter()
        .filter(|r| r.request == request)
        .fold((0.0, 0u32), |(s, n), r| (s + r.rubric.mean(), n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::request::tests::request;

    fn form() -> ReviewInput {
        ReviewInput {
            technical_merit: Some(5),
            impact: Some(4),
            ecosystem: Some(4),
            team_readiness: Some(3),
            comment: "좋음".into(),
        }
    }

    fn reviewer(org: &str) -> Reviewer {
        Reviewer { username: "rev".into(), organisation: org.into(), organisation_id: None }
    }

    #[test]
    fn a_reviewer_from_the_applicants_organisation_is_refused_and_recorded() {
        let r = request(7);
        let err = form().parse(&r, &reviewer(" 부산대학교 "), crate::time::utc(0)).unwrap_err();
        let ReviewError::ConflictOfInterest(coi) = err else { panic!("expected a conflict, got {err:?}") };
        assert_eq!(
            (coi.request, coi.reviewer.as_str(), coi.organisation.as_str()),
            (RequestId(7), "rev", "부산대학교")
        );
    }

    #[test]
    fn an_applicant_cannot_review_their_own_request_under_another_organisation_name() {
        let r = request(7);
        let me = Reviewer { username: r.applicant.clone(), organisation: "KAIST".into(), organisation_id: None };
        let err = form().parse(&r, &me, crate::time::utc(0)).unwrap_err();
        assert!(matches!(err, ReviewError::ConflictOfInterest(ref c) if c.reviewer == r.applicant), "{err:?}");
    }

    #[test]
    fn a_review_scores_the_mean_of_its_four_criteria() {
        let review = form().parse(&request(1), &reviewer("KAIST"), crate::time::utc(0)).unwrap();
        assert_eq!(review.rubric.mean(), 4.0);
        assert_eq!(mean_score(RequestId(1), [&review]), Some(4.0));
        assert_eq!(mean_score(RequestId(2), [&review]), None);
    }

    #[test]
    fn out_of_range_scores_and_a_missing_comment_are_each_reported() {
        let bad = ReviewInput { technical_merit: Some(6), impact: None, comment: " ".into(), ..form() };
        let Err(ReviewError::Invalid(errors)) = bad.parse(&request(1), &reviewer("KAIST"), crate::time::utc(0)) else {
            panic!("expected field errors");
        };
        for field in ["technical_merit", "impact", "comment"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        // The form finds the same problems before sending, with the same words.
        assert_eq!(bad.field_problems(), errors);
        assert!(form().field_problems().is_empty());
    }

    #[test]
    fn scores_outside_one_to_five_do_not_deserialize() {
        assert!(serde_json::from_str::<Score>("0").is_err());
        assert_eq!(serde_json::from_str::<Score>("5").unwrap().get(), 5);
    }
}
