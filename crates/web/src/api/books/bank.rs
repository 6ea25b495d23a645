//! `/api/v1/books/bank-statements` and `/api/v1/books/bank-lines`: a bank
//! statement imported as CSV, its lines with the invoice each likely pays,
//! matching a line to an invoice, which posts the payment, or posting one that
//! pays no invoice (a fee) to an account.

use axum::extract::State;
use axum::http::StatusCode;
use books::{
    AccountId, BankLine, BankLineId, BankLineState, MatchInput, PostLineInput, StatementImport,
};
use identity::ApiScope;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{ApiJson, ApiQuery, IdPath, Member, RawBody};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatementQuery {
    /// The asset account the statement is of (`acct_…`); the bank account
    /// by default.
    #[param(inline)]
    pub account_id: Option<AccountId>,
}

#[utoipa::path(post, path = "/api/v1/books/bank-statements", tag = "books", params(StatementQuery),
    request_body(content = String, content_type = "text/csv",
        description = "date,amount,currency,reference,counterparty: one row per line, money in positive and out negative, \
            at most 2,000 rows and 512 KiB. Lines imported before are left alone."),
    responses(
        (status = 201, body = StatementImport),
        (status = 422, description = "`invalid_field`: the row and column, e.g. `rows[3].amount`, `file` or `account_id`; nothing was written")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn import(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<StatementQuery>,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, ApiJson<StatementImport>)> {
    member.require(ApiScope::BooksWrite)?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::field(
            ErrorCode::InvalidField,
            "file",
            "the file is not UTF-8 text",
        )
    })?;
    let imported = state
        .books
        .import_bank_statement(&member.scope, query.account_id, text)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(imported)))
}

/// Which lines, and a page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BankLineQuery {
    /// `open` or `matched`.
    #[param(inline)]
    pub state: Option<BankLineState>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/books/bank-lines", tag = "books", params(BankLineQuery),
    responses((status = 200, body = PageBody<BankLine>, description = "Newest first; an open line with the invoice it likely pays")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<BankLineQuery>,
) -> ApiResult<ApiJson<PageBody<BankLine>>> {
    member.require(ApiScope::BooksRead)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state
            .books
            .bank_lines(&member.scope, query.state, page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/books/bank-lines/{bank_line_id}/match", tag = "books",
    params(("bank_line_id" = BankLineId, Path)), request_body = MatchInput,
    responses(
        (status = 200, body = BankLine, description = "Matched, the payment posted"),
        (status = 409, description = "`state_conflict` (`line_matched`, `invoice_settled`, `paid_through_escrow`), or `period_locked`"),
        (status = 422, description = "`invalid_field`: `invoice_id` (`unknown_invoice`, `does_not_fit`) or `amount_minor` (`more_than_open`)")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn match_line(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<BankLineId>,
    ApiJson(body): ApiJson<MatchInput>,
) -> ApiResult<ApiJson<BankLine>> {
    member.require(ApiScope::BooksWrite)?;
    Ok(ApiJson(
        state
            .books
            .match_bank_line(&member.scope, id, &body)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/books/bank-lines/{bank_line_id}/post", tag = "books",
    params(("bank_line_id" = BankLineId, Path)), request_body = PostLineInput,
    responses(
        (status = 200, body = BankLine, description = "Posted against the account: money in a debit on the statement's account, money out a credit"),
        (status = 409, description = "`state_conflict` (`line_matched`), or `period_locked`"),
        (status = 422, description = "`invalid_field`: `account_id` (`unknown_account`, `account_for_postings`, `same_account`) or `memo`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn post_line(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<BankLineId>,
    ApiJson(body): ApiJson<PostLineInput>,
) -> ApiResult<ApiJson<BankLine>> {
    member.require(ApiScope::BooksWrite)?;
    Ok(ApiJson(
        state.books.post_bank_line(&member.scope, id, &body).await?,
    ))
}
