//! A researcher's request in a round: the form ([`RequestInput`], optionally
//! pre-filled from the placement wizard's [`AllocationDraft`]) and the parsed
//! [`Request`] with its state.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::advisor::export::AllocationDraft;
use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::advisor::{Region, Sector};

use super::form::Form;
use super::ids::{RequestId, RoundId};
use super::round::{days_between, Round};
use super::state::{RequestState, TransitionError};
use super::unit::PoolCapacity;

/// Largest attached advisor draft, as JSON bytes (a real export is ~3 KiB).
pub const MAX_DRAFT_BYTES: usize = 32 * 1024;

/// Most co-investigators a request may name.
pub const MAX_CO_INVESTIGATORS: usize = 10;

/// The request form as submitted. Dates are `YYYY-MM-DD`; enum fields take snake_case names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RequestInput {
    /// Project title in Korean; at least one of `title_ko` and `title_en` is required.
    pub title_ko: String,
    pub title_en: String,
    /// Summary of the research (required, at most 4,000 characters).
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Principal investigator's name.
    pub pi: String,
    pub organisation: String,
    /// A [`Sector`] name.
    pub sector: String,
    /// A [`Region`] name.
    pub region: String,
    /// A pool the round offers.
    pub pool: String,
    /// Amount in the pool's unit (servers, GPU-hours or node-hours), 1..=the pool's capacity.
    pub amount: Option<u64>,
    pub period_start: String,
    pub period_end: String,
    /// The wizard's export ([`AllocationDraft`] JSON), attached as is.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub advisor_draft: Option<serde_json::Value>,
    /// Usernames of co-investigators: other active accounts of researchers
    /// or reviewers, at most [`MAX_CO_INVESTIGATORS`]. They follow the
    /// request and its decision, and may not review it.
    pub co_investigators: Vec<String>,
}

/// Who submits, with which id, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Id the storage layer gives the request.
    pub id: RequestId,
    /// Username of the submitting researcher.
    pub applicant: String,
    pub at: DateTime<Utc>,
    /// Which of the named co-investigators are active accounts (as the storage found them).
    pub accounts: Vec<String>,
}

impl RequestInput {
    /// The co-investigators named, trimmed, without blanks or repeats, in
    /// order; one more than [`MAX_CO_INVESTIGATORS`] at most (enough to
    /// refuse too many without reading a hostile list to its end).
    pub fn team(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for name in self.co_investigators.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            if out.len() > MAX_CO_INVESTIGATORS {
                break;
            }
            if !out.iter().any(|o| o == name) {
                out.push(name.chars().take(100).collect());
            }
        }
        out
    }
}

/// A request that parsed: every field holds and the round accepts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Request {
    pub id: RequestId,
    pub round: RoundId,
    /// Username of the submitting researcher.
    pub applicant: String,
    pub title_ko: String,
    pub title_en: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub pi: String,
    /// The applicant's organisation, by its Korean name when submitted.
    pub organisation: String,
    /// Its directory id (`None`: a request from before the directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    pub sector: Sector,
    pub region: Region,
    pub pool: String,
    /// Amount asked, in the pool's unit.
    pub amount: u64,
    pub period_start: NaiveDate,
    /// Inclusive.
    pub period_end: NaiveDate,
    /// The wizard's recommendation, when attached.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub advisor_draft: Option<AllocationDraft>,
    /// Usernames of the co-investigators (accounts of the portal).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_investigators: Vec<String>,
    pub state: RequestState,
    pub submitted_at: DateTime<Utc>,
}

