//! `/api/v1/sandbox-carrier`: the simulated carrier of test shipments. A
//! member sees its own company's parcels (as seller or buyer) and moves them
//! on; the operator sees all. A network without the sandbox answers 404.

use axum::extract::State;
use serde::{Deserialize, Deserializer};
use trade::carrier::{ParcelViewer, SandboxParcel};

use crate::error::ApiResult;
use crate::extract::auth::SandboxUser;
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::pagination::PageLimit;
use crate::state::AppState;

/// Who is looking: the operator, or a signed-in member acting for a company.
pub struct CarrierViewer(pub ParcelViewer);

impl axum::extract::FromRequestParts<AppState> for CarrierViewer {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(CarrierViewer(
            match SandboxUser::from_request_parts(parts, state).await? {
                SandboxUser::Operator => ParcelViewer::Operator,
                SandboxUser::Member(scope) => ParcelViewer::Member(scope.company_id()),
            },
        ))
    }
}

/// A sandbox tracking number, `SBX` and twelve digits; anything else is
/// refused as `invalid_id` before a parcel is looked for.
#[derive(Debug, Clone)]
pub struct TrackingNumber(pub String);

impl<'de> Deserialize<'de> for TrackingNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if trade::carrier::is_tracking_number(&text) {
            Ok(TrackingNumber(text))
        } else {
            Err(serde::de::Error::custom(
                "not a sandbox tracking number (SBX and twelve digits)",
            ))
        }
    }
}

impl utoipa::PartialSchema for TrackingNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(trade::carrier::TRACKING_NUMBER_PATTERN))
            .into()
    }
}

impl utoipa::ToSchema for TrackingNumber {}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ParcelsQuery {
    /// How many parcels, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
}

#[utoipa::path(get, path = "/api/v1/sandbox-carrier/parcels", tag = "orders", params(ParcelsQuery),
    responses((status = 200, body = Vec<SandboxParcel>, description = "Newest first, at most `limit`"),
        (status = 404, description = "`not_found`: this network has no sandbox carrier")),
    security(("session" = ["operator", "staff"])))]
pub async fn list(
    State(state): State<AppState>,
    CarrierViewer(viewer): CarrierViewer,
    ApiQuery(query): ApiQuery<ParcelsQuery>,
) -> ApiResult<ApiJson<Vec<SandboxParcel>>> {
    let limit = query
        .limit
        .map_or(i64::from(kernel::page::PAGE_SIZE_DEFAULT), PageLimit::get);
    Ok(ApiJson(state.trade.sandbox_parcels(viewer, limit).await?))
}

#[utoipa::path(post, path = "/api/v1/sandbox-carrier/parcels/{tracking_number}/advance", tag = "orders",
    params(("tracking_number" = inline(TrackingNumber), Path)),
    responses(
        (status = 200, body = SandboxParcel, description = "The parcel after its next tracking step, reported now"),
        (status = 409, description = "`invalid_transition`, with `reason` `parcel_delivered`: it has no step left"),
    ),
    security(("session" = ["operator", "staff"])))]
pub async fn advance(
    State(state): State<AppState>,
    CarrierViewer(viewer): CarrierViewer,
    IdPath(tracking_number): IdPath<TrackingNumber>,
) -> ApiResult<ApiJson<SandboxParcel>> {
    Ok(ApiJson(
        state
            .trade
            .sandbox_parcel_advance(viewer, &tracking_number.0)
            .await?,
    ))
}
