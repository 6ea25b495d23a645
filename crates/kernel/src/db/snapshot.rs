//! A consistent copy of the whole database in one file, taken while the
//! server goes on writing: what `hanse backup` stores.

use std::path::Path;

use crate::db::Db;
use crate::error::StorageError;

impl Db {
    /// Writes one consistent snapshot of the database into `target`, a file
    /// that must not exist yet, and makes it durable. The copy is read
    /// through the reader pool (read-only on SQLite), so it cannot change the
    /// source. Only SQLite can do this; on PostgreSQL it is
    /// [`StorageError::SnapshotUnsupported`].
    pub async fn snapshot_into(&self, target: &Path) -> Result<(), StorageError> {
        let engine = self.engine();
        let sql = engine
            .snapshot_sql()
            .ok_or(StorageError::SnapshotUnsupported(engine.name()))?;
        let failed = |source: std::io::Error| StorageError::Snapshot {
            path: target.display().to_string(),
            source,
        };
        let path = target.to_str().ok_or_else(|| {
            failed(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the path is not UTF-8",
            ))
        })?;
        if target.exists() {
            return Err(failed(std::io::ErrorKind::AlreadyExists.into()));
        }
        sqlx::query(sql).bind(path).execute(self.reader()).await?;
        // VACUUM INTO writes its file without syncing it; a backup that a
        // power cut can truncate is no backup.
        let target = target.to_owned();
        tokio::task::spawn_blocking(move || sync_file_and_folder(&target))
            .await
            .map_err(|error| failed(std::io::Error::other(error.to_string())))?
            .map_err(failed)
    }
}

fn sync_file_and_folder(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::File::open(folder)?.sync_all()?;
    }
    Ok(())
}
