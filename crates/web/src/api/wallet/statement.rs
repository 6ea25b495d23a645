//! `GET /api/v1/wallet/statement` and its CSV export: the wallet's lines in the
//! order money moved, each with the balance after it.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use identity::ApiScope;
use kernel::Currency;
use pay::StatementLine;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatementQuery {
    /// ISO 4217, e.g. CNY.
    #[param(inline)]
    pub currency: Currency,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
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
    let currency = query.currency;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state
            .pay
            .statement(&member.scope, currency, page)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CsvQuery {
    /// ISO 4217, e.g. CNY.
    #[param(inline)]
    pub currency: Currency,
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
    let currency = query.currency;
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
