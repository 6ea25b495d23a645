//! `POST /api/v1/books/opening-balances`: the figures a company brings from
//! its old books, as a CSV, written as one posted entry.

use axum::extract::State;
use axum::http::StatusCode;
use books::Entry;
use identity::ApiScope;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{ApiJson, ApiQuery, Member, RawBody};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OpeningQuery {
    /// The day the books begin here, `YYYY-MM-DD`; the entry is dated so.
    #[param(format = Date)]
    pub date: String,
}

#[utoipa::path(post, path = "/api/v1/books/opening-balances", tag = "books", params(OpeningQuery),
    request_body(content = String, content_type = "text/csv",
        description = "account_code,currency,debit,credit: one row per account and currency, amounts as decimals, \
            balanced per currency; at most 100 rows and 256 KiB. Not the wallet or escrow accounts: they open from the ledger."),
    responses(
        (status = 201, body = Entry, description = "One posted entry"),
        (status = 409, description = "`period_locked`"),
        (status = 422, description = "`invalid_field`: the row and column, e.g. `rows[3].debit`, or `file`; nothing was written")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn import(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<OpeningQuery>,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, ApiJson<Entry>)> {
    member.require(ApiScope::BooksWrite)?;
    books::parse_date("date", &query.date)
        .map_err(|error| ApiError::field(ErrorCode::InvalidQuery, "date", error.to_string()))?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::field(
            ErrorCode::InvalidField,
            "file",
            "the file is not UTF-8 text",
        )
    })?;
    let entry = state
        .books
        .import_opening_balances(&member.scope, &query.date, text)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(entry)))
}
