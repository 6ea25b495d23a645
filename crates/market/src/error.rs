//! Marketplace failures, as business outcomes; `web` maps each to a stable code.

use kernel::StorageError;

/// A failure of a marketplace operation. Nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum MarketError {
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
    #[error("{0}")]
    Conflict(&'static str),
    /// Fewer units are available than the order asks for.
    #[error("only {available} available")]
    InsufficientStock { available: i64 },
    #[error("this month's quotation quota of {quota} is used up")]
    QuotaExhausted { quota: i64 },
    /// A CSV import with bad rows; nothing was imported.
    #[error("{} rows of the file cannot be imported", .0.len())]
    ImportRejected(Vec<crate::product_csv::RowError>),
    #[error("search index: {0}")]
    Search(#[from] search::SearchError),
    #[error("image file: {0}")]
    ImageFile(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for MarketError {
    fn from(error: sqlx::Error) -> Self {
        MarketError::Storage(error.into())
    }
}

impl MarketError {
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        MarketError::Invalid {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = MarketError> = std::result::Result<T, E>;
