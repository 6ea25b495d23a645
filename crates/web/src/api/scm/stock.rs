//! `/api/v1/scm/levels` and `/api/v1/scm/valuation`: on hand, reserved and
//! free per warehouse, and what the stock is worth.

use axum::extract::State;
use axum::response::IntoResponse;
use identity::ApiScope;
use scm::{ItemId, ValuationLine, WarehouseStock};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

/// Levels of one item or all; a page of items.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LevelQuery {
    #[param(inline)]
    pub item_id: Option<ItemId>,
    /// How many rows, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/scm/levels", tag = "scm", params(LevelQuery),
    responses((status = 200, body = PageBody<WarehouseStock>, description = "By item, then warehouse, in base units")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn levels(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<LevelQuery>,
) -> ApiResult<ApiJson<PageBody<WarehouseStock>>> {
    member.require(ApiScope::StockRead)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state
            .scm
            .warehouse_stock(&member.scope, query.item_id, page)
            .await?
            .into(),
    ))
}

/// The valuation's day, and a page of items.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ValuationQuery {
    /// What every move before this day left, `YYYY-MM-DD`; now when left out.
    #[param(format = Date)]
    pub before: Option<String>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/scm/valuation", tag = "scm", params(ValuationQuery),
    responses((status = 200, body = PageBody<ValuationLine>,
        description = "Per item at its moving-average or FIFO cost (the company's method), in its cost currency, shared out over the warehouses")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn valuation(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<ValuationQuery>,
) -> ApiResult<ApiJson<PageBody<ValuationLine>>> {
    member.require(ApiScope::StockRead)?;
    let at =
        super::before_day("before", query.before.as_deref())?.unwrap_or_else(|| state.clock.now());
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state.scm.valuation(&member.scope, at, page).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/scm/stock.csv", tag = "scm",
    responses((status = 200, content_type = "text/csv",
        description = "`sku,name,unit,warehouse,on_hand,reserved,free,value,currency`: a row per item and warehouse (one without a warehouse for an item with no stock), by SKU, at most 100,000 items")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn csv(State(state): State<AppState>, member: Member) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::StockRead)?;
    let body = state.scm.stock_csv(&member.scope).await?;
    Ok(crate::api::books::csv_download("stock", body))
}
