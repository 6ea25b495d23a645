//! The documents behind an entry: a scanned receipt, a contract, the bank's
//! advice. A file is checked to be what it says (its first bytes, or UTF-8
//! for text), at most `ATTACHMENT_BYTES_MAX`, up to `ATTACHMENTS_PER_ENTRY_MAX`
//! per entry, and stored with its SHA-256 in the same database as the entry.
//! A posted entry may still gain evidence, but loses none: only a draft's
//! attachments can be removed.

use kernel::db::Tx;
use kernel::{CompanyId, Scope, Timestamp};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::entry::entry_in;
use crate::error::{BooksError, Result};
use crate::invoice_by_hand::text_field;
use crate::model::{EntryId, EntryState};
use crate::{Books, may_keep_books, may_view_books};

kernel::define_id!(
    /// A file attached to an entry.
    AttachmentId,
    "atch"
);

/// The largest file: 2 MiB, a scanned page or a PDF of a few.
pub const ATTACHMENT_BYTES_MAX: usize = 2 * 1024 * 1024;
/// The most files on one entry.
pub const ATTACHMENTS_PER_ENTRY_MAX: i64 = 10;
/// What a file may be.
pub const ATTACHMENT_CONTENT_TYPES: [&str; 6] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/csv",
    "text/plain",
];

/// A file attached to an entry, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: AttachmentId,
    pub entry_id: EntryId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub created_at: Timestamp,
}

/// Whether `bytes` are what `content_type` says.
fn looks_like(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/webp" => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        "text/csv" | "text/plain" => std::str::from_utf8(bytes).is_ok(),
        _ => false,
    }
}

/// A file name as given, without a path, control characters or quotes
/// (it goes into a `Content-Disposition` header).
fn file_name_of(name: &str) -> Result<String> {
    let name = text_field("file_name", name, true)?;
    if name
        .chars()
        .any(|c| c.is_control() || matches!(c, '/' | '\\' | '"'))
    {
        return Err(BooksError::invalid(
            "file_name",
            "invalid",
            "a file name without a path, quotes or control characters",
        ));
    }
    Ok(name)
}

fn attachment_of(row: &sqlx::any::AnyRow) -> Result<Attachment> {
    Ok(Attachment {
        id: AttachmentId::from_raw(row.try_get("id")?),
        entry_id: EntryId::from_raw(row.try_get("entry_id")?),
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        created_at: Timestamp::from_micros(row.try_get("created_at")?),
    })
}

const COLUMNS: &str = "id, entry_id, file_name, content_type, size_bytes, sha256, created_at";

async fn attachment_in(
    tx: &mut Tx,
    company: CompanyId,
    entry: EntryId,
    id: AttachmentId,
) -> Result<Attachment> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM books_attachment WHERE company_id = $1 AND entry_id = $2 AND id = $3"
    ))
    .bind(company)
    .bind(entry)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(BooksError::NotFound("attachment"))?;
    attachment_of(&row)
}

impl Books {
    /// Attaches a file to the entry `entry`, or refuses it (too large, not
    /// what it says, one too many) and writes nothing.
    pub async fn attach(
        &self,
        scope: &Scope,
        entry: EntryId,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let file_name = file_name_of(file_name)?;
        let content_type = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !ATTACHMENT_CONTENT_TYPES.contains(&content_type.as_str()) {
            return Err(BooksError::invalid(
                "content_type",
                "unsupported",
                format!("one of {}", ATTACHMENT_CONTENT_TYPES.join(", ")),
            ));
        }
        if bytes.is_empty() || bytes.len() > ATTACHMENT_BYTES_MAX {
            return Err(BooksError::invalid(
                "content",
                "out_of_range",
                format!("1 byte to {} MiB", ATTACHMENT_BYTES_MAX / 1024 / 1024),
            ));
        }
        if !looks_like(&content_type, bytes) {
            return Err(BooksError::invalid(
                "content",
                "not_what_it_says",
                format!("the file is not {content_type}"),
            ));
        }
        let sha256: String = Sha256::digest(bytes)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        entry_in(&mut tx, company, entry).await?;
        let count: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM books_attachment WHERE company_id = $1 AND entry_id = $2",
        )
        .bind(company)
        .bind(entry)
        .fetch_one(tx.conn())
        .await?
        .try_get("n")?;
        if count >= ATTACHMENTS_PER_ENTRY_MAX {
            return Err(BooksError::state(
                "too_many_attachments",
                format!("an entry holds at most {ATTACHMENTS_PER_ENTRY_MAX} files"),
            ));
        }
        let attachment = Attachment {
            id: AttachmentId::new(),
            entry_id: entry,
            file_name,
            content_type,
            size_bytes: bytes.len() as i64,
            sha256,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO books_attachment (company_id, id, entry_id, file_name, content_type, size_bytes, sha256,
                 content, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(company)
        .bind(attachment.id)
        .bind(entry)
        .bind(&attachment.file_name)
        .bind(&attachment.content_type)
        .bind(attachment.size_bytes)
        .bind(&attachment.sha256)
        .bind(bytes.to_vec())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(attachment)
    }

    /// The files of the entry `entry`, oldest first.
    pub async fn attachments(&self, scope: &Scope, entry: EntryId) -> Result<Vec<Attachment>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        entry_in(&mut tx, company, entry).await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM books_attachment WHERE company_id = $1 AND entry_id = $2 ORDER BY id"
        ))
        .bind(company)
        .bind(entry)
        .fetch_all(tx.conn())
        .await?;
        tx.commit().await?;
        rows.iter().map(attachment_of).collect()
    }

    /// The files of several entries (a page of the journal), oldest first.
    pub async fn attachments_of(
        &self,
        scope: &Scope,
        entries: &[EntryId],
    ) -> Result<Vec<Attachment>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..entries.len()).map(|n| format!("${}", n + 2)).collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM books_attachment WHERE company_id = $1 AND entry_id IN ({}) ORDER BY id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(scope.company_id());
        for entry in entries {
            query = query.bind(*entry);
        }
        let rows = query.fetch_all(self.db.reader()).await?;
        rows.iter().map(attachment_of).collect()
    }

    /// One file with its content.
    pub async fn attachment_content(
        &self,
        scope: &Scope,
        entry: EntryId,
        id: AttachmentId,
    ) -> Result<(Attachment, Vec<u8>)> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        let attachment = attachment_in(&mut tx, company, entry, id).await?;
        let content: Vec<u8> =
            sqlx::query("SELECT content FROM books_attachment WHERE company_id = $1 AND id = $2")
                .bind(company)
                .bind(id)
                .fetch_one(tx.conn())
                .await?
                .try_get("content")?;
        tx.commit().await?;
        Ok((attachment, content))
    }

    /// Removes a file from a draft; a posted entry keeps its evidence.
    pub async fn remove_attachment(
        &self,
        scope: &Scope,
        entry: EntryId,
        id: AttachmentId,
    ) -> Result<()> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        if entry_in(&mut tx, company, entry).await?.state == EntryState::Posted {
            return Err(BooksError::state(
                "entry_posted",
                "a posted entry keeps its attachments",
            ));
        }
        attachment_in(&mut tx, company, entry, id).await?;
        sqlx::query("DELETE FROM books_attachment WHERE company_id = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
