//! The supply chain's CSV files: items and suppliers exported and imported,
//! and stock levels imported (their export is `stock.csv`). An import is
//! all or nothing: a file with any bad row answers `import_rejected` with
//! every bad row and imports nothing.

use axum::extract::State;
use axum::response::IntoResponse;
use identity::ApiScope;
use market::product_csv::ImportReport;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Member, RawBody};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/scm/items.csv", tag = "scm",
    responses((status = 200, content_type = "text/csv",
        description = "`sku,name,unit,units,cost_currency,lot_tracked,reorder_point,reorder_quantity`, by SKU; `units` as `carton=24; box=6`")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn items_csv(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::StockRead)?;
    let body = state.scm.items_csv(&member.scope).await?;
    Ok(crate::api::books::csv_download("items", body))
}

#[utoipa::path(post, path = "/api/v1/scm/items/import", tag = "scm",
    request_body(content = String, content_type = "text/csv",
        description = "The items file as `items.csv` writes it (at most 5 MB and 20,000 rows): new SKUs become items, known SKUs get the row's name, lot tracking and reorder point and quantity"),
    responses((status = 200, body = ImportReport),
        (status = 409, description = "`state_conflict`, `reason` `too_many_items`"),
        (status = 422, description = "`import_rejected` with every bad row in `rows` (`fixed`: a known item's unit, units or cost currency differ); nothing was imported")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn import_items(
    State(state): State<AppState>,
    member: Member,
    RawBody(body): RawBody,
) -> ApiResult<ApiJson<ImportReport>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(state.scm.import_items(&member.scope, &body).await?))
}

#[utoipa::path(get, path = "/api/v1/scm/suppliers.csv", tag = "scm",
    responses((status = 200, content_type = "text/csv",
        description = "`name,contact,email,phone,on_hanse`, by name")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn suppliers_csv(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::StockRead)?;
    let body = state.scm.suppliers_csv(&member.scope).await?;
    Ok(crate::api::books::csv_download("suppliers", body))
}

#[utoipa::path(post, path = "/api/v1/scm/suppliers/import", tag = "scm",
    request_body(content = String, content_type = "text/csv",
        description = "The suppliers file as `suppliers.csv` writes it: a known name gets the row's contact, email and phone, a new one is a supplier off the network; `on_hanse` is ignored"),
    responses((status = 200, body = ImportReport),
        (status = 409, description = "`state_conflict`, `reason` `too_many_suppliers`"),
        (status = 422, description = "`import_rejected` with every bad row in `rows`; nothing was imported")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write"])))]
pub async fn import_suppliers(
    State(state): State<AppState>,
    member: Member,
    RawBody(body): RawBody,
) -> ApiResult<ApiJson<ImportReport>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(
        state.scm.import_suppliers(&member.scope, &body).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/stock/import", tag = "scm",
    request_body(content = String, content_type = "text/csv",
        description = "`sku,location,lot,quantity,unit_cost`: how much of an item (and lot) a location (by code) holds; the difference from now is booked as an adjustment to or from the loss location, a gain at `unit_cost` (a decimal in the item's cost currency) or else the average"),
    responses((status = 200, body = ImportReport, description = "`created`: rows that moved stock; `updated`: rows already at their level"),
        (status = 422, description = "`import_rejected` with every bad row in `rows` (`unknown_item`, `unknown_location`, `not_own`, `duplicate`, and a shortfall below what orders hold); nothing was imported")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn import_stock(
    State(state): State<AppState>,
    member: Member,
    RawBody(body): RawBody,
) -> ApiResult<ApiJson<ImportReport>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(state.scm.import_stock(&member.scope, &body).await?))
}
