//! The `Idempotency-Key` mechanism for POSTs: the first request with a key runs
//! and its answer is stored; the same key with the same request replays that
//! answer; the same key with another request is refused. Money-moving routes
//! add [`require_key`] so that a missing key is an error.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::error::{ApiError, ErrorCode};
use crate::extract::auth::SESSION_COOKIE;
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
/// Set on a replayed answer.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
const KEY_LENGTH_MAX: usize = 255;
/// [`valid_key`] as the document states it.
pub const KEY_PATTERN: &str = "^[!-~]{1,255}$";
/// Answers larger than this are not stored (and the key is released).
const STORED_RESPONSE_BYTES_MAX: usize = 1024 * 1024;

/// What a key may be: 1 to 255 visible ASCII characters (RFC 9110's VCHAR, so
/// no spaces), the same rule as [`KEY_PATTERN`] in the OpenAPI document.
fn valid_key(value: &HeaderValue) -> Option<&str> {
    let bytes = value.as_bytes();
    let visible = bytes.iter().all(|byte| (b'!'..=b'~').contains(byte));
    (visible && (1..=KEY_LENGTH_MAX).contains(&bytes.len()))
        .then(|| value.to_str().ok())
        .flatten()
}

/// Refuses a request without an `Idempotency-Key`; for money-moving routes.
pub async fn require_key(request: Request, next: Next) -> Response {
    // The layer also wraps the route's answer to other methods (405), which
    // must stay a 405.
    if request.method() != Method::POST || request.headers().contains_key(HEADER) {
        next.run(request).await
    } else {
        ApiError::field(
            ErrorCode::IdempotencyKeyRequired,
            HEADER,
            "send an Idempotency-Key header with this request",
        )
        .into_response()
    }
}

/// Who the key belongs to: the hashed credential, so two callers' keys never
/// meet. Callers without one cannot be told apart, so for them a key means
/// nothing: one stranger must never be answered with another's reply.
fn caller_of(request: &Request) -> Option<String> {
    let headers = request.headers();
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            CookieJar::from_headers(headers)
                .get(SESSION_COOKIE)
                .map(|c| c.value().to_owned())
        })
        .map(|credential| identity::token::hash(&credential))
}

fn hash_request(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str());
    hasher.update([0]);
    hasher.update(path);
    hasher.update([0]);
    hasher.update(body);
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Applies to every POST under the API that carries the header: a malformed
/// key is refused from anyone, a good one is claimed for a caller with a
/// credential.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(HEADER).cloned() else {
        return next.run(request).await;
    };
    let key = match valid_key(&key) {
        Some(key) => key.to_owned(),
        None => {
            return ApiError::field(
                ErrorCode::InvalidIdempotencyKey,
                HEADER,
                "use 1 to 255 visible ASCII characters",
            )
            .into_response();
        }
    };
    let Some(caller) = caller_of(&request) else {
        return next.run(request).await;
    };
    match run_once(&state, caller, key, request, next).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn run_once(
    state: &AppState,
    caller: String,
    key: String,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, state.settings.body_limit_bytes)
        .await
        .map_err(|_| ApiError::new(ErrorCode::BodyTooLarge, "the body is larger than the limit"))?;
    let request_hash = hash_request(&parts.method, parts.uri.path(), &body);
    let now = state.clock.now().micros();

    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query(
        "INSERT INTO web_idempotency (caller, idempotency_key, request_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (caller, idempotency_key) DO NOTHING",
    )
    .bind(&caller)
    .bind(&key)
    .bind(&request_hash)
    .bind(now)
    .execute(tx.conn())
    .await
    .map_err(ApiError::internal)?
    .rows_affected();
    tx.commit().await?;

    if claimed == 0 {
        return replay(state, &caller, &key, &request_hash).await;
    }

    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, STORED_RESPONSE_BYTES_MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            release(state, &caller, &key).await;
            return Err(ApiError::internal(format!(
                "response not storable: {error}"
            )));
        }
    };
    if parts.status.is_server_error() {
        // A failure on our side is not an answer; the client may retry the key.
        release(state, &caller, &key).await;
    } else {
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mut tx = state.db.begin().await?;
        sqlx::query(
            "UPDATE web_idempotency SET response_status = $1, response_content_type = $2, response_body = $3, updated_at = $4
             WHERE caller = $5 AND idempotency_key = $6",
        )
        .bind(i64::from(parts.status.as_u16()))
        .bind(content_type)
        .bind(String::from_utf8_lossy(&bytes).into_owned())
        .bind(state.clock.now().micros())
        .bind(&caller)
        .bind(&key)
        .execute(tx.conn())
        .await
        .map_err(ApiError::internal)?;
        tx.commit().await?;
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

async fn replay(
    state: &AppState,
    caller: &str,
    key: &str,
    request_hash: &str,
) -> Result<Response, ApiError> {
    let row = sqlx::query(
        "SELECT request_hash, response_status, response_content_type, response_body FROM web_idempotency
         WHERE caller = $1 AND idempotency_key = $2",
    )
    .bind(caller)
    .bind(key)
    .fetch_one(state.db.reader())
    .await
    .map_err(ApiError::internal)?;
    let stored_hash: String = row.try_get("request_hash").map_err(ApiError::internal)?;
    if stored_hash != request_hash {
        return Err(ApiError::field(
            ErrorCode::IdempotencyKeyReused,
            HEADER,
            "this key was used for a different request; use a new key",
        ));
    }
    let status: Option<i64> = row.try_get("response_status").map_err(ApiError::internal)?;
    let Some(status) = status else {
        return Err(ApiError::new(
            ErrorCode::IdempotencyKeyInProgress,
            "the first request with this key is still running",
        ));
    };
    let content_type: Option<String> = row
        .try_get("response_content_type")
        .map_err(ApiError::internal)?;
    let body: Option<String> = row.try_get("response_body").map_err(ApiError::internal)?;
    let status = axum::http::StatusCode::from_u16(u16::try_from(status).unwrap_or(500))
        .map_err(ApiError::internal)?;
    let mut response = (status, body.unwrap_or_default()).into_response();
    if let Some(content_type) = content_type.filter(|c| !c.is_empty())
        && let Ok(value) = HeaderValue::from_str(&content_type)
    {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    Ok(response)
}

async fn release(state: &AppState, caller: &str, key: &str) {
    let result = async {
        let mut tx = state.db.begin().await?;
        sqlx::query("DELETE FROM web_idempotency WHERE caller = $1 AND idempotency_key = $2")
            .bind(caller)
            .bind(key)
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }
    .await;
    if let Err(error) = result {
        tracing::error!(%error, "could not release an idempotency key");
    }
}
