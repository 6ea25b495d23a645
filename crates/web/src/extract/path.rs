//! `IdPath<T>`: a typed id from the path; a malformed id or an id of another kind
//! is a clear `invalid_id` problem rather than axum's plain-text rejection.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorCode};

/// One path parameter, parsed as `T`.
#[derive(Debug, Clone, Copy)]
pub struct IdPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for IdPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(IdPath(value)),
            Err(rejection) => Err(ApiError::new(ErrorCode::InvalidId, rejection.body_text())),
        }
    }
}
