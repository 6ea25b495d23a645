//! `GET /api/v1/me`: who I am and which companies I work for.

use axum::extract::State;
use identity::{CompanyMembership, User};
use kernel::CompanyId;
use serde::Serialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, SignedIn};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user: User,
    pub companies: Vec<CompanyMembership>,
    /// The company this session acts for.
    pub active_company_id: Option<CompanyId>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    responses((status = 200, body = Me)), security(("session" = [])))]
pub async fn handler(State(state): State<AppState>, signed_in: SignedIn) -> ApiResult<ApiJson<Me>> {
    let companies = state.identity.companies_of(signed_in.user.id).await?;
    Ok(ApiJson(Me {
        user: signed_in.user,
        companies,
        active_company_id: signed_in.active_company_id,
    }))
}
