//! `GET /api/v1/books/reports/vat-summary`: output and input VAT and what is
//! payable, per month and currency, as JSON and CSV.

use axum::extract::State;
use axum::response::IntoResponse;
use books::VatSummary;
use identity::ApiScope;
use serde::Deserialize;

use super::csv_download;
use crate::error::{ApiResult, ErrorCode};
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::state::AppState;

/// A range of months, both included; either end may be left open.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthsQuery {
    /// The first month, `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub from: Option<String>,
    /// The last month, `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub to: Option<String>,
}

async fn summary(state: &AppState, member: &Member, query: &MonthsQuery) -> ApiResult<VatSummary> {
    member.require(ApiScope::BooksRead)?;
    state
        .books
        .vat_summary(&member.scope, query.from.as_deref(), query.to.as_deref())
        .await
        .map_err(|error| match error {
            // A month of the query string is the query's fault.
            books::BooksError::Invalid { field, message, .. } => {
                crate::error::ApiError::field(ErrorCode::InvalidQuery, field, message)
            }
            other => other.into(),
        })
}

#[utoipa::path(get, path = "/api/v1/books/reports/vat-summary", tag = "books", params(MonthsQuery),
    responses((status = 200, body = VatSummary, description = "Oldest month first, at most 120 rows")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<MonthsQuery>,
) -> ApiResult<ApiJson<VatSummary>> {
    Ok(ApiJson(summary(&state, &member, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/books/reports/vat-summary.csv", tag = "books", params(MonthsQuery),
    responses((status = 200, content_type = "text/csv", description = "period,currency,output_vat,input_vat,payable, then a total row per currency")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn csv(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<MonthsQuery>,
) -> ApiResult<impl IntoResponse> {
    let report = summary(&state, &member, &query).await?;
    Ok(csv_download(
        "vat-summary",
        books::export::vat_summary_csv(&report),
    ))
}
