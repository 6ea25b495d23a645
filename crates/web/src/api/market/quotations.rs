//! Quotations: a supplier sends one on a buying request; the buyer accepts
//! or declines it; the supplier reads its own and its monthly quota.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use market::{QuotaStatus, Quotation, QuotationId, QuotationInput, RfqId};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/rfqs/{rfq_id}/quotations", tag = "market",
    params(("rfq_id" = RfqId, Path)), request_body = QuotationInput,
    responses((status = 201, body = Quotation), (status = 409,
        description = "`quota_exhausted`, or `state_conflict`: the request is closed or already quoted by the company"),
        (status = 422, description = "`invalid_field`")),
    security(("session" = []), ("api_key" = ["sourcing:write"])))]
pub async fn send(
    State(state): State<AppState>,
    member: Member,
    IdPath(rfq_id): IdPath<RfqId>,
    ApiJson(body): ApiJson<QuotationInput>,
) -> ApiResult<(StatusCode, ApiJson<Quotation>)> {
    member.require(ApiScope::SourcingWrite)?;
    let quotation = state
        .market
        .send_quotation(&member.scope, rfq_id, &body)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(quotation)))
}

#[utoipa::path(get, path = "/api/v1/sourcing/quotations", tag = "market", params(PageQuery),
    responses((status = 200, body = PageBody<Quotation>, description = "Quotations the company sent, newest first")),
    security(("session" = []), ("api_key" = ["sourcing:read"])))]
pub async fn sent(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Quotation>>> {
    member.require(ApiScope::SourcingRead)?;
    let page = query.to_request();
    Ok(ApiJson(
        state
            .market
            .own_quotations(&member.scope, page)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/sourcing/quotations/{quotation_id}", tag = "market",
    params(("quotation_id" = QuotationId, Path)),
    responses((status = 200, body = Quotation, description = "A quotation the company sent or received")),
    security(("session" = []), ("api_key" = ["sourcing:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<QuotationId>,
) -> ApiResult<ApiJson<Quotation>> {
    member.require(ApiScope::SourcingRead)?;
    match state.market.own_quotation(&member.scope, id).await {
        Ok(quotation) => Ok(ApiJson(quotation)),
        Err(market::MarketError::NotFound(_)) => Ok(ApiJson(
            state.market.received_quotation(&member.scope, id).await?,
        )),
        Err(other) => Err(other.into()),
    }
}

#[utoipa::path(post, path = "/api/v1/sourcing/quotations/{quotation_id}/accept", tag = "market",
    params(("quotation_id" = QuotationId, Path)),
    responses((status = 200, body = Quotation), (status = 409, description = "`state_conflict`")),
    security(("session" = []), ("api_key" = ["sourcing:write"])))]
pub async fn accept(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<QuotationId>,
) -> ApiResult<ApiJson<Quotation>> {
    member.require(ApiScope::SourcingWrite)?;
    Ok(ApiJson(
        state.market.accept_quotation(&member.scope, id).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    /// Told to the supplier, e.g. "Lead time too long".
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/sourcing/quotations/{quotation_id}/decline", tag = "market",
    params(("quotation_id" = QuotationId, Path)), request_body = Decline,
    responses((status = 200, body = Quotation), (status = 409, description = "`state_conflict`"), (status = 422, description = "`invalid_field`")),
    security(("session" = []), ("api_key" = ["sourcing:write"])))]
pub async fn decline(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<QuotationId>,
    ApiJson(body): ApiJson<Decline>,
) -> ApiResult<ApiJson<Quotation>> {
    member.require(ApiScope::SourcingWrite)?;
    Ok(ApiJson(
        state
            .market
            .decline_quotation(&member.scope, id, &body.reason)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/sourcing/quota", tag = "market",
    responses((status = 200, body = QuotaStatus)),
    security(("session" = []), ("api_key" = ["sourcing:read"])))]
pub async fn quota(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<QuotaStatus>> {
    member.require(ApiScope::SourcingRead)?;
    Ok(ApiJson(state.market.quota_status(&member.scope).await?))
}
