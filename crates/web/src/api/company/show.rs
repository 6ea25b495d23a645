//! `GET /api/v1/company`: the profile of the company the request acts for.

use axum::extract::State;
use identity::{ApiScope, Company};

use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/company", tag = "company",
    responses((status = 200, body = Company)), security(("session" = []), ("api_key" = ["company:read"])))]
pub async fn handler(State(state): State<AppState>, member: Member) -> ApiResult<ApiJson<Company>> {
    member.require(ApiScope::CompanyRead)?;
    Ok(ApiJson(state.identity.company(&member.scope).await?))
}
