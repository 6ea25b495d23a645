//! `/images/{hash}`: uploaded images by content hash, in three sizes. A hash
//! names its bytes forever, so responses may be cached for a year.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use market::ImageSize;

use crate::error::{ApiError, ErrorCode};
use crate::pages::{Shell, error_response};
use crate::state::AppState;

const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

pub async fn serve(
    State(state): State<AppState>,
    shell: Shell,
    Path(hash): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let size = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "size")
        .map(|(_, value)| value.into_owned());
    let size = match size.as_deref() {
        None | Some("") => ImageSize::Original,
        Some(text) => match ImageSize::parse(text) {
            Some(size) => size,
            None => {
                return error_response(
                    &shell,
                    ApiError::field(
                        ErrorCode::InvalidQuery,
                        "size",
                        "size is thumb, medium or original",
                    ),
                );
            }
        },
    };
    // `file` refuses anything but 64 hex digits, so no path can be smuggled in.
    let Some((path, content_type)) = state.market.image_store().file(&hash, size) else {
        return error_response(&shell, ApiError::not_found());
    };
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return error_response(&shell, ApiError::not_found());
        }
        Err(error) => return error_response(&shell, ApiError::internal(error)),
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_FOREVER),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
