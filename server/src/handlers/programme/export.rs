//! CSV exports of requests, reviews and allocations (the `csv` crate).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kairr_shared::allocation::usecase::AuditRecord;
use kairr_shared::allocation::{mean_score, AuditAction, AuditSubject};
use kairr_shared::auth::{Action, UserInfo};
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::programme::RoundRecords;
use crate::state::AppState;

use super::{records, RoundQuery};

/// `?round=` (the newest round when absent) and `?excel=true`: the file
/// starts with a UTF-8 byte order mark, which Excel needs to read Korean
/// text as UTF-8 (other programs read the plain file).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Round id, e.g. `2026-1`.
    pub round: Option<String>,
    /// `true`: for Excel (a UTF-8 byte order mark first).
    pub excel: Option<String>,
}

impl ExportQuery {
    fn split(&self) -> Result<(RoundQuery, bool), AppError> {
        let excel = match self.excel.as_deref() {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(_) => return Err(AppError::BadParameter { field: "excel", message: "excel is true or false".into() }),
        };
        Ok((RoundQuery { round: self.round.clone() }, excel))
    }
}

/// Every request of the round with its mean review score and decision, as CSV.
#[utoipa::path(get, path = "/api/v1/committee/export/requests.csv", tag = "allocation", params(ExportQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "CSV, one row per request", content_type = "text/csv"),
              (status = 400, description = "Unknown round", body = kairr_shared::api::ApiError),
              (status = 404, description = "No round yet", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_requests_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let user = require(&session, &state.storage, Action::Export).await?;
    let (q, excel) = q.split()?;
    let rec = records(&state, &q).await?;
    let rows = rec
        .requests
        .iter()
        .map(|r| {
            let decision = rec.decisions.iter().find(|d| d.request == r.id);
            vec![
                r.id.0.to_string(),
                r.round.0.clone(),
                r.title_ko.clone(),
                r.title_en.clone(),
                r.organisation.clone(),
                r.sector.as_str().to_owned(),
                r.region.as_str().to_owned(),
                r.pool.clone(),
                r.amount.to_string(),
                r.state.as_str().to_owned(),
                mean_score(r.id, &rec.reviews).map(|s| format!("{s:.2}")).unwrap_or_default(),
                decision.map(|d| d.kind.as_str().to_owned()).unwrap_or_default(),
                decision.map(|d| d.amount.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let head = [
        "id",
        "round",
        "title_ko",
        "title_en",
        "organisation",
        "sector",
        "region",
        "pool",
        "amount",
        "state",
        "mean_score",
        "decision",
        "awarded",
    ];
    csv_response(&state, &user, &rec, "kairr-requests.csv", &head, rows, excel).await
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
/// carriage return first, as researchers' titles and comments may be) gets a
/// leading apostrophe (OWASP's CSV injection advice); numbers stay numbers.
fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The CSV file `name`, after appending its audit entry (who exported which round, how many rows).
async fn csv_response(
    state: &AppState,
    user: &UserInfo,
    rec: &RoundRecords,
    name: &str,
    header_row: &[&str],
    rows: Vec<Vec<String>>,
    excel: bool,
) -> Result<Response, AppError> {
    if let Some(round) = &rec.round {
        let entry = AuditRecord {
            actor: user.username.clone(),
            action: AuditAction::CsvExported,
            subject: AuditSubject::Round(round.id.clone()),
            before: None,
            after: Some(serde_json::json!({ "file": name, "rows": rows.len() })),
            at: chrono::Utc::now(),
        };
        state.storage.append_audit(&entry).await?;
    }
    let bom: &[u8] = if excel { "\u{feff}".as_bytes() } else { b"" };
    let mut w = csv::Writer::from_writer(bom.to_vec());
    w.write_record(header_row).map_err(anyhow::Error::from)?;
    for row in rows {
        w.write_record(row.iter().map(|cell| neutralise_formula(cell).into_owned())).map_err(anyhow::Error::from)?;
    }
    let body = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

/// Every review of the round (scores and comments) as CSV.
#[utoipa::path(get, path = "/api/v1/committee/export/reviews.csv", tag = "allocation", params(ExportQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "CSV, one row per review", content_type = "text/csv"),
              (status = 400, description = "Unknown round", body = kairr_shared::api::ApiError),
              (status = 404, description = "No round yet", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_reviews_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let user = require(&session, &state.storage, Action::Export).await?;
    let (q, excel) = q.split()?;
    let rec = records(&state, &q).await?;
    let rows = rec
        .reviews
        .iter()
        .map(|r| {
            let s = &r.rubric;
            vec![
                r.request.0.to_string(),
                r.reviewer.clone(),
                r.reviewer_organisation.clone(),
                s.technical_merit.get().to_string(),
                s.impact.get().to_string(),
                s.ecosystem.get().to_string(),
                s.team_readiness.get().to_string(),
                r.comment.clone(),
                r.at.to_rfc3339(),
            ]
        })
        .collect();
    let head = [
        "request",
        "reviewer",
        "reviewer_organisation",
        "technical_merit",
        "impact",
        "ecosystem",
        "team_readiness",
        "comment",
        "at",
    ];
    csv_response(&state, &user, &rec, "kairr-reviews.csv", &head, rows, excel).await
}

/// Every allocation of the round as CSV.
#[utoipa::path(get, path = "/api/v1/committee/export/allocations.csv", tag = "allocation", params(ExportQuery),
    security(("session" = ["committee", "admin"])),
    responses((status = 200, description = "CSV, one row per allocation", content_type = "text/csv"),
              (status = 400, description = "Unknown round", body = kairr_shared::api::ApiError),
              (status = 404, description = "No round yet", body = kairr_shared::api::ApiError),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not a committee member", body = kairr_shared::api::ApiError)))]
pub async fn get_allocations_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let user = require(&session, &state.storage, Action::Export).await?;
    let (q, excel) = q.split()?;
    let rec = records(&state, &q).await?;
    let rows = rec
        .allocations
        .iter()
        .map(|a| {
            let org =
                rec.requests.iter().find(|r| r.id == a.request).map(|r| r.organisation.clone()).unwrap_or_default();
            let unit = serde_json::to_string(&a.unit).unwrap_or_default().trim_matches('"').to_owned();
            vec![
                a.id.0.to_string(),
                a.request.0.to_string(),
                org,
                a.pool.clone(),
                unit,
                a.amount.to_string(),
                a.gpus.map(|g| g.to_string()).unwrap_or_default(),
                a.start.to_string(),
                a.end.to_string(),
            ]
        })
        .collect();
    let head = ["allocation", "request", "organisation", "pool", "unit", "amount", "gpus", "start", "end"];
    csv_response(&state, &user, &rec, "kairr-allocations.csv", &head, rows, excel).await
}

#[cfg(test)]
mod tests {
    use super::neutralise_formula;

    #[test]
    fn formula_cells_are_neutralised_and_numbers_and_text_kept() {
        for (cell, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+cmd", "'+cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("-12.5", "-12.5"),
            ("기후 에뮬레이터", "기후 에뮬레이터"),
            ("", ""),
        ] {
            assert_eq!(neutralise_formula(cell), out, "{cell}");
        }
    }
}
