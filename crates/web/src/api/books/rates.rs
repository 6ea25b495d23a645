//! `/api/v1/books/exchange-rates`: the rates at which the company books
//! currencies other than its functional one: listed, set (one per currency
//! and day, replaced when set again) and removed.

use axum::extract::State;
use axum::http::StatusCode;
use books::{ExchangeRate, ExchangeRateId, RateInput};
use identity::ApiScope;

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/books/exchange-rates", tag = "books",
    responses((status = 200, body = Vec<ExchangeRate>, description = "Newest day first, at most 1,000")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<Vec<ExchangeRate>>> {
    member.require(ApiScope::BooksRead)?;
    Ok(ApiJson(state.books.exchange_rates(&member.scope).await?))
}

#[utoipa::path(post, path = "/api/v1/books/exchange-rates", tag = "books", request_body = RateInput,
    responses(
        (status = 200, body = ExchangeRate, description = "Set from its day; one set for the same currency and day is replaced"),
        (status = 422, description = "`invalid_field`: `currency` (`invalid`, `functional_currency`), `date`, `rate`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn set(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<RateInput>,
) -> ApiResult<ApiJson<ExchangeRate>> {
    member.require(ApiScope::BooksWrite)?;
    Ok(ApiJson(
        state.books.set_exchange_rate(&member.scope, &body).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/books/exchange-rates/{exchange_rate_id}", tag = "books",
    params(("exchange_rate_id" = ExchangeRateId, Path)),
    responses((status = 204, description = "Removed; entries written at it stay as written")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn remove(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ExchangeRateId>,
) -> ApiResult<StatusCode> {
    member.require(ApiScope::BooksWrite)?;
    state.books.remove_exchange_rate(&member.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
