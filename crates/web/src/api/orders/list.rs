//! `GET /api/v1/orders`: the company's orders as buyer (the default) or as
//! seller, newest first, with filters.

use axum::extract::State;
use identity::ApiScope;
use kernel::{CompanyId, Timestamp};
use serde::Deserialize;
use trade::{Order, OrderFilter, OrderState, Perspective, Side};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderListQuery {
    /// `buyer` (the default): the orders the company placed; `seller`: the
    /// orders placed with it.
    #[param(inline)]
    pub side: Option<Side>,
    /// Only orders in this state.
    #[param(inline)]
    pub state: Option<OrderState>,
    /// Only orders with this company (`co_…`) on the other side.
    #[param(inline)]
    pub counterparty: Option<CompanyId>,
    /// Placed at or after this instant (RFC 3339).
    #[param(inline)]
    pub placed_from: Option<Timestamp>,
    /// Placed before this instant (RFC 3339).
    #[param(inline)]
    pub placed_until: Option<Timestamp>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderListQuery),
    responses((status = 200, body = PageBody<Order>, description = "Newest first")),
    security(("session" = []), ("api_key" = ["orders:read"])))]
pub async fn handler(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<OrderListQuery>,
) -> ApiResult<ApiJson<PageBody<Order>>> {
    member.require(ApiScope::OrdersRead)?;
    let perspective = match query.side.unwrap_or(Side::Buyer) {
        Side::Buyer => Perspective::Buyer,
        Side::Seller => Perspective::Seller,
    };
    let filter = OrderFilter {
        state: query.state,
        counterparty: query.counterparty,
        placed_from: query.placed_from,
        placed_until: query.placed_until,
    };
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    let orders = state
        .trade
        .orders(&member.scope, perspective, &filter, page)
        .await?;
    Ok(ApiJson(orders.into()))
}
