//! The kernel's one error type: storage and migration failures.

/// A failure to reach or use the database, or to bring its schema up to date.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(
        "migration {module}/{version} was changed after it was applied; add a new migration instead"
    )]
    MigrationEdited { module: &'static str, version: i64 },
    #[error(
        "the database has migration {module}/{version}, which this build does not know; is it older than the data?"
    )]
    MigrationUnknown { module: String, version: i64 },
    #[error("unsupported database url `{0}`; use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("cannot prepare the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("the {0} engine cannot copy itself into a file; use its own dump tool")]
    SnapshotUnsupported(&'static str),
    #[error("cannot write the database copy {path}: {source}")]
    Snapshot {
        path: String,
        source: std::io::Error,
    },
    #[error("{what} is over its limit: {detail}")]
    OverLimit { what: &'static str, detail: String },
    #[error("corrupt stored value in {what}: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// The shared commit of a batch of transactions failed; none of the
    /// batch was written.
    #[error("the group commit failed: {0}")]
    GroupCommit(String),
}

impl StorageError {
    /// A stored value that the code cannot read back, e.g. an unknown enum name.
    pub fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> Self {
        StorageError::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }

    /// True when the database refused a row because a unique key already exists.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StorageError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}
