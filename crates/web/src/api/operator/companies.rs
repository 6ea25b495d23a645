//! `GET /api/v1/operator/companies`: every member company.

use axum::extract::State;
use identity::Company;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, OperatorUser};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/operator/companies", tag = "operator", params(PageQuery),
    responses((status = 200, body = PageBody<Company>)), security(("session" = ["operator"])))]
pub async fn list(
    State(state): State<AppState>,
    _operator: OperatorUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Company>>> {
    let page = state.identity.all_companies(query.to_request()).await?;
    Ok(ApiJson(page.into()))
}
