//! `RawBody`: the request body as bytes within the route's limit; a body over
//! the limit is `body_too_large` problem JSON rather than axum's plain text.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use bytes::Bytes;

use crate::error::{ApiError, ErrorCode};

/// The whole body, for uploads (images, product files) and for `ApiJson`.
#[derive(Debug, Clone)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(request, state)
            .await
            .map(RawBody)
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(ErrorCode::BodyTooLarge, "the body is larger than the limit")
                } else {
                    ApiError::new(ErrorCode::MalformedBody, "the body could not be read")
                }
            })
    }
}
