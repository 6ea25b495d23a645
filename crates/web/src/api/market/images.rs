//! `POST /api/v1/images`: uploads an image (the raw bytes, `Content-Type:
//! image/jpeg`, `image/png` or `image/webp`), answered with its content hash
//! for products and storefronts to name.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use market::ImageRef;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Member, RawBody};
use crate::state::AppState;

/// The upload route's own body limit: the image cap and nothing more.
pub const IMAGE_BODY_BYTES_MAX: usize = market::IMAGE_BYTES_MAX;

#[utoipa::path(post, path = "/api/v1/images", tag = "market",
    request_body(content = Vec<u8>, content_type = "image/jpeg",
        description = "A JPEG, PNG or WebP image of at most 5 MB; it is decoded to prove it is one"),
    responses((status = 201, body = ImageRef), (status = 422, description = "`invalid_field`")),
    security(("session" = []), ("api_key" = ["catalog:write"])))]
pub async fn upload(
    State(state): State<AppState>,
    member: Member,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, ApiJson<ImageRef>)> {
    member.require(ApiScope::CatalogWrite)?;
    let image = state
        .market
        .upload_image(&member.scope, body.to_vec())
        .await?;
    Ok((StatusCode::CREATED, ApiJson(image)))
}
