//! Supply-chain failures, as business outcomes; `web` maps each to a stable code.

use kernel::StorageError;

/// A failure of a supply-chain operation. Nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ScmError {
    #[error("{field}: {message}")]
    Invalid {
        field: String,
        code: &'static str,
        message: String,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("your role does not allow this")]
    Forbidden,
    /// A move or reservation asked for more than the location holds.
    #[error("{field}: only {available} on hand")]
    InsufficientStock { field: String, available: i64 },
    /// The thing is in a state that does not allow this.
    #[error("{message}")]
    State { code: &'static str, message: String },
    /// A CSV file with bad rows: each one named; nothing was imported.
    #[error("{} rows of the file are refused", .0.len())]
    ImportRejected(Vec<market::product_csv::RowError>),
    #[error(transparent)]
    Market(#[from] market::MarketError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for ScmError {
    fn from(error: sqlx::Error) -> Self {
        ScmError::Storage(error.into())
    }
}

impl ScmError {
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ScmError::Invalid {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// The same failure, naming `field` when it was about a quantity the
    /// move could not take: a caller with lines says which line.
    pub fn at_field(self, field: &str) -> Self {
        match self {
            ScmError::InsufficientStock { available, .. } => ScmError::InsufficientStock {
                field: field.to_owned(),
                available,
            },
            other => other,
        }
    }

    /// An unknown id in the path is "not found"; other failures stay as they are.
    pub fn in_path(self, what: &'static str) -> Self {
        match self {
            ScmError::Invalid { .. } => ScmError::NotFound(what),
            other => other,
        }
    }

    pub fn state(code: &'static str, message: impl Into<String>) -> Self {
        ScmError::State {
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = ScmError> = std::result::Result<T, E>;