impl RequestInput {
    /// Parses the form for `round`, submitted as `sub`: the round must be open
    /// on the submission's KST day, the pool offered, the amount within its
    /// capacity and the period inside the round's allocation period.
    pub fn parse(&self, round: &Round, sub: Submission) -> Result<Request, FieldErrors> {
        let mut f = Form::default();
        if !round.is_open_on(crate::time::kst_day(sub.at.timestamp())) {
            f.fail("round", Code::Conflict, "접수 기간이 아닙니다.", "The round is not open.");
        }
        let fields = self.read_fields(&mut f, round);
        let advisor_draft = self.draft(&mut f);
        let co_investigators = check_team(&mut f, &self.team(), &sub.applicant, Some(&sub.accounts));
        let request = (|| {
            let Fields {
                title_ko,
                title_en,
                abstract_text,
                pi,
                organisation,
                sector,
                region,
                pool,
                amount,
                start,
                end,
            } = fields;
            Some(Request {
                id: sub.id,
                round: round.id.clone(),
                applicant: sub.applicant,
                title_ko: title_ko?,
                title_en: title_en?,
                abstract_text: abstract_text?,
                pi: pi?,
                organisation: organisation?,
                organisation_id: None,
                sector: sector?,
                region: region?,
                pool: pool?,
                amount: amount?,
                period_start: start?,
                period_end: end?,
                advisor_draft: advisor_draft?,
                co_investigators: co_investigators?,
                state: RequestState::Submitted,
                submitted_at: sub.at,
            })
        })();
        f.finish(request)
    }

    /// What is wrong with the form's own fields for `round`, submitted by
    /// `applicant`: every problem [`Self::parse`] finds without the server's
    /// records (whether the round is open today, the co-investigators'
    /// accounts, the attached draft). The app checks a form with it before
    /// sending, so most mistakes are shown at once and the server, running
    /// the same rules, finds nothing new. With `from_directory` the
    /// organisation, sector and region are not the form's: the server takes
    /// them from the account's directory entry.
    pub fn field_problems(&self, round: &Round, applicant: &str, from_directory: bool) -> FieldErrors {
        let mut f = Form::default();
        self.read_fields(&mut f, round);
        check_team(&mut f, &self.team(), applicant, None);
        if from_directory {
            f.errors.0.retain(|e| !matches!(e.field.as_str(), "organisation" | "sector" | "region"));
        }
        f.errors
    }

    fn read_fields(&self, f: &mut Form, round: &Round) -> Fields {
        let title_ko = f.optional_text("title_ko", &self.title_ko, 200);
        let title_en = f.optional_text("title_en", &self.title_en, 200);
        if self.title_ko.trim().is_empty() && self.title_en.trim().is_empty() {
            f.fail(
                "title_ko",
                Code::Required,
                "필수 항목입니다. 국문 또는 영문 과제명을 입력하세요.",
                "This field is required: a Korean or an English title.",
            );
        }
        let abstract_text = f.text("abstract", &self.abstract_text, 4_000);
        let pi = f.text("pi", &self.pi, 100);
        let organisation = f.text("organisation", &self.organisation, 200);
        let sector = f.choice("sector", &self.sector, Sector::parse, &names(Sector::ALL, |s| s.as_str()));
        let region = f.choice("region", &self.region, Region::parse, &names(Region::ALL, |r| r.as_str()));
        let pool = self.pool(f, round);
        // Without a pool the bound is unknown, but a missing amount is still missing.
        let amount = match pool {
            Some(p) => f.whole("amount", self.amount, 1, p.capacity),
            None if self.amount.is_none() => f.whole("amount", None, 1, 1),
            None => None,
        };
        let start = f.date("period_start", &self.period_start);
        let end = f.date("period_end", &self.period_end);
        if let (Some(s), Some(e)) = (start, end) {
            check_period(f, (round.period_start, round.period_end), s, e);
        }
        Fields {
            title_ko,
            title_en,
            abstract_text,
            pi,
            organisation,
            sector,
            region,
            pool: pool.map(|p| p.pool.clone()),
            amount,
            start,
            end,
        }
    }

    fn pool<'r>(&self, f: &mut Form, round: &'r Round) -> Option<&'r PoolCapacity> {
        let pool = round.pool(self.pool.trim());
        if pool.is_none() {
            let offered: Vec<&str> = round.pools.iter().map(|p| p.pool.as_str()).collect();
            f.choice("pool", &self.pool, |_| None::<()>, &offered);
        }
        pool
    }

    fn draft(&self, f: &mut Form) -> Option<Option<AllocationDraft>> {
        let Some(value) = &self.advisor_draft else { return Some(None) };
        if serde_json::to_string(value).map_or(usize::MAX, |t| t.len()) > MAX_DRAFT_BYTES {
            let kib = MAX_DRAFT_BYTES / 1024;
            f.fail(
                "advisor_draft",
                Code::OutOfRange,
                format!("배치 추천 결과는 {kib} KiB 이하여야 합니다."),
                format!("The attached advisor result must be at most {kib} KiB."),
            );
            return None;
        }
        match serde_json::from_value::<AllocationDraft>(value.clone()) {
            Ok(d) => Some(Some(d)),
            Err(e) => {
                let msg = e.to_string();
                f.fail("advisor_draft", Code::UnknownValue, format!("배치 추천 결과를 읽을 수 없습니다: {msg}"), msg);
                None
            }
        }
    }
}

