//! `/api/v1/scm/locations`: warehouses, zones and bins, and the virtual
//! supplier, customer and loss locations.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use scm::{Location, LocationId, LocationInput};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/scm/locations", tag = "scm", params(PageQuery),
    responses((status = 200, body = PageBody<Location>, description = "Oldest first: a parent before what it holds")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Location>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(
        state
            .scm
            .locations(&member.scope, page.to_request())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/locations", tag = "scm", request_body = LocationInput,
    responses(
        (status = 201, body = Location),
        (status = 409, description = "`state_conflict`, `reason` `too_many_locations`: at most 5,000"),
        (status = 422, description = "`invalid_field`; `reason` `taken`, `wrong_parent`, `unknown_location` or `not_allowed`")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<LocationInput>,
) -> ApiResult<(StatusCode, ApiJson<Location>)> {
    member.require(ApiScope::StockWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.scm.create_location(&member.scope, &body).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/scm/locations/{location_id}", tag = "scm",
    params(("location_id" = LocationId, Path)),
    responses((status = 200, body = Location)),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<LocationId>,
) -> ApiResult<ApiJson<Location>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(state.scm.location(&member.scope, id).await?))
}
