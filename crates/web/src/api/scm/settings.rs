//! `/api/v1/scm/settings`: the default warehouse, how to replenish, the
//! valuation method, and the virtual locations.

use axum::extract::State;
use identity::ApiScope;
use scm::{ScmSettings, SettingsInput};

use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/scm/settings", tag = "scm",
    responses((status = 200, body = ScmSettings, description = "Opens the supply chain with a first warehouse the first time")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<ScmSettings>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(state.scm.settings(&member.scope).await?))
}

#[utoipa::path(patch, path = "/api/v1/scm/settings", tag = "scm", request_body = SettingsInput,
    responses(
        (status = 200, body = ScmSettings, description = "Only the settings given change; choosing how to replenish schedules the daily run"),
        (status = 409, description = "`state_conflict`, `reason` `valuation_locked`: the valuation method is fixed once stock has moved"),
        (status = 422, description = "`invalid_field`; `reason` `unknown_location` or `not_a_warehouse`")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<SettingsInput>,
) -> ApiResult<ApiJson<ScmSettings>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(
        state.scm.update_settings(&member.scope, &body).await?,
    ))
}
