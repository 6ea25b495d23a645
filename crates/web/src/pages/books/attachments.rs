//! `POST /books/entries/{entry_id}/attachments`: the journal's form that
//! attaches a file (a receipt, a contract) to an entry, sent as multipart
//! with the CSRF token in its action; the files download through the API.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::response::Response;
use books::EntryId;

use super::journal::{JournalQuery, journal_page};
use crate::error::{ApiError, ErrorCode};
use crate::extract::IdPath;
use crate::pages::market::{multipart_error, multipart_of};
use crate::pages::{Shell, done};
use crate::state::AppState;

/// A file, plus room for the form around it.
pub(super) fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(books::ATTACHMENT_BYTES_MAX + 64 * 1024)
}

/// The `file` part of the form: its name, type and bytes.
async fn file_of(mut multipart: Multipart) -> Result<(String, String, Vec<u8>), ApiError> {
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let content_type = field.content_type().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(multipart_error)?;
        if !bytes.is_empty() {
            return Ok((name, content_type, bytes.to_vec()));
        }
    }
    Err(ApiError::field(
        ErrorCode::InvalidField,
        "file",
        "choose a file",
    ))
}

pub async fn upload(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(entry): IdPath<EntryId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let multipart = multipart_of(multipart)?;
        let (name, content_type, bytes) = file_of(multipart).await?;
        state
            .books
            .attach(&member.scope, entry, &name, &content_type, &bytes)
            .await?;
        Ok::<_, ApiError>(state.books.entry(&member.scope, entry).await?.period)
    }
    .await;
    match result {
        Ok(period) => done(
            &format!("/books/journal?period={period}"),
            "attachment-saved",
        ),
        Err(error) => journal_page(&shell, JournalQuery::default(), Some(error)).await,
    }
}
