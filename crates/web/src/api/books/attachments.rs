//! `/api/v1/books/entries/{entry_id}/attachments`: the files behind an entry
//! (a receipt, a contract), uploaded as the raw body with its content type,
//! listed, downloaded and, from a draft, removed.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use books::{Attachment, AttachmentId, EntryId};
use identity::ApiScope;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member, RawBody};
use crate::state::AppState;

/// The upload route's own body limit: the file cap and nothing more.
pub const ATTACHMENT_BODY_BYTES_MAX: usize = books::ATTACHMENT_BYTES_MAX;

/// The file's name.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AttachQuery {
    /// 1 to 200 characters, without a path, quotes or control characters.
    #[param(min_length = 1, max_length = 200)]
    pub file_name: String,
}

#[utoipa::path(get, path = "/api/v1/books/entries/{entry_id}/attachments", tag = "books",
    params(("entry_id" = EntryId, Path)),
    responses((status = 200, body = Vec<Attachment>, description = "Oldest first, at most 10")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    IdPath(entry): IdPath<EntryId>,
) -> ApiResult<ApiJson<Vec<Attachment>>> {
    member.require(ApiScope::BooksRead)?;
    Ok(ApiJson(
        state.books.attachments(&member.scope, entry).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/books/entries/{entry_id}/attachments", tag = "books",
    params(("entry_id" = EntryId, Path), AttachQuery),
    request_body(content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"),
        (Vec<u8> = "image/webp"), (Vec<u8> = "text/csv"), (Vec<u8> = "text/plain")),
        description = "The file, at most 2 MiB; its first bytes must fit its type (text must be UTF-8)"),
    responses(
        (status = 201, body = Attachment),
        (status = 409, description = "`state_conflict`: `too_many_attachments` (10 per entry)"),
        (status = 422, description = "`invalid_field`: `content_type` `unsupported`, `content` `not_what_it_says`, `file_name`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn upload(
    State(state): State<AppState>,
    member: Member,
    IdPath(entry): IdPath<EntryId>,
    ApiQuery(query): ApiQuery<AttachQuery>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, ApiJson<Attachment>)> {
    member.require(ApiScope::BooksWrite)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let attachment = state
        .books
        .attach(&member.scope, entry, &query.file_name, content_type, &body)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(attachment)))
}

/// `filename*` of RFC 6266: the name percent-encoded as UTF-8, so Chinese
/// names survive.
fn disposition(file_name: &str) -> String {
    let encoded: String = file_name
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("attachment; filename*=UTF-8''{encoded}")
}

#[utoipa::path(get, path = "/api/v1/books/entries/{entry_id}/attachments/{attachment_id}", tag = "books",
    params(("entry_id" = EntryId, Path), ("attachment_id" = AttachmentId, Path)),
    responses((status = 200, content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"),
        (Vec<u8> = "image/webp"), (Vec<u8> = "text/csv"), (Vec<u8> = "text/plain")),
        description = "The file as uploaded, with its type and name")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn download(
    State(state): State<AppState>,
    member: Member,
    IdPath((entry, id)): IdPath<(EntryId, AttachmentId)>,
) -> ApiResult<impl IntoResponse + use<>> {
    member.require(ApiScope::BooksRead)?;
    let (attachment, content) = state
        .books
        .attachment_content(&member.scope, entry, id)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, attachment.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                disposition(&attachment.file_name),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        content,
    ))
}

#[utoipa::path(delete, path = "/api/v1/books/entries/{entry_id}/attachments/{attachment_id}", tag = "books",
    params(("entry_id" = EntryId, Path), ("attachment_id" = AttachmentId, Path)),
    responses(
        (status = 204, description = "Removed from the draft"),
        (status = 409, description = "`state_conflict`: `entry_posted` (a posted entry keeps its attachments)")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn remove(
    State(state): State<AppState>,
    member: Member,
    IdPath((entry, id)): IdPath<(EntryId, AttachmentId)>,
) -> ApiResult<StatusCode> {
    member.require(ApiScope::BooksWrite)?;
    state
        .books
        .remove_attachment(&member.scope, entry, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_file_name_is_percent_encoded() {
        assert_eq!(
            disposition("发票 1.pdf"),
            "attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8%201.pdf"
        );
    }
}
