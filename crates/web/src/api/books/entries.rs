//! `/api/v1/books/entries`: the journal. Entries made by hand (drafts or
//! posted at once), posting a draft, deleting a draft, reversing a posted
//! entry, and the journal as CSV.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use books::{Entry, EntryFilter, EntryId, EntryInput, Journal};
use identity::ApiScope;
use serde::Deserialize;
use trade::OrderId;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

/// Which entries: a journal, a month, an order's.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EntryQuery {
    #[param(inline)]
    pub journal: Option<Journal>,
    /// A month, `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub period: Option<String>,
    /// The entries that follow from this order (`ord_…`).
    #[param(inline)]
    pub order_id: Option<OrderId>,
}

impl EntryQuery {
    fn filter(self) -> ApiResult<EntryFilter> {
        filter_of(self.journal, self.period, self.order_id)
    }
}

fn filter_of(
    journal: Option<Journal>,
    period: Option<String>,
    order_id: Option<OrderId>,
) -> ApiResult<EntryFilter> {
    if let Some(period) = &period
        && books::period::period_start(period).is_none()
    {
        return Err(ApiError::field(
            ErrorCode::InvalidQuery,
            "period",
            "a month as YYYY-MM",
        ));
    }
    Ok(EntryFilter {
        journal,
        period,
        order_id: order_id.map(|id| id.raw()),
    })
}

/// `EntryQuery` and a page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EntryListQuery {
    #[param(inline)]
    pub journal: Option<Journal>,
    /// A month, `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub period: Option<String>,
    /// The entries that follow from this order (`ord_…`).
    #[param(inline)]
    pub order_id: Option<OrderId>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/books/entries", tag = "books", params(EntryListQuery),
    responses((status = 200, body = PageBody<Entry>, description = "In the order they were written")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<EntryListQuery>,
) -> ApiResult<ApiJson<PageBody<Entry>>> {
    member.require(ApiScope::BooksRead)?;
    let filter = filter_of(query.journal, query.period, query.order_id)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state
            .books
            .entries(&member.scope, &filter, page)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/books/journal.csv", tag = "books", params(EntryQuery),
    responses((status = 200, content_type = "text/csv",
        description = "One row per line, at most 20,000 entries, in the order they were written")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn csv(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<EntryQuery>,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::BooksRead)?;
    let filter = query.filter()?;
    let body = state.books.journal_csv(&member.scope, &filter).await?;
    Ok(super::csv_download("journal", body))
}

#[utoipa::path(post, path = "/api/v1/books/entries", tag = "books", request_body = EntryInput,
    responses(
        (status = 201, body = Entry),
        (status = 409, description = "`period_locked`: the date falls in a locked period"),
        (status = 422, description = "`invalid_field`: e.g. `reason` `unbalanced`, `unknown_account`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<EntryInput>,
) -> ApiResult<(StatusCode, ApiJson<Entry>)> {
    member.require(ApiScope::BooksWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.books.create_entry(&member.scope, &body).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/books/entries/{entry_id}", tag = "books",
    params(("entry_id" = EntryId, Path)),
    responses((status = 200, body = Entry)),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<EntryId>,
) -> ApiResult<ApiJson<Entry>> {
    member.require(ApiScope::BooksRead)?;
    Ok(ApiJson(state.books.entry(&member.scope, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/books/entries/{entry_id}", tag = "books",
    params(("entry_id" = EntryId, Path)),
    responses(
        (status = 204, description = "The draft is gone"),
        (status = 409, description = "`state_conflict`, `reason` `posted_entry`: a posted entry never changes; reverse it")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn remove(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<EntryId>,
) -> ApiResult<StatusCode> {
    member.require(ApiScope::BooksWrite)?;
    state.books.delete_draft(&member.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/books/entries/{entry_id}/post", tag = "books",
    params(("entry_id" = EntryId, Path)),
    responses(
        (status = 200, body = Entry),
        (status = 409, description = "`state_conflict` (`already_posted`), or `period_locked`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn post(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<EntryId>,
) -> ApiResult<ApiJson<Entry>> {
    member.require(ApiScope::BooksWrite)?;
    Ok(ApiJson(state.books.post_entry(&member.scope, id).await?))
}

/// When the reversal is dated.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReverseInput {
    /// `YYYY-MM-DD`; today when left out.
    pub date: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/books/entries/{entry_id}/reverse", tag = "books",
    params(("entry_id" = EntryId, Path)), request_body = ReverseInput,
    responses(
        (status = 201, body = Entry, description = "The reversing entry, posted"),
        (status = 409, description = "`state_conflict` (`not_posted`, `already_reversed`), or `period_locked`"),
        (status = 422, description = "`invalid_field`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn reverse(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<EntryId>,
    ApiJson(body): ApiJson<ReverseInput>,
) -> ApiResult<(StatusCode, ApiJson<Entry>)> {
    member.require(ApiScope::BooksWrite)?;
    let entry = state
        .books
        .reverse_entry(&member.scope, id, body.date.as_deref())
        .await?;
    Ok((StatusCode::CREATED, ApiJson(entry)))
}
