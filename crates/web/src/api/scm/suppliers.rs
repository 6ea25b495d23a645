//! `/api/v1/scm/suppliers`: who the company buys from, on the network (made
//! with their first order) and off it, and each one's price list.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use scm::{ItemId, Supplier, SupplierId, SupplierInput, SupplierPrice, SupplierPriceInput};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/scm/suppliers", tag = "scm", params(PageQuery),
    responses((status = 200, body = PageBody<Supplier>, description = "Oldest first")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Supplier>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(
        state
            .scm
            .suppliers(&member.scope, page.to_request())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/suppliers", tag = "scm", request_body = SupplierInput,
    responses(
        (status = 201, body = Supplier),
        (status = 409, description = "`state_conflict`, `reason` `too_many_suppliers`: at most 10,000"),
        (status = 422, description = "`invalid_field`")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<SupplierInput>,
) -> ApiResult<(StatusCode, ApiJson<Supplier>)> {
    member.require(ApiScope::StockWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.scm.create_supplier(&member.scope, &body).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/scm/suppliers/{supplier_id}", tag = "scm",
    params(("supplier_id" = SupplierId, Path)),
    responses((status = 200, body = Supplier)),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<SupplierId>,
) -> ApiResult<ApiJson<Supplier>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(state.scm.supplier(&member.scope, id).await?))
}

#[utoipa::path(get, path = "/api/v1/scm/suppliers/{supplier_id}/prices", tag = "scm",
    params(("supplier_id" = SupplierId, Path), PageQuery),
    responses((status = 200, body = PageBody<SupplierPrice>, description = "By item")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn prices(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<SupplierId>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<SupplierPrice>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(
        state
            .scm
            .supplier_prices(&member.scope, id, page.to_request())
            .await?
            .into(),
    ))
}

#[utoipa::path(put, path = "/api/v1/scm/suppliers/{supplier_id}/prices/{item_id}", tag = "scm",
    params(("supplier_id" = SupplierId, Path), ("item_id" = ItemId, Path)), request_body = SupplierPriceInput,
    responses(
        (status = 200, body = SupplierPrice, description = "Set, replacing the supplier's earlier price for the item"),
        (status = 409, description = "`state_conflict`, `reason` `too_many_suppliers`: an item has at most 100"),
        (status = 404, description = "`not_found`: no such supplier or item of yours"),
        (status = 422, description = "`invalid_field`; `reason` `no_unit_conversion`, `not_on_network` (a product of a supplier off Hanse), `unknown_product`")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write"])))]
pub async fn set_price(
    State(state): State<AppState>,
    member: Member,
    IdPath((supplier, item)): IdPath<(SupplierId, ItemId)>,
    ApiJson(body): ApiJson<SupplierPriceInput>,
) -> ApiResult<ApiJson<SupplierPrice>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(
        state
            .scm
            .set_supplier_price(&member.scope, supplier, item, &body)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/scm/suppliers/{supplier_id}/prices/{item_id}", tag = "scm",
    params(("supplier_id" = SupplierId, Path), ("item_id" = ItemId, Path)),
    responses((status = 204, description = "Off the supplier's price list")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write"])))]
pub async fn remove_price(
    State(state): State<AppState>,
    member: Member,
    IdPath((supplier, item)): IdPath<(SupplierId, ItemId)>,
) -> ApiResult<StatusCode> {
    member.require(ApiScope::StockWrite)?;
    state
        .scm
        .remove_supplier_price(&member.scope, supplier, item)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
