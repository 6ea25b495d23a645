//! `PUT /api/v1/me/active-company`: act for another of my companies.

use axum::extract::State;
use axum::http::StatusCode;
use kernel::CompanyId;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, SignedIn};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchCompany {
    pub company_id: CompanyId,
}

#[utoipa::path(put, path = "/api/v1/me/active-company", tag = "me", request_body = SwitchCompany,
    responses((status = 204), (status = 404, description = "Not one of my companies")),
    security(("session" = [])))]
pub async fn handler(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(body): ApiJson<SwitchCompany>,
) -> ApiResult<StatusCode> {
    state
        .identity
        .switch_company(signed_in.user.id, signed_in.session_id, body.company_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
