//! `GET /api/v1/wallet/statement` and its CSV export: the wallet's lines in the
//! order money moved, each with the balance after it.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use identity::ApiScope;
use kernel::Currency;
use pay::StatementLine;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatementQuery {
    /// ISO 4217, e.g. CNY.
    pub currency: String,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

pub(crate) fn parse_currency(text: &str) -> ApiResult<Currency> {
    text.parse().map_err(|_| {
        ApiError::field(
            ErrorCode::InvalidQuery,
            "currency",
            "an ISO 4217 code such as CNY or EUR",
        )
    })
}

#[utoipa::path(get, path = "/api/v1/wallet/statement", tag = "wallet", params(StatementQuery),
    responses((status = 200, body = PageBody<StatementLine>)),
    security(("session" = []), ("api_key" = ["wallet:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<StatementQuery>,
) -> ApiResult<ApiJson<PageBody<StatementLine>>> {
    member.require(ApiScope::WalletRead)?;
    let currency = parse_currency(&query.currency)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request()?;
    Ok(ApiJson(
        state
            .pay
            .statement(&member.scope, currency, page)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CsvQuery {
    pub currency: String,
}

#[utoipa::path(get, path = "/api/v1/wallet/statement.csv", tag = "wallet", params(CsvQuery),
    responses((status = 200, content_type = "text/csv", description = "At most 10,000 lines, oldest first")),
    security(("session" = []), ("api_key" = ["wallet:read"])))]
pub async fn csv(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<CsvQuery>,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::WalletRead)?;
    let currency = parse_currency(&query.currency)?;
    let body = state.pay.statement_csv(&member.scope, currency).await?;
    let disposition = format!(
        "attachment; filename=\"hanse-statement-{}.csv\"",
        currency.code()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    ))
}
