//! `/api/v1/company/staff`: the staff list, one member, a role change, removal.

use axum::extract::State;
use axum::http::StatusCode;
use identity::{ApiScope, MembershipId, StaffMember};
use kernel::Role;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/company/staff", tag = "company", params(PageQuery),
    responses((status = 200, body = PageBody<StaffMember>)),
    security(("session" = []), ("api_key" = ["staff:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<StaffMember>>> {
    member.require(ApiScope::StaffRead)?;
    let page = state
        .identity
        .staff(&member.scope, query.to_request())
        .await?;
    Ok(ApiJson(page.into()))
}

#[utoipa::path(get, path = "/api/v1/company/staff/{membership_id}", tag = "company",
    params(("membership_id" = MembershipId, Path)),
    responses((status = 200, body = StaffMember)),
    security(("session" = []), ("api_key" = ["staff:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<MembershipId>,
) -> ApiResult<ApiJson<StaffMember>> {
    member.require(ApiScope::StaffRead)?;
    Ok(ApiJson(
        state.identity.staff_member(&member.scope, id).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}

#[utoipa::path(patch, path = "/api/v1/company/staff/{membership_id}", tag = "company",
    params(("membership_id" = MembershipId, Path)), request_body = RoleChange,
    responses(
        (status = 200, body = StaffMember),
        (status = 409, description = "`last_owner`"),
    ), security(("session" = []), ("api_key" = ["staff:write"])))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<MembershipId>,
    ApiJson(change): ApiJson<RoleChange>,
) -> ApiResult<ApiJson<StaffMember>> {
    member.require(ApiScope::StaffWrite)?;
    Ok(ApiJson(
        state
            .identity
            .change_role(&member.scope, id, change.role)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/company/staff/{membership_id}", tag = "company",
    params(("membership_id" = MembershipId, Path)),
    responses((status = 204), (status = 409, description = "`last_owner`")),
    security(("session" = []), ("api_key" = ["staff:write"])))]
pub async fn remove(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<MembershipId>,
) -> ApiResult<StatusCode> {
    member.require(ApiScope::StaffWrite)?;
    state.identity.remove_staff(&member.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
