//! `POST /api/v1/orders/{order_id}/ship`: the seller hands a paid order to a
//! carrier (the sandbox carrier, or `other` with a typed tracking number).

use axum::extract::State;
use identity::ApiScope;
use trade::{Order, OrderId, ShipInput};

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/ship", tag = "orders",
    params(("order_id" = OrderId, Path)), request_body = ShipInput,
    responses(
        (status = 200, body = Order, description = "Shipped; the shipment and its tracking are in the order's detail"),
        (status = 409, description = "`invalid_transition`, with `reason`: `seller_only`, `claim_open` (answer the refund first), \
            or where the order is: `not_confirmed`, `not_paid`, `already_shipped`, `already_delivered`, `already_completed`, `order_closed`"),
        (status = 422, description = "`invalid_field`: `carrier` (not one this network has), `tracking_number` (required with `other`, \
            or `tracking_number_taken`), `packing_list` (`unknown_line`, `not_the_ordered_quantity`, `lines_missing`, `out_of_range`)"),
        (status = 502, description = "`carrier_error`: the carrier refused the shipment or could not be reached"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn ship(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
    ApiJson(body): ApiJson<ShipInput>,
) -> ApiResult<ApiJson<Order>> {
    member.require(ApiScope::OrdersWrite)?;
    state.trade.ship_order(&member.scope, id, &body).await?;
    Ok(ApiJson(state.trade.order(&member.scope, id).await?))
}
