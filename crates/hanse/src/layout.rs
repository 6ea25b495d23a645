//! What a data directory holds, named once: the SQLite file and its WAL
//! companions, the uploaded images, the mailbox and this node's search index.

use std::path::{Path, PathBuf};

/// The SQLite file.
pub const DATABASE: &str = kernel::db::SQLITE_FILE_NAME;
/// Uploaded images, by SHA-256 (`market::ImageStore`).
pub const IMAGES: &str = "images";
/// Mail written as `.eml` files when no SMTP relay is configured.
pub const MAILBOX: &str = "mailbox";
/// This node's search index, rebuildable from the database.
pub const SEARCH: &str = "search";

/// The files SQLite keeps beside the database in WAL mode. They belong to
/// that one file: a stale write-ahead log left beside another database would
/// be applied to it, so a restore moves them with the database they belong to.
pub fn database_companions(data_dir: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| data_dir.join(format!("{DATABASE}{suffix}")))
}
