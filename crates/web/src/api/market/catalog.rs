//! `/api/v1/categories` (public) and `/api/v1/catalog/...`: the company's own
//! products in every status, their status changes, and the product file
//! import and export.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use identity::ApiScope;
use market::product_csv::ImportReport;
use market::{Category, Product, ProductId, ProductInput, ProductStatus};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member, RawBody};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/categories", tag = "market",
    responses((status = 200, body = Vec<Category>, description = "The whole tree, parents before children")))]
pub async fn categories(State(state): State<AppState>) -> ApiResult<ApiJson<Vec<Category>>> {
    Ok(ApiJson(state.market.categories().await?.all().to_vec()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OwnProductsQuery {
    /// `draft`, `published` or `unlisted`; all when absent.
    pub status: Option<ProductStatus>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/catalog/products", tag = "market", params(OwnProductsQuery),
    responses((status = 200, body = PageBody<Product>)),
    security(("session" = []), ("api_key" = ["catalog:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<OwnProductsQuery>,
) -> ApiResult<ApiJson<PageBody<Product>>> {
    member.require(ApiScope::CatalogRead)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    let products = state
        .market
        .own_products(&member.scope, query.status, page)
        .await?;
    Ok(ApiJson(products.into()))
}

#[utoipa::path(post, path = "/api/v1/catalog/products", tag = "market", request_body = ProductInput,
    responses((status = 201, body = Product, description = "Created as a draft"), (status = 422, description = "`invalid_field`")),
    security(("session" = []), ("api_key" = ["catalog:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<ProductInput>,
) -> ApiResult<(StatusCode, ApiJson<Product>)> {
    member.require(ApiScope::CatalogWrite)?;
    let product = state.market.create_product(&member.scope, &body).await?;
    Ok((StatusCode::CREATED, ApiJson(product)))
}

#[utoipa::path(get, path = "/api/v1/catalog/products/{product_id}", tag = "market",
    params(("product_id" = ProductId, Path)),
    responses((status = 200, body = Product)),
    security(("session" = []), ("api_key" = ["catalog:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ProductId>,
) -> ApiResult<ApiJson<Product>> {
    member.require(ApiScope::CatalogRead)?;
    Ok(ApiJson(state.market.own_product(&member.scope, id).await?))
}

#[utoipa::path(put, path = "/api/v1/catalog/products/{product_id}", tag = "market",
    params(("product_id" = ProductId, Path)), request_body = ProductInput,
    responses((status = 200, body = Product), (status = 422, description = "`invalid_field`")),
    security(("session" = []), ("api_key" = ["catalog:write"])))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ProductId>,
    ApiJson(body): ApiJson<ProductInput>,
) -> ApiResult<ApiJson<Product>> {
    member.require(ApiScope::CatalogWrite)?;
    Ok(ApiJson(
        state
            .market
            .update_product(&member.scope, id, &body)
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: ProductStatus,
}

#[utoipa::path(post, path = "/api/v1/catalog/products/{product_id}/status", tag = "market",
    params(("product_id" = ProductId, Path)), request_body = StatusChange,
    responses((status = 200, body = Product)),
    security(("session" = []), ("api_key" = ["catalog:write"])))]
pub async fn set_status(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ProductId>,
    ApiJson(body): ApiJson<StatusChange>,
) -> ApiResult<ApiJson<Product>> {
    member.require(ApiScope::CatalogWrite)?;
    Ok(ApiJson(
        state
            .market
            .set_product_status(&member.scope, id, body.status)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/catalog/import", tag = "market",
    request_body(content = String, content_type = "text/csv",
        description = "The product file: sku,title_zh,title_en,description,category,attributes,unit,moq,price_tiers,currency,lead_time_days,origin,available_quantity,status"),
    responses((status = 200, body = ImportReport),
        (status = 422, description = "`import_rejected` with every bad row in `rows`; nothing was imported")),
    security(("session" = []), ("api_key" = ["catalog:write"])))]
pub async fn import(
    State(state): State<AppState>,
    member: Member,
    RawBody(body): RawBody,
) -> ApiResult<ApiJson<ImportReport>> {
    member.require(ApiScope::CatalogWrite)?;
    let report = state
        .market
        .import_products(&member.scope, &body, |_, _| {})
        .await?;
    Ok(ApiJson(report))
}

#[utoipa::path(get, path = "/api/v1/catalog/export", tag = "market",
    responses((status = 200, content_type = "text/csv", body = String)),
    security(("session" = []), ("api_key" = ["catalog:read"])))]
pub async fn export(State(state): State<AppState>, member: Member) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::CatalogRead)?;
    let file = state.market.export_products(&member.scope).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"products-{}.csv\"",
                    member.scope.company_id()
                ),
            ),
        ],
        file,
    ))
}
