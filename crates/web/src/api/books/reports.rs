//! `/api/v1/books/reports`: the trial balance, profit and loss, the balance
//! sheet and one account's general ledger, each as JSON and as CSV.

use axum::extract::State;
use axum::response::IntoResponse;
use books::{AccountId, BalanceSheet, GeneralLedger, ProfitAndLoss, ReportRange, TrialBalance};
use identity::ApiScope;
use serde::Deserialize;

use super::{csv_download, query_date};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::state::AppState;

/// A range of entry dates; either end may be left open.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RangeQuery {
    /// The first day, `YYYY-MM-DD`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// The day after the last, `YYYY-MM-DD`.
    #[param(format = Date)]
    pub to: Option<String>,
}

impl RangeQuery {
    fn range(&self) -> ApiResult<ReportRange> {
        Ok(ReportRange {
            from: query_date("from", self.from.as_deref())?,
            to: query_date("to", self.to.as_deref())?,
        })
    }
}

/// The balance sheet's day.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AtQuery {
    /// Everything posted before this day, `YYYY-MM-DD`; all of it when left out.
    #[param(format = Date)]
    pub at: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/books/reports/trial-balance", tag = "books", params(RangeQuery),
    responses((status = 200, body = TrialBalance)),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn trial_balance(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<RangeQuery>,
) -> ApiResult<ApiJson<TrialBalance>> {
    member.require(ApiScope::BooksRead)?;
    let range = query.range()?;
    Ok(ApiJson(
        state.books.trial_balance(&member.scope, range).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/books/reports/trial-balance.csv", tag = "books", params(RangeQuery),
    responses((status = 200, content_type = "text/csv", description = "The accounts, then a total row per currency")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn trial_balance_csv(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<RangeQuery>,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::BooksRead)?;
    let report = state
        .books
        .trial_balance(&member.scope, query.range()?)
        .await?;
    Ok(csv_download(
        "trial-balance",
        books::export::trial_balance_csv(&report),
    ))
}

#[utoipa::path(get, path = "/api/v1/books/reports/profit-and-loss", tag = "books", params(RangeQuery),
    responses((status = 200, body = ProfitAndLoss)),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn profit_and_loss(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<RangeQuery>,
) -> ApiResult<ApiJson<ProfitAndLoss>> {
    member.require(ApiScope::BooksRead)?;
    let range = query.range()?;
    Ok(ApiJson(
        state.books.profit_and_loss(&member.scope, range).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/books/reports/profit-and-loss.csv", tag = "books", params(RangeQuery),
    responses((status = 200, content_type = "text/csv", description = "The revenue and expense accounts, then revenue, expenses and profit per currency")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn profit_and_loss_csv(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<RangeQuery>,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::BooksRead)?;
    let report = state
        .books
        .profit_and_loss(&member.scope, query.range()?)
        .await?;
    Ok(csv_download(
        "profit-and-loss",
        books::export::profit_and_loss_csv(&report),
    ))
}

#[utoipa::path(get, path = "/api/v1/books/reports/balance-sheet", tag = "books", params(AtQuery),
    responses((status = 200, body = BalanceSheet)),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn balance_sheet(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<AtQuery>,
) -> ApiResult<ApiJson<BalanceSheet>> {
    member.require(ApiScope::BooksRead)?;
    let at = query_date("at", query.at.as_deref())?;
    Ok(ApiJson(state.books.balance_sheet(&member.scope, at).await?))
}

#[utoipa::path(get, path = "/api/v1/books/reports/balance-sheet.csv", tag = "books", params(AtQuery),
    responses((status = 200, content_type = "text/csv", description = "The accounts with a balance, then the sums per currency")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn balance_sheet_csv(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<AtQuery>,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::BooksRead)?;
    let at = query_date("at", query.at.as_deref())?;
    let report = state.books.balance_sheet(&member.scope, at).await?;
    Ok(csv_download(
        "balance-sheet",
        books::export::balance_sheet_csv(&report),
    ))
}

#[utoipa::path(get, path = "/api/v1/books/accounts/{account_id}/ledger", tag = "books",
    params(("account_id" = AccountId, Path), RangeQuery),
    responses((status = 200, body = GeneralLedger, description = "At most 1,000 lines; `truncated` says when the range holds more")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn general_ledger(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<AccountId>,
    ApiQuery(query): ApiQuery<RangeQuery>,
) -> ApiResult<ApiJson<GeneralLedger>> {
    member.require(ApiScope::BooksRead)?;
    let range = query.range()?;
    Ok(ApiJson(
        state.books.general_ledger(&member.scope, id, range).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/books/accounts/{account_id}/ledger.csv", tag = "books",
    params(("account_id" = AccountId, Path), RangeQuery),
    responses((status = 200, content_type = "text/csv", description = "Opening, the lines with the running balance, closing")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn general_ledger_csv(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<AccountId>,
    ApiQuery(query): ApiQuery<RangeQuery>,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::BooksRead)?;
    let report = state
        .books
        .general_ledger(&member.scope, id, query.range()?)
        .await?;
    Ok(csv_download(
        "general-ledger",
        books::export::general_ledger_csv(&report),
    ))
}