/// The form's fields as read, each `None` when it is invalid.
struct Fields {
    title_ko: Option<String>,
    title_en: Option<String>,
    abstract_text: Option<String>,
    pi: Option<String>,
    organisation: Option<String>,
    sector: Option<Sector>,
    region: Option<Region>,
    pool: Option<String>,
    amount: Option<u64>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
}

/// The co-investigators, if there are not too many, the applicant is not
/// one of them and (when the active `accounts` are known) every one is
/// another active account.
fn check_team(f: &mut Form, team: &[String], applicant: &str, accounts: Option<&[String]>) -> Option<Vec<String>> {
    const FIELD: &str = "co_investigators";
    let mut ok = true;
    if team.len() > MAX_CO_INVESTIGATORS {
        ok = false;
        let n = MAX_CO_INVESTIGATORS;
        f.fail(
            FIELD,
            Code::OutOfRange,
            format!("공동연구자는 {n}명까지입니다."),
            format!("At most {n} co-investigators."),
        );
    }
    if team.iter().any(|m| m == applicant) {
        ok = false;
        f.fail(
            FIELD,
            Code::Conflict,
            "신청자 본인은 공동연구자가 될 수 없습니다.",
            "The applicant cannot be their own co-investigator.",
        );
    }
    let unknown: Vec<&str> = team
        .iter()
        .filter(|m| *m != applicant && accounts.is_some_and(|a| !a.contains(m)))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        ok = false;
        let names: String = unknown.join(", ").chars().filter(|c| !c.is_control()).collect();
        f.fail(
            FIELD,
            Code::UnknownValue,
            format!("포털의 연구자·심사자 계정이 아닙니다: {names}"),
            format!("Not a researcher's or reviewer's account of the portal: {names}"),
        );
    }
    ok.then(|| team.to_vec())
}

/// Checks `start..=end`: not reversed, and both days within the round's
/// allocation period `within` (its first and last day).
pub(super) fn check_period(f: &mut Form, within: (NaiveDate, NaiveDate), start: NaiveDate, end: NaiveDate) {
    if end < start {
        f.fail("period_end", Code::Conflict, "시작일보다 앞설 수 없습니다.", "Cannot precede the start date.");
    }
    let (s, e) = within;
    for (field, day) in [("period_start", start), ("period_end", end)] {
        if !(s..=e).contains(&day) {
            f.fail(
                field,
                Code::OutOfRange,
                format!("배분 기간({s}~{e}) 안이어야 합니다."),
                format!("Must be within the allocation period, {s} to {e}."),
            );
        }
    }
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

impl Request {
    /// The applicant's organisation, to compare with a reviewer's or group by.
    pub fn org(&self) -> crate::organisations::OrgRef<'_> {
        crate::organisations::OrgRef::new(self.organisation_id.as_deref(), &self.organisation)
    }

    /// Whether `username` applied or is a co-investigator.
    pub fn involves(&self, username: &str) -> bool {
        self.applicant == username || self.co_investigators.iter().any(|c| c == username)
    }

    /// Days of the requested period (inclusive).
    pub fn days(&self) -> u32 {
        days_between(self.period_start, self.period_end)
    }

    /// The request's title in Korean, or in English when it has none.
    pub fn title(&self) -> &str {
        if self.title_ko.is_empty() {
            &self.title_en
        } else {
            &self.title_ko
        }
    }

    /// GPU-hours of `amount` (in `pool`'s unit) over this request's period.
    pub fn gpu_hours(&self, pool: &PoolCapacity, amount: u64) -> f64 {
        pool.gpu_hours(amount, self.days())
    }

    /// Moves the request to `to` if the state machine allows it.
    pub fn transition(&mut self, to: RequestState) -> Result<(), TransitionError> {
        self.state = self.state.transition(to)?;
        Ok(())
    }
}

pub mod history;
#[cfg(test)]
pub(crate) mod tests;
