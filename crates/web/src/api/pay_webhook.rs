//! `POST /api/v1/pay/webhooks/{provider}`: a payment provider tells Hanse that a
//! payment or payout succeeded or failed. Signed, fresh, handled once.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::json::require_json;
use crate::extract::{ApiJson, RawBody};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookAnswer {
    /// `applied`, or `already_handled` for a repeated delivery.
    pub outcome: String,
}

#[utoipa::path(post, path = "/api/v1/pay/webhooks/{provider}", tag = "pay",
    params(
        ("provider" = String, Path, description = "e.g. `sandbox`"),
        ("hanse-signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">`"),
    ),
    request_body(content = String, content_type = "application/json"),
    responses(
        (status = 200, body = WebhookAnswer),
        (status = 400, description = "`stale_webhook`"),
        (status = 401, description = "`invalid_signature`"),
        (status = 404, description = "`unknown_reference` or unknown provider"),
        (status = 422, description = "`invalid_field`: a body over 64 KiB or not a webhook event"),
    ))]
pub async fn handler(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, ApiJson<WebhookAnswer>)> {
    let signature = signed_json(&headers)?;
    let outcome = state
        .pay
        .handle_webhook(&provider, signature, &body)
        .await?;
    let outcome = match outcome {
        pay::WebhookOutcome::Applied => "applied",
        pay::WebhookOutcome::AlreadyHandled => "already_handled",
    };
    Ok((
        StatusCode::OK,
        ApiJson(WebhookAnswer {
            outcome: outcome.to_owned(),
        }),
    ))
}

/// What every signed webhook checks first: a JSON body (signed bytes, read
/// raw, but JSON all the same, like every body of the API) and the
/// signature header, the same scheme for payment providers and carriers.
pub(crate) fn signed_json(headers: &HeaderMap) -> ApiResult<&str> {
    require_json(headers)?;
    headers
        .get(pay::provider::SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| {
            ApiError::field(
                ErrorCode::InvalidSignature,
                pay::provider::SIGNATURE_HEADER,
                "the signature header is missing",
            )
        })
}
