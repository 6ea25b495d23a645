//! `POST /api/v1/trade/carriers/{carrier}/webhooks`: a carrier reports
//! tracking events (picked up, ..., delivered). Signed, fresh, each event
//! applied once; a delivered report moves the order to delivered.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;

use super::pay_webhook::signed_json;
use crate::error::ApiResult;
use crate::extract::{ApiJson, RawBody};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrackingAnswer {
    /// `applied`, or `already_handled` when every event was seen before.
    pub outcome: String,
    /// How many of the webhook's events were new.
    pub applied: i64,
}

#[utoipa::path(post, path = "/api/v1/trade/carriers/{carrier}/webhooks", tag = "orders",
    params(
        ("carrier" = String, Path, description = "e.g. `sandbox`"),
        ("hanse-signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">`"),
    ),
    request_body(content = String, content_type = "application/json",
        description = "`{\"events\": [{\"event_id\", \"tracking_number\", \"status\", \"location\", \"occurred_at\"}]}`, at most 64 KiB and 100 events"),
    responses(
        (status = 200, body = TrackingAnswer),
        (status = 400, description = "`stale_webhook`"),
        (status = 401, description = "`invalid_signature`"),
        (status = 404, description = "`unknown_carrier`, or `not_found`: an event names no shipment of this carrier"),
        (status = 422, description = "`invalid_field`: not a tracking webhook, or too many events"),
    ))]
pub async fn handler(
    State(state): State<AppState>,
    Path(carrier): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, ApiJson<TrackingAnswer>)> {
    let signature = signed_json(&headers)?;
    let applied = state
        .trade
        .receive_tracking(&carrier, signature, &body)
        .await?;
    let outcome = if applied == 0 {
        "already_handled"
    } else {
        "applied"
    };
    Ok((
        StatusCode::OK,
        ApiJson(TrackingAnswer {
            outcome: outcome.to_owned(),
            applied: i64::try_from(applied).unwrap_or(i64::MAX),
        }),
    ))
}
