//! `/api/v1/company/invitations`: inviting staff by email, withdrawing an
//! invitation; and `/api/v1/invitations/accept` for the invited person.

use axum::extract::State;
use axum::http::StatusCode;
use identity::{ApiScope, Invitation, InvitationId};
use kernel::{CompanyId, Role};
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member, SignedIn};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/company/invitations", tag = "company", params(PageQuery),
    responses((status = 200, body = PageBody<Invitation>)),
    security(("session" = []), ("api_key" = ["staff:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Invitation>>> {
    member.require(ApiScope::StaffRead)?;
    let page = state
        .identity
        .invitations(&member.scope, query.to_request())
        .await?;
    Ok(ApiJson(page.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub email: String,
    pub role: Role,
}

#[utoipa::path(post, path = "/api/v1/company/invitations", tag = "company", request_body = NewInvitation,
    responses(
        (status = 201, description = "Invited; the link is mailed", body = Invitation),
        (status = 409, description = "`already_member`"),
        (status = 422, description = "`invalid_field`"),
    ), security(("session" = ["owner", "admin"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<NewInvitation>,
) -> ApiResult<(StatusCode, ApiJson<Invitation>)> {
    member.require(ApiScope::StaffWrite)?;
    let (invitation, _secret) = state
        .identity
        .invite(&member.scope, &body.email, body.role)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(invitation)))
}

#[utoipa::path(delete, path = "/api/v1/company/invitations/{invitation_id}", tag = "company",
    params(("invitation_id" = InvitationId, Path)),
    responses((status = 204), (status = 410, description = "`invitation_closed`")),
    security(("session" = []), ("api_key" = ["staff:write"])))]
pub async fn revoke(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<InvitationId>,
) -> ApiResult<StatusCode> {
    member.require(ApiScope::StaffWrite)?;
    state.identity.revoke_invitation(&member.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The secret from the invitation link.
    pub token: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Joined {
    pub company_id: CompanyId,
}

#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "me", request_body = AcceptInvitation,
    responses(
        (status = 200, description = "Joined; the session now acts for the company", body = Joined),
        (status = 404, description = "`not_found`: no open invitation has this token"),
        (status = 410, description = "`invitation_expired` or `invitation_closed`"),
        (status = 422, description = "`invitation_for_another_email`"),
    ), security(("session" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> ApiResult<ApiJson<Joined>> {
    let company_id = state
        .identity
        .accept_invitation(signed_in.user.id, &body.token)
        .await?;
    state
        .identity
        .switch_company(signed_in.user.id, signed_in.session_id, company_id)
        .await?;
    Ok(ApiJson(Joined { company_id }))
}
