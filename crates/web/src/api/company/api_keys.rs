//! `/api/v1/company/api-keys`: keys for the company's own systems. Managed by
//! people (owners and admins), never by other keys.

use axum::extract::State;
use axum::http::StatusCode;
use identity::{ApiKey, ApiKeyId, NewApiKey};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

/// Keys manage nothing about keys: a leaked key cannot mint more.
fn people_only(member: &Member) -> ApiResult<()> {
    if member.key_scopes.is_some() {
        Err(ApiError::forbidden())
    } else {
        Ok(())
    }
}

#[utoipa::path(get, path = "/api/v1/company/api-keys", tag = "company", params(PageQuery),
    responses((status = 200, body = PageBody<ApiKey>), (status = 403, description = "API keys see no keys")),
    security(("session" = ["staff"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<ApiKey>>> {
    people_only(&member)?;
    let page = state
        .identity
        .api_keys(&member.scope, query.to_request())
        .await?;
    Ok(ApiJson(page.into()))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedApiKey {
    pub key: ApiKey,
    /// The secret, shown this once. Send it as `Authorization: Bearer <secret>`.
    pub secret: String,
}

#[utoipa::path(post, path = "/api/v1/company/api-keys", tag = "company", request_body = NewApiKey,
    responses((status = 201, body = CreatedApiKey), (status = 422, description = "`invalid_field`")),
    security(("session" = ["owner", "admin"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(new_key): ApiJson<NewApiKey>,
) -> ApiResult<(StatusCode, ApiJson<CreatedApiKey>)> {
    people_only(&member)?;
    let (key, secret) = state
        .identity
        .create_api_key(&member.scope, &new_key)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedApiKey { key, secret })))
}

#[utoipa::path(delete, path = "/api/v1/company/api-keys/{api_key_id}", tag = "company",
    params(("api_key_id" = ApiKeyId, Path)),
    responses((status = 204)), security(("session" = ["owner", "admin"])))]
pub async fn revoke(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ApiKeyId>,
) -> ApiResult<StatusCode> {
    people_only(&member)?;
    state.identity.revoke_api_key(&member.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
