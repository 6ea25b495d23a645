//! `ApiJson<T>`: like axum's `Json`, but a bad body becomes a problem response
//! that names the field at fault (via serde_path_to_error).

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::integers::integral_numbers;
use super::raw::RawBody;
use crate::error::{ApiError, ErrorCode};

/// A JSON request body, or JSON response body.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json(request.headers())?;
        let RawBody(bytes) = RawBody::from_request(request, state).await?;
        // Every request body is an object: serde would also read a struct
        // from an array of its fields, which the document does not allow.
        let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
        if first.is_some_and(|byte| *byte == b'[') {
            return Err(ApiError::new(
                ErrorCode::MalformedBody,
                "the body is a JSON object, not an array",
            ));
        }
        parse(&bytes).map(ApiJson)
    }
}

/// Refuses a body that is not declared `application/json`.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if is_json {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send the body as application/json",
        ))
    }
}

/// Parses a JSON body, naming the field at fault when the shape is wrong.
/// Integral numbers such as `5.0` are read as integers (see `integers.rs`).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes = integral_numbers(bytes);
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let detail = if inner.is_syntax() || inner.is_eof() {
            format!("the body is not valid JSON ({inner})")
        } else {
            inner.to_string()
        };
        let field = (path != ".").then_some(path);
        ApiError {
            field,
            ..ApiError::new(ErrorCode::MalformedBody, detail)
        }
    })?;
    deserializer.end().map_err(|_| {
        ApiError::new(
            ErrorCode::MalformedBody,
            "unexpected data after the JSON value",
        )
    })?;
    Ok(value)
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
