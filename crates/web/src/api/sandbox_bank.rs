//! `/api/v1/sandbox-bank`: the simulated bank. A member sees and settles its
//! own company's payments and payouts; the operator sees all.

use axum::extract::State;
use kernel::page::PageRequest;
use pay::sandbox::SandboxViewer;
use pay::{SandboxOperation, SandboxOperationId};

use crate::error::ApiResult;
use crate::extract::auth::SandboxUser;
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

/// Who is looking: the operator, or a signed-in member acting for a company.
pub struct BankViewer(pub SandboxViewer);

impl axum::extract::FromRequestParts<AppState> for BankViewer {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(BankViewer(
            match SandboxUser::from_request_parts(parts, state).await? {
                SandboxUser::Operator => SandboxViewer::Operator,
                SandboxUser::Member(scope) => SandboxViewer::of(&scope),
            },
        ))
    }
}

#[utoipa::path(get, path = "/api/v1/sandbox-bank/operations", tag = "pay", params(PageQuery),
    responses((status = 200, body = PageBody<SandboxOperation>),
        (status = 404, description = "`not_found`: this network has no sandbox bank")), security(("session" = ["operator", "staff"])))]
pub async fn list(
    State(state): State<AppState>,
    BankViewer(viewer): BankViewer,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<SandboxOperation>>> {
    let page: PageRequest = query.to_request();
    Ok(ApiJson(
        state.pay.sandbox_operations(viewer, page).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/sandbox-bank/operations/{operation_id}/confirm", tag = "pay",
    params(("operation_id" = SandboxOperationId, Path)),
    responses((status = 200, body = SandboxOperation), (status = 422, description = "`invalid_field`")),
    security(("session" = ["operator", "staff"])))]
pub async fn confirm(
    State(state): State<AppState>,
    BankViewer(viewer): BankViewer,
    IdPath(id): IdPath<SandboxOperationId>,
) -> ApiResult<ApiJson<SandboxOperation>> {
    Ok(ApiJson(state.pay.sandbox_settle(viewer, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/sandbox-bank/operations/{operation_id}/fail", tag = "pay",
    params(("operation_id" = SandboxOperationId, Path)),
    responses((status = 200, body = SandboxOperation), (status = 422, description = "`invalid_field`")),
    security(("session" = ["operator", "staff"])))]
pub async fn fail(
    State(state): State<AppState>,
    BankViewer(viewer): BankViewer,
    IdPath(id): IdPath<SandboxOperationId>,
) -> ApiResult<ApiJson<SandboxOperation>> {
    Ok(ApiJson(state.pay.sandbox_settle(viewer, id, false).await?))
}
