//! `/api/v1/books/settings`: the chart's template, the VAT rates, when a
//! sale is invoiced, the payment terms and the functional currency.

use axum::extract::State;
use books::{BooksSettings, SettingsInput};
use identity::ApiScope;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/books/settings", tag = "books",
    responses((status = 200, body = BooksSettings, description = "Opens the books with the default chart the first time")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<BooksSettings>> {
    member.require(ApiScope::BooksRead)?;
    Ok(ApiJson(state.books.settings(&member.scope).await?))
}

#[utoipa::path(patch, path = "/api/v1/books/settings", tag = "books", request_body = SettingsInput,
    responses(
        (status = 200, body = BooksSettings),
        (status = 422, description = "`invalid_field`; `reason` `books_not_empty`: the chart and the functional currency are chosen before the first entry")),
    security(("session" = ["owner", "finance"]), ("api_key" = ["books:write"])))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<SettingsInput>,
) -> ApiResult<ApiJson<BooksSettings>> {
    member.require(ApiScope::BooksWrite)?;
    Ok(ApiJson(
        state.books.change_settings(&member.scope, &body).await?,
    ))
}
